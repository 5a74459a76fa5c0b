"""Past or now: a clause told in the present, or dated by the procedure itself, is now.

"Had filler 2 years ago my lip went white this morning": the history cue dates
the filler, "this morning" the white lip. A time that is the procedure's own
date ("implants done back in 2019") does not make the signs after it past.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reconsult.knowledge.schema import ContextCategory, FindingKind
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.scope import restatus
from reconsult.triage.timing import expressions_in

_NOW_REACH = 3  # how many words from a sign a bare "is" may be and still date it
_BARE_PRESENT = {"is", "are", "am", "'s", "'m", "'re"}
# Not "but": "no problems then, but now my lip is white" is now.
_NEGATIONS = {"no", "not", "n't", "nt", "never", "nothing", "none", "nor", "without", "zero"}


def present_after_all(
    doc: Any, findings: list[DetectedFinding], clause_of: list[int], now: list[int]
) -> list[DetectedFinding]:
    """Keep a finding present when its clause is also told in the present.

    "Had filler 2 years ago my lip went white this morning": the history cue
    dates the filler, "this morning" dates the white lip. A bare "is" or "am"
    must be near the finding: in "I'm on edge because I had chest pain after my
    C-section in 2019" or "what worries me is that back in 2022 my lip went
    white", they tell of the writer now, not of the sign; "now", "lately" or
    "this morning" date the whole clause, unless denied ("nothing like that now").
    """

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        past = f.status is FindingStatus.past and f.kind is not FindingKind.context
        dated = any(
            clause_of[i] == clause_of[span.start]
            and not _denied_now(doc, i)
            and (
                doc[i].norm_ not in _BARE_PRESENT
                or span.start - _NOW_REACH <= i < span.end + _NOW_REACH
            )
            for i in now
        )
        return (FindingStatus.present, []) if past and dated else None

    return restatus(doc, findings, change)


def _denied_now(doc: Any, i: int) -> bool:
    """Whether a present-time word is denied: "nothing like that now", "not now"."""
    return any(t.norm_ in _NEGATIONS for t in doc[max(i - _NOW_REACH, 0) : i])


def dated_by_the_procedure(
    doc: Any,
    findings: list[DetectedFinding],
    modifiers: list[Any],
    around: list[Any],
    procedure_days: int,
    today: dt.date,
) -> list[DetectedFinding]:
    """Keep signs present when the time that seemed to make them past is the procedure's date.

    "Saline implants done back in 2019 and over the weekend the left side went flat",
    with the implants put in in 2019: "back in 2019" dates the implants, not the
    flat side. A time far from the procedure's date ("two years ago my lip went
    white", filler three days ago) still makes its signs past.
    """
    same = max(_SAME_DAYS, procedure_days // 4)
    times = [  # (start, end) tokens of each time close to the procedure's date
        (span.start, span.end)
        for part in around
        for expression in expressions_in(doc, part, today)
        if abs(expression.days - procedure_days) <= same
        and (span := doc.char_span(expression.start, expression.end, alignment_mode="expand"))
    ]
    dating: set[str] = set()
    for m in modifiers:
        if m.category != ContextCategory.HISTORICAL.value:
            continue
        start, end = m.modifier_span
        if any(start - _NEAR < t_end and t_start < end + _NEAR for t_start, t_end in times):
            dating.add(doc[start:end].text)

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is FindingStatus.past and f.cues and f.cues[0] in dating:
            return FindingStatus.present, []
        return None

    return restatus(doc, findings, change)


_NEAR = 2  # a history cue this close to a time expression is that time
_SAME_DAYS = 30  # or a quarter of the time since the procedure, whichever is more
