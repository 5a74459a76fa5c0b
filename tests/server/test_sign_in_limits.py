"""Sign-in limits that slow a stranger's guessing and never lock the account's owner out.

Every test runs on SQLite and on PostgreSQL. Two apps on one database stand
for two workers. Each network address is its own client
(``TestClient(client=...)``); the clock is the apps' ``now``, which the
"attacker" moves on by the Retry-After it is told, so the time guessing
costs is measured on that clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient
from typer.testing import CliRunner

from reconsult.accounts.sign_in import MAX_DELAY
from reconsult.cli import app as cli
from reconsult.web.access.identity import DEVICE_COOKIE
from tests.conftest import BASE_URL
from tests.server.conftest import PASSWORD, sign_up

WRONG = "not the password at all"
START = dt.datetime(2026, 11, 21, 9, 0, 1, tzinfo=dt.UTC)


class Clock:
    """The apps' 'now', moved on by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def client(app: FastAPI, address: str) -> TestClient:
    """A browser at one network address."""
    return TestClient(app, base_url=BASE_URL, client=(address, 50000), follow_redirects=False)


def sign_in(browser: TestClient, email: str, password: str) -> int:
    return browser.post("/account/sign-in", data={"email": email, "password": password}).status_code


def guess_patiently(browser: TestClient, clock: Clock, email: str) -> tuple[int, float]:
    """Send one wrong password, waiting whenever told to; return its status and the wait."""
    waited = 0.0
    while True:
        answer = browser.post("/account/sign-in", data={"email": email, "password": WRONG})
        if answer.status_code != 429:
            return answer.status_code, waited
        seconds = int(answer.headers["retry-after"])
        assert seconds >= 1
        clock.wait(seconds)
        waited += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def workers(app_with: Callable[..., FastAPI], clock: Clock) -> list[FastAPI]:
    """Two workers with the default limits (10 per address, 100 per account, 1 s doubling)."""
    apps = [
        app_with(now=clock, limit_sign_in=10, limit_sign_in_account=100, sign_in_delay=1.0)
        for _ in range(2)
    ]
    sign_up(apps[0], "ana@example.org")
    return apps


def test_fifty_wrong_passwords_from_five_addresses_do_not_keep_the_owner_out(
    workers: list[FastAPI], clock: Clock
) -> None:
    addresses = [f"198.51.100.{n}" for n in range(1, 6)]
    started = clock.now
    statuses = []
    for _ in range(10):
        for n, address in enumerate(addresses):
            status, _ = guess_patiently(client(workers[n % 2], address), clock, "ana@example.org")
            statuses.append(status)
    cost = (clock.now - started).total_seconds()
    assert statuses == [400] * 50  # every guess was checked, and every one was wrong
    # Guessing was slowed: after 5 free guesses, each address waited 1 s, 2 s, 4 s ... 5 min
    # after its own last guess (measured: 2,416 s for these 50; before issue 16, none).
    assert cost >= 6 * MAX_DELAY.total_seconds()
    owner = client(workers[1], "203.0.113.77")  # a sixth address, a browser new to the account
    assert sign_in(owner, "ana@example.org", PASSWORD) == 303


def test_an_address_that_keeps_guessing_waits_longer_each_time_and_its_right_guess_is_not_checked(
    workers: list[FastAPI], clock: Clock
) -> None:
    attacker = client(workers[0], "198.51.100.9")
    waits = [guess_patiently(attacker, clock, "ana@example.org")[1] for _ in range(9)]
    assert waits[:5] == [0, 0, 0, 0, 0]
    assert waits[5:] == [1, 2, 4, 8]  # doubling: a sliding wait, not a clock-aligned window
    refused = attacker.post(
        "/account/sign-in", data={"email": "ana@example.org", "password": PASSWORD}
    )
    # Told to wait even with the right password: the answer says nothing about the guess.
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) == 16
    assert "Please wait 16 seconds" in refused.text
    assert "911" in refused.text and 'href="/help"' in refused.text  # help is never hidden


def test_one_address_gets_ten_wrong_passwords_in_fifteen_minutes_over_all_accounts(
    workers: list[FastAPI], clock: Clock
) -> None:
    sprayer = client(workers[0], "198.51.100.20")
    answers = [sign_in(sprayer, f"person{n}@example.org", WRONG) for n in range(11)]
    assert answers == [400] * 10 + [429]
    stopped = sprayer.post("/account/sign-in", data={"email": "x@example.org", "password": WRONG})
    assert "from this network" in stopped.text
    assert int(stopped.headers["retry-after"]) == 15 * 60
    clock.wait(15 * 60 + 1)
    assert sign_in(sprayer, "ana@example.org", PASSWORD) == 303


def test_right_passwords_never_count(workers: list[FastAPI]) -> None:
    """Ten sign-ins in a row, and two people behind one clinic address, are never slowed."""
    sign_up(workers[0], "bo@example.org")
    clinic = "192.0.2.50"
    for n in range(10):
        assert sign_in(client(workers[n % 2], clinic), "ana@example.org", PASSWORD) == 303
        assert sign_in(client(workers[n % 2], clinic), "bo@example.org", PASSWORD) == 303
    api = client(workers[0], clinic)
    for _ in range(10):
        answer = api.post(
            "/api/v1/sessions", json={"email": "ana@example.org", "password": PASSWORD}
        )
        assert answer.status_code == 201


