"""Read "how long ago was the procedure" from a person's words.

When the intake leaves ``days_since_procedure`` empty, people often say it in
their own way: "3 weeks ago", "a year and a half ago", "9 days after my nose
job", "yesterday", "last Tuesday", "day 4 after my facelift", "a fortnight
ago", "2/52 post op", "on 12 May", "back in March", "in the spring", "over the
weekend". Only a time expression in a sentence that also names a procedure
counts ("Two weeks ago I had a bad flu" says nothing about the filler), and
expressions tied to the procedure by "after", "since", "post" or "ago" are
preferred to a bare "today". Words that say only that it was long ago ("ages
ago", "a while ago") or a date that reads two ways ("12/05") give no answer
rather than a guess. Spanish is read the same way ("hace 3 semanas", "hace
mes y medio", "tengo 5 dias de operada", "la semana pasada", "el lunes",
"antier"; "desde hace 3 dias" is how long, not when), words compared without
accents. This is language, not clinical knowledge: units, number words and
calendar words only.

Calendar dates with a month name or in figures ("12 May", "May 12th", "12th
of May 2025", "25/05") are read by dateparser, with settings pinned so that
the same words and ``today`` give the same answer on any machine (no clock,
no local time zone). It is called only on words this module has already
found to be a date (a month name next to a day, a year, or a word such as
"on", "in", "since", "last"), never on a whole sentence: on its own it reads
"may", "march", "sun", "second" and "in 2" as dates. Relative words and
idioms stay with the token reader below, because dateparser misreads them
("on the 3rd" as March, "a month and a half ago" as a month, "3 wks ago" not
at all) or does not know them ("over the weekend", "in the spring"). A named
period without a day ("in March", "in the spring", "over the weekend") counts
from its middle day, or from the middle of its days so far if it has not
ended, as "since 2014" counts from the middle of that year. Seasons are the
northern hemisphere's three-month seasons (spring is March to May).

This module reads amounts ("3 weeks ago", "2/52 post op") and puts the readings
together; fixed phrases are in :mod:`reconsult.triage.timing_idioms`, calendar
words in :mod:`reconsult.triage.timing_dates`, and the number words, units and
ranks they share in :mod:`reconsult.triage.timing_words`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reconsult.triage.timing_dates import calendar_at
from reconsult.triage.timing_idioms import PHRASES, phrase_at
from reconsult.triage.timing_words import (
    NUMBER_WORDS,
    RANK_AGO,
    RANK_BARE,
    RANK_DURATION,
    RANK_TIED,
    UNKNOWN,
    number_value,
    ordinal_day,
    unit_days,
    unit_word_days,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Clinical shorthand: "2/52" is two weeks, "10/7" ten days, "3/12" three months.
_FRACTION_UNIT_DAYS = {"7": 1.0, "52": 7.0, "12": 30.4}
_GLUED = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_BARE_WORDS = {
    "today": 0,
    "tonight": 0,
    "yesterday": 1,
    "hoy": 0,
    "ayer": 1,
    "anoche": 1,
    "antier": 2,
    "anteayer": 2,
    "antenoche": 2,
}
_THIS_PARTS = {"morning", "afternoon", "evening", "night"}
_LAST_UNITS = {"night": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
# Spanish puts "last" after the unit: "la semana pasada", "el mes pasado".
_UNITS_PASADO = {"semana": 7, "quincena": 15, "mes": 30, "ano": 365}
_PASADO = {"pasado", "pasada"}
_YEAR_CUES = {"in", "since", "from", "back"}
_TIED_AFTER = {"after", "post", "since", "out", "later", "postop", "post-op", "po", "despues"}
_TIED_BEFORE = {"ago", "back"}
# Spanish says "ago" before the amount: "hace 3 semanas" (but "desde hace 3 dias" is how
# long); "5 dias de operada" is five days after the operation.
_AGO_BEFORE = {"hace"}
_SINCE_BEFORE = {"desde"}
_OPERATED = {"operada", "operado", "operacion", "cirugia", "postoperatorio", "post", "postop"}
_FOR = {"for", "past", "last", "durante", "por"}
# Words quoted with the amount they follow ("3 weeks ago", "6 weeks post op").
_QUOTED_AFTER = {"ago", "back", "later", "post", "postop", "po"}
_OPERATION_WORDS = {"op", "operative", "operatively", "operation"}  # "post op" (from "post-op")
# "about 10 days": quoted with the amount, not read as part of it.
_HEDGES = set(
    "about around nearly almost roughly approximately approx over under just maybe like only"
    " some como casi aproximadamente aprox alrededor apenas solo mas menos o unos unas".split()
)


@dataclass(frozen=True)
class TimeExpression:
    """A time expression found in the words, converted to days before today."""

    days: int
    text: str
    start: int  # character offsets into the text
    end: int
    rank: int


def _and_a_half(doc: Doc, i: int) -> int:
    """How many tokens from ``i`` read "and a half" ("y medio", "y media"): 0 if none."""
    if [t.norm_ for t in doc[i : i + 3]] == ["and", "a", "half"]:
        return 3
    if [t.norm_ for t in doc[i : i + 2]] in (["y", "medio"], ["y", "media"]):
        return 2
    return 0


def _fraction(doc: Doc, i: int, sentence: Span) -> float | None:
    """Read clinical shorthand "2/52 post op" (weeks), "10/7 ago" (days): days, or None.

    Only when a tie word follows, so a date ("3/12") or a score ("8/10") is not read.
    """
    parts = doc[i].norm_.split("/")
    if len(parts) != 2 or not parts[0].isdecimal() or parts[1] not in _FRACTION_UNIT_DAYS:
        return None
    if i + 1 >= sentence.end or doc[i + 1].norm_ not in _TIED_AFTER | _TIED_BEFORE:
        return None
    return int(parts[0]) * _FRACTION_UNIT_DAYS[parts[1]]


def _quantity_at(doc: Doc, i: int, sentence: Span) -> tuple[float, int] | None:
    """Read "<number> [and a half] [of] <unit> [and a half]" at token ``i``.

    Returns (days, index after the expression) or None.
    """
    fraction = _fraction(doc, i, sentence)
    if fraction is not None:
        return fraction, i + 1
    glued = _GLUED.match(doc[i].norm_)  # "10days", "3wks"
    unit = unit_word_days(glued.group(2)) if glued else None
    if glued and unit is not None:
        return float(glued.group(1)) * unit, i + 1
    value = number_value(doc[i])
    j = i + 1
    if value is None:
        # "hace mes y medio", "hace ano y medio": Spanish may leave out the "one".
        if i == sentence.start or doc[i - 1].norm_ not in _AGO_BEFORE or unit_days(doc[i]) is None:
            return None
        value, j = 1.0, i
    if j < sentence.end and doc[j].norm_ == "of":  # "a couple of weeks"
        j += 1
    if j < sentence.end and doc[j].norm_ in ("few", "couple", "par"):  # "a few days"
        value = NUMBER_WORDS[doc[j].norm_]
        j += 1
        if j < sentence.end and doc[j].norm_ in ("of", "de"):  # "un par de semanas"
            j += 1
    half = 0.0
    if _and_a_half(doc, j):
        half, j = 0.5, j + _and_a_half(doc, j)
    if j >= sentence.end:
        return None
    unit = unit_days(doc[j])
    if unit is None:
        return None
    j += 1
    if _and_a_half(doc, j):  # "mes y medio"
        half, j = 0.5, j + _and_a_half(doc, j)
    return (value + half) * unit, j


def _year(token: Token, today: dt.date) -> int | None:
    """Return a plausible past year written as four digits ("2014"), or None."""
    text = token.text
    if len(text) == 4 and text.isdecimal() and 1950 <= int(text) <= today.year:
        return int(text)
    return None


def _suffix_end(doc: Doc, j: int, sentence: Span) -> int:
    """Index after the words quoted with an amount: "ago", "back", "later", "post [op]"."""
    if j < sentence.end and doc[j].norm_ in _QUOTED_AFTER:
        j += 1
        if doc[j - 1].norm_ == "post" and j < sentence.end and doc[j].norm_ in _OPERATION_WORDS:
            j += 1
    return j


def _hedge_start(doc: Doc, i: int, sentence: Span) -> int:
    """Index of the first hedge word ("about", "just over") right before token ``i``."""
    while i > sentence.start and doc[i - 1].norm_ in _HEDGES:
        i -= 1
    return i


def _amount_place(doc: Doc, start: int, j: int, sentence: Span) -> tuple[int, int, int]:
    """Where an amount that runs from ``start`` to ``j`` points: its quote and its rank.

    "3 weeks ago", "hace 3 semanas": when; "for 3 days", "desde hace 3 dias": how long;
    "9 days after", "5 dias de operada": tied to the procedure.
    """
    before = doc[start - 1].norm_ if start > sentence.start else ""
    after = doc[j].norm_ if j < sentence.end else ""
    then = doc[j + 1].norm_ if j + 1 < sentence.end else ""
    if before in _AGO_BEFORE:
        start -= 1  # "hace" is quoted with the amount
        since = doc[start - 1].norm_ if start > sentence.start else ""
        return start, j, RANK_DURATION if since in _SINCE_BEFORE else RANK_AGO
    if before in _FOR:
        return start, _suffix_end(doc, j, sentence), RANK_DURATION  # how long, not when
    if after in _TIED_AFTER or (after == "-" and j + 1 < sentence.end):
        return start, _suffix_end(doc, j, sentence), RANK_TIED
    if after == "de" and then in _OPERATED:
        return start, j + 2, RANK_TIED  # "5 dias de operada"
    if after in _TIED_BEFORE:
        return start, _suffix_end(doc, j, sentence), RANK_AGO
    return start, _suffix_end(doc, j, sentence), RANK_DURATION


# --- Putting it together -------------------------------------------------------------------


def _expressions(doc: Doc, sentence: Span, today: dt.date) -> Iterable[TimeExpression]:
    """Yield every time expression in one sentence."""
    i = sentence.start
    while i < sentence.end:
        token = doc[i]
        norm = token.norm_
        phrase = phrase_at(doc, i, sentence)
        if phrase is not None:
            days_for, rank = PHRASES[phrase[0]]
            phrase_days = days_for(today)
            if phrase_days is not None:
                yield _make(doc, i, phrase[1], float(phrase_days), rank)
            i = phrase[1]
            continue
        quantity = _quantity_at(doc, i, sentence)
        if quantity is not None:
            days, j = quantity
            start, end, rank = _amount_place(doc, _hedge_start(doc, i, sentence), j, sentence)
            yield _make(doc, start, end, days, rank)
            i = j
            continue
        if norm == "day" and i + 1 < sentence.end and number_value(doc[i + 1]) is not None:
            end = _suffix_end(doc, i + 2, sentence)  # "day 5 post op"
            yield _make(doc, i, end, number_value(doc[i + 1]) or 0.0, RANK_TIED)
            i += 2
            continue
        dated = calendar_at(doc, i, sentence, today)
        if dated is not None:
            days_or_none, start, end = dated
            if days_or_none is not None:
                yield _make(doc, start, end, float(days_or_none), RANK_AGO)
            i = end
            continue
        year = _year(token, today)
        if year is not None and i > sentence.start and doc[i - 1].norm_ in _YEAR_CUES:
            # "since 2014": the middle of that year, or its start if that is still ahead.
            middle = dt.date(year, 7, 1)
            counted_from = middle if middle <= today else dt.date(year, 1, 1)
            yield _make(doc, i - 1, i + 1, float((today - counted_from).days), RANK_DURATION)
        elif norm in _BARE_WORDS:
            yield _make(doc, i, i + 1, float(_BARE_WORDS[norm]), RANK_BARE)
        elif norm == "this" and i + 1 < sentence.end and doc[i + 1].norm_ in _THIS_PARTS:
            yield _make(doc, i, i + 2, 0.0, RANK_BARE)
        elif norm == "last" and i + 1 < sentence.end and doc[i + 1].norm_ in _LAST_UNITS:
            yield _make(doc, i, i + 2, float(_LAST_UNITS[doc[i + 1].norm_]), RANK_AGO)
        elif norm in _UNITS_PASADO and i + 1 < sentence.end and doc[i + 1].norm_ in _PASADO:
            yield _make(doc, i, i + 2, float(_UNITS_PASADO[norm]), RANK_AGO)
        i += 1


def _make(doc: Doc, start: int, end: int, days: float, rank: int) -> TimeExpression:
    """Build a TimeExpression for tokens [start, end)."""
    span = doc[start:end]
    return TimeExpression(
        days=round(days), text=span.text, start=span.start_char, end=span.end_char, rank=rank
    )


def expressions_in(doc: Doc, sentence: Span, today: dt.date) -> list[TimeExpression]:
    """Return every time expression in one sentence that gives a number of days."""
    return [e for e in _expressions(doc, sentence, today) if e.days != UNKNOWN]


def days_from_words(doc: Doc, sentences: list[Span], today: dt.date) -> TimeExpression | None:
    """Return the time expression that dates the procedure, or None if the words don't say.

    ``sentences`` are the sentences that name a procedure; only those are
    searched. If the best expression
    says only "long ago" or is a date that reads two ways, the answer is None;
    at the same rank, an expression with days wins over one without.
    """

    def preference(expression: TimeExpression) -> tuple[int, bool]:
        return expression.rank, expression.days == UNKNOWN

    best: TimeExpression | None = None
    for sentence in sentences:
        for expression in _expressions(doc, sentence, today):
            if best is None or preference(expression) < preference(best):
                best = expression
    if best is not None and best.days == UNKNOWN:
        return None
    return best


def number_of(token: Token) -> float | None:
    """Return the value of a number token ("3", "three"), or None (for other modules)."""
    return None if token.norm_ in {"a", "an"} else number_value(token)


def ordinal_of(token: Token) -> int | None:
    """Return the value of an ordinal in figures ("3rd" -> 3), or None (for other modules)."""
    return ordinal_day(token)
