"""`reconsult case note`: every note checked, blank notes refused, procedures named simply."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reconsult.casefile.repository import update_case
from reconsult.casefile.schema import JournalEntry
from reconsult.settings import Settings
from reconsult.storage import open_database
from tests.casefile.test_case_cli import (
    data_dir,  # noqa: F401 (autouse: a database per test)
    fail,
    run,
)

EMERGENCY_WORDS = "My upper lip has gone white and it hurts a lot"
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def a_case(*codes: str) -> tuple[str, list[str]]:
    """Make a case with these procedures (done yesterday); return its id and theirs."""
    case_id = run("case", "new")
    ids = [
        run("case", "add-procedure", case_id, "--procedure", code, "--on", YESTERDAY)
        for code in codes
    ]
    return case_id, ids


def journal_lines(case_id: str) -> list[str]:
    shown = run("case", "show", case_id).splitlines()
    return [line for line in shown if line.strip().startswith(dt.date.today().isoformat())]


@pytest.mark.parametrize(
    "text", ["", " ", "\n\t  ", "\x00"], ids=["empty", "space", "blank", "nul"]
)
def test_a_note_without_words_is_refused_plainly_and_not_saved(text: str, tmp_path: Path) -> None:
    case_id, [procedure_id] = a_case("filler_hyaluronic_acid")
    line = fail("case", "note", case_id, text, "--procedure", procedure_id)
    assert "Write what you notice, in your own words." in line  # as the web journal form says
    assert f'reconsult case note {case_id} "' in line  # with an example
    assert journal_lines(case_id) == []
    out = tmp_path / "case.fhir.json"
    run("case", "export", case_id, "-o", str(out), "--format", "fhir")
    assert json.loads(out.read_text())["resourceType"] == "Bundle"


def test_a_note_too_long_is_refused_with_its_length() -> None:
    case_id, _ = a_case("filler_hyaluronic_acid")
    line = fail("case", "note", case_id, "lumpy " * 2000)
    assert "10,000 characters or fewer (it is 11,999)" in line
    assert journal_lines(case_id) == []


def test_a_blank_note_kept_by_an_older_version_still_exports_as_fhir(tmp_path: Path) -> None:
    case_id, [procedure_id] = a_case("filler_hyaluronic_acid")
    blank = JournalEntry(
        id="old-blank", written_on=dt.date.today(), procedure_id=procedure_id, text=" "
    )
    db = open_database(Settings().resolved_database_url())  # the command's own database
    try:
        update_case(db, case_id, lambda d: d.model_copy(update={"journal": [blank]}))
    finally:
        db.close()
    out = tmp_path / "case.fhir.json"
    said = run("case", "export", case_id, "-o", str(out), "--format", "fhir")
    assert said.startswith(f"Wrote {out}")
    [note] = [
        e["resource"]
        for e in json.loads(out.read_text())["entry"]
        if e["resource"].get("identifier", [{}])[0].get("value") == "old-blank"
    ]
    assert note["dataAbsentReason"]["text"] == "No words were written"


@pytest.mark.parametrize("how", ["only-procedure", "code", "id"])
def test_an_emergency_note_always_prints_the_emergency_message(how: str) -> None:
    case_id, [procedure_id] = a_case("filler_hyaluronic_acid")
    choose = {
        "only-procedure": [],
        "code": ["--procedure", "filler_hyaluronic_acid"],
        "id": ["--procedure", procedure_id],
    }[how]
    said = run("case", "note", case_id, EMERGENCY_WORDS, *choose)
    assert said.startswith("EMERGENCY: ")  # the action first
    assert "911" in said
    assert "Your note is saved" in said
    [line] = journal_lines(case_id)
    assert "  Emergency  " in line and EMERGENCY_WORDS in line


def test_the_code_picks_the_procedure_among_several() -> None:
    case_id, _ = a_case("rhinoplasty", "filler_hyaluronic_acid")
    said = run("case", "note", case_id, EMERGENCY_WORDS, "--procedure", "filler_hyaluronic_acid")
    assert said.startswith("EMERGENCY: ")


def test_several_procedures_and_no_choice_lists_them_and_how_to_choose() -> None:
    case_id, _ = a_case("rhinoplasty", "filler_hyaluronic_acid")
    line = fail("case", "note", case_id, EMERGENCY_WORDS)
    assert "this case has 2 procedures" in line
    assert f"--procedure rhinoplasty ({YESTERDAY})" in line
    assert f"--procedure filler_hyaluronic_acid ({YESTERDAY})" in line
    assert journal_lines(case_id) == []


def test_two_procedures_of_the_same_kind_are_chosen_by_id() -> None:
    case_id, [first, second] = a_case("filler_hyaluronic_acid", "filler_hyaluronic_acid")
    line = fail("case", "note", case_id, "Lumpy", "--procedure", "filler_hyaluronic_acid")
    assert "this case has 2 filler_hyaluronic_acid procedures" in line
    assert f"--procedure {first} (" in line and f"--procedure {second} (" in line
    assert "EMERGENCY" in run("case", "note", case_id, EMERGENCY_WORDS, "--procedure", second)


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ("nose", "this case has no procedure 'nose'. Say which one"),
        ("botulinum_toxin", "Add it first (reconsult case add-procedure"),
    ],
    ids=["unknown", "not-in-this-case"],
)
def test_an_unknown_procedure_names_the_ones_the_case_has(chosen: str, message: str) -> None:
    case_id, _ = a_case("rhinoplasty")
    line = fail("case", "note", case_id, "Lumpy", "--procedure", chosen)
    assert message in line
    assert f"--procedure rhinoplasty ({YESTERDAY})" in line
    assert journal_lines(case_id) == []


def test_a_case_without_procedures_says_to_add_one_and_how_to_get_help() -> None:
    case_id, _ = a_case()
    line = fail("case", "note", case_id, EMERGENCY_WORDS)
    assert f"reconsult case add-procedure {case_id} --procedure" in line
    assert "911" in line  # never silent about where to get help
    assert journal_lines(case_id) == []


def test_a_note_for_a_case_that_does_not_exist() -> None:
    assert "there is no case with id 'nope'" in fail("case", "note", "nope", "Lumpy")
