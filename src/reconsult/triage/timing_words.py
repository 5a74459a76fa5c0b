"""The words of time: number words, units, ranks, and the day arithmetic the readers share.

Used by :mod:`reconsult.triage.timing` (amounts and putting it together),
:mod:`reconsult.triage.timing_idioms` (fixed phrases) and
:mod:`reconsult.triage.timing_dates` (calendar words). Language only, no clock:
``today`` is always passed in.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

NUMBER_WORDS = {
    "a": 1.0,
    "an": 1.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "eleven": 11.0,
    "twelve": 12.0,
    "thirteen": 13.0,
    "fourteen": 14.0,
    "fifteen": 15.0,
    "sixteen": 16.0,
    "seventeen": 17.0,
    "eighteen": 18.0,
    "nineteen": 19.0,
    "twenty": 20.0,
    "thirty": 30.0,
    "couple": 2.0,
    "few": 3.0,
    "several": 3.0,
    "half": 0.5,
    # Spanish, read without accents (triage.phrases.fold): "hace quince dias".
    "un": 1.0,
    "uno": 1.0,
    "una": 1.0,
    "dos": 2.0,
    "tres": 3.0,
    "cuatro": 4.0,
    "cinco": 5.0,
    "seis": 6.0,
    "siete": 7.0,
    "ocho": 8.0,
    "nueve": 9.0,
    "diez": 10.0,
    "once": 11.0,
    "doce": 12.0,
    "trece": 13.0,
    "catorce": 14.0,
    "quince": 15.0,
    "dieciseis": 16.0,
    "diecisiete": 17.0,
    "dieciocho": 18.0,
    "diecinueve": 19.0,
    "veinte": 20.0,
    "treinta": 30.0,
    "par": 2.0,
    "unos": 3.0,
    "unas": 3.0,
    "varios": 3.0,
    "varias": 3.0,
}
UNIT_DAYS = {
    "minute": 0.0,
    "min": 0.0,
    "hour": 0.0,
    "hr": 0.0,
    "day": 1.0,
    "week": 7.0,
    "wk": 7.0,
    "fortnight": 14.0,
    "month": 30.4,
    "mo": 30.4,
    "year": 365.0,
    "yr": 365.0,
    # Spanish: "dias", "semanas", "meses", "anos" (años without the tilde), "quincena".
    "hora": 0.0,
    "minuto": 0.0,
    "dia": 1.0,
    "semana": 7.0,
    "quincena": 15.0,
    "mes": 30.4,
    "meses": 30.4,
    "ano": 365.0,
}
_DAY_NAMES = (
    "monday mon lunes|tuesday tue tues martes|wednesday wed weds miercoles"
    "|thursday thu thur thurs jueves|friday fri viernes|saturday sat sabado|sunday sun domingo"
)
WEEKDAY_NAMES = {
    v: d
    for d, names in enumerate(_DAY_NAMES.split("|"))
    for n in names.split()
    for v in (n, n + ".")
}
_ORDINAL_ENDINGS = {"st", "nd", "rd", "th"}

# Preference when several expressions could date the procedure: lower is better.
RANK_TIED = 0
RANK_AGO = 1
RANK_DURATION = 2
RANK_BARE = 3
RANK_FLOOR = 4  # "years ago": at least two years, used only when nothing says more

# Days of an expression that says only "long ago" ("ages ago") or a date that reads two
# ways ("12/05"): it still wins over weaker expressions, then gives no answer.
UNKNOWN = -1


def unit_days(token: Token) -> float | None:
    """Return the number of days in one unit word ("weeks" -> 7), or None."""
    return unit_word_days(token.norm_)


def unit_word_days(word: str) -> float | None:
    """The days in a unit word, singular or plural ("weeks", "mes", "meses"), or None."""
    days = UNIT_DAYS.get(word)
    return UNIT_DAYS.get(word.rstrip("s")) if days is None else days


def number_value(token: Token) -> float | None:
    """Return the value of a number token ("3", "3.5", "three", "a", "~3"), or None."""
    text = token.norm_.lstrip("~")
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    try:
        return float(text)
    except ValueError:
        return None


def ordinal_day(token: Token) -> int | None:
    """Return the day of an ordinal ("3rd" -> 3), or None."""
    text = token.norm_
    if text[-2:] in _ORDINAL_ENDINGS and text[:-2].isdecimal() and 1 <= int(text[:-2]) <= 31:
        return int(text[:-2])
    return None


def weekday_days(name: str, today: dt.date) -> int:
    """Days back from ``today`` to the last such weekday (1-7)."""
    back = (today.weekday() - WEEKDAY_NAMES[name]) % 7
    return back or 7


def days_to_middle(first: dt.date, last: dt.date, today: dt.date) -> int | None:
    """Days back to the middle of the period [first, last], counting only its days up to today.

    None if the period starts after today.
    """
    if first > today:
        return None
    last = max(first, min(last, today))
    return (today - (first + (last - first) // 2)).days


def month_length(year: int, month: int) -> int:
    """Number of days in a month."""
    return calendar.monthrange(year, month)[1]
