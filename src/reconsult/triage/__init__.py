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
from reconsult.triage.understand import reader_for

__all__ = ["assess", "confirmed_findings"]


def assess(case: Case, today: dt.date, knowledge: Knowledge | None = None) -> Assessment:
    """Assess one case as of ``today``: findings from the words, then the decision.

    ``today`` is passed in, never read from a clock, so the same case gives the
    same answer (safety rule 6). ``knowledge`` defaults to the packaged base.
    """
    kb = knowledge or load_knowledge()
    reading = reader_for(kb).read(case.description, today)
    inferred = reading.timing.days if reading.timing is not None else None
    return decide(
        kb,
        case,
        reading.findings + confirmed_findings(kb, case, reading.findings),
        today,
        inferred_days=inferred,
        unexplained=reading.unexplained,
    )


def confirmed_findings(
    kb: Knowledge, case: Case, from_words: list[DetectedFinding]
) -> list[DetectedFinding]:
    """Turn the warning signs a person ticked into present findings.

    A ticked sign counts as present even if the words seemed to deny it: the
    checklist asks about "right now", and doubt keeps a finding (safety rule 4).
    Signs the words already show as present are not added twice.
    """
    unknown = sorted(set(case.confirmed_signs) - set(kb.findings))
    if unknown:
        raise CaseInputError(f"confirmed_signs: unknown warning sign code(s): {', '.join(unknown)}")
    present = {f.code for f in from_words if f.status is FindingStatus.present}
    added: list[DetectedFinding] = []
    for code in dict.fromkeys(case.confirmed_signs):
        if code in present:
            continue
        finding = kb.findings[code]
        added.append(
            DetectedFinding(
                code=code,
                label=finding.label,
                kind=finding.kind,
                status=FindingStatus.present,
                quote=finding.label,
                source=FindingSource.checklist,
            )
        )
    return added
