"""The triage core: understand the words, decide the answer. Pure: no I/O, no clock."""

from __future__ import annotations

import datetime as dt

from reconsult.errors import CaseInputError
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.triage.decide import decide
from reconsult.triage.models import (
    Assessment,
    Case,
    DetectedFinding,
    FindingSource,
    FindingStatus,
)
from reconsult.triage.open_findings import check_earlier
from reconsult.triage.understand import reader_for

__all__ = ["assess", "confirmed_findings"]


def assess(case: Case, today: dt.date, knowledge: Knowledge | None = None) -> Assessment:
    """Assess one case as of ``today``: findings from the words, then the decision.

    ``today`` is passed in, never read from a clock, so the same case gives the
    same answer (safety rule 6). ``knowledge`` defaults to the packaged base.
    """
    kb = knowledge or load_knowledge()
    check_earlier(kb, list(case.earlier), today)
    reading = reader_for(kb).read(case.description, today, case.days_since_procedure)
    inferred = reading.timing.days if reading.timing is not None else None
    answer = decide(
        kb,
        case,
        reading.findings + confirmed_findings(kb, case, reading.findings),
        today,
        inferred_days=inferred,
        unexplained=reading.unexplained,
    )
    return answer.model_copy(update={"languages": reading.languages})


def confirmed_findings(
    kb: Knowledge, case: Case, from_words: list[DetectedFinding]
) -> list[DetectedFinding]:
    """Turn the answers to the danger questions into findings from the checklist.

    A sign ticked (``confirmed_signs``) or answered true (``signs``) counts as
    present even if the words seemed to deny it: the checklist asks about "right
    now", and doubt keeps a finding (safety rules 4 and 8). A sign answered false
    counts as denied, unless the words report it as present: then the words win,
    for the same reason. Signs the words already show as present, or a "no" the
    words already gave, are not added twice.
    """
    unknown = sorted(set(case.confirmed_signs) - set(kb.findings))
    if unknown:
        raise CaseInputError(f"confirmed_signs: unknown warning sign code(s): {', '.join(unknown)}")
    unknown = sorted(set(case.signs) - set(kb.danger_questions))
    if unknown:
        raise CaseInputError(
            f"signs: unknown danger sign code(s): {', '.join(unknown)}. "
            "The codes are those of the procedure's danger questions."
        )
    present = {f.code for f in from_words if f.status is FindingStatus.present}
    denied = {f.code for f in from_words if f.status is FindingStatus.negated}
    yes = [*case.confirmed_signs, *(code for code, has in case.signs.items() if has)]
    no = [code for code, has in case.signs.items() if not has]
    added: list[DetectedFinding] = []
    for code in dict.fromkeys(yes):
        if code not in present:
            added.append(_from_checklist(kb, code, FindingStatus.present))
    for code in dict.fromkeys(no):
        if code not in present and code not in denied and code not in yes:
            added.append(_from_checklist(kb, code, FindingStatus.negated))
    return added


def _from_checklist(kb: Knowledge, code: str, status: FindingStatus) -> DetectedFinding:
    """Return a finding the person gave on the checklist (quoted by its label)."""
    finding = kb.findings[code]
    return DetectedFinding(
        code=code,
        label=finding.label,
        kind=finding.kind,
        status=status,
        quote=finding.label,
        source=FindingSource.checklist,
    )
