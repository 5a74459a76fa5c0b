"""Server mode fixtures: the app on SQLite and on PostgreSQL, and people signed in to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from fastapi import FastAPI
from starlette.testclient import TestClient

from reconsult.settings import Settings
from reconsult.web import create_app
from tests.conftest import BASE_URL, TODAY
from tests.databases import MigratedCopies

CHEAP = PasswordHasher.from_parameters(CHEAPEST)
PASSWORD = "a long enough password"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated: MigratedCopies
) -> Iterator[str]:
    """A new migrated database: an SQLite file, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield migrated.sqlite_url(tmp_path / "server.sqlite3")
        return
    with migrated.postgres_url() as url:
        yield url


def server_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    """Server-mode settings with limits high enough for a test's own requests."""
    values: dict[str, object] = {
        "mode": "server",
        "data_dir": tmp_path,
        "database_url": database_url,
        "limit_sign_in": 1000,
        "limit_sign_up": 1000,
        "open_sign_up": True,
        "limit_assessments": 1000,
        "limit_uploads": 1000,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def server_app(database_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    """The app in server mode, with a cheap password hash and 'today' fixed."""
    app = create_app(server_settings(database_url, tmp_path), hasher=CHEAP, today=lambda: TODAY)
    yield app
    app.state.reconsult.database.close()


def browser(app: FastAPI) -> TestClient:
    """A client that keeps cookies and does not follow redirects."""
    return TestClient(app, base_url=BASE_URL, follow_redirects=False)


def sign_up(app: FastAPI, email: str, password: str = PASSWORD) -> TestClient:
    """Create an account through the sign-up page; return a browser signed in to it."""
    client = browser(app)
    answer = client.post(
        "/account/sign-up",
        data={"email": email, "new_password": password, "confirm": password},
    )
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def person(server_app: FastAPI) -> Callable[[str], TestClient]:
    """Make signed-in people: ``person("alice@example.org")``."""
    return lambda email: sign_up(server_app, email)


def new_case(client: TestClient) -> str:
    """Start a case through the page; return its id."""
    answer = client.post("/cases")
    assert answer.status_code == 303
    return answer.headers["location"].split("/")[2].split("?")[0]


@pytest.fixture
def app_with(database_url: str, tmp_path: Path) -> Iterator[Callable[..., FastAPI]]:
    """Make server-mode apps with other settings (``app_with(limit_uploads=2)``); all closed after.

    Several apps on one database stand for several workers.
    """
    made: list[FastAPI] = []

    def make(*, now: Callable[[], object] | None = None, **overrides: object) -> FastAPI:
        app = create_app(
            server_settings(database_url, tmp_path, **overrides),
            hasher=CHEAP,
            today=lambda: TODAY,
            now=now,  # type: ignore[arg-type]
        )
        made.append(app)
        return app

    yield make
    for app in made:
        app.state.reconsult.database.close()
