"""Shared fixtures: the packaged knowledge base, a fixed 'today', and a case factory."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import settings

from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.loader import KNOWLEDGE_DIR
from reconsult.storage import Database, open_database
from reconsult.triage import assess
from reconsult.triage.models import Assessment, Case
from tests.databases import MigratedCopies


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook, declared by that plugin
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (what ``make test`` passes): one xdist worker per CPU this process may use.

    Each worker is its own process with its own temporary folder, PostgreSQL
    schemas (named by uuid), live servers (on ports the system picks) and
    Chromium.
    """
    return max(1, len(os.sched_getaffinity(0)))


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook, declared by that plugin
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``-n``: each test alone, each of WHOLE_MODULES whole (tests/scheduling.py)."""
    if config.getvalue("dist") != "load":
        return None  # another --dist asked for on the command line
    from tests.scheduling import WHOLE_MODULES, WholeModulesFirst

    missing = sorted(m for m in WHOLE_MODULES if not (config.rootpath / m).is_file())
    if missing:  # a renamed module would otherwise be split, and its summary skipped
        raise pytest.UsageError(f"WHOLE_MODULES in tests/scheduling.py names no file: {missing}")
    return WholeModulesFirst(config, log)


# CI machines are slower and busier; never fail a property on time alone.
settings.register_profile("ci", deadline=None, derandomize=True, max_examples=150)
settings.register_profile("dev", deadline=None, max_examples=60)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

TODAY = dt.date(2026, 11, 21)
# The web app answers only to this computer's names (reconsult.web.middleware.request_guard).
BASE_URL = "http://127.0.0.1:8000"
SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCHMARK = SHARED / "benchmark"
DEV_VIGNETTES = BENCHMARK / "vignettes-dev.jsonl"


def dev_vignettes() -> list[dict[str, Any]]:
    """The development vignettes, read when a test module that needs them is collected.

    They live outside the repository, in ``../shared/benchmark`` beside the
    clone (CI lays ``shared/`` there). When the folder or the file is missing
    or empty, collection fails with a message naming it, instead of the tests
    being skipped or running on no vignettes at all.
    """
    if not BENCHMARK.is_dir():
        missing = BENCHMARK if SHARED.is_dir() else SHARED
        pytest.fail(
            f"The folder {missing} is missing. Tests that read the development vignettes "
            f"need {DEV_VIGNETTES} (../shared/benchmark beside the repository, as CI lays it).",
            pytrace=False,
        )
    if not DEV_VIGNETTES.is_file():
        pytest.fail(
            f"{DEV_VIGNETTES} is missing from the folder {BENCHMARK}: "
            "the tests that read the development vignettes need it.",
            pytrace=False,
        )
    vignettes = [
        json.loads(line) for line in DEV_VIGNETTES.read_text().splitlines() if line.strip()
    ]
    if not vignettes:
        pytest.fail(f"{DEV_VIGNETTES} (in {BENCHMARK}) holds no vignettes.", pytrace=False)
    return vignettes


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    """The packaged knowledge base, loaded and validated once."""
    return load_knowledge()


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the knowledge files that a test may break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def knowledge_check(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    """Run `reconsult knowledge check` on the knowledge files in ``directory``."""
    from typer.testing import CliRunner

    import reconsult.knowledge as knowledge
    from reconsult.cli import app

    monkeypatch.setattr(knowledge, "KNOWLEDGE_DIR", directory)
    knowledge.load_knowledge.cache_clear()
    try:
        return CliRunner().invoke(app, ["knowledge", "check"])
    finally:
        knowledge.load_knowledge.cache_clear()


def make_case(
    *,
    description: str,
    procedure: str = "filler_hyaluronic_acid",
    days: int | None = 5,
    prior_revisions: int = 0,
) -> Case:
    """Build a Case with keyword-only arguments and sensible defaults."""
    return Case(
        procedure=procedure,  # type: ignore[arg-type]
        days_since_procedure=days,
        prior_revisions=prior_revisions,
        description=description,
    )


def answer(description: str, **kwargs: object) -> Assessment:
    """Assess a description as of TODAY (keyword arguments go to make_case)."""
    return assess(make_case(description=description, **kwargs), TODAY)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedCopies]:
    """Copies of a database migrated once in this test process (tests/databases.py)."""
    copies = MigratedCopies(tmp_path_factory.mktemp("migrated"))
    yield copies
    copies.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(
    request: pytest.FixtureRequest, tmp_path: Path, migrated: MigratedCopies
) -> Iterator[Database]:
    """A freshly migrated database: an SQLite file, or a new database in PostgreSQL.

    Storage tests take this fixture, so the same suite runs on the embedded
    default and on the server database (127.0.0.1:5432, database ``test``).
    """
    if request.param == "sqlite":
        database = open_database(migrated.sqlite_url(tmp_path / "data" / "reconsult.sqlite3"))
        yield database
        database.close()
        return
    with migrated.postgres_url() as url:
        database = open_database(url)
        try:
            yield database
        finally:
            database.close()
