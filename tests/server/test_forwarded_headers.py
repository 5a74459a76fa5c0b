"""X-Forwarded-For and X-Forwarded-Proto count only from the proxies the operator names.

The limits count ``request.client.host``, and the https guard, HSTS and the
``Secure`` cookie flag read the request's scheme. The app itself applies the
forwarded headers (uvicorn's ProxyHeadersMiddleware, outermost), so
``reconsult serve`` and a direct ``uvicorn --factory`` start agree. What the
person sees is checked through https (cookie, HSTS, the redirect); the
client address the limits count is read by a route added here for the test,
behind the app's whole middleware stack.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient
from typer.testing import CliRunner

from reconsult.cli import app as cli
from reconsult.settings import Mode, Settings
from reconsult.web import create_app
from tests.conftest import BASE_URL, TODAY
from tests.server.conftest import CHEAP, PASSWORD

PUBLIC = "https://care.example.org"
PROXY = "10.0.0.5"
# The module, not the command function that reconsult.cli exports under the same name.
serve = importlib.import_module("reconsult.cli.serve_command")


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """SQLite is enough here: nothing is stored that PostgreSQL would keep differently."""
    yield f"sqlite:///{tmp_path / 'server.sqlite3'}"


def _who(request: Request) -> PlainTextResponse:
    client = request.client.host if request.client else "unknown"
    return PlainTextResponse(f"{client} {request.url.scheme}")


def _seen(app: FastAPI, connecting: str, headers: dict[str, str] | None = None) -> str:
    """The client address and scheme the app's routes see for one request."""
    if not any(getattr(route, "path", None) == "/test/who" for route in app.routes):
        app.add_route("/test/who", _who)
    client = TestClient(app, base_url=BASE_URL, client=(connecting, 50000))
    answer = client.get("/test/who", headers=headers or {})
    assert answer.status_code == 200, answer.text
    return answer.text


SAYS_HTTPS = {"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https"}


def test_by_default_the_headers_are_ignored_even_from_this_computer(
    app_with: Callable[..., FastAPI],
) -> None:
    assert Settings().forwarded_allow_ips == ""
    app = app_with()
    assert _seen(app, "127.0.0.1", SAYS_HTTPS) == "127.0.0.1 http"
    assert _seen(app, "10.0.0.5", SAYS_HTTPS) == "10.0.0.5 http"


def test_a_named_proxy_is_trusted_and_no_one_else(app_with: Callable[..., FastAPI]) -> None:
    app = app_with(forwarded_allow_ips=PROXY)
    assert _seen(app, PROXY, SAYS_HTTPS) == "203.0.113.9 https"
    assert _seen(app, PROXY) == f"{PROXY} http"  # a request without the headers
    assert _seen(app, "127.0.0.1", SAYS_HTTPS) == "127.0.0.1 http"
    assert _seen(app, "198.51.100.7", SAYS_HTTPS) == "198.51.100.7 http"
    networks = app_with(forwarded_allow_ips="192.0.2.1, 10.0.0.0/8")
    assert _seen(networks, "10.9.8.7", SAYS_HTTPS) == "203.0.113.9 https"


def test_a_client_cannot_choose_its_address_through_a_proxy_that_appends(
    app_with: Callable[..., FastAPI],
) -> None:
    """The proxy appends the address it saw; what the client wrote before it is not believed."""
    app = app_with(forwarded_allow_ips=PROXY)
    chain = {"x-forwarded-for": "1.2.3.4, 203.0.113.9"}
    assert _seen(app, PROXY, chain).split()[0] == "203.0.113.9"
    # Two proxies in a row, both named: the first address neither of them is.
    two = app_with(forwarded_allow_ips=f"{PROXY}, 10.0.0.6")
    longer = {"x-forwarded-for": "1.2.3.4, 203.0.113.9, 10.0.0.6"}
    assert _seen(two, PROXY, longer).split()[0] == "203.0.113.9"


