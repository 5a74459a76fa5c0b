"""The backup file's format: its name and version, what is left out, and how values are written.

Shared by :mod:`reconsult.backup.write` and :mod:`reconsult.backup.restore`; the
package's description says what the file holds.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    LargeBinary,
    Table,
)

from reconsult.backup.tables import metadata
from reconsult.errors import ReconsultError

__all__ = [
    "BATCH_BYTES",
    "BATCH_ROWS",
    "BackupError",
    "BackupProgress",
    "BackupSummary",
    "FORMAT",
    "FORMAT_VERSION",
    "LEFT_OUT",
    "MANIFEST",
    "Progress",
    "README_TEXT",
    "backed_up_tables",
    "begin_snapshot",
    "decoder",
    "encoder",
    "json_line",
    "migration_scripts",
    "reconsult_version",
    "revision_of",
]

FORMAT = "reconsult-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
LEFT_OUT: dict[str, str] = {
    "user_sessions": "sessions: everyone signs in again after a restore",
    "password_resets": "one-time password links: ask for a new one",
    "invitations": "one-time sign-up links: make a new one",
    "rate_limit_hits": "rate-limit counts: they start again from zero",
    "sign_in_failures": "wrong-password counts: they start again from zero",
    "trusted_devices": "trusted browsers: each is trusted again at its next sign-in",
    "providers_staging": "scratch space of a provider import",
    "provider_taxonomies_staging": "scratch space of a provider import",
}
README_TEXT = (
    "This is a reconsult backup: the whole database, as one JSON-lines file per table.\n"
    "Restore it with: reconsult restore FILE\n"
    "It holds health information. Keep it as safe as the database itself.\n"
)
BATCH_ROWS = 1000  # rows per read from the database and per INSERT
BATCH_BYTES = 16 * 1024 * 1024  # ... or fewer, when the rows are photos


class BackupError(ReconsultError):
    """A backup cannot be written or restored as asked; the message says why, for the person."""


@dataclass(frozen=True)
class BackupProgress:
    """Where a backup or restore is: which table, and how many of its rows are done."""

    table: str
    rows_done: int
    rows_total: int
    tables_done: int
    tables_total: int


@dataclass(frozen=True)
class BackupSummary:
    """What a backup wrote, or what a restore put back."""

    path: Path
    revision: str
    created_at: dt.datetime  # when the backup was made
    source_database: str  # "sqlite" or "postgresql": where the backup came from
    reconsult_version: str  # the reconsult that made the backup
    tables: dict[str, int]  # table -> rows, in the file's order
    left_out: tuple[str, ...]
    file_bytes: int
    seconds: float = field(compare=False)

    @property
    def rows(self) -> int:
        """Rows in every table together."""
        return sum(self.tables.values())


Progress = Callable[[BackupProgress], None]


# --- values <-> JSON -----------------------------------------------------------------


def encoder(table: Table, name: str) -> Callable[[Any], Any] | None:
    """How one column's Python value becomes JSON (None: as it is)."""
    kind = table.c[name].type
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64encode(v).decode("ascii")
    if isinstance(kind, DateTime):
        return _datetime_out if kind.timezone else _naive_out
    if isinstance(kind, Date):
        return lambda v: None if v is None else v.isoformat()
    return None


def decoder(table: Table, name: str) -> Callable[[Any], Any] | None:
    """How one column's JSON value becomes the Python value to insert (None: as it is)."""
    kind = table.c[name].type
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v, validate=True)
    if isinstance(kind, DateTime):
        return _datetime_in if kind.timezone else _naive_in
    if isinstance(kind, Date):
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else bool(v)
    return None  # text, numbers and JSON columns take the JSON value as it is


def _datetime_out(value: dt.datetime | None) -> str | None:
    """A time-zone-aware column as ISO 8601 in UTC.

    SQLite keeps no offset and gives back the UTC wall time reconsult stored
    (every timestamp it writes is ``datetime.now(UTC)``); PostgreSQL gives an
    aware value. Both come out the same, so the file is the same from either.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def _naive_out(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _datetime_in(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time as an aware UTC value (SQLite then stores the UTC wall time)."""
    if value is None:
        return None
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def _naive_in(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def json_line(values: list[Any]) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


# --- the database --------------------------------------------------------------------


def backed_up_tables() -> list[Table]:
    """Every table the backup holds, parents before children."""
    return [t for t in metadata.sorted_tables if t.name not in LEFT_OUT]


def revision_of(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def migration_scripts() -> ScriptDirectory:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "reconsult.storage:migrations")
    return ScriptDirectory.from_config(config)


def reconsult_version() -> str:
    try:
        return package_metadata.version("reconsult")
    except package_metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def begin_snapshot(connection: Connection) -> None:
    """Read every table from one consistent state of the database.

    SQLite's Python driver begins a transaction only before a change, so
    each SELECT would otherwise see the newest data; in WAL mode an explicit
    BEGIN keeps one snapshot for all of them. PostgreSQL's connection is
    opened REPEATABLE READ for the same reason.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
