"""The triage core: understand the words, decide the answer. Pure: no I/O, no clock."""

from __future__ import annotations

import datetime as dt

from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.triage.decide import decide
from reconsult.triage.models import Assessment, Case
from reconsult.triage.understand import reader_for

__all__ = ["assess"]


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
        reading.findings,
        today,
        inferred_days=inferred,
        unrecognised=reading.unrecognised,
    )
