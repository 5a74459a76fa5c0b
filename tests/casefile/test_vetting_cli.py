"""`reconsult case provider-check`: what you checked about a provider, from a terminal."""

from __future__ import annotations

from typer.testing import CliRunner

from reconsult.cli import app
from tests.casefile.test_case_cli import data_dir, run  # noqa: F401  (data_dir is a fixture)

runner = CliRunner()


def test_a_provider_check_is_kept_and_shown() -> None:
    case_id = run("case", "new", "--title", "Lips")
    record_id = run(
        "case",
        "provider-check",
        case_id,
        "--provider",
        "Dr Sam Patel",
        "--npi",
        "1234567893",
        "--procedure",
        "filler_hyaluronic_acid",
        "--confirmed",
        "board-certification",
        "--confirmed",
        "license",
        "--concern",
        "injector-setting",
        "--red-flag",
        "pressure",
        "--note",
        "They wanted a deposit today.",
        "--on",
        "2026-01-05",
    )
    assert len(record_id) == 22
    shown = run("case", "show", case_id)
    assert (
        f"provider check {record_id}: Dr Sam Patel (NPI 1234567893), checked 2026-01-05, "
        "3 of 7 checks done"
    ) in shown
    assert "worried about: Shots in a clinic, with a doctor in charge" in shown
    assert "warning sign noticed: Pressure to book or pay today" in shown
    assert "note: They wanted a deposit today." in shown


def test_without_a_treatment_the_whole_checklist_is_kept() -> None:
    case_id = run("case", "new")
    run("case", "provider-check", case_id, "--provider", "Nurse D")
    assert "Nurse D, checked" in run("case", "show", case_id)
    assert "0 of 10 checks done" in run("case", "show", case_id)


def test_unknown_ids_are_refused_with_the_allowed_ids_named() -> None:
    case_id = run("case", "new")
    result = runner.invoke(
        app,
        ["case", "provider-check", case_id, "--provider", "X", "--concern", "star-rating"],
    )
    assert result.exit_code == 1
    assert "There is no check called 'star-rating'. Use one of: board-certification," in (
        result.output
    )
    assert "injector-setting" in result.output
    result = runner.invoke(
        app, ["case", "provider-check", case_id, "--provider", "X", "--red-flag", "rude"]
    )
    assert result.exit_code == 1
    assert "There is no red flag called 'rude'. Use one of: party-or-home," in result.output
    assert "provider check" not in run("case", "show", case_id)  # nothing was kept


def test_other_mistakes_are_one_plain_line() -> None:
    case_id = run("case", "new")
    for extra, said in (
        (["--npi", "123"], "an NPI number is 10 digits"),
        (["--procedure", "tattoo"], "unknown procedure 'tattoo'"),
        (["--confirmed", "license", "--concern", "license"], "not both: license"),
        (["--on", "2999-01-01"], "must be today or in the past"),
    ):
        result = runner.invoke(app, ["case", "provider-check", case_id, "--provider", "X", *extra])
        assert result.exit_code == 1, extra
        assert said in result.output, (extra, result.output)
    result = runner.invoke(app, ["case", "provider-check", "nope", "--provider", "X"])
    assert result.exit_code == 1 and "no case with id 'nope'" in result.output
