"""Migrated databases for tests, each test its own, without running Alembic each time.

Running every migration for each test cost about 0.13 s on SQLite and 0.45 s on
PostgreSQL. Each test process now migrates once per database kind, the first
time a test asks, and every later test gets the same schema more cheaply:

* SQLite: a copy of the migrated file (about 2 ms);
* PostgreSQL: a schema another test used, emptied (every row deleted, every
  sequence restarted: about 0.04 s), or when none is free a new schema in which
  the SQL that the first migration ran is replayed (0.2 s against 0.4 s through
  Alembic). A schema whose shape a test changed is dropped, never reused.

Either way a test sees exactly the schema ``open_database`` makes, and no row of
another test. Migrations from an empty database are tested in
``tests/casefile/test_migrations.py``, and the app and the CLI still migrate at
start (finding nothing left to do).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from reconsult.settings import Settings
from reconsult.storage import open_database
from reconsult.storage.database import migrate

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


class MigratedCopies:
    """Hand out new migrated databases, one per test; ``close()`` releases the connections."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._sqlite_template: Path | None = None
        self._postgres_script: list[tuple[str, Any]] | None = None
        self._admin: Engine | None = None
        self._free_schemas: list[str] = []  # migrated, emptied, ready for the next test
        self._shape: tuple[Any, ...] | None = None  # what a freshly migrated schema holds

    def sqlite_file(self, path: Path) -> Path:
        """Put a migrated SQLite database at ``path`` (its folder is made) and return it."""
        if self._sqlite_template is None:
            template = self._folder / "template.sqlite3"
            open_database(f"sqlite:///{template}").close()  # closing checkpoints the WAL
            self._sqlite_template = template
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._sqlite_template, path)
        return path

    def in_data_dir(self, settings: Settings) -> Settings:
        """Put a migrated copy where ``settings`` keep their SQLite file; return ``settings``."""
        self.sqlite_file(Path(make_url(settings.resolved_database_url()).database or ""))
        return settings

    def sqlite_url(self, path: Path) -> str:
        """A migrated SQLite database at ``path``, as a URL."""
        return f"sqlite:///{self.sqlite_file(path)}"

    @contextmanager
    def postgres_url(self) -> Iterator[str]:
        """A migrated PostgreSQL schema, empty, for the ``with`` block alone."""
        schema = self._free_schemas.pop() if self._free_schemas else self._new_schema()
        try:
            yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
        finally:
            if self._emptied(schema):
                self._free_schemas.append(schema)
            else:
                self._drop(schema)

    def _new_schema(self) -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        self._migrate_postgres(f"{POSTGRES}?options=-csearch_path%3D{schema}", schema)
        if self._shape is None:
            with self._admin_engine().connect() as connection:
                self._shape = _shape(connection, schema)
        return schema

    def _emptied(self, schema: str) -> bool:
        """Empty a used schema for the next test, if it still has the migrated shape.

        Every row is deleted and every sequence restarted, with foreign-key
        triggers off for the transaction (the tables need no order). A schema
        whose tables, columns, constraints, types or revision a test changed is
        not reused.
        """
        try:
            with self._admin_engine().connect() as connection, connection.begin():
                connection.execute(text("SET LOCAL lock_timeout = '5s'"))
                if _shape(connection, schema) != self._shape:
                    return False
                connection.execute(text("SET LOCAL session_replication_role = replica"))
                for table in _names(connection, _TABLES, schema):
                    if table != "alembic_version":
                        connection.execute(text(f'DELETE FROM "{schema}"."{table}"'))
                for sequence in _names(connection, _SEQUENCES, schema):
                    connection.execute(
                        text("SELECT setval(:sequence, 1, false)"),
                        {"sequence": f'"{schema}"."{sequence}"'},
                    )
        except SQLAlchemyError:  # a test left a lock, or dropped a table: start afresh
            return False
        return True

    def _drop(self, schema: str) -> None:
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    def _migrate_postgres(self, url: str, schema: str) -> None:
        """Run the migrations on the first schema and record their SQL; replay it on the rest."""
        database = open_database(url, run_migrations=False)
        try:
            if self._postgres_script is None:
                script: list[tuple[str, Any]] = []

                def record(*args: Any) -> None:  # (connection, cursor, statement, parameters, ...)
                    script.append((args[2], args[3]))

                event.listen(database.engine, "before_cursor_execute", record)
                migrate(database.engine)
                event.remove(database.engine, "before_cursor_execute", record)
                # Alembic names no schema (search_path chooses it), so the SQL fits any schema.
                assert not any(schema in statement for statement, _ in script), script
                self._postgres_script = script
                return
            with database.engine.begin() as connection:
                for statement, parameters in self._postgres_script:
                    connection.exec_driver_sql(statement, parameters or ())
        finally:
            database.close()

    def close(self) -> None:
        """Drop the schemas kept for reuse and release the administrator's connections."""
        if self._admin is None:
            return
        while self._free_schemas:
            self._drop(self._free_schemas.pop())
        self._admin.dispose()

    def _admin_engine(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        return self._admin


_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = :schema"
_SEQUENCES = "SELECT sequencename FROM pg_sequences WHERE schemaname = :schema"
_SHAPE = {
    "relations": "SELECT c.relname, c.relkind FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema",
    "columns": "SELECT c.relname, a.attname, a.atttypid, a.attnotnull FROM pg_attribute a"
    " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = :schema AND a.attnum > 0 AND NOT a.attisdropped",
    "constraints": "SELECT conname, contype FROM pg_constraint c"
    " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = :schema",
    "types": "SELECT typname FROM pg_type t"
    " JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = :schema",
}


def _names(connection: Connection, query: str, schema: str) -> list[str]:
    return [str(row[0]) for row in connection.execute(text(query), {"schema": schema})]


def _shape(connection: Connection, schema: str) -> tuple[Any, ...]:
    """The schema's relations, columns, constraints, types and Alembic revision."""
    parts = [
        tuple(sorted(tuple(row) for row in connection.execute(text(query), {"schema": schema})))
        for query in _SHAPE.values()
    ]
    revision = connection.execute(text(f'SELECT version_num FROM "{schema}".alembic_version'))
    return (*parts, tuple(revision.scalars()))