def test_https_from_a_named_proxy_gives_a_secure_cookie_and_hsts(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with(public_hosts="care.example.org", forwarded_allow_ips=PROXY)
    form = {"email": "ana@example.org", "new_password": PASSWORD, "confirm": PASSWORD}
    proxied = TestClient(
        app, base_url="http://care.example.org", client=(PROXY, 50000), follow_redirects=False
    )
    answer = proxied.post(
        "/account/sign-up",
        data=form,
        headers={"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"},
    )
    assert answer.status_code == 303, answer.text
    assert "Secure" in answer.headers["set-cookie"]
    assert answer.headers["strict-transport-security"] == "max-age=31536000"


def test_https_claimed_by_anyone_else_is_not_believed(app_with: Callable[..., FastAPI]) -> None:
    app = app_with(public_hosts="care.example.org", forwarded_allow_ips=PROXY)
    stranger = TestClient(
        app, base_url="http://care.example.org", client=("127.0.0.1", 50000), follow_redirects=False
    )
    moved = stranger.get("/cases", headers={"x-forwarded-proto": "https"})
    assert moved.status_code == 308  # still plain http: sent to https
    assert moved.headers["location"] == "https://care.example.org/cases"
    # On this computer's own name (no redirect), a claimed https changes nothing either.
    local = TestClient(app, base_url=BASE_URL, client=("127.0.0.1", 50000), follow_redirects=False)
    answer = local.post(
        "/account/sign-up",
        data={"email": "bo@example.org", "new_password": PASSWORD, "confirm": PASSWORD},
        headers={"x-forwarded-proto": "https"},
    )
    assert answer.status_code == 303, answer.text
    assert "Secure" not in answer.headers["set-cookie"]
    assert "strict-transport-security" not in answer.headers


def test_personal_mode_ignores_the_headers(tmp_path: Path) -> None:
    settings = Settings(mode=Mode.personal, data_dir=tmp_path, forwarded_allow_ips="*")
    app = create_app(settings, hasher=CHEAP, today=lambda: TODAY)
    try:
        assert _seen(app, "127.0.0.1", SAYS_HTTPS) == "127.0.0.1 http"
    finally:
        app.state.reconsult.database.close()


@pytest.mark.parametrize("value", ["abc", "127.0.0.1, proxy.internal", "10.0.0.1/8", "*, 10.0.0.5"])
def test_a_setting_that_is_not_an_address_is_refused_plainly(value: str) -> None:
    with pytest.raises(ValidationError, match="is not an IP address or network, e.g. 127.0.0.1"):
        Settings(forwarded_allow_ips=value)


def test_addresses_and_networks_are_accepted() -> None:
    assert Settings(forwarded_allow_ips=" 10.0.0.5 , ::1,10.0.0.0/8 ,").forwarded_allow_ips == (
        "10.0.0.5,::1,10.0.0.0/8"
    )
    assert Settings(forwarded_allow_ips=" * ").forwarded_allow_ips == "*"


def test_serve_stops_with_the_plain_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RECONSULT_FORWARDED_ALLOW_IPS", "abc")
    result = CliRunner().invoke(cli, ["serve", "--mode", "server"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "RECONSULT_FORWARDED_ALLOW_IPS: 'abc' is not an IP address or network, "
        "e.g. 127.0.0.1 or 10.0.0.0/8 (or * on its own)"
    )
    assert isinstance(result.exception, SystemExit)  # a plain exit, not a traceback


def _quiet_serve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``reconsult serve --mode server`` on SQLite in tmp_path, any port; env put back after."""
    monkeypatch.setattr(serve, "port_problem", lambda host, port: None)
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RECONSULT_DATABASE_URL", raising=False)
    # serve writes these for its workers: set them here so they are put back afterwards.
    monkeypatch.setenv("RECONSULT_MODE", "server")
    monkeypatch.setenv("RECONSULT_HOST", "127.0.0.1")
    monkeypatch.setenv("RECONSULT_PORT", "8000")


def test_serve_warns_when_no_proxy_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Behind a proxy on this computer with no proxy named, everyone shares one address."""
    started: list[int] = []
    monkeypatch.setattr(serve, "_run", lambda settings, workers: started.append(workers))
    _quiet_serve(monkeypatch, tmp_path)
    monkeypatch.delenv("RECONSULT_FORWARDED_ALLOW_IPS", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--mode", "server"])
    assert result.exit_code == 0, result.output
    assert "No proxy named in RECONSULT_FORWARDED_ALLOW_IPS" in result.stderr
    assert started
    monkeypatch.setenv("RECONSULT_FORWARDED_ALLOW_IPS", "127.0.0.1")
    named = CliRunner().invoke(cli, ["serve", "--mode", "server"])
    assert named.exit_code == 0, named.output
    assert "No proxy named" not in named.output


def test_serve_leaves_the_headers_to_the_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    passed: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: passed.update(kwargs))
    _quiet_serve(monkeypatch, tmp_path)
    monkeypatch.setenv("RECONSULT_FORWARDED_ALLOW_IPS", "127.0.0.1")
    result = CliRunner().invoke(cli, ["serve", "--mode", "server"])
    assert result.exit_code == 0, result.output
    assert passed["proxy_headers"] is False
    assert "forwarded_allow_ips" not in passed
