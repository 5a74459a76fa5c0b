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
rather than a guess. This is language, not clinical knowledge: units, number
words and calendar words only.

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
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_NUMBER_WORDS = {
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
}
_UNIT_DAYS = {
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
}
# Clinical shorthand: "2/52" is two weeks, "10/7" ten days, "3/12" three months.
_FRACTION_UNIT_DAYS = {"7": 1.0, "52": 7.0, "12": 30.4}
_GLUED = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_BARE_WORDS = {"today": 0, "tonight": 0, "yesterday": 1}
_THIS_PARTS = {"morning", "afternoon", "evening", "night"}
_LAST_UNITS = {"night": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_YEAR_CUES = {"in", "since", "from", "back"}
_TIED_AFTER = {"after", "post", "since", "out", "later", "postop", "post-op", "po"}
_TIED_BEFORE = {"ago", "back"}
# Words quoted with the amount they follow ("3 weeks ago", "6 weeks post op").
_QUOTED_AFTER = {"ago", "back", "later", "post", "postop", "po"}
_OPERATION_WORDS = {"op", "operative", "operatively", "operation"}  # "post op" (from "post-op")
# "about 10 days": quoted with the amount, not read as part of it.
_HEDGES = set(
    "about around nearly almost roughly approximately approx over under just maybe like only"
    " some".split()
)

# Calendar words. Abbreviations are read only after a cue word ("on sat", never "my sun damage").
_MONTH_NAMES = (
    "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug"
    "|september sep sept|october oct|november nov|december dec"
)
_MONTHS = {  # "Dec" and "Dec."
    v: m
    for m, names in enumerate(_MONTH_NAMES.split("|"), 1)
    for n in names.split()
    for v in (n, n + ".")
}
_DAY_NAMES = (
    "monday mon|tuesday tue tues|wednesday wed weds|thursday thu thur thurs|friday fri"
    "|saturday sat|sunday sun"
)
_WEEKDAY_NAMES = {
    v: d
    for d, names in enumerate(_DAY_NAMES.split("|"))
    for n in names.split()
    for v in (n, n + ".")
}
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_ORDINAL_ENDINGS = {"st", "nd", "rd", "th"}
# Words that make the next words a date ("on 12 May", "back in March", "since Tuesday").
_CUES = set(
    "back in on since from last early mid late during end beginning start middle this past"
    " of at the".split()
)
_QUIET_CUES = {"of", "at", "the"}  # allowed between cue words, never enough alone
# Which cue words make which words a date ("this may be normal" is not May).
_MONTH_CUES = _CUES - _QUIET_CUES - {"on", "this", "past"}
_WEEKDAY_CUES = {"on", "last", "since", "from", "this", "past"}
_DAY_CUES = {"on", "since", "from"}
_SEASON_CUES = {"in", "last", "this", "during", "since", "back", "from"}
_PRONOUNS = {"i", "you", "we", "they", "he", "she", "it"}
_EARLY, _MID, _LATE = (1, 10), (11, 20), (21, 31)
_PART_OF_MONTH = {
    "early": _EARLY,
    "beginning": _EARLY,
    "start": _EARLY,
    "mid": _MID,
    "middle": _MID,
    "late": _LATE,
    "end": _LATE,
}
# After a day ("on the 3rd ..."), a word that shows it is not a date ("the 3rd time").
_AFTER_ORDINAL_OK = {"and", "but", "so", "when", "then", "i", "my", "it", "at", "in", "this"}
_OLDEST_YEAR = 1926  # an earlier date is a typing slip, not a procedure

# Preference when several expressions could date the procedure: lower is better.
_RANK_TIED = 0
_RANK_AGO = 1
_RANK_DURATION = 2
_RANK_BARE = 3
_RANK_FLOOR = 4  # "years ago": at least two years, used only when nothing says more

# Days of an expression that says only "long ago" ("ages ago") or a date that reads two
# ways ("12/05"): it still wins over weaker expressions, then gives no answer.
_UNKNOWN = -1

# dateparser: English now; issue 18 adds "es" here and Spanish cue words above.
_LANGUAGES = ("en",)


@dataclass(frozen=True)
class TimeExpression:
    """A time expression found in the words, converted to days before today."""

    days: int
    text: str
    start: int  # character offsets into the text
    end: int
    rank: int


def _unit(token: Token) -> float | None:
    """Return the number of days in one unit word ("weeks" -> 7), or None."""
    return _UNIT_DAYS.get(token.norm_.rstrip("s"))


def _number(token: Token) -> float | None:
    """Return the value of a number token ("3", "3.5", "three", "a", "~3"), or None."""
    text = token.norm_.lstrip("~")
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    try:
        return float(text)
    except ValueError:
        return None


def _and_a_half(doc: Doc, i: int) -> bool:
    """Return whether tokens from ``i`` read "and a half"."""
    return [t.norm_ for t in doc[i : i + 3]] == ["and", "a", "half"]


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
    if glued and _UNIT_DAYS.get(glued.group(2).rstrip("s")) is not None:
        return float(glued.group(1)) * _UNIT_DAYS[glued.group(2).rstrip("s")], i + 1
    value = _number(doc[i])
    if value is None:
        return None
    j = i + 1
    if j < sentence.end and doc[j].norm_ == "of":  # "a couple of weeks"
        j += 1
    if j < sentence.end and doc[j].norm_ in ("few", "couple"):  # "a few days"
        value = _NUMBER_WORDS[doc[j].norm_]
        j += 1
        if j < sentence.end and doc[j].norm_ == "of":
            j += 1
    half = 0.0
    if _and_a_half(doc, j):
        half, j = 0.5, j + 3
    if j >= sentence.end:
        return None
    unit = _unit(doc[j])
    if unit is None:
        return None
    j += 1
    if _and_a_half(doc, j):
        half, j = 0.5, j + 3
    return (value + half) * unit, j


def _year(token: Token, today: dt.date) -> int | None:
    """Return a plausible past year written as four digits ("2014"), or None."""
    text = token.text
    if len(text) == 4 and text.isdecimal() and 1950 <= int(text) <= today.year:
        return int(text)
    return None


def _weekday_days(name: str, today: dt.date) -> int:
    """Days back from ``today`` to the last such weekday (1-7)."""
    back = (today.weekday() - _WEEKDAY_NAMES[name]) % 7
    return back or 7


def _middle(first: dt.date, last: dt.date, today: dt.date) -> int | None:
    """Days back to the middle of the period [first, last], counting only its days up to today.

    None if the period starts after today.
    """
    if first > today:
        return None
    last = max(first, min(last, today))
    return (today - (first + (last - first) // 2)).days


def _month_days(year: int, month: int) -> int:
    """Number of days in a month."""
    return calendar.monthrange(year, month)[1]


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


# --- Idioms: fixed phrases the token reader knows whole ------------------------------------


def _weekend(today: dt.date) -> int | None:
    """The last weekend that began before today."""
    saturday = today - dt.timedelta(days=_weekday_days("saturday", today))
    return _middle(saturday, saturday + dt.timedelta(days=1), today)


def _this_week(today: dt.date) -> int | None:
    """Earlier this week (weeks start on Monday): the middle of Monday to yesterday."""
    if today.weekday() == 0:
        return 0
    monday = today - dt.timedelta(days=today.weekday())
    return _middle(monday, today - dt.timedelta(days=1), today)


def _fixed(days: int) -> Callable[[dt.date], int | None]:
    """A phrase that always means the same number of days."""
    return lambda _today: days


def _yearly(month: int, day: int) -> Callable[[dt.date], int | None]:
    """A day that comes every year ("at Christmas"): its last time on or before today."""

    def days(today: dt.date) -> int | None:
        date = dt.date(today.year, month, day)
        if date > today:
            date = dt.date(today.year - 1, month, day)
        return (today - date).days

    return days


def _easter(today: dt.date) -> int | None:
    """The last Easter Sunday on or before today (Western, as calendars print it)."""
    from dateutil.easter import easter

    date = easter(today.year)
    if date > today:
        date = easter(today.year - 1)
    return (today - date).days


def _thanksgiving(today: dt.date) -> int | None:
    """The last US Thanksgiving (fourth Thursday of November) on or before today."""

    def of(year: int) -> dt.date:
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)

    date = of(today.year) if of(today.year) <= today else of(today.year - 1)
    return (today - date).days


_PHRASES: dict[tuple[str, ...], tuple[Callable[[dt.date], int | None], int]] = {
    # Days that come every year: "since Christmas", "around Easter", "at new year".
    ("christmas",): (_yearly(12, 25), _RANK_AGO),
    ("xmas",): (_yearly(12, 25), _RANK_AGO),
    ("new", "year", "'s"): (_yearly(1, 1), _RANK_AGO),
    ("new", "years"): (_yearly(1, 1), _RANK_AGO),
    ("new", "year"): (_yearly(1, 1), _RANK_AGO),
    ("valentine", "'s"): (_yearly(2, 14), _RANK_AGO),
    ("valentines",): (_yearly(2, 14), _RANK_AGO),
    ("halloween",): (_yearly(10, 31), _RANK_AGO),
    ("easter",): (_easter, _RANK_AGO),
    ("thanksgiving",): (_thanksgiving, _RANK_AGO),
    ("the", "day", "before", "yesterday"): (_fixed(2), _RANK_AGO),
    ("day", "before", "yesterday"): (_fixed(2), _RANK_AGO),
    ("the", "other", "day"): (_fixed(3), _RANK_AGO),  # vague: "a few days", as "a few days ago"
    ("earlier", "today"): (_fixed(0), _RANK_BARE),
    ("over", "the", "weekend"): (_weekend, _RANK_AGO),
    ("at", "the", "weekend"): (_weekend, _RANK_AGO),
    ("on", "the", "weekend"): (_weekend, _RANK_AGO),
    ("last", "weekend"): (_weekend, _RANK_AGO),
    ("this", "past", "weekend"): (_weekend, _RANK_AGO),
    ("earlier", "this", "week"): (_this_week, _RANK_AGO),
    ("earlier", "in", "the", "week"): (_this_week, _RANK_AGO),
    ("this", "week"): (_this_week, _RANK_AGO),
    # Only "long ago": no number of days can be read from these.
    ("a", "while", "ago"): (_fixed(_UNKNOWN), _RANK_AGO),
    ("a", "while", "back"): (_fixed(_UNKNOWN), _RANK_AGO),
    ("ages", "ago"): (_fixed(_UNKNOWN), _RANK_AGO),
    ("ages", "back"): (_fixed(_UNKNOWN), _RANK_AGO),
    ("a", "long", "time", "ago"): (_fixed(_UNKNOWN), _RANK_AGO),
    ("a", "long", "while", "ago"): (_fixed(_UNKNOWN), _RANK_AGO),
    ("some", "time", "ago"): (_fixed(_UNKNOWN), _RANK_AGO),
    # "Years ago" and "months ago" say at least two of them: a floor, not a guess.
    ("many", "years", "ago"): (_fixed(730), _RANK_FLOOR),
    ("years", "ago"): (_fixed(730), _RANK_FLOOR),
    ("months", "ago"): (_fixed(60), _RANK_FLOOR),
}
_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _words in sorted(_PHRASES, key=len, reverse=True):
    _PHRASES_BY_FIRST.setdefault(_words[0], []).append(_words)


def _phrase_at(doc: Doc, i: int, sentence: Span) -> tuple[tuple[str, ...], int] | None:
    """Return the longest idiom starting at token ``i`` and the index after it, or None."""
    for words in _PHRASES_BY_FIRST.get(doc[i].norm_, ()):
        end = i + len(words)
        if end <= sentence.end and tuple(t.norm_ for t in doc[i:end]) == words:
            return words, end
    return None


# --- Calendar words: dates, months, weekdays, seasons ----------------------------------------


@functools.lru_cache(maxsize=8)
def _date_parser(today: dt.date, date_order: str) -> Any:
    """A dateparser reader for one 'today' and day/month order, with every setting pinned.

    Imported here, not at the top: most descriptions never name a date, and the first
    import and parse cost ~0.2 s (measured in docs/decisions.md).
    """
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

    settings = {
        "RELATIVE_BASE": dt.datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": date_order,
        # Never the machine's clock or zone: the defaults for a day or month left out
        # ("current") and for zones ("local") read them.
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_MONTH_OF_YEAR": "first",
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
        # Absolute dates only; relative words are read by this module.
        "PARSERS": ["absolute-time"],
        "REQUIRE_PARTS": ["month"],
    }
    return DateDataParser(languages=list(_LANGUAGES), settings=settings)


def _parse_date(text: str, today: dt.date, date_order: str = "DMY") -> tuple[dt.date, str] | None:
    """Return (date, "day" or "month") for calendar words ("12 May", "March 2025"), or None."""
    data = _date_parser(today, date_order).get_date_data(text)
    if data.date_obj is None or data.date_obj.year < _OLDEST_YEAR:
        return None
    return data.date_obj.date(), data.period


def _numeric_order(text: str) -> str | None:
    """Day/month order of a date in figures ("25/05" DMY, "05/25" MDY), "" if it reads both ways.

    None if the token is not a date in figures.
    """
    parts = text.split("/")
    if len(parts) not in (2, 3) or not all(p.isdecimal() for p in parts):
        return None
    if len(parts) == 3 and len(parts[2]) not in (2, 4):
        return None
    first, second = int(parts[0]), int(parts[1])
    if not (1 <= first <= 31 and 1 <= second <= 31) or (first > 12 and second > 12):
        return None
    if first == second or second <= 12 < first:
        return "DMY"
    if first <= 12 < second:
        return "MDY"
    return ""


def _name(token: Token) -> str:
    """The token's normal form in lower case (spaCy normalises "Dec." to "December")."""
    return token.norm_.lower()


def _ordinal(token: Token) -> int | None:
    """Return the day of an ordinal ("3rd" -> 3), or None."""
    text = token.norm_
    if text[-2:] in _ORDINAL_ENDINGS and text[:-2].isdecimal() and 1 <= int(text[:-2]) <= 31:
        return int(text[:-2])
    return None


def _day(doc: Doc, k: int, sentence: Span) -> bool:
    """Return whether token ``k`` is a day of the month ("12", "12th"), not an amount."""
    if k >= sentence.end:
        return False
    if _ordinal(doc[k]) is not None:
        return True
    text = doc[k].norm_
    if not (text.isdecimal() and 1 <= int(text) <= 31):
        return False
    return not (k + 1 < sentence.end and _unit(doc[k + 1]) is not None)  # "May 2 weeks"


def _is_year(doc: Doc, k: int, sentence: Span) -> bool:
    """Return whether token ``k`` is a four-digit year."""
    return k < sentence.end and len(doc[k].text) == 4 and doc[k].text.isdecimal()


def _year_after(doc: Doc, k: int, sentence: Span) -> int:
    """Index after an optional year ("2025" or ", 2025") at token ``k``."""
    if _is_year(doc, k, sentence):
        return k + 1
    if k < sentence.end and doc[k].norm_ == "," and _is_year(doc, k + 1, sentence):
        return k + 2
    return k


def _recent_day_of_month(day: int, today: dt.date, months_back: int | None) -> dt.date | None:
    """The last date before today that fell on this day of the month ("the 3rd").

    ``months_back`` fixes the month (0 this month, 1 last month); None takes the latest.
    """
    year, month = today.year, today.month
    for back in range(13):
        if months_back is None or back == months_back:
            if day <= _month_days(year, month):
                date = dt.date(year, month, day)
                if date <= today:
                    return date
            if months_back is not None:
                return None
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _month_period(first: dt.date, cues: list[str], year_given: bool, today: dt.date) -> int | None:
    """Days back to a month named without a day ("in March", "early May", "last June")."""
    low, high = next((_PART_OF_MONTH[c] for c in cues if c in _PART_OF_MONTH), (1, 31))

    def period(year: int) -> tuple[dt.date, dt.date]:
        last_day = min(high, _month_days(year, first.month))
        return dt.date(year, first.month, low), dt.date(year, first.month, last_day)

    start, end = period(first.year)
    if "last" in cues and not year_given and end >= today:  # "last May" in May: a year ago
        start, end = period(first.year - 1)
    return _middle(start, end, today)


def _season_days(name: str, cues: list[str], today: dt.date) -> int | None:
    """Days back to the middle of the latest such season ("last" means one that has ended)."""
    month = _SEASON_START[name]
    year = today.year if dt.date(today.year, month, 1) <= today else today.year - 1
    for _ in range(2):
        start = dt.date(year, month, 1)
        end_month, end_year = (month + 2, year) if month <= 10 else (month - 10, year + 1)
        end = dt.date(end_year, end_month, _month_days(end_year, end_month))
        if "last" not in cues or end < today:
            return _middle(start, end, today)
        year -= 1
    return None


def _calendar_at(
    doc: Doc, i: int, sentence: Span, today: dt.date
) -> tuple[int | None, int, int] | None:
    """Read a date at token ``i``: "on 12 May", "back in March", "last Thursday week", ...

    Returns (days or None if it names no usable date, start and end token of the quote),
    or None if there is no date here.
    """
    end_limit = sentence.end
    j = i
    while j < end_limit and doc[j].norm_ in _CUES and j - i < 4:
        j += 1
    cues = [t.norm_ for t in doc[i:j]]
    quote = next((i + n for n, c in enumerate(cues) if c not in _QUIET_CUES), j)
    if j >= end_limit:
        return None
    if j > sentence.start and doc[j - 1].norm_ in _PRONOUNS:
        return None  # "I may", "I march on"

    # A date in figures: "on 25/05", "25/05/2025". Without a year it needs a cue word
    # (not "8/10 pain"); day and month both 12 or under read two ways and are not guessed.
    order = _numeric_order(doc[j].norm_)
    if order is not None and (_DAY_CUES & set(cues) or doc[j].norm_.count("/") == 2):
        if order == "":
            return _UNKNOWN, quote, j + 1
        found = _parse_date(doc[j].norm_, today, order)
        return (None if found is None else (today - found[0]).days), quote, j + 1

    k = j
    weekday = _name(doc[k]) if _name(doc[k]) in _WEEKDAY_NAMES else None
    if weekday is not None:
        k += 1
        if k < end_limit and doc[k].norm_ == ",":
            k += 1
    core = k + 1 if k < end_limit and doc[k].norm_ == "the" else k  # "the 12th", "Tuesday the"

    # Day then month: "12 May", "the 12th of May 2025". Month then day: "May 12th", "May 2025".
    month_at = None
    if _day(doc, core, sentence):
        after_day = core + 2 if core + 1 < end_limit and doc[core + 1].norm_ == "of" else core + 1
        if after_day < end_limit and _name(doc[after_day]) in _MONTHS:
            month_at, end = after_day, _year_after(doc, after_day + 1, sentence)
    elif core == k and k < end_limit and _name(doc[k]) in _MONTHS:
        month_at = end = k + 1
        if end < end_limit and doc[end].norm_ == "the" and _day(doc, end + 1, sentence):
            end += 2
        elif _day(doc, end, sentence):
            end += 1
        end = _year_after(doc, end, sentence)
        if end == k + 1 and not _MONTH_CUES & set(cues) and weekday is None:
            return None  # a month name alone: "May I ask", "this may be normal"
    if month_at is not None:
        found = _parse_date(doc[k:end].text, today)
        if found is None:
            return None, quote, end
        date, period = found
        if period == "month":
            year_given = any(_is_year(doc, n, sentence) for n in range(k, end))
            return _month_period(date, cues, year_given, today), quote, end
        return (None if date > today else (today - date).days), quote, end

    # A day alone: "on the 3rd", "on the 3rd of last month" (dateparser reads "3rd" as March).
    day = _ordinal(doc[core]) if core < end_limit else None
    if day is not None and _DAY_CUES & set(cues) and weekday is None:
        end, months_back = core + 1, None
        words = [t.norm_ for t in doc[end : end + 3]]
        if words in (["of", "this", "month"], ["of", "last", "month"]):
            end, months_back = end + 3, 0 if words[1] == "this" else 1
        elif end < end_limit and doc[end].is_alpha and doc[end].norm_ not in _AFTER_ORDINAL_OK:
            return None  # "on the 3rd day", "the 3rd time"
        on_day = _recent_day_of_month(day, today, months_back)
        return (None if on_day is None else (today - on_day).days), quote, end

    # A weekday alone: "on Tuesday", "last Thursday week", "Tuesday before last"; not "in the sun".
    if weekday is not None and _WEEKDAY_CUES & set(cues) and cues[-1] != "the":
        days = _weekday_days(weekday, today)
        end = j + 1
        if end < end_limit and doc[end].norm_ == "week":
            if "last" not in cues:
                return None, quote, end + 1  # "on Tuesday week" is ahead
            days, end = days + 7, end + 1
        elif [t.norm_ for t in doc[end : end + 2]] == ["before", "last"]:
            days, end = days + 7, end + 2
        return days, quote, end

    # A season: "in the spring", "last summer", "in the fall" (not "since the fall" or "a fall").
    season = doc[core].norm_ if core < end_limit else None
    if season in _SEASON_START and _SEASON_CUES & set(cues) and weekday is None:
        if season == "fall" and not ({"last", "this"} & set(cues) or cues[-2:] == ["in", "the"]):
            return None
        return _season_days(season, cues, today), quote, core + 1
    return None


# --- Putting it together -------------------------------------------------------------------


def _expressions(doc: Doc, sentence: Span, today: dt.date) -> Iterable[TimeExpression]:
    """Yield every time expression in one sentence."""
    i = sentence.start
    while i < sentence.end:
        token = doc[i]
        norm = token.norm_
        phrase = _phrase_at(doc, i, sentence)
        if phrase is not None:
            days_for, rank = _PHRASES[phrase[0]]
            phrase_days = days_for(today)
            if phrase_days is not None:
                yield _make(doc, i, phrase[1], float(phrase_days), rank)
            i = phrase[1]
            continue
        quantity = _quantity_at(doc, i, sentence)
        if quantity is not None:
            days, j = quantity
            start = _hedge_start(doc, i, sentence)
            before = doc[start - 1].norm_ if start > sentence.start else ""
            after = doc[j].norm_ if j < sentence.end else ""
            if before in ("for", "past", "last"):
                rank = _RANK_DURATION  # "swollen for 3 days after...": how long, not when
            elif after in _TIED_AFTER or (after == "-" and j + 1 < sentence.end):
                rank = _RANK_TIED
            elif after in _TIED_BEFORE:
                rank = _RANK_AGO
            else:
                rank = _RANK_DURATION
            yield _make(doc, start, _suffix_end(doc, j, sentence), days, rank)
            i = j
            continue
        if norm == "day" and i + 1 < sentence.end and _number(doc[i + 1]) is not None:
            end = _suffix_end(doc, i + 2, sentence)  # "day 5 post op"
            yield _make(doc, i, end, _number(doc[i + 1]) or 0.0, _RANK_TIED)
            i += 2
            continue
        dated = _calendar_at(doc, i, sentence, today)
        if dated is not None:
            days_or_none, start, end = dated
            if days_or_none is not None:
                yield _make(doc, start, end, float(days_or_none), _RANK_AGO)
            i = end
            continue
        year = _year(token, today)
        if year is not None and i > sentence.start and doc[i - 1].norm_ in _YEAR_CUES:
            # "since 2014": the middle of that year, or its start if that is still ahead.
            middle = dt.date(year, 7, 1)
            counted_from = middle if middle <= today else dt.date(year, 1, 1)
            yield _make(doc, i - 1, i + 1, float((today - counted_from).days), _RANK_DURATION)
        elif norm in _BARE_WORDS:
            yield _make(doc, i, i + 1, float(_BARE_WORDS[norm]), _RANK_BARE)
        elif norm == "this" and i + 1 < sentence.end and doc[i + 1].norm_ in _THIS_PARTS:
            yield _make(doc, i, i + 2, 0.0, _RANK_BARE)
        elif norm == "last" and i + 1 < sentence.end and doc[i + 1].norm_ in _LAST_UNITS:
            yield _make(doc, i, i + 2, float(_LAST_UNITS[doc[i + 1].norm_]), _RANK_AGO)
        i += 1


def _make(doc: Doc, start: int, end: int, days: float, rank: int) -> TimeExpression:
    """Build a TimeExpression for tokens [start, end)."""
    span = doc[start:end]
    return TimeExpression(
        days=round(days), text=span.text, start=span.start_char, end=span.end_char, rank=rank
    )


def expressions_in(doc: Doc, sentence: Span, today: dt.date) -> list[TimeExpression]:
    """Return every time expression in one sentence that gives a number of days."""
    return [e for e in _expressions(doc, sentence, today) if e.days != _UNKNOWN]


def days_from_words(doc: Doc, sentences: list[Span], today: dt.date) -> TimeExpression | None:
    """Return the time expression that dates the procedure, or None if the words don't say.

    ``sentences`` are the sentences that name a procedure; only those are
    searched. If the best expression
    says only "long ago" or is a date that reads two ways, the answer is None;
    at the same rank, an expression with days wins over one without.
    """

    def preference(expression: TimeExpression) -> tuple[int, bool]:
        return expression.rank, expression.days == _UNKNOWN

    best: TimeExpression | None = None
    for sentence in sentences:
        for expression in _expressions(doc, sentence, today):
            if best is None or preference(expression) < preference(best):
                best = expression
    if best is not None and best.days == _UNKNOWN:
        return None
    return best


def number_of(token: Token) -> float | None:
    """Return the value of a number token ("3", "three"), or None (for other modules)."""
    return None if token.norm_ in {"a", "an"} else _number(token)


def ordinal_of(token: Token) -> int | None:
    """Return the value of an ordinal in figures ("3rd" -> 3), or None (for other modules)."""
    return _ordinal(token)
