"""The command line: batch contract output, clear errors per line, interactive questions."""

from __future__ import annotations

import importlib.metadata
import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconsult.cli import app
from reconsult.knowledge import load_knowledge

runner = CliRunner()
GOOD = {
    "id": "a1",
    "procedure": "botulinum_toxin",
    "days_since_procedure": 5,
    "prior_revisions": 0,
    "description": "Since yesterday I have trouble swallowing.",
    "expected": {"urgency": "emergency"},
}


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_batch_jsonl_answers_each_line_with_the_contract_fields(tmp_path: Path) -> None:
    path = _write(tmp_path, [json.dumps(GOOD)])
    result = runner.invoke(app, ["assess", "--input", str(path), "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    assert record["id"] == "a1"
    assert record["urgency"] == "emergency"
    assert "emergency_care" in record["options"]
    assert record["knowledge_version"]


def test_bad_lines_are_named_and_the_rest_still_answered(tmp_path: Path) -> None:
    lines = [
        json.dumps({**GOOD, "id": "b1", "procedure": "nose_job"}),
        "{not json",
        json.dumps({**GOOD, "id": "b3", "days_since_procedure": -2}),
        json.dumps({**GOOD, "id": "b4"}),
    ]
    result = runner.invoke(app, ["assess", "-i", str(_write(tmp_path, lines))])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("id") for r in records] == ["b1", None, "b3", "b4"]
    assert "must be one of" in records[0]["error"] and "rhinoplasty" in records[0]["error"]
    assert records[1]["line"] == 2 and "not valid JSON" in records[1]["error"]
    assert "must be 0 or more" in records[2]["error"]
    assert records[3]["urgency"] == "emergency"
    assert "line 1 (id b1)" in result.stderr


def test_json_and_text_formats(tmp_path: Path) -> None:
    path = _write(tmp_path, [json.dumps(GOOD)])
    as_json = runner.invoke(app, ["assess", "-i", str(path), "--format", "json"])
    assert json.loads(as_json.stdout)[0]["urgency"] == "emergency"
    as_text = runner.invoke(app, ["assess", "-i", str(path), "--format", "text"])
    assert "EMERGENCY" in as_text.stdout and "Get emergency help now." in as_text.stdout


def test_missing_file_and_bad_date_are_clear(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["assess", "-i", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    bad_date = runner.invoke(app, ["assess", "-i", "-", "--today", "21/11/2026"], input="")
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output


def test_interactive_asks_three_questions_and_shows_the_answer() -> None:
    # procedure 1 (toxin) after a wrong answer, 4 days, no revisions, the words.
    typed = "99\n1\n4\n0\nmy eyebrows look uneven\n"
    result = runner.invoke(app, ["assess", "--today", "2026-11-21"], input=typed)
    assert result.exit_code == 0, result.output
    assert "Please type a number from 1 to 12" in result.output
    assert "TOO EARLY TO JUDGE" in result.output
    assert "Look again on" in result.output


def test_knowledge_check_and_show() -> None:
    check = runner.invoke(app, ["knowledge", "check"])
    assert check.exit_code == 0 and "is valid" in check.stdout
    assert "read in en, es; written in en, es." in check.stdout
    show = runner.invoke(app, ["knowledge", "show", "rhinoplasty"])
    assert "Judge the result: day 365" in show.stdout
    unknown = runner.invoke(app, ["knowledge", "show", "nothing_like_this"])
    assert unknown.exit_code == 2


def test_help_starts_without_loading_the_language_pipeline_or_the_database() -> None:
    # Cold start of `reconsult assess --help` must stay under 0.3 s (issues 13 and 17):
    # spaCy, SQLAlchemy and pydantic-settings are loaded only by the commands that use them,
    # and neither pydantic (typer's checks of a group's unasked --help) nor rich at all.
    code = (
        "import sys; from reconsult.cli import main; sys.argv=['reconsult','assess','--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'spacy', 'sqlalchemy', 'pydantic_settings', 'pydantic', 'rich', 'yaml'}\n"
        "heavy &= {m.split('.')[0] for m in sys.modules}\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    # Each sub-command imports what it needs when it runs (issue 17).
    heavy = {"sqlalchemy", "pydantic_settings", "spacy", "weasyprint", "fastapi"}
    code = (
        "import reconsult.cli, sys; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(heavy)!r}))"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"


def test_version_names_the_package_and_its_knowledge_base() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    package = importlib.metadata.version("reconsult")
    assert result.stdout == f"reconsult {package} (knowledge base {load_knowledge().version})\n"


def test_help_gives_the_knowledge_bases_emergency_numbers() -> None:
    # The numbers are the knowledge base's (policy.yaml), never a copy in the command line.
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    numbers = " ".join(load_knowledge().policy.emergency_numbers.split())
    assert numbers in " ".join(result.stdout.split())
    cli = Path(__file__).parents[1] / "src" / "reconsult" / "cli"
    for path in sorted(cli.glob("*.py")):
        assert not re.search(r"\b(911|999|112|988)\b", path.read_text(encoding="utf-8")), path


# --- the danger questions: batch `signs` and the interview ---------------------------

NOSE = {
    "id": "n1",
    "procedure": "rhinoplasty",
    "days_since_procedure": 3,
    "prior_revisions": 0,
    "description": "My nose is swollen and a bit sore.",
}


def test_batch_lines_may_carry_answers_to_the_danger_questions(tmp_path: Path) -> None:
    lines = [
        json.dumps(NOSE),
        json.dumps({**NOSE, "id": "n2", "signs": {"chest_pain": True, "fever": False}}),
        json.dumps(
            {
                **NOSE,
                "id": "n3",
                "description": "I have chest pain.",
                "signs": {"chest_pain": False},
            }
        ),
        json.dumps({**NOSE, "id": "n4", "signs": {"glowing_ears": True}}),
        json.dumps({**NOSE, "id": "n5", "signs": {"fever": "no"}}),
    ]
    result = runner.invoke(
        app, ["assess", "-i", str(_write(tmp_path, lines)), "--today", "2026-11-21"]
    )
    records = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert records["n1"]["urgency"] != "emergency"
    assert records["n2"]["urgency"] == "emergency"  # a yes counts, whatever the words
    assert records["n3"]["urgency"] == "emergency"  # a no does not hide the words
    assert "glowing_ears" in records["n4"]["error"]
    assert records["n5"]["error"] == "signs.fever must be true or false"
    assert result.exit_code == 1


def _number_of(output: str, words: str) -> str:
    """Return the number printed before ``words`` in a numbered list."""
    match = re.search(rf"(\d+)\. {re.escape(words)}", output)
    assert match, f"{words!r} is not in the list:\n{output}"
    return match.group(1)


def _nose_interview(days: str, words: str, *answers: str) -> str:
    nose = str(list(load_knowledge().procedures).index("rhinoplasty") + 1)
    typed = "\n".join([nose, days, "0", words, *answers]) + "\n"
    result = runner.invoke(app, ["assess", "--today", "2026-11-21"], input=typed)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_interview_asks_the_danger_questions_for_this_stage() -> None:
    early = _nose_interview("3", "My nose is swollen and a bit sore.")
    assert "Is any of this happening now?" in early
    assert "You have chest pain, or you are coughing up blood" in early
    assert "None of these" in early
    # No answer given (the input ended): the words alone, and it says so.
    assert "You did not answer the danger questions" in early
    assert "TOO EARLY TO JUDGE" in early
    late = _nose_interview("120", "My nose is still a bit crooked.", "0")
    asked = late.split("Is any of this happening now?", 1)[1].split("None of these", 1)[0]
    assert "chest pain" not in asked and "calf" not in asked
    assert "thoughts of ending your life" in asked


def test_a_danger_sign_ticked_in_the_interview_gives_emergency() -> None:
    words = "My nose is swollen and a bit sore."
    number = _number_of(_nose_interview("3", words), "You have chest pain")
    output = _nose_interview("3", words, f"0 {number}", number)
    assert "not both" in output  # "0" and a number together is asked again
    assert "EMERGENCY" in output
    assert "You did not answer" not in output


def test_none_of_these_gives_the_answer_from_the_words() -> None:
    output = _nose_interview("3", "My nose is swollen and a bit sore.", "none")
    assert "EMERGENCY" not in output
    assert "TOO EARLY TO JUDGE" in output


def test_emergency_words_are_answered_without_more_questions() -> None:
    output = _nose_interview("3", "My nose will not stop bleeding and I cannot breathe.")
    assert "Is any of this happening now?" not in output
    assert "EMERGENCY" in output


def test_knowledge_show_lists_the_danger_questions_and_their_days() -> None:
    show = runner.invoke(app, ["knowledge", "show", "rhinoplasty"]).stdout
    assert "Danger questions" in show
    assert re.search(r"chest_pain\s+days 0 to 89\s+You have chest pain", show)
    assert re.search(r"suicidal_thoughts\s+every day", show)


# --- reconsult serve ------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["personal", "server"])
def test_serve_on_a_busy_port_says_so_and_never_that_it_runs(
    mode: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path))
    for name in ("RECONSULT_MODE", "RECONSULT_HOST", "RECONSULT_PORT", "RECONSULT_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as taken:  # another program already listens on the port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port), "--mode", mode])
    assert result.exit_code == 2
    assert f"Port {port} is already in use" in result.stderr
    assert "--port" in result.stderr  # how to choose another
    assert "running at" not in result.output and "listening on" not in result.output
    assert isinstance(result.exception, SystemExit)  # a plain exit, not a traceback


# --- the interview: when the procedure was, in words -----------------------------------

SORE_NOSE = "My nose is swollen and a bit sore."


def _answer_part(output: str) -> str:
    """The answer shown at the end, after the last question."""
    return output.rsplit("or 0 for none:", 1)[1]


@pytest.mark.parametrize(
    ("said", "days", "echo"),
    [
        ("today", "0", "That is today."),
        ("2 hours ago", "0", "That is today."),
        ("this morning", "0", "That is today."),
        ("yesterday", "1", "That is yesterday, 1 day ago."),
        ("3 weeks ago", "21", "That is 21 days ago."),
        ("2026-11-14", "7", "That is 7 days ago."),
    ],
)
def test_the_interview_takes_when_it_was_in_words(said: str, days: str, echo: str) -> None:
    in_words = _nose_interview(said, SORE_NOSE, "0")
    assert echo in in_words  # says how it read the words, so the person can check
    assert "Please type a number of days" not in in_words
    assert _answer_part(in_words) == _answer_part(_nose_interview(days, SORE_NOSE, "0"))


@pytest.mark.parametrize(
    ("said", "problem"),
    [
        ("soon", "Please type a number of days, like 10, or words like yesterday"),
        ("2999-01-01", "That day is still to come."),
    ],
)
def test_the_interview_asks_again_when_it_cannot_read_when(said: str, problem: str) -> None:
    output = _nose_interview(f"{said}\n3", SORE_NOSE, "0")
    assert problem in output
    assert _answer_part(output) == _answer_part(_nose_interview("3", SORE_NOSE, "0"))
