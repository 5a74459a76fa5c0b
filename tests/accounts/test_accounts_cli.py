"""`reconsult accounts ...`: what whoever runs the server does from a terminal."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import typer
from typer.testing import CliRunner

from reconsult.accounts.invitations import INVITATION_DAYS, accept_invitation
from reconsult.accounts.sessions import signed_in, start_session
from reconsult.accounts.users import (
    RESET_LINK_HOURS,
    AccountError,
    authenticate,
    reset_password,
)
from reconsult.cli import app
from reconsult.settings import Settings
from reconsult.storage import Database, open_database
from tests.accounts import HASHER, NOW, make_owned_case, make_user

runner = CliRunner()
IDLE = dt.timedelta(days=7)


@pytest.fixture(autouse=True)
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test gets its own data folder (and so its own SQLite database)."""
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path / "data"))
    for name in ("RECONSULT_DATABASE_URL", "RECONSULT_PUBLIC_HOSTS", "RECONSULT_MODE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def server_db(data_dir: Path) -> Iterator[Database]:
    """The database the command opens, to set up accounts and check what it did."""
    database = open_database(Settings().resolved_database_url())
    yield database
    database.close()


def run(*args: str) -> str:
    result = runner.invoke(app, ["accounts", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def refused(*args: str) -> str:
    """Run a command that must refuse: exit status 2 and one plain line."""
    result = runner.invoke(app, ["accounts", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output.strip()


def _commands(group: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under a group, with its words (typer carries its own copy of click)."""
    for name, command in group.commands.items():
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def test_every_command_argument_and_option_says_what_it_is_for() -> None:
    accounts = typer.main.get_command(app).commands["accounts"]  # type: ignore[attr-defined]
    found = dict(_commands(accounts, ("accounts",)))
    assert {" ".join(p) for p in found} >= {
        "accounts clinic add",
        "accounts clinic list",
        "accounts staff add",
        "accounts staff remove",
        "accounts reset-link",
        "accounts invite",
        "accounts sign-out",
        "accounts list",
    }
    for path, command in found.items():
        assert command.help, path
        for param in command.params:
            assert getattr(param, "help", None), (path, param.name)
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, result.output


# --- clinics and staff -----------------------------------------------------------------


def test_clinics_are_added_and_listed_with_their_staff(server_db: Database) -> None:
    assert "no clinics yet" in run("clinic", "list")
    make_user(server_db, "nurse@aster.example")
    make_user(server_db, "doc@aster.example")
    said = run("clinic", "add", "Aster  Clinic")
    assert "Added the clinic 'Aster Clinic'" in said
    assert 'reconsult accounts staff add "Aster Clinic" EMAIL' in said
    run("clinic", "add", "Zinnia Clinic")
    assert "is now on the staff of Aster Clinic" in run(
        "staff", "add", "Aster Clinic", "Nurse@Aster.example"
    )
    run("staff", "add", "Aster Clinic", "doc@aster.example")

    assert run("clinic", "list").splitlines() == [
        "Aster Clinic: doc@aster.example, nurse@aster.example",
        "Zinnia Clinic: no staff yet",
    ]
    assert json.loads(run("clinic", "list", "--json")) == [
        {"name": "Aster Clinic", "staff": ["doc@aster.example", "nurse@aster.example"]},
        {"name": "Zinnia Clinic", "staff": []},
    ]


def test_a_clinic_name_already_taken_is_refused(server_db: Database) -> None:
    run("clinic", "add", "Aster Clinic")
    assert "already a clinic called 'Aster Clinic'" in refused("clinic", "add", "Aster Clinic")
    assert "1 to 200 characters" in refused("clinic", "add", "   ")


def test_staff_are_taken_off_a_clinic(server_db: Database) -> None:
    make_user(server_db, "nurse@aster.example")
    run("clinic", "add", "Aster Clinic")
    run("staff", "add", "Aster Clinic", "nurse@aster.example")
    said = run("staff", "remove", "Aster Clinic", "NURSE@aster.example")
    assert "nurse@aster.example is no longer on the staff of Aster Clinic" in said
    assert run("clinic", "list") == "Aster Clinic: no staff yet"
    assert "is not on the staff of Aster Clinic. Nothing changed." in refused(
        "staff", "remove", "Aster Clinic", "nurse@aster.example"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["staff", "add", "Lupin", "nurse@aster.example"], "no clinic called 'Lupin'"),
        (["staff", "add", "Aster Clinic", "new@aster.example"], "Ask them to sign up first"),
        (["staff", "add", "Aster Clinic", "nurse@aster.example"], "already on this clinic's staff"),
        (["staff", "remove", "Lupin", "nurse@aster.example"], "no clinic called 'Lupin'"),
        (["staff", "remove", "Aster Clinic", "new@aster.example"], "is not on the staff"),
    ],
    ids=[
        "add-unknown-clinic",
        "add-no-account",
        "add-twice",
        "remove-unknown-clinic",
        "remove-no-account",
    ],
)
def test_bad_staff_changes_are_refused_plainly(
    server_db: Database, args: list[str], message: str
) -> None:
    make_user(server_db, "nurse@aster.example")
    run("clinic", "add", "Aster Clinic")
    run("staff", "add", "Aster Clinic", "nurse@aster.example")
    assert message in refused(*args)
    assert run("clinic", "list") == "Aster Clinic: nurse@aster.example"


# --- reset links -----------------------------------------------------------------------


def test_a_reset_link_is_printed_once_and_sets_a_new_password(server_db: Database) -> None:
    user = make_user(server_db, "ana@example.org")
    signed_in_before = start_session(server_db, user.id, now=NOW, idle=IDLE)
    said = run("reset-link", "Ana@Example.org", "--base-url", "https://care.example.org/")
    link, *rest = said.splitlines()
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "care.example.org",
        "/account/reset",
    )
    (token,) = parse_qs(parts.query)["token"]
    explanation = " ".join(rest)
    assert f"works once, for {RESET_LINK_HOURS} hours" in explanation
    assert "privately" in explanation and "ana@example.org" in explanation
    assert "signed out everywhere" in explanation

    now = dt.datetime.now(dt.UTC)
    reset_password(server_db, HASHER, token, "a brand new passphrase", now=now)
    assert authenticate(server_db, HASHER, user.email, "a brand new passphrase") == user
    assert signed_in(server_db, signed_in_before, now=now, idle=IDLE) is None


def test_a_reset_link_uses_the_public_host_when_no_address_is_given(
    server_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(server_db, "ana@example.org")
    assert "--base-url" in refused("reset-link", "ana@example.org")
    monkeypatch.setenv("RECONSULT_PUBLIC_HOSTS", "care.example.org, www.care.example.org")
    link = run("reset-link", "ana@example.org").splitlines()[0]
    assert link.startswith("https://care.example.org/account/reset?token=")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.org", "--base-url", "https://care.example.org"], "no account"),
        (["ana@example.org", "--base-url", "care.example.org"], "must look like https://"),
        (["ana@example.org", "--base-url", "ftp://care.example.org"], "must look like https://"),
        (["ana@example.org", "--base-url", "https://care.example.org/?a=1"], "must look like"),
    ],
    ids=["unknown-email", "no-scheme", "wrong-scheme", "query"],
)
def test_a_bad_reset_link_request_is_refused_plainly(
    server_db: Database, args: list[str], message: str
) -> None:
    make_user(server_db, "ana@example.org")
    assert message in refused("reset-link", *args)


# --- invitations -----------------------------------------------------------------------


def test_an_invitation_link_is_printed_and_makes_one_account_for_that_address(
    server_db: Database,
) -> None:
    said = run("invite", " Ana@Example.org ", "--base-url", "https://care.example.org/")
    link, *rest = said.splitlines()
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "care.example.org",
        "/account/sign-up",
    )
    (token,) = parse_qs(parts.query)["invite"]
    explanation = " ".join(rest)
    assert f"works once, for {INVITATION_DAYS} days" in explanation
    assert "only makes an account for ana@example.org" in explanation
    assert "privately" in explanation

    now = dt.datetime.now(dt.UTC)
    user = accept_invitation(server_db, HASHER, token, "a brand new passphrase", now=now)
    assert user.email == "ana@example.org"
    assert authenticate(server_db, HASHER, "ana@example.org", "a brand new passphrase") == user
    with pytest.raises(AccountError, match="already used"):
        accept_invitation(server_db, HASHER, token, "another new passphrase", now=now)


def test_an_invitation_uses_the_public_host_when_no_address_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "--base-url" in refused("invite", "ana@example.org")
    monkeypatch.setenv("RECONSULT_PUBLIC_HOSTS", "care.example.org, www.care.example.org")
    link = run("invite", "ana@example.org").splitlines()[0]
    assert link.startswith("https://care.example.org/account/sign-up?invite=")


def test_an_address_that_has_an_account_is_not_invited_but_pointed_to_a_reset_link(
    server_db: Database,
) -> None:
    make_user(server_db, "ana@example.org")
    said = refused("invite", "ANA@example.org", "--base-url", "https://care.example.org")
    assert said == (
        "reconsult: ana@example.org already has an account. If they forgot the password, "
        "send a reset link: reconsult accounts reset-link ana@example.org"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ana", "--base-url", "https://care.example.org"], "'ana' is not an email address"),
        (["", "--base-url", "https://care.example.org"], "is not an email address"),
        (["ana@example.org", "--base-url", "care.example.org"], "must look like https://"),
        (["ana@example.org", "--base-url", "https://care.example.org/#x"], "must look like"),
    ],
    ids=["not-an-address", "empty", "no-scheme", "fragment"],
)
def test_a_bad_invitation_request_is_refused_plainly(
    server_db: Database, args: list[str], message: str
) -> None:
    said = refused("invite", *args)
    assert message in said and len(said.splitlines()) == 1


# --- signing out and listing -----------------------------------------------------------


def test_sign_out_ends_every_session_of_that_account_and_says_how_many(
    server_db: Database,
) -> None:
    ana = make_user(server_db, "ana@example.org")
    bo = make_user(server_db, "bo@example.org")
    now = dt.datetime.now(dt.UTC)
    hers = [start_session(server_db, ana.id, now=now, idle=IDLE) for _ in range(2)]
    his = start_session(server_db, bo.id, now=now, idle=IDLE)
    assert run("sign-out", "ANA@example.org") == "Signed ana@example.org out of 2 browsers."
    assert all(signed_in(server_db, t, now=now, idle=IDLE) is None for t in hers)
    assert signed_in(server_db, his, now=now, idle=IDLE) is not None
    assert "not signed in anywhere" in run("sign-out", "ana@example.org")
    assert run("sign-out", "bo@example.org") == "Signed bo@example.org out of 1 browser."
    assert "no account with the email address nobody@example.org" in refused(
        "sign-out", "Nobody@example.org"
    )


def test_accounts_are_listed_with_their_cases_and_clinics(server_db: Database) -> None:
    assert "no accounts yet" in run("list")
    ana = make_user(server_db, "ana@example.org")
    make_user(server_db, "nurse@aster.example", now=NOW + dt.timedelta(days=3))
    make_owned_case(server_db, ana, title="Lips")
    make_owned_case(server_db, ana, title="Nose")
    run("clinic", "add", "Aster Clinic")
    run("clinic", "add", "Bluebell Group")
    run("staff", "add", "Bluebell Group", "nurse@aster.example")
    run("staff", "add", "Aster Clinic", "nurse@aster.example")

    assert run("list").splitlines() == [
        "ana@example.org  (since 2026-11-21; 2 cases)",
        "nurse@aster.example  (since 2026-11-24; 0 cases; staff of Aster Clinic, Bluebell Group)",
    ]
    assert json.loads(run("list", "--json")) == [
        {
            "email": "ana@example.org",
            "created": "2026-11-21",
            "cases": 2,
            "clinics": [],
            "wrong_passwords_last_hour": None,
        },
        {
            "email": "nurse@aster.example",
            "created": "2026-11-24",
            "cases": 0,
            "clinics": ["Aster Clinic", "Bluebell Group"],
            "wrong_passwords_last_hour": None,
        },
    ]
