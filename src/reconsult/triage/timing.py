"""Read "how long ago was the procedure" from a person's words.

When the intake leaves ``days_since_procedure`` empty, people often say it in
their own way: "3 weeks ago", "a year and a half ago", "9 days after my nose
job", "yesterday", "last Tuesday", "day 4 after my facelift". Only a time
expression in a sentence that also names a procedure counts ("Two weeks ago
I had a bad flu" says nothing about the filler), and expressions tied to the
procedure by "after", "since", "post" or "ago" are preferred to a bare "today".
This is language, not clinical knowledge: units and number words only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    "month": 30.4,
    "mo": 30.4,
    "year": 365.0,
    "yr": 365.0,
}
_GLUED = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_BARE_WORDS = {"today": 0, "tonight": 0, "yesterday": 1}
_THIS_PARTS = {"morning", "afternoon", "evening", "night"}
_LAST_UNITS = {"night": 1, "week": 7, "month": 30, "year": 365}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_YEAR_CUES = {"in", "since", "from", "back"}
_TIED_AFTER = {"after", "post", "since", "out", "later", "postop", "post-op"}
_TIED_BEFORE = {"ago", "back"}

# Preference when several expressions could date the procedure: lower is better.
_RANK_TIED = 0
_RANK_AGO = 1
_RANK_DURATION = 2
_RANK_BARE = 3


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
    """Return the value of a number token ("3", "3.5", "three", "a"), or None."""
    text = token.norm_
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    try:
        return float(text)
    except ValueError:
        return None


def _and_a_half(doc: Doc, i: int) -> bool:
    """Return whether tokens from ``i`` read "and a half"."""
    return [t.norm_ for t in doc[i : i + 3]] == ["and", "a", "half"]


def _quantity_at(doc: Doc, i: int, sentence: Span) -> tuple[float, int] | None:
    """Read "<number> [and a half] [of] <unit> [and a half]" at token ``i``.

    Returns (days, index after the expression) or None.
    """
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
    if len(text) == 4 and text.isdigit() and 1950 <= int(text) <= today.year:
        return int(text)
    return None


def _weekday_days(name: str, today: dt.date) -> int:
    """Days back from ``today`` to the last such weekday (1-7)."""
    back = (today.weekday() - _WEEKDAYS.index(name)) % 7
    return back or 7


def _expressions(doc: Doc, sentence: Span, today: dt.date) -> Iterable[TimeExpression]:
    """Yield every time expression in one sentence."""
    i = sentence.start
    while i < sentence.end:
        token = doc[i]
        norm = token.norm_
        quantity = _quantity_at(doc, i, sentence)
        if quantity is not None:
            days, j = quantity
            before = doc[i - 1].norm_ if i > sentence.start else ""
            after = doc[j].norm_ if j < sentence.end else ""
            if before in ("for", "past", "last"):
                rank = _RANK_DURATION  # "swollen for 3 days after...": how long, not when
            elif after in _TIED_AFTER or (after == "-" and j + 1 < sentence.end):
                rank = _RANK_TIED
            elif after in _TIED_BEFORE:
                rank = _RANK_AGO
            else:
                rank = _RANK_DURATION
            yield _make(doc, i, j, days, rank)
            i = j
            continue
        if norm == "day" and i + 1 < sentence.end and _number(doc[i + 1]) is not None:
            yield _make(doc, i, i + 2, _number(doc[i + 1]) or 0.0, _RANK_TIED)
            i += 2
            continue
        year = _year(token, today)
        if year is not None and i > sentence.start and doc[i - 1].norm_ in _YEAR_CUES:
            # "since 2014": the middle of that year, or its start if that is still ahead.
            middle = dt.date(year, 7, 1)
            start = middle if middle <= today else dt.date(year, 1, 1)
            yield _make(doc, i - 1, i + 1, float((today - start).days), _RANK_DURATION)
        elif norm in _BARE_WORDS:
            yield _make(doc, i, i + 1, float(_BARE_WORDS[norm]), _RANK_BARE)
        elif norm == "this" and i + 1 < sentence.end and doc[i + 1].norm_ in _THIS_PARTS:
            yield _make(doc, i, i + 2, 0.0, _RANK_BARE)
        elif norm == "last" and i + 1 < sentence.end:
            nxt = doc[i + 1].norm_
            if nxt in _LAST_UNITS:
                yield _make(doc, i, i + 2, float(_LAST_UNITS[nxt]), _RANK_AGO)
            elif nxt in _WEEKDAYS:
                yield _make(doc, i, i + 2, float(_weekday_days(nxt, today)), _RANK_AGO)
        i += 1


def _make(doc: Doc, start: int, end: int, days: float, rank: int) -> TimeExpression:
    """Build a TimeExpression for tokens [start, end)."""
    span = doc[start:end]
    return TimeExpression(
        days=round(days), text=span.text, start=span.start_char, end=span.end_char, rank=rank
    )


def days_from_words(doc: Doc, mention_sentences: set[int], today: dt.date) -> TimeExpression | None:
    """Return the time expression that dates the procedure, or None if the words don't say.

    ``mention_sentences`` holds the start token index of each sentence that
    names a procedure; only those sentences are searched.
    """
    best: TimeExpression | None = None
    for sentence in doc.sents:
        if sentence.start not in mention_sentences:
            continue
        for expression in _expressions(doc, sentence, today):
            if best is None or expression.rank < best.rank:
                best = expression
    return best
