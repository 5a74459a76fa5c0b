"""Settings are documented, read from RECONSULT_* variables, and keep personal mode private."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconsult.cli import app as cli
from reconsult.cli.serve_command import is_loopback
from reconsult.settings import Mode, Settings

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_described_and_in_the_readme(name: str) -> None:
    field = Settings.model_fields[name]
    assert field.description, f"{name} has no description"
    assert f"RECONSULT_{name.upper()}" in README.read_text(encoding="utf-8")


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECONSULT_PORT", "8123")
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.port == 8123
    assert settings.mode is Mode.personal
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'reconsult.sqlite3'}"


def test_database_url_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1/test"
    monkeypatch.setenv("RECONSULT_DATABASE_URL", url)
    assert Settings().resolved_database_url() == url


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.0.0.5", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_to_listen_on_the_network() -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "only listens on this computer" in result.output


def test_server_mode_with_several_workers_needs_postgresql(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["serve", "--mode", "server", "--workers", "4"])
    assert result.exit_code == 2
    assert "needs PostgreSQL" in result.output


def test_server_mode_says_so_when_the_database_cannot_be_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RECONSULT_MODE", "server")
    monkeypatch.setenv(
        "RECONSULT_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    )
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "Could not open the database" in result.output
