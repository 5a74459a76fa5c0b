"""Sign-up does not tell anyone who has an account: invitations by default, open sign-up limited.

Every test runs on SQLite and on PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from reconsult.accounts.invitations import INVITATION_DAYS, new_invitation_token
from reconsult.accounts.tables import UserRow
from reconsult.accounts.users import find_user, sign_up
from reconsult.cli import app as cli_app
from reconsult.web.access.identity import SESSION_COOKIE
from tests.conftest import BASE_URL
from tests.server.conftest import CHEAP, PASSWORD, browser

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
BY_INVITATION = "Accounts are made by invitation"
GONE = "The link has expired or was already used"


class Clock:
    """A 'now' the test moves forward."""

    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> dt.datetime:
        return self.at


def _accounts(app: FastAPI) -> int:
    with app.state.reconsult.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)


def _from(app: FastAPI, host: str) -> TestClient:
    """A browser at network address ``host``."""
    return TestClient(app, base_url=BASE_URL, client=(host, 50000), follow_redirects=False)


def _post(client: TestClient, email: str, **extra: str) -> tuple[int, str]:
    answer = client.post(
        "/account/sign-up",
        data={"email": email, "new_password": PASSWORD, "confirm": PASSWORD, **extra},
    )
    return answer.status_code, answer.text


def _invite(app: FastAPI, email: str) -> str:
    state = app.state.reconsult
    return new_invitation_token(state.database, email, now=state.now())


# --- invitation only (the default) -----------------------------------------------------


def test_by_default_sign_up_answers_the_same_whether_or_not_an_address_has_an_account(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with(open_sign_up=False)
    state = app.state.reconsult
    addresses = [f"person{n}@example.org" for n in range(50)]
    taken = addresses[::5]  # 10 of the 50 have accounts
    for email in taken:
        sign_up(state.database, CHEAP, email, PASSWORD, now=state.now())
    client = _from(app, "203.0.113.7")

    answers: dict[str, str] = {}
    for email in addresses:
        status, text = _post(client, email)
        assert status == 403, (email, text)
        answers[email] = text.replace(email, "")
    assert BY_INVITATION in answers[taken[0]]
    assert "already" not in answers[taken[0]]
    assert len(set(answers.values())) == 1  # byte for byte, taken or free
    assert _accounts(app) == len(taken)
    assert all(find_user(state.database, e) is None for e in addresses if e not in taken)


def test_by_default_the_sign_up_page_says_to_ask_for_an_invitation(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with(open_sign_up=False)
    client = browser(app)
    page = client.get("/account/sign-up")
    assert page.status_code == 200
    assert BY_INVITATION in page.text
    assert "ask them to send you a link" in page.text
    assert 'name="new_password"' not in page.text and 'name="email"' not in page.text
    # The guided questions and help work without an account.
    assert 'href="/"' in page.text and 'href="/help"' in page.text
    assert client.get("/").status_code == 200 and client.get("/help").status_code == 200
    # No page sends people to a sign-up they cannot use.
    sign_in = client.get("/account/sign-in").text
    assert 'href="/account/sign-up"' not in sign_in
    assert "made by invitation" in sign_in


def test_with_open_sign_up_the_sign_in_page_links_to_it(app_with: Callable[..., FastAPI]) -> None:
    app = app_with(open_sign_up=True)
    client = browser(app)
    assert 'href="/account/sign-up">Create an account' in client.get("/account/sign-in").text
    page = client.get("/account/sign-up")
    assert page.status_code == 200 and 'name="email"' in page.text
    assert BY_INVITATION not in page.text


def test_an_invitation_makes_one_account_for_its_own_address(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with(open_sign_up=False)
    token = _invite(app, "Ana@Example.org")
    client = browser(app)
    form = client.get(f"/account/sign-up?invite={token}")
    assert form.status_code == 200
    assert "This invitation is for ana@example.org" in form.text
    assert 'name="email"' not in form.text  # the address cannot be changed
    assert f'name="invite" value="{token}"' in form.text
    assert 'name="new_password"' in form.text and 'name="confirm"' in form.text

    # A typed address is ignored: the account is the invitation's.
    status, _ = _post(client, "mallory@example.net", invite=token)
    assert status == 303
    assert "ana@example.org" in client.get("/account").text
    database = app.state.reconsult.database
    assert find_user(database, "mallory@example.net") is None
    assert find_user(database, "ana@example.org") is not None
    assert _accounts(app) == 1

    # Used once: the link now says so, and makes nothing.
    again = browser(app)
    page = again.get(f"/account/sign-up?invite={token}")
    assert GONE in page.text and 'name="new_password"' not in page.text
    status, text = _post(again, "bo@example.org", invite=token)
    assert status == 403 and GONE in text and "ask" in text.lower()
    assert _accounts(app) == 1


def test_an_invitation_used_in_one_tab_does_not_work_in_another(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with(open_sign_up=False)
    token = _invite(app, "ana@example.org")
    first, second = browser(app), browser(app)
    for tab in (first, second):
        assert (
            "This invitation is for ana@example.org"
            in tab.get(f"/account/sign-up?invite={token}").text
        )
    assert _post(first, "", invite=token)[0] == 303
    status, text = _post(second, "", invite=token)
    assert status == 403 and GONE in text
    assert SESSION_COOKIE not in second.cookies  # the second tab is not signed in
    assert second.get("/cases").status_code == 303
    assert _accounts(app) == 1


def test_a_weak_password_or_a_mismatch_does_not_use_up_the_invitation(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with(open_sign_up=False)
    token = _invite(app, "ana@example.org")
    client = browser(app)
    weak = client.post(
        "/account/sign-up", data={"invite": token, "new_password": "short", "confirm": "short"}
    )
    assert weak.status_code == 400 and "at least 10 characters" in weak.text
    assert "This invitation is for ana@example.org" in weak.text
    mismatch = client.post(
        "/account/sign-up",
        data={"invite": token, "new_password": PASSWORD, "confirm": PASSWORD + "x"},
    )
    assert mismatch.status_code == 400 and "not the same" in mismatch.text
    assert _accounts(app) == 0
    assert _post(client, "", invite=token)[0] == 303


def test_an_invitation_expires_after_its_days(app_with: Callable[..., FastAPI]) -> None:
    clock = Clock()
    app = app_with(open_sign_up=False, now=clock)
    early, late = _invite(app, "ana@example.org"), _invite(app, "bo@example.org")
    clock.at = START + dt.timedelta(days=INVITATION_DAYS) - dt.timedelta(minutes=1)
    assert _post(browser(app), "", invite=early)[0] == 303
    clock.at = START + dt.timedelta(days=INVITATION_DAYS)
    client = browser(app)
    assert GONE in client.get(f"/account/sign-up?invite={late}").text
    status, text = _post(client, "bo@example.org", invite=late)
    assert status == 403 and GONE in text
    assert find_user(app.state.reconsult.database, "bo@example.org") is None


def test_expired_used_and_made_up_links_get_the_same_answer(
    app_with: Callable[..., FastAPI],
) -> None:
    clock = Clock()
    app = app_with(open_sign_up=False, now=clock)
    expired, used = _invite(app, "ana@example.org"), _invite(app, "bo@example.org")
    clock.at = START + dt.timedelta(days=INVITATION_DAYS - 1)
    assert _post(browser(app), "", invite=used)[0] == 303
    clock.at = START + dt.timedelta(days=INVITATION_DAYS, hours=1)
    client = browser(app)
    pages = {client.get(f"/account/sign-up?invite={t}").text for t in (expired, used, "made-up")}
    posts = {_post(client, "", invite=t) for t in (expired, used, "made-up", "x" * 5000)}
    assert len(pages) == 1 and GONE in pages.pop()
    assert len(posts) == 1 and posts.pop()[0] == 403


# --- open sign-up, limited -------------------------------------------------------------


def test_open_sign_up_from_one_network_stops_at_the_network_limit(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with(open_sign_up=True, limit_sign_up=3)
    statuses = []
    for n in range(50):
        client = _from(app, f"203.0.113.{n + 1}")
        status, text = _post(client, f"person{n}@example.org")
        statuses.append(status)
        if status == 429:
            assert "Please wait" in text and "Get help now" in text
    # Each address is new, but their /24 gets 3 x limit_sign_up an hour.
    assert statuses == [303] * 9 + [429] * 41
    assert _accounts(app) == 9
    # Another network is not held up by this one.
    assert _post(_from(app, "198.51.100.1"), "other@example.org")[0] == 303


def test_open_sign_up_from_one_address_counts_every_attempt(
    app_with: Callable[..., FastAPI],
) -> None:
    clock = Clock()
    app = app_with(open_sign_up=True, limit_sign_up=3, now=clock)
    client = _from(app, "198.51.100.7")
    mismatch = client.post(
        "/account/sign-up",
        data={"email": "a@example.org", "new_password": PASSWORD, "confirm": "other"},
    )
    assert mismatch.status_code == 400
    assert _post(client, "not an address")[0] == 400
    assert _post(client, "b@example.org")[0] == 303
    status, text = _post(_from(app, "198.51.100.7"), "c@example.org")
    assert status == 429 and "Please wait" in text
    assert _accounts(app) == 1
    # A neighbour on the same network still has their own count.
    assert _post(_from(app, "198.51.100.8"), "d@example.org")[0] == 303
    # The window slides: an hour after the first attempts, one more is allowed.
    clock.at = START + dt.timedelta(hours=1, seconds=1)
    assert _post(_from(app, "198.51.100.7"), "c@example.org")[0] == 303


# --- the command that makes invitations -------------------------------------------------


def test_the_invite_command_makes_a_link_that_the_sign_up_page_takes(
    app_with: Callable[..., FastAPI], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with(open_sign_up=False)
    monkeypatch.setenv("RECONSULT_DATABASE_URL", database_url)
    monkeypatch.delenv("RECONSULT_PUBLIC_HOSTS", raising=False)
    runner = CliRunner()
    result = runner.invoke(
        cli_app, ["accounts", "invite", "Ana@Example.org", "--base-url", BASE_URL]
    )
    assert result.exit_code == 0, result.output
    link = result.output.splitlines()[0]
    match = re.fullmatch(re.escape(BASE_URL) + r"/account/sign-up\?invite=([\w-]+)", link)
    assert match, link
    assert f"for {INVITATION_DAYS} days" in result.output and "once" in result.output

    client = browser(app)
    assert "This invitation is for ana@example.org" in client.get(link).text
    assert _post(client, "", invite=match.group(1))[0] == 303

    refused = runner.invoke(
        cli_app, ["accounts", "invite", "ana@example.org", "--base-url", BASE_URL]
    )
    assert refused.exit_code == 2
    assert "ana@example.org already has an account" in refused.output
    assert "reconsult accounts reset-link ana@example.org" in refused.output
