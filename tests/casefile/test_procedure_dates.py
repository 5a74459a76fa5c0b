"""A procedure date is checked where it is entered, against the assessment's own limit.

Issue 14: ``case add-procedure --on 1900-01-01`` (or the same date on the
web form) was kept, and the next note about it failed with a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from reconsult.casefile.procedure_dates import (
    MAX_DAYS_SINCE_PROCEDURE,
    earliest_procedure_date,
)
from reconsult.casefile.repository import (
    CaseFileError,
    add_journal_entry,
    create_case,
    load_case,
    save_case,
    update_case,
)
from reconsult.casefile.schema import CaseFileData, ProcedureRecord
from reconsult.cli import app
from reconsult.knowledge.schema import ProcedureCode
from reconsult.storage import Database, open_database
from reconsult.triage.models import Case


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'reconsult.sqlite3'}")
    yield database
    database.close()


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()  # the repository's own "today"


def _procedure(on: dt.date, procedure_id: str = "p1") -> ProcedureRecord:
    return ProcedureRecord(id=procedure_id, procedure=ProcedureCode.rhinoplasty, performed_on=on)


def _add(case: CaseFileData, procedure: ProcedureRecord) -> CaseFileData:
    return case.model_copy(update={"procedures": [*case.procedures, procedure]})


def test_the_limit_is_the_assessment_models_own() -> None:
    Case(procedure="rhinoplasty", days_since_procedure=MAX_DAYS_SINCE_PROCEDURE, description="x")
    with pytest.raises(ValidationError):
        Case(
            procedure="rhinoplasty",
            days_since_procedure=MAX_DAYS_SINCE_PROCEDURE + 1,
            description="x",
        )
    assert earliest_procedure_date(dt.date(2026, 11, 21)) == dt.date(1926, 12, 16)


def test_a_procedure_too_long_ago_is_refused_with_the_earliest_date(sqlite: Database) -> None:
    case = create_case(sqlite)
    with pytest.raises(CaseFileError) as refused:
        update_case(sqlite, case.id, lambda c: _add(c, _procedure(dt.date(1900, 1, 1))))
    earliest = earliest_procedure_date(_today())
    assert str(refused.value) == (
        f"The date of the procedure must be {earliest.day} {earliest:%B %Y} or later. "
        "Check the year."
    )
    stored = load_case(sqlite, case.id)
    assert stored is not None and stored.procedures == []  # nothing was kept


def test_the_earliest_date_is_kept_and_a_note_about_it_is_answered(sqlite: Database) -> None:
    case = create_case(sqlite)
    earliest = earliest_procedure_date(_today())
    update_case(sqlite, case.id, lambda c: _add(c, _procedure(earliest)))
    entry = add_journal_entry(
        sqlite, case.id, text="My nose is crooked", written_on=_today(), procedure_id="p1"
    )
    assert entry.urgency is not None


def test_changing_a_date_to_too_long_ago_is_refused(sqlite: Database) -> None:
    case = create_case(sqlite)
    update_case(sqlite, case.id, lambda c: _add(c, _procedure(_today())))

    def redate(c: CaseFileData) -> CaseFileData:
        return c.model_copy(update={"procedures": [_procedure(dt.date(1900, 1, 1))]})

    with pytest.raises(CaseFileError, match="must be .* or later"):
        update_case(sqlite, case.id, redate)


def test_a_case_already_holding_an_old_date_can_still_be_changed(sqlite: Database) -> None:
    case = create_case(sqlite)
    save_case(sqlite, _add(case, _procedure(dt.date(1900, 1, 1))))  # kept before the check
    changed = update_case(sqlite, case.id, lambda c: c.model_copy(update={"title": "Nose"}))
    assert changed.title == "Nose"
    assert changed.procedures[0].performed_on == dt.date(1900, 1, 1)


def test_a_note_on_a_case_holding_an_old_date_is_still_answered(sqlite: Database) -> None:
    """A date kept before the check, or one that passes the limit as years go by, never fails."""
    case = create_case(sqlite)
    save_case(sqlite, _add(case, _procedure(dt.date(1900, 1, 1))))  # kept before the check
    entry = add_journal_entry(
        sqlite, case.id, text="My nose is crooked", written_on=_today(), procedure_id="p1"
    )
    assert entry.urgency is not None


def test_the_command_line_says_why_in_one_plain_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RECONSULT_DATABASE_URL", raising=False)
    runner = CliRunner()
    case_id = runner.invoke(app, ["case", "new"]).output.strip()
    result = runner.invoke(
        app,
        ["case", "add-procedure", case_id, "--procedure", "rhinoplasty", "--on", "1900-01-01"],
    )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "The date of the procedure must be" in result.output
    assert "Traceback" not in result.output
