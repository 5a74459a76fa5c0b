"""Idioms of time: fixed phrases read whole ("over the weekend", "since Christmas", "ages ago").

Each phrase gives a number of days back from ``today`` and a rank (see
:mod:`reconsult.triage.timing_words`); a phrase that says only "long ago" gives
``UNKNOWN`` days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from reconsult.triage.timing_words import (
    RANK_AGO,
    RANK_BARE,
    RANK_FLOOR,
    UNKNOWN,
    days_to_middle,
    weekday_days,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


def _weekend(today: dt.date) -> int | None:
    """The last weekend that began before today."""
    saturday = today - dt.timedelta(days=weekday_days("saturday", today))
    return days_to_middle(saturday, saturday + dt.timedelta(days=1), today)


def _this_week(today: dt.date) -> int | None:
    """Earlier this week (weeks start on Monday): the middle of Monday to yesterday."""
    if today.weekday() == 0:
        return 0
    monday = today - dt.timedelta(days=today.weekday())
    return days_to_middle(monday, today - dt.timedelta(days=1), today)


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


PHRASES: dict[tuple[str, ...], tuple[Callable[[dt.date], int | None], int]] = {
    # Days that come every year: "since Christmas", "around Easter", "at new year".
    ("christmas",): (_yearly(12, 25), RANK_AGO),
    ("xmas",): (_yearly(12, 25), RANK_AGO),
    ("new", "year", "'s"): (_yearly(1, 1), RANK_AGO),
    ("new", "years"): (_yearly(1, 1), RANK_AGO),
    ("new", "year"): (_yearly(1, 1), RANK_AGO),
    ("valentine", "'s"): (_yearly(2, 14), RANK_AGO),
    ("valentines",): (_yearly(2, 14), RANK_AGO),
    ("halloween",): (_yearly(10, 31), RANK_AGO),
    ("easter",): (_easter, RANK_AGO),
    ("thanksgiving",): (_thanksgiving, RANK_AGO),
    ("the", "day", "before", "yesterday"): (_fixed(2), RANK_AGO),
    ("day", "before", "yesterday"): (_fixed(2), RANK_AGO),
    ("the", "other", "day"): (_fixed(3), RANK_AGO),  # vague: "a few days", as "a few days ago"
    ("earlier", "today"): (_fixed(0), RANK_BARE),
    ("over", "the", "weekend"): (_weekend, RANK_AGO),
    ("at", "the", "weekend"): (_weekend, RANK_AGO),
    ("on", "the", "weekend"): (_weekend, RANK_AGO),
    ("last", "weekend"): (_weekend, RANK_AGO),
    ("this", "past", "weekend"): (_weekend, RANK_AGO),
    ("earlier", "this", "week"): (_this_week, RANK_AGO),
    ("earlier", "in", "the", "week"): (_this_week, RANK_AGO),
    ("this", "week"): (_this_week, RANK_AGO),
    # Only "long ago": no number of days can be read from these.
    ("a", "while", "ago"): (_fixed(UNKNOWN), RANK_AGO),
    ("a", "while", "back"): (_fixed(UNKNOWN), RANK_AGO),
    ("ages", "ago"): (_fixed(UNKNOWN), RANK_AGO),
    ("ages", "back"): (_fixed(UNKNOWN), RANK_AGO),
    ("a", "long", "time", "ago"): (_fixed(UNKNOWN), RANK_AGO),
    ("a", "long", "while", "ago"): (_fixed(UNKNOWN), RANK_AGO),
    ("some", "time", "ago"): (_fixed(UNKNOWN), RANK_AGO),
    # "Years ago" and "months ago" say at least two of them: a floor, not a guess.
    ("many", "years", "ago"): (_fixed(730), RANK_FLOOR),
    ("years", "ago"): (_fixed(730), RANK_FLOOR),
    ("months", "ago"): (_fixed(60), RANK_FLOOR),
}
_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _words in sorted(PHRASES, key=len, reverse=True):
    _PHRASES_BY_FIRST.setdefault(_words[0], []).append(_words)


def phrase_at(doc: Doc, i: int, sentence: Span) -> tuple[tuple[str, ...], int] | None:
    """Return the longest idiom starting at token ``i`` and the index after it, or None."""
    for words in _PHRASES_BY_FIRST.get(doc[i].norm_, ()):
        end = i + len(words)
        if end <= sentence.end and tuple(t.norm_ for t in doc[i:end]) == words:
            return words, end
    return None
