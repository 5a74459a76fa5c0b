"""A day of healing counted from the procedure: "on day 3 I went to A&E".

People count the days after a procedure ("day 2", "the third day", "the first
night", "el primer dia", "the first week"; the words are each language's, in the
lexicon). When the form says how long ago the procedure was, a day of healing
that is a week or more before today dates its clause in the past: "25 days
after lipo ... On day 3 I went to emergency feeling breathless, since then my
breathing is fine" tells of day 3, not of today. A day close to today ("day 5
post op and my calf is swollen", on day 5) is today, so nothing changes.

"Since day 4", "from the first night" and "on day 5 it started" run up to
today, so they date nothing.
A clause also told in the present ("still", "now", "is") keeps its findings
present: ``present_after_all`` runs after this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconsult.knowledge.schema import FindingKind, Lexicon
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.phrases import folded
from reconsult.triage.scope import restatus
from reconsult.triage.timing import number_of, ordinal_of

_PAST_ENOUGH = 7  # days before today
_WEEK = 7


@dataclass(frozen=True)
class HealingWords:
    """The lexicon's words for a day of healing, of every language read."""

    days: frozenset[str]
    weeks: frozenset[str]
    ordinals: dict[str, int]
    until_now: frozenset[str]  # "since day 4": still
    began: frozenset[str]  # "day 5 my lid started to droop"

    @classmethod
    def of(cls, lexicon: Lexicon) -> HealingWords:
        """The healing-day words of a knowledge base's lexicon."""
        return cls(
            frozenset(lexicon.day_words),
            frozenset(lexicon.week_words),
            dict(lexicon.ordinals),
            frozenset(lexicon.until_now),
            frozenset(lexicon.began),
        )


def _healing_day(doc: Any, i: int, words: HealingWords) -> int | None:
    """Return the day of healing said at token ``i`` ("day 3", "the third day"), if any.

    A week is told by its ordinal only ("the first week", not "week one spot") and
    counts as its last day (day 7), so it dates a clause in the past only once that
    whole week is a week behind.
    """
    word = folded(doc[i])
    if word not in words.days and word not in words.weeks:
        return None
    after = doc[i + 1] if i + 1 < len(doc) else None
    before = doc[i - 1] if i > 0 else None
    number = None
    if word in words.days and after is not None and (value := number_of(after)) is not None:
        number = int(value)
    elif before is not None:
        number = words.ordinals.get(folded(before)) or ordinal_of(before)
    if number is None:
        return None
    return number * _WEEK if word in words.weeks else number


def _begins_there(doc: Any, i: int, clause_of: list[int], words: HealingWords) -> bool:
    """Return whether the clause says the sign began on that day ("day 5 it started")."""
    for token in doc[i:]:
        if clause_of[token.i] != clause_of[i]:
            return False
        if folded(token) in words.began:
            return True
    return False


def healing_days_past(
    doc: Any,
    findings: list[DetectedFinding],
    clause_of: list[int],
    procedure_days: int | None,
    words: HealingWords,
) -> list[DetectedFinding]:
    """Mark findings in a clause dated a week or more back by a day of healing as past."""
    if procedure_days is None:
        return findings
    dated: dict[int, str] = {}  # clause -> the words that date it
    for i in range(len(doc)):
        day = _healing_day(doc, i, words)
        if day is None or procedure_days - day < _PAST_ENOUGH:
            continue
        if any(folded(t) in words.until_now for t in doc[max(i - 3, 0) : i]):
            continue
        if _begins_there(doc, i, clause_of, words):
            continue
        ordinal = i > 0 and (
            folded(doc[i - 1]) in words.ordinals or ordinal_of(doc[i - 1]) is not None
        )
        told = doc[i - 1 : i + 1] if ordinal else doc[i : i + 2]
        dated.setdefault(clause_of[i], told.text)
    if not dated:
        return findings

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is not FindingStatus.present or f.kind is FindingKind.context:
            return None
        words_told = dated.get(clause_of[span.start])
        return None if words_told is None else (FindingStatus.past, [words_told])

    return restatus(doc, findings, change)
