"""Fixtures for the web app: a fresh SQLite file per test and a fixed date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from reconsult.settings import Settings
from reconsult.web import create_app
from tests.conftest import BASE_URL, TODAY
from tests.databases import MigratedCopies


@pytest.fixture
def app(tmp_path: Path, migrated: MigratedCopies) -> FastAPI:
    """The web app on a fresh SQLite database, with 'today' fixed to TODAY."""
    return create_app(migrated.in_data_dir(Settings(data_dir=tmp_path)), today=lambda: TODAY)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A test client that does not follow redirects, so each step can be checked."""
    with TestClient(app, base_url=BASE_URL, follow_redirects=False) as test_client:
        yield test_client
