"""Journey drafts in the database: the same behaviour on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import inspect, text, update

from reconsult.storage import Database, open_database
from reconsult.storage.drafts import (
    create_draft,
    delete_draft,
    load_draft,
    purge_expired,
    save_draft,
)
from reconsult.storage.models import Draft

HOUR = dt.timedelta(hours=1)


def test_migrations_create_the_drafts_table(db: Database) -> None:
    tables = inspect(db.engine).get_table_names()
    assert "journey_drafts" in tables
    assert "alembic_version" in tables


def test_migrating_twice_is_harmless(db: Database) -> None:
    from reconsult.storage.database import migrate

    migrate(db.engine)
    assert "journey_drafts" in inspect(db.engine).get_table_names()


def test_draft_round_trip(db: Database) -> None:
    draft_id = create_draft(db, {"procedure": "rhinoplasty", "description": "Crooked, ça va?"})
    assert load_draft(db, draft_id, HOUR) == {
        "procedure": "rhinoplasty",
        "description": "Crooked, ça va?",
    }
    assert save_draft(db, draft_id, {"procedure": "facelift"})
    assert load_draft(db, draft_id, HOUR) == {"procedure": "facelift"}


def test_draft_ids_are_unguessable(db: Database) -> None:
    ids = {create_draft(db, {}) for _ in range(20)}
    assert len(ids) == 20
    assert all(len(i) >= 40 for i in ids)


def test_expired_drafts_are_gone(db: Database) -> None:
    old = create_draft(db, {"description": "old"})
    fresh = create_draft(db, {"description": "fresh"})
    with db.session() as session:
        session.execute(
            update(Draft)
            .where(Draft.id == old)
            .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=30))
        )
    assert load_draft(db, old, dt.timedelta(hours=24)) is None
    assert purge_expired(db, dt.timedelta(hours=24)) == 0  # load already removed it
    assert load_draft(db, fresh, dt.timedelta(hours=24)) == {"description": "fresh"}


def test_purge_removes_only_old_drafts(db: Database) -> None:
    old = create_draft(db, {})
    create_draft(db, {})
    with db.session() as session:
        session.execute(
            update(Draft)
            .where(Draft.id == old)
            .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
        )
    assert purge_expired(db, dt.timedelta(hours=24)) == 1


def test_deleted_draft_cannot_be_saved_again(db: Database) -> None:
    draft_id = create_draft(db, {"a": 1})
    delete_draft(db, draft_id)
    assert load_draft(db, draft_id, HOUR) is None
    assert not save_draft(db, draft_id, {"a": 2})


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'new' / 'folder' / 'r.sqlite3'}")
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    database.close()