def test_a_right_password_clears_the_accounts_wrong_ones(
    workers: list[FastAPI], clock: Clock
) -> None:
    typist = client(workers[0], "198.51.100.30")
    for _ in range(7):
        guess_patiently(typist, clock, "ana@example.org")
    assert sign_in(typist, "ana@example.org", WRONG) == 429  # slowed down
    clock.wait(60)
    assert sign_in(typist, "ana@example.org", PASSWORD) == 303
    waits = [guess_patiently(typist, clock, "ana@example.org")[1] for _ in range(5)]
    assert waits == [0, 0, 0, 0, 0]  # counting starts again


def test_a_browser_that_signed_in_before_gets_in_past_the_accounts_ceiling(
    app_with: Callable[..., FastAPI], clock: Clock
) -> None:
    app = app_with(now=clock, limit_sign_in=10, limit_sign_in_account=20, sign_in_delay=0)
    sign_up(app, "ana@example.org")
    phone, program = client(app, "203.0.113.5"), client(app, "203.0.113.7")
    assert sign_in(phone, "ana@example.org", PASSWORD) == 303
    assert phone.cookies.get(DEVICE_COOKIE)
    ana = {"email": "ana@example.org", "password": PASSWORD}
    assert program.post("/api/v1/sessions", json=ana).status_code == 201

    def stranger_reaches_the_ceiling() -> None:
        for n in range(20):  # from four addresses, five each
            assert sign_in(client(app, f"198.51.100.{n % 4}"), "ana@example.org", WRONG) == 400

    stranger_reaches_the_ceiling()
    new_laptop = client(app, "203.0.113.6")
    refused = new_laptop.post("/account/sign-in", data=ana)
    assert refused.status_code == 429
    assert "signed in to it before" in refused.text
    assert client(app, "203.0.113.8").post("/api/v1/sessions", json=ana).status_code == 429
    assert sign_in(phone, "ana@example.org", PASSWORD) == 303  # the owner's phone gets in

    stranger_reaches_the_ceiling()  # the phone's sign-in cleared the count; again
    assert new_laptop.post("/account/sign-in", data=ana).status_code == 429
    assert program.post("/api/v1/sessions", json=ana).status_code == 201  # it kept its cookie
    clock.wait(3601)
    assert new_laptop.post("/account/sign-in", data=ana).status_code == 303


def test_a_trusted_browser_that_guesses_is_trusted_no_more(
    app_with: Callable[..., FastAPI], clock: Clock
) -> None:
    app = app_with(now=clock, limit_sign_in=3, limit_sign_in_account=100, sign_in_delay=0)
    sign_up(app, "ana@example.org")
    stolen = client(app, "203.0.113.5")
    assert sign_in(stolen, "ana@example.org", PASSWORD) == 303
    assert [sign_in(stolen, "ana@example.org", WRONG) for _ in range(4)] == [400, 400, 400, 429]
    clock.wait(15 * 60 + 1)
    # No longer trusted: its guesses now count against its address like anyone's.
    assert [sign_in(stolen, "ana@example.org", WRONG) for _ in range(4)] == [400, 400, 400, 429]


def test_a_refusal_reads_the_same_for_an_address_with_an_account_and_one_without(
    workers: list[FastAPI], clock: Clock
) -> None:
    answers = {}
    for n, email in enumerate(("ana@example.org", "nobody@example.org")):
        attacker = client(workers[0], f"198.51.100.{40 + n}")
        for _ in range(6):
            guess_patiently(attacker, clock, email)
        refused = attacker.post("/account/sign-in", data={"email": email, "password": WRONG})
        answers[email] = (refused.status_code, refused.headers["retry-after"], refused.text)
    assert answers["ana@example.org"] == answers["nobody@example.org"]


def test_a_refused_sign_in_is_in_the_owners_activity_and_the_operators_list(
    workers: list[FastAPI],
    clock: Clock,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attacker = client(workers[0], "198.51.100.60")
    for _ in range(6):
        guess_patiently(attacker, clock, "ana@example.org")
    owner = client(workers[1], "203.0.113.5")
    assert sign_in(owner, "ana@example.org", PASSWORD) == 303
    activity = owner.get("/account/activity").text
    assert "Sign-in paused after many wrong passwords" in activity
    assert "198.51.100.60" in activity and "Your account" in activity
    assert 'href="/account/password"' in activity and "(not done)" not in activity

    for n in range(7):  # after the owner's sign-in cleared the count, more guessing
        guess_patiently(client(workers[0], f"198.51.100.{70 + n % 3}"), clock, "ana@example.org")
    monkeypatch.setenv("RECONSULT_DATABASE_URL", database_url)
    monkeypatch.setenv("RECONSULT_LIMIT_SIGN_IN_ACCOUNT", "7")
    monkeypatch.setattr("reconsult.cli.accounts_command._now", clock)
    listed = CliRunner().invoke(cli, ["accounts", "list"])
    assert listed.exit_code == 0, listed.output
    assert "! 7 wrong passwords in the last hour from 3 network addresses" in listed.output
    assert "browsers that never signed in to it are refused until" in listed.output


def test_the_browser_that_made_the_account_is_trusted_like_one_that_signed_in(
    app_with: Callable[..., FastAPI], clock: Clock
) -> None:
    app = app_with(now=clock, limit_sign_in=10, limit_sign_in_account=5, sign_in_delay=0)
    maker = sign_up(app, "ana@example.org")
    assert maker.cookies.get(DEVICE_COOKIE)
    for n in range(5):
        assert sign_in(client(app, f"198.51.100.{n}"), "ana@example.org", WRONG) == 400
    assert sign_in(client(app, "203.0.113.6"), "ana@example.org", PASSWORD) == 429
    assert sign_in(maker, "ana@example.org", PASSWORD) == 303
