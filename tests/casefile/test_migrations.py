"""Migrations 0003, 0004 and 0008 upgrade a database holding real case files (SQLite, Postgres)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, inspect, text

from reconsult.casefile.repository import load_case, save_case
from reconsult.documents.records_request import log_records_request
from reconsult.storage import Database, open_database
from tests.casefile.test_letters import a_case, request
from tests.casefile.test_repository import full_case
from tests.conftest import TODAY
from tests.databases import POSTGRES


@pytest.fixture(params=["sqlite", "postgresql"])
def bare(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database, not migrated: an SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        database = open_database(f"sqlite:///{tmp_path / 'r.sqlite3'}", run_migrations=False)
        yield database
        database.close()
        return
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = open_database(f"{POSTGRES}?options=-csearch_path%3D{schema}", run_migrations=False)
    try:
        yield database
    finally:
        database.close()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def migrate_to(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", "reconsult.storage:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("case_records_requests")}


def store_at_0002(engine: Engine) -> None:
    """Write a case with a records request as version 0002 of the schema stored it."""
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO case_files (id, title, person_name, date_of_birth, jurisdiction,"
                " goals, concerns, created_at, updated_at) VALUES ('old', 'Old case',"
                " 'Maria Lopez', :born, 'US-CA', '[]', '[]', :now, :now)"
            ),
            {"born": dt.date(1988, 5, 2), "now": now},
        )
        connection.execute(
            text(
                "INSERT INTO case_records_requests (id, case_id, position, sent_on,"
                " provider_name, follow_up_on, received_on) VALUES ('r1', 'old', 0, :sent,"
                " 'Dr. Ann Lee', :follow, NULL)"
            ),
            {"sent": dt.date(2025, 8, 1), "follow": dt.date(2025, 8, 31)},
        )


def test_upgrading_from_0002_keeps_requests_and_adds_empty_letters(bare: Database) -> None:
    migrate_to(bare.engine, "0002")
    assert not {"jurisdiction", "letter_text"} & columns(bare.engine)
    store_at_0002(bare.engine)
    migrate_to(bare.engine, "head")
    assert {"jurisdiction", "letter_text"} <= columns(bare.engine)
    old = load_case(bare, "old")
    assert old is not None
    [kept] = old.records_requests
    assert (kept.id, kept.provider_name, kept.sent_on) == ("r1", "Dr. Ann Lee", dt.date(2025, 8, 1))
    assert (kept.jurisdiction, kept.letter_text, kept.request) == ("", "", None)
    # The upgraded case takes new letters beside the old request.
    log = log_records_request(bare, "old", request(a_case()), today=TODAY)
    again = load_case(bare, "old")
    assert again is not None and [r.id for r in again.records_requests] == ["r1", log.id]
    assert again.records_requests[1].letter_text == log.letter_text
    assert again.records_requests[1].request == log.request is not None


def test_downgrading_to_0002_drops_only_the_letters(bare: Database) -> None:
    migrate_to(bare.engine, "head")
    save_case(bare, full_case())
    migrate_to(bare.engine, "0002", down=True)
    assert not {"jurisdiction", "letter_text", "request"} & columns(bare.engine)
    with bare.engine.connect() as connection:
        providers = connection.execute(
            text("SELECT provider_name FROM case_records_requests ORDER BY position")
        ).scalars()
        assert list(providers) == [r.provider_name for r in full_case().records_requests]
    migrate_to(bare.engine, "head")
    back = load_case(bare, full_case().id)
    assert back is not None
    assert [(r.jurisdiction, r.letter_text) for r in back.records_requests] == [("", ""), ("", "")]


def journal_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("case_journal")}


def test_0008_keeps_every_note_and_opens_nothing_for_notes_written_before_it(
    bare: Database,
) -> None:
    migrate_to(bare.engine, "head")
    save_case(bare, full_case())
    migrate_to(bare.engine, "0007", down=True)
    assert "raised" not in journal_columns(bare.engine)
    migrate_to(bare.engine, "head")
    back = load_case(bare, full_case().id)
    assert back is not None
    assert [e.text for e in back.journal] == [e.text for e in full_case().journal]
    assert [e.raised for e in back.journal] == [[]]
