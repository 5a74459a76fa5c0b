"""`reconsult providers import|status|search` from a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconsult.cli import app
from tests.providers.conftest import kept_codes, person
from tools.nppes_synthetic import MALFORMED_KINDS, monthly_file_name, write_monthly_csv

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test gets its own data folder (and so its own SQLite database)."""
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RECONSULT_DATABASE_URL", raising=False)
    return tmp_path


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output.strip()


def test_import_then_status_then_search(tmp_path: Path) -> None:
    generated = write_monthly_csv(
        tmp_path / monthly_file_name(),
        1500,
        seed=11,
        providers=[person("1000000011", "RIVERA", "10001", "207YS0123X")],
        malformed=MALFORMED_KINDS,
        cosmetic_codes=kept_codes(),
        cosmetic_share=0.05,
    )
    said = run("providers", "import", str(generated.path), "--quiet")
    assert f"Read {generated.lines - 1:,} rows of {generated.path.name} (monthly)" in said
    assert f"The directory now holds {len(generated.expected_in_us):,} providers." in said
    assert "6 lines could not be read and were left out:" in said
    assert f"line {generated.malformed_lines[0]:,}:" in said

    status = json.loads(run("providers", "status", "--json"))
    assert status["providers"] == len(generated.expected_in_us)
    assert status["last_file"] == generated.path.name and status["file_kind"] == "monthly"

    found = run(
        "providers", "search", "--zip", "10001", "--procedure", "rhinoplasty", "--radius", "5"
    )
    assert "list a specialty that fits" in found
    assert "does not mean they are board certified" in found
    assert "1. Alex Rivera, MD  (0.0 miles)" in found
    assert "1 Main St, New York, NY 10001" in found and "(212) 555-0100" in found

    as_json = json.loads(
        run("providers", "search", "--zip", "10001", "--procedure", "rhinoplasty", "--json")
    )
    assert as_json["hits"][0]["provider"]["npi"] == "1000000011"


def test_the_import_report_as_json_lists_the_broken_lines(tmp_path: Path) -> None:
    generated = write_monthly_csv(
        tmp_path / monthly_file_name(), 300, seed=2, malformed=("empty_line", "too_many_columns")
    )
    report = json.loads(run("providers", "import", str(generated.path), "--json"))
    assert [p["line"] for p in report["problems"]] == list(generated.malformed_lines)
    assert report["problem_count"] == 2


def test_mistakes_are_explained(tmp_path: Path) -> None:
    assert "The directory is empty" in run("providers", "status")
    empty = run("providers", "search", "--zip", "10001", "--procedure", "rhinoplasty", code=1)
    assert "reconsult providers import" in empty
    assert "no file" in run(
        "providers", "import", str(tmp_path / "nope.csv"), "--kind", "monthly", code=1
    )
    assert "Unknown procedure 'nose'" in run(
        "providers", "search", "--zip", "10001", "--procedure", "nose", code=1
    )
    assert "--kind must be" in run("providers", "import", "x.csv", "--kind", "daily", code=1)
