"""The case's journal: add what the person noticed with an answer, close the signs it left open."""

from __future__ import annotations

import datetime as dt

from reconsult.casefile.case_store import load_case, update_case
from reconsult.casefile.notes import note_text
from reconsult.casefile.open_findings import apply_closings, open_findings, raised_from
from reconsult.casefile.procedure_dates import days_since_procedure
from reconsult.casefile.rows import new_id
from reconsult.casefile.schema import CaseFileData, Closing, JournalEntry
from reconsult.errors import CaseFileError
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.storage import Database
from reconsult.triage import assess
from reconsult.triage.models import Case

__all__ = ["add_journal_entry", "close_findings"]


def add_journal_entry(
    db: Database,
    case_id: str,
    *,
    text: str,
    written_on: dt.date,
    procedure_id: str | None,
    knowledge: Knowledge | None = None,
    closings: dict[str, Closing] | None = None,
) -> JournalEntry:
    """Add what the person noticed, with an assessment made from it on that day.

    ``closings`` first closes open findings the person has said what became of
    (by finding code; each must be open). The assessment uses the chosen
    procedure and its date, and every open finding still holding on that day
    (an answer never forgets a sign told earlier). The urgency, the headline,
    the date to look again, the rules that fired and the findings the answer
    leaves open are kept, so the urgency history can be shown over time even
    after the knowledge changes. A note without words (or too long) raises
    CaseFileError, and nothing is kept.
    """
    text = note_text(text)  # words only: a blank note is refused, never kept or assessed
    kb = knowledge or load_knowledge()
    data = load_case(db, case_id)
    if data is None:
        raise CaseFileError(_("There is no case with id %(id)s.") % {"id": repr(case_id)})
    procedure = next((p for p in data.procedures if p.id == procedure_id), None)
    if procedure_id is not None and procedure is None:
        raise CaseFileError(_("Choose one of the procedures in this case."))
    data = apply_closings(data, closings or {})
    entry = JournalEntry(id=new_id(), written_on=written_on, procedure_id=procedure_id, text=text)
    if procedure is not None:
        earlier = [f.earlier for f in open_findings(kb, data) if f.holds_on(written_on)]
        days = days_since_procedure(procedure.performed_on, written_on)
        answer = assess(
            Case(
                procedure=procedure.procedure,
                days_since_procedure=days,
                description=text,
                earlier=earlier,
            ),
            written_on,
            kb,
        )
        entry = entry.model_copy(
            update={
                "urgency": answer.urgency,
                "headline": answer.headline,
                "reassess_on": answer.reassess_on,
                "knowledge_version": answer.knowledge_version,
                "rules_fired": answer.rules_fired,
                "raised": raised_from(earlier, answer.open_findings),
            }
        )

    def add(d: CaseFileData) -> CaseFileData:
        d = apply_closings(d, closings or {}, require_open=False)
        return d.model_copy(update={"journal": [*d.journal, entry]})

    update_case(db, case_id, add)
    return entry


def close_findings(db: Database, case_id: str, closings: dict[str, Closing]) -> CaseFileData:
    """Close open findings as the person said, without a new note; return the saved case."""
    return update_case(db, case_id, lambda d: apply_closings(d, closings))
