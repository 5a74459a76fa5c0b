"""Calendar words: dates, months, weekdays and seasons ("on 12 May", "back in March").

Dates with a month name or in figures are read by dateparser, with every
setting pinned (see :mod:`reconsult.triage.timing` for why, and when it is
called); weekdays, a day alone ("on the 3rd") and seasons are read here. A named
period without a day counts from its middle day, or from the middle of its days
so far if it has not ended.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from reconsult.triage.timing_words import (
    UNKNOWN,
    WEEKDAY_NAMES,
    days_to_middle,
    month_length,
    ordinal_day,
    unit_days,
    weekday_days,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# Words that make the next words a date ("on 12 May", "back in March", "since Tuesday").
_CUES = set(
    "back in on since from last early mid late during end beginning start middle this past"
    " of at the el desde este".split()
)
_QUIET_CUES = {"of", "at", "the"}  # allowed between cue words, never enough alone
# Which cue words make which words a date ("this may be normal" is not May).
_MONTH_CUES = _CUES - _QUIET_CUES - {"on", "this", "past"}
_WEEKDAY_CUES = {"on", "last", "since", "from", "this", "past", "el", "desde", "este"}
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

# dateparser: English now; issue 18 adds "es" here and Spanish cue words above.
_LANGUAGES = ("en",)


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


def _day(doc: Doc, k: int, sentence: Span) -> bool:
    """Return whether token ``k`` is a day of the month ("12", "12th"), not an amount."""
    if k >= sentence.end:
        return False
    if ordinal_day(doc[k]) is not None:
        return True
    text = doc[k].norm_
    if not (text.isdecimal() and 1 <= int(text) <= 31):
        return False
    return not (k + 1 < sentence.end and unit_days(doc[k + 1]) is not None)  # "May 2 weeks"


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
            if day <= month_length(year, month):
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
        last_day = min(high, month_length(year, first.month))
        return dt.date(year, first.month, low), dt.date(year, first.month, last_day)

    start, end = period(first.year)
    if "last" in cues and not year_given and end >= today:  # "last May" in May: a year ago
        start, end = period(first.year - 1)
    return days_to_middle(start, end, today)


def _season_days(name: str, cues: list[str], today: dt.date) -> int | None:
    """Days back to the middle of the latest such season ("last" means one that has ended)."""
    month = _SEASON_START[name]
    year = today.year if dt.date(today.year, month, 1) <= today else today.year - 1
    for _ in range(2):
        start = dt.date(year, month, 1)
        end_month, end_year = (month + 2, year) if month <= 10 else (month - 10, year + 1)
        end = dt.date(end_year, end_month, month_length(end_year, end_month))
        if "last" not in cues or end < today:
            return days_to_middle(start, end, today)
        year -= 1
    return None


def calendar_at(  # noqa: C901 (one branch per calendar form (weekday, month and day, "the 3rd"...))
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
            return UNKNOWN, quote, j + 1
        found = _parse_date(doc[j].norm_, today, order)
        return (None if found is None else (today - found[0]).days), quote, j + 1

    k = j
    weekday = _name(doc[k]) if _name(doc[k]) in WEEKDAY_NAMES else None
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
    day = ordinal_day(doc[core]) if core < end_limit else None
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
        days = weekday_days(weekday, today)
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
