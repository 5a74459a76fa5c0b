"""The JSON API against its own OpenAPI schema: no 5xx, every response as documented.

schemathesis generates cases from ``/api/v1/openapi.json`` (valid ones, invalid ones,
boundary values and undeclared methods) and runs all its default checks on each
answer: not a server error, status code, content type and headers as documented,
response body valid against its schema, valid input accepted, invalid input refused.

The app is built once at import: ``schema.parametrize()`` needs the schema at
collection time, and ``schemathesis.pytest.from_fixture`` does not run under
pytest 9 (it reads ``Function._nodeid``, which pytest 9 removed).
"""

from __future__ import annotations

import atexit
import importlib.metadata
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import settings

from reconsult.knowledge import load_knowledge
from reconsult.settings import Settings
from reconsult.web import create_app
from tests.conftest import TODAY

_DATA_DIR = Path(tempfile.mkdtemp(prefix="reconsult-api-schema-"))
# Runs even when these tests are deselected; schemathesis keeps the app's lifespan open
# until exit, and removing an open SQLite file is harmless on POSIX.
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)

APP = create_app(Settings(data_dir=_DATA_DIR), today=lambda: TODAY)


async def _on_this_computer(scope: Any, receive: Any, send: Any) -> None:
    """Send schemathesis' requests as from 127.0.0.1 (its client says Host: testserver,
    which the app refuses as a DNS-rebinding guard)."""
    if scope["type"] == "http":
        headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
        scope = {**scope, "headers": [*headers, (b"host", b"127.0.0.1:8000")]}
    await APP(scope, receive, send)


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _on_this_computer)


# Deterministic (fixed seed, no example database) so CI and a laptop see the same cases;
# 100 fuzzed examples per operation plus schemathesis' examples and boundary (coverage)
# cases take a few seconds in all.
@schema.parametrize()
@settings(max_examples=100, deadline=None, derandomize=True, database=None)
def test_the_api_keeps_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()


def test_the_schema_names_the_package_version_and_the_knowledge_version() -> None:
    info = APP.openapi()["info"]
    assert info["version"] == importlib.metadata.version("reconsult")
    assert info["x-knowledge-version"] == load_knowledge().version
