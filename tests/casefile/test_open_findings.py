"""An emergency told in one note is not forgotten by the next (issue 15): SQLite, PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from reconsult.casefile.open_findings import holding_for, open_findings
from reconsult.casefile.repository import (
    CaseFileError,
    add_journal_entry,
    close_findings,
    export_case,
    import_case,
    load_case,
    save_case,
)
from reconsult.casefile.schema import CaseFileData, Closing, ProcedureRecord
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ClosingChoice, ProcedureCode, Urgency
from reconsult.storage import Database
from tests.conftest import TODAY

WHITE_LIP = (
    "I had lip filler 2 hours ago and now my upper lip is white and blotchy and really hurts"
)
BENIGN = "my lip is a bit swollen"


def lip_case(db: Database) -> None:
    save_case(
        db,
        CaseFileData(
            id="c",
            procedures=[
                ProcedureRecord(
                    id="p", procedure=ProcedureCode.filler_hyaluronic_acid, performed_on=TODAY
                )
            ],
        ),
    )


def note(db: Database, text: str, on: dt.date = TODAY, **kwargs: object) -> Urgency | None:
    return add_journal_entry(db, "c", text=text, written_on=on, procedure_id="p", **kwargs).urgency  # type: ignore[arg-type]


def test_a_benign_note_after_an_emergency_keeps_the_emergency(db: Database, kb: Knowledge) -> None:
    lip_case(db)
    assert note(db, WHITE_LIP) is Urgency.emergency
    assert note(db, BENIGN) is Urgency.emergency
    case = load_case(db, "c")
    assert case is not None
    held = holding_for(kb, case, TODAY)
    assert {f.raised.finding for f in held} == {"skin_blanching", "skin_mottling"}
    # The second note left nothing new open: the earlier words stay the earlier note's.
    assert case.journal[1].raised == []
    assert {f.entry.text for f in held} == {WHITE_LIP}
    assert all(f.raised.words in WHITE_LIP for f in held)  # the person's own words


def test_the_same_note_alone_would_be_too_early_to_judge(db: Database) -> None:
    lip_case(db)
    assert note(db, BENIGN) is Urgency.wait


@pytest.mark.parametrize("how", [ClosingChoice.seen, ClosingChoice.gone])
def test_once_closed_the_next_note_gets_its_own_answer(
    db: Database, kb: Knowledge, how: ClosingChoice
) -> None:
    lip_case(db)
    note(db, WHITE_LIP)
    closing = Closing(how=how, said_on=TODAY, treated_by="the clinic" if how == "seen" else "")
    urgency = note(db, BENIGN, closings={"skin_blanching": closing, "skin_mottling": closing})
    assert urgency is Urgency.wait
    case = load_case(db, "c")
    assert case is not None and open_findings(kb, case) == []
    closed = [r.closed for r in case.journal[0].raised]
    assert closed == [closing, closing]  # kept with its date, for the history


def test_closing_one_of_two_keeps_the_other_holding(db: Database) -> None:
    lip_case(db)
    note(db, WHITE_LIP)
    closing = Closing(how=ClosingChoice.mistake, said_on=TODAY)
    assert note(db, BENIGN, closings={"skin_mottling": closing}) is Urgency.emergency


def test_closing_a_finding_that_is_not_open_is_refused_and_nothing_kept(db: Database) -> None:
    lip_case(db)
    note(db, WHITE_LIP)
    closing = Closing(how=ClosingChoice.gone, said_on=TODAY)
    with pytest.raises(CaseFileError, match="fever"):
        note(db, BENIGN, closings={"fever": closing})
    case = load_case(db, "c")
    assert case is not None and len(case.journal) == 1


def test_a_stale_finding_no_longer_holds_the_answer(db: Database, kb: Knowledge) -> None:
    lip_case(db)
    note(db, WHITE_LIP)
    case = load_case(db, "c")
    assert case is not None
    last = max(f.holds_until for f in open_findings(kb, case))
    assert note(db, BENIGN, on=last) is Urgency.emergency
    after = last + dt.timedelta(days=1)
    assert note(db, BENIGN, on=after) is not Urgency.emergency
    case = load_case(db, "c")
    assert case is not None
    # Stale is not closed: it stays on the case, unanswered, for the history.
    assert holding_for(kb, case, after) == [] and open_findings(kb, case)


def test_closing_without_a_note_and_the_export_round_trip(db: Database, kb: Knowledge) -> None:
    lip_case(db)
    note(db, WHITE_LIP)
    seen = Closing(
        how=ClosingChoice.seen,
        said_on=TODAY,
        treated_by="the clinic, with hyaluronidase",
        treated_on=TODAY,
    )
    close_findings(db, "c", {"skin_blanching": seen})
    exported = export_case(db, "c", exported_at=dt.datetime(2026, 12, 7, tzinfo=dt.UTC))
    back = import_case(db, exported, replace=True)
    assert back == load_case(db, "c")
    [entry] = back.journal
    assert [(r.finding, r.closed) for r in entry.raised] == [
        ("skin_blanching", seen),
        ("skin_mottling", None),
    ]
    assert [f.raised.finding for f in open_findings(kb, back)] == ["skin_mottling"]
