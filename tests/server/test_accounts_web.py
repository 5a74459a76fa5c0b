"""Accounts in the browser: sign up, in and out, change and reset a password, limits, cookies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import FastAPI
from starlette.testclient import TestClient

from reconsult.accounts.users import new_reset_link_token
from reconsult.web.access.identity import SESSION_COOKIE
from tests.conftest import BASE_URL
from tests.server.conftest import PASSWORD, browser, sign_up

NEW_PASSWORD = "another long password"


def _sign_in(client: TestClient, email: str, password: str, next_path: str = "") -> int:
    data = {"email": email, "password": password}
    if next_path:
        data["next"] = next_path
    return client.post("/account/sign-in", data=data).status_code


def test_sign_up_signs_in_with_a_safe_cookie(server_app: FastAPI) -> None:
    client = browser(server_app)
    answer = client.post(
        "/account/sign-up",
        data={"email": " Ana@Example.org ", "new_password": PASSWORD, "confirm": PASSWORD},
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/cases"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on this computer; https gets Secure
    page = client.get("/cases")
    assert page.status_code == 200 and "Only you can see your case files" in page.text
    assert "Your account" in page.text and "Sign out" in page.text
    assert "ana@example.org" in client.get("/account").text


def test_secure_cookie_and_hsts_over_https(app_with: Callable[..., FastAPI]) -> None:
    app = app_with(public_hosts="care.example.org")
    client = TestClient(app, base_url="https://care.example.org", follow_redirects=False)
    answer = client.post(
        "/account/sign-up",
        data={"email": "ana@example.org", "new_password": PASSWORD, "confirm": PASSWORD},
    )
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]
    assert answer.headers["strict-transport-security"] == "max-age=31536000"
    # The public name over plain http is sent to https; unknown names are refused.
    plain = TestClient(app, base_url="http://care.example.org", follow_redirects=False)
    moved = plain.get("/cases?x=1")
    assert moved.status_code == 308
    assert moved.headers["location"] == "https://care.example.org/cases?x=1"
    other = TestClient(app, base_url="https://evil.example.net", follow_redirects=False)
    assert other.get("/").status_code == 400


def test_sign_up_problems_are_said_plainly(server_app: FastAPI) -> None:
    sign_up(server_app, "ana@example.org")
    client = browser(server_app)

    def error(email: str, password: str, confirm: str | None = None) -> str:
        answer = client.post(
            "/account/sign-up",
            data={"email": email, "new_password": password, "confirm": confirm or password},
        )
        assert answer.status_code == 400
        assert answer.text.count("<title>Error:") == 1
        return answer.text

    assert "Choose a password of at least 10 characters" in error("bo@example.org", "short")
    assert "already an account" in error("ANA@example.org", PASSWORD)
    assert "email address like name@example.com" in error("not-an-address", PASSWORD)
    assert "not the same" in error("bo@example.org", PASSWORD, PASSWORD + "x")
    assert "not your email address" in error("bo@example.org1", "bo@example.org1")


def test_sign_in_goes_back_to_the_page_asked_for_and_never_elsewhere(server_app: FastAPI) -> None:
    sign_up(server_app, "ana@example.org")
    client = browser(server_app)
    first = client.get("/cases/import")
    assert first.status_code == 303
    assert first.headers["location"] == "/account/sign-in?next=/cases/import"
    assert 'name="next" value="/cases/import"' in client.get(first.headers["location"]).text
    answer = client.post(
        "/account/sign-in",
        data={"email": "ana@example.org", "password": PASSWORD, "next": "/cases/import"},
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/cases/import"
    for outside in ("https://evil.example.net/", "//evil.example.net/", "/\\evil"):
        other = browser(server_app)
        answer = other.post(
            "/account/sign-in",
            data={"email": "ana@example.org", "password": PASSWORD, "next": outside},
        )
        assert answer.headers["location"] == "/cases"


def test_a_wrong_password_or_address_gets_one_message(server_app: FastAPI) -> None:
    sign_up(server_app, "ana@example.org")
    client = browser(server_app)
    for email, password in (
        ("ana@example.org", "wrong password!"),
        ("nobody@example.org", PASSWORD),
    ):
        answer = client.post("/account/sign-in", data={"email": email, "password": password})
        assert answer.status_code == 400
        assert "The email address or the password is not right" in answer.text
        assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    assert client.get("/cases").status_code == 303


def test_sign_out_ends_the_session_for_every_worker(server_app: FastAPI) -> None:
    client = sign_up(server_app, "ana@example.org")
    stolen = client.cookies.get(SESSION_COOKIE)
    answer = client.post("/account/sign-out")
    assert answer.status_code == 303
    assert "You are signed out" in client.get(answer.headers["location"]).text
    # A copy of the old cookie no longer works: the session row is gone.
    copy = TestClient(
        server_app, base_url=BASE_URL, follow_redirects=False, cookies={SESSION_COOKIE: stolen}
    )
    assert copy.get("/cases").status_code == 303


def test_change_password_signs_out_other_browsers_only(server_app: FastAPI) -> None:
    phone = sign_up(server_app, "ana@example.org")
    laptop = browser(server_app)
    assert _sign_in(laptop, "ana@example.org", PASSWORD) == 303
    wrong = phone.post(
        "/account/password",
        data={"current": "not it at all", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    answer = phone.post(
        "/account/password",
        data={"current": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert answer.status_code == 303
    assert "Your password is changed" in phone.get(answer.headers["location"]).text
    assert laptop.get("/cases").status_code == 303  # signed out
    assert _sign_in(browser(server_app), "ana@example.org", PASSWORD) == 400
    assert _sign_in(browser(server_app), "ana@example.org", NEW_PASSWORD) == 303


def test_sign_out_everywhere_else(server_app: FastAPI) -> None:
    phone = sign_up(server_app, "ana@example.org")
    laptop = browser(server_app)
    _sign_in(laptop, "ana@example.org", PASSWORD)
    assert phone.post("/account/sign-out-elsewhere").status_code == 303
    assert phone.get("/cases").status_code == 200
    assert laptop.get("/cases").status_code == 303


def test_a_reset_link_works_once_and_signs_out_everywhere(server_app: FastAPI) -> None:
    phone = sign_up(server_app, "ana@example.org")
    state = server_app.state.reconsult
    token = new_reset_link_token(state.database, "ana@example.org", now=state.now())
    visitor = browser(server_app)
    page = visitor.get(f"/account/reset?token={token}")
    assert page.status_code == 200 and f'value="{token}"' in page.text
    form = {"token": token, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    answer = visitor.post("/account/reset", data=form)
    assert answer.status_code == 303
    assert "Your new password is saved" in visitor.get(answer.headers["location"]).text
    assert phone.get("/cases").status_code == 303
    again = visitor.post("/account/reset", data=form)
    assert again.status_code == 400 and "expired or was already used" in again.text
    assert _sign_in(browser(server_app), "ana@example.org", NEW_PASSWORD) == 303
    assert "Ask the clinic or group that runs this service" in visitor.get("/account/forgot").text


def test_sign_in_is_limited_per_address_across_workers(app_with: Callable[..., FastAPI]) -> None:
    clock = [dt.datetime(2026, 11, 21, 9, 0, 1, tzinfo=dt.UTC)]
    # Two apps on one database stand for two workers: the count of wrong passwords is shared.
    workers = [app_with(limit_sign_in=3, now=lambda: clock[0]) for _ in range(2)]
    sign_up(workers[0], "ana@example.org")
    answers = [
        _sign_in(browser(workers[i % 2]), "ana@example.org", "wrong password!") for i in range(4)
    ]
    assert answers == [400, 400, 400, 429]
    stopped = browser(workers[1]).post(
        "/account/sign-in", data={"email": "ana@example.org", "password": PASSWORD}
    )
    assert stopped.status_code == 429  # the same address: not even the right password is checked
    assert "Please wait 15 minutes" in stopped.text and "911" in stopped.text  # help never hidden
    assert 'href="/help"' in stopped.text and 'href="/account/forgot"' in stopped.text
    assert int(stopped.headers["retry-after"]) == 15 * 60
    elsewhere = TestClient(
        workers[0], base_url=BASE_URL, client=("203.0.113.5", 50000), follow_redirects=False
    )
    assert _sign_in(elsewhere, "ana@example.org", PASSWORD) == 303  # another address gets in
    clock[0] += dt.timedelta(minutes=15)
    assert _sign_in(browser(workers[0]), "ana@example.org", PASSWORD) == 303


def test_uploads_are_limited_per_account(app_with: Callable[..., FastAPI]) -> None:
    app = app_with(limit_uploads=2)
    client = sign_up(app, "ana@example.org")
    statuses = [
        client.post(
            "/cases/import", files={"file": ("case.json", b"{}", "application/json")}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]  # two refused files (not a case file), then the limit
    assert (
        sign_up(app, "bo@example.org")
        .post("/cases/import", files={"file": ("case.json", b"{}", "application/json")})
        .status_code
        == 400
    )


def test_the_guided_questions_and_help_need_no_account(server_app: FastAPI) -> None:
    stranger = browser(server_app)
    for path in ("/", "/help", "/guides", "/providers", "/about", "/account/sign-in"):
        assert stranger.get(path).status_code == 200, path
    assert stranger.post("/assessment/start").status_code == 303


def test_cross_site_posts_are_refused(server_app: FastAPI) -> None:
    client = sign_up(server_app, "ana@example.org")
    answer = client.post("/cases", headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403
    answer = client.post("/account/sign-out", headers={"Origin": "https://evil.example.net"})
    assert answer.status_code == 403
    assert client.get("/cases").status_code == 200  # still signed in


def test_security_headers_in_server_mode(server_app: FastAPI) -> None:
    answer = browser(server_app).get("/account/sign-in")
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src" not in policy and "unsafe-inline" not in policy
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"
    assert "<script" not in answer.text


def test_a_nul_typed_into_a_note_is_dropped_not_a_server_error(server_app: FastAPI) -> None:
    client = sign_up(server_app, "ana@example.org")
    case = client.post("/cases").headers["location"].split("/")[2].split("?")[0]
    answer = client.post(f"/cases/{case}/journal/new", data={"text": "my lip\x00 is swollen"})
    assert answer.status_code == 303
    assert "my lip is swollen" in client.get(f"/cases/{case}").text
