"""`reconsult case note` remembers a sign told earlier, prints it and takes what happened to it."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from reconsult.cli import app
from tests.casefile.test_case_cli import (
    data_dir,  # noqa: F401 (autouse: a database per test)
    fail,
    run,
)

WHITE_LIP = (
    "I had lip filler 2 hours ago and now my upper lip is white and blotchy and really hurts"
)
BENIGN = "my lip is a bit swollen"
TODAY = dt.date.today()


def lip_case() -> str:
    case_id = run("case", "new")
    run(
        "case",
        "add-procedure",
        case_id,
        "--procedure",
        "filler_hyaluronic_acid",
        "--on",
        TODAY.isoformat(),
    )
    return case_id


def test_a_benign_note_after_an_emergency_stays_an_emergency_and_says_why() -> None:
    case_id = lip_case()
    first = run("case", "note", case_id, WHITE_LIP)
    assert first.startswith("EMERGENCY")
    assert "Still open" not in first  # nothing earlier: the emergency says it all
    second = run("case", "note", case_id, BENIGN)
    assert second.startswith("EMERGENCY")
    assert "Still open from an earlier note:" in second
    assert "(skin_blanching), told on" in second and "“" in second
    assert "Has someone seen and treated it, or has it gone away?" in second
    assert "--seen CODE, --gone CODE or --mistake CODE (skin_blanching skin_mottling)" in second


def test_after_seen_and_gone_the_note_gets_its_own_answer() -> None:
    case_id = lip_case()
    run("case", "note", case_id, WHITE_LIP)
    said = run(
        "case",
        "note",
        case_id,
        BENIGN,
        "--seen",
        "skin_blanching",
        "--treated-by",
        "the clinic",
        "--treated-on",
        TODAY.isoformat(),
        "--gone",
        "skin_mottling",
    )
    assert said.startswith("TOO EARLY TO JUDGE: ")
    assert "Still open" not in said


def test_closing_a_sign_that_is_not_open_is_refused_and_the_note_not_saved() -> None:
    case_id = lip_case()
    run("case", "note", case_id, WHITE_LIP)
    line = fail("case", "note", case_id, BENIGN, "--gone", "fever")
    assert "Nothing open to close for: fever." in line
    assert "Still open: skin_blanching, skin_mottling." in line
    assert "not saved" in line
    shown = run("case", "show", case_id)
    assert BENIGN not in shown


def test_treated_by_needs_seen_and_a_code_is_said_once() -> None:
    case_id = lip_case()
    assert "go with --seen CODE" in fail("case", "note", case_id, BENIGN, "--treated-by", "Dr A")
    twice = fail("case", "note", case_id, BENIGN, "--seen", "fever", "--gone", "fever")
    assert "fever is named twice" in twice


def test_in_a_terminal_it_asks_about_each_open_sign() -> None:
    case_id = lip_case()
    run("case", "note", case_id, WHITE_LIP)
    # skin_blanching: seen (1), by "the clinic", today; skin_mottling: still there (Enter).
    answers = f"1\nthe clinic\n{TODAY.isoformat()}\n\n"
    result = CliRunner().invoke(app, ["case", "note", case_id, BENIGN, "--ask"], input=answers)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.count("Has someone seen and treated it, or has it gone away?") >= 2
    assert "1  Someone saw it and treated it" in out
    assert "EMERGENCY" in out  # the blotchy skin is still there, so still held
    shown = run("case", "show", case_id)
    assert "seen and treated by the clinic" in shown


def test_answers_by_number_and_a_future_treated_on_is_refused() -> None:
    case_id = lip_case()
    run("case", "note", case_id, WHITE_LIP)
    answers = "2\n3\n"  # blanching: gone; mottling: written by mistake
    result = CliRunner().invoke(app, ["case", "note", case_id, BENIGN, "--ask"], input=answers)
    assert result.exit_code == 0, result.output
    assert "TOO EARLY TO JUDGE: " in result.output
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert "today or in the past" in fail(
        "case", "note", case_id, BENIGN, "--seen", "x", "--treated-on", tomorrow
    )
