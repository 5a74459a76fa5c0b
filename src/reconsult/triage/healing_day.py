"""A day of healing counted from the procedure: "on day 3 I went to A&E".

People count the days after a procedure ("day 2", "the third day", "the first
night"). When the form says how long ago the procedure was, a day of healing
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

from typing import Any

from reconsult.knowledge.schema import FindingKind
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.scope import restatus
from reconsult.triage.timing import number_of, ordinal_of

_DAY_WORDS = {"day", "night"}
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_PAST_ENOUGH = 7  # days before today
_UNTIL_NOW = {"since", "from", "after", "starting", "started", "ever"}  # "since day 4": still
_BEGAN = {"started", "starting", "began", "begun", "still"}  # "day 5 my lid started to droop"


def _healing_day(doc: Any, i: int) -> int | None:
    """Return the day of healing said at token ``i`` ("day 3", "the third day"), if any."""
    token = doc[i]
    if token.norm_ not in _DAY_WORDS:
        return None
    after = doc[i + 1] if i + 1 < len(doc) else None
    if token.norm_ == "day" and after is not None and (value := number_of(after)) is not None:
        return int(value)
    before = doc[i - 1] if i > 0 else None
    if before is None:
        return None
    return _ORDINAL_WORDS.get(before.norm_) or ordinal_of(before)


def _begins_there(doc: Any, i: int, clause_of: list[int]) -> bool:
    """Return whether the clause says the sign began on that day ("day 5 it started")."""
    for token in doc[i:]:
        if clause_of[token.i] != clause_of[i]:
            return False
        if token.norm_ in _BEGAN:
            return True
    return False


def healing_days_past(
    doc: Any, findings: list[DetectedFinding], clause_of: list[int], procedure_days: int | None
) -> list[DetectedFinding]:
    """Mark findings in a clause dated a week or more back by a day of healing as past."""
    if procedure_days is None:
        return findings
    dated: dict[int, str] = {}  # clause -> the words that date it
    for i in range(len(doc)):
        day = _healing_day(doc, i)
        if day is None or procedure_days - day < _PAST_ENOUGH:
            continue
        if any(t.norm_ in _UNTIL_NOW for t in doc[max(i - 3, 0) : i]):
            continue
        if _begins_there(doc, i, clause_of):
            continue
        ordinal = i > 0 and doc[i - 1].norm_ in _ORDINAL_WORDS
        told = doc[i - 1 : i + 1] if ordinal else doc[i : i + 2]
        dated.setdefault(clause_of[i], told.text)
    if not dated:
        return findings

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is not FindingStatus.present or f.kind is FindingKind.context:
            return None
        words = dated.get(clause_of[span.start])
        return None if words is None else (FindingStatus.past, [words])

    return restatus(doc, findings, change)
