"""`reconsult case ...`: a case kept, assessed, exported, imported and deleted from a terminal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconsult.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test gets its own data folder (and so its own SQLite database)."""
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RECONSULT_DATABASE_URL", raising=False)
    return tmp_path


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_a_case_from_start_to_export_and_back(tmp_path: Path) -> None:
    case_id = run("case", "new", "--title", "Lips")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    procedure_id = run(
        "case", "add-procedure", case_id, "--procedure", "filler_hyaluronic_acid", "--on", yesterday
    )
    said = run("case", "note", case_id, "My upper lip has gone white", "--procedure", procedure_id)
    assert "EMERGENCY" in said
    assert "911" in said  # the way to emergency help is never hidden
    shown = run("case", "show", case_id)
    assert "emergency" in shown and "My upper lip has gone white" in shown
    exported = tmp_path / "case.json"
    run("case", "export", case_id, "-o", str(exported))
    fhir = tmp_path / "case.fhir.json"
    run("case", "export", case_id, "-o", str(fhir), "--format", "fhir")
    assert json.loads(fhir.read_text())["resourceType"] == "Bundle"
    run("case", "delete", case_id, "--yes")
    assert "no cases yet" in run("case", "list")
    assert case_id in run("case", "import", str(exported))
    assert "My upper lip has gone white" in run("case", "show", case_id)


def test_reminders_as_a_calendar_file(tmp_path: Path) -> None:
    case_id = run("case", "new")
    run("case", "add-procedure", case_id, "--procedure", "botulinum_toxin", "--on", "2026-11-01")
    ics = tmp_path / "r.ics"
    assert "reminder(s)" in run("case", "reminders", case_id, "-o", str(ics))
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--procedure", "nose"], "unknown procedure 'nose'"),
        (["--procedure", "rhinoplasty", "--on", "27/03/2026"], "must look like 2026-03-27"),
        (["--procedure", "rhinoplasty", "--on", "2999-01-01"], "today or in the past"),
    ],
    ids=["unknown-procedure", "bad-date", "future-date"],
)
def test_bad_input_is_one_plain_line(args: list[str], message: str) -> None:
    case_id = run("case", "new")
    result = runner.invoke(app, ["case", "add-procedure", case_id, *args])
    assert result.exit_code == 1
    assert message in result.output


def test_a_bad_import_file_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    result = runner.invoke(app, ["case", "import", str(bad)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output
    assert "no cases yet" in run("case", "list")


def test_delete_asks_first() -> None:
    case_id = run("case", "new")
    result = runner.invoke(app, ["case", "delete", case_id], input="n\n")
    assert result.exit_code == 1
    assert case_id in run("case", "list")
