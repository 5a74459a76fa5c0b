"""Back up a whole reconsult database to one file, and restore it, on SQLite or PostgreSQL.

The file is a zip (ZIP64, so no size limit) holding:

* ``manifest.json``: the format and its version, the reconsult version, the
  Alembic revision of the database it came from, when it was made, and per
  table its columns, row count and the SHA-256 of its member;
* ``tables/<table>.jsonl``: one member per table, in
  ``Base.metadata.sorted_tables`` order (parents before children), one JSON
  array per row in the manifest's column order: bytes as base64, dates and
  date-times as ISO 8601 (date-times in UTC), JSON columns as JSON.
  Members are deflated, except those of tables holding bytes (photos are
  compressed already), which are stored as they are.

The file is readable only by its owner (mode 0600): it holds health data.

The same file restores into either database, so a person can move from the
SQLite file on their laptop to a clinic's PostgreSQL server and back.

Both directions stream: rows are read ``yield_per`` (a server-side cursor
on PostgreSQL) and written into the zip member as they come, and a restore
reads one line at a time and inserts in small batches, so neither a
directory of hundreds of thousands of providers nor hundreds of
megabyte-sized photos is ever held in memory whole.

A restore runs in ONE transaction: it checks the file's format and revision
first, then (with ``replace``) empties every table, inserts every row, and
compares each table's row count and SHA-256 with the manifest before it
commits. A truncated, damaged or edited file raises :class:`BackupError` and
leaves the database exactly as it was.

What is left out, on purpose (the manifest lists these under ``left_out``):

* ``user_sessions``: a restored backup must not sign anyone in with a cookie
  from before; everyone signs in again.
* ``password_resets``: one-time links are short-lived credentials; an old
  one must not come back to life. People ask for a new link.
* ``invitations``: one-time sign-up links, credentials like reset links.
* ``rate_limit_hits`` and ``sign_in_failures``: counts over windows of minutes
  to an hour, long over by the time a backup is restored; they start again
  from zero.
* ``trusted_devices``: browsers that signed in before; like sessions, they
  must not come back from an old file. Each browser is trusted again at its
  next sign-in.
* ``providers_staging`` and ``provider_taxonomies_staging``: scratch space of
  an import in progress, emptied by the next import.

Everything else is kept, the audit log included: it is the record of who
saw and changed each case, and a restore must not erase it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata as package_metadata
from pathlib import Path
from typing import IO, Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    LargeBinary,
    Table,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from reconsult.errors import ReconsultError
from reconsult.providers.directory_store import rebuild_locations
from reconsult.providers.directory_tables import SPATIAL_TABLE
from reconsult.storage.all_tables import metadata
from reconsult.storage.database import Database

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "LEFT_OUT",
    "BackupError",
    "BackupProgress",
    "BackupSummary",
    "check_target",
    "read_manifest",
    "restore_backup",
    "write_backup",
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
_README = (
    "This is a reconsult backup: the whole database, as one JSON-lines file per table.\n"
    "Restore it with: reconsult restore FILE\n"
    "It holds health information. Keep it as safe as the database itself.\n"
)
_BATCH_ROWS = 1000  # rows per read from the database and per INSERT
_BATCH_BYTES = 16 * 1024 * 1024  # ... or fewer, when the rows are photos


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


def _encoder(table: Table, name: str) -> Callable[[Any], Any] | None:
    """How one column's Python value becomes JSON (None: as it is)."""
    kind = table.c[name].type
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64encode(v).decode("ascii")
    if isinstance(kind, DateTime):
        return _datetime_out if kind.timezone else _naive_out
    if isinstance(kind, Date):
        return lambda v: None if v is None else v.isoformat()
    return None


def _decoder(table: Table, name: str) -> Callable[[Any], Any] | None:
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


def _line(values: list[Any]) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


# --- the database --------------------------------------------------------------------


def _tables() -> list[Table]:
    """Every table the backup holds, parents before children."""
    return [t for t in metadata.sorted_tables if t.name not in LEFT_OUT]


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _scripts() -> ScriptDirectory:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "reconsult.storage:migrations")
    return ScriptDirectory.from_config(config)


def _reconsult_version() -> str:
    try:
        return package_metadata.version("reconsult")
    except package_metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def _begin_snapshot(connection: Connection) -> None:
    """Read every table from one consistent state of the database.

    SQLite's Python driver begins a transaction only before a change, so
    each SELECT would otherwise see the newest data; in WAL mode an explicit
    BEGIN keeps one snapshot for all of them. PostgreSQL's connection is
    opened REPEATABLE READ for the same reason.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


# --- backup --------------------------------------------------------------------------


def write_backup(
    db: Database, path: Path, *, overwrite: bool = False, progress: Progress | None = None
) -> BackupSummary:
    """Write every table of ``db`` (less the few in ``LEFT_OUT``) to the zip file ``path``.

    The file is written beside ``path`` under a temporary name and renamed at
    the end, so a failed backup never leaves a file that looks whole. Raises
    BackupError if ``path`` exists (unless ``overwrite``), its folder does
    not, or the database has no reconsult tables or is not at the newest
    revision this reconsult knows.
    """
    started = time.monotonic()
    path = Path(path)
    check_target(path, overwrite=overwrite)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    created_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    tables = _tables()
    counts: dict[str, int] = {}
    entries = []
    engine: Engine = db.engine
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    try:
        with (
            engine.connect() as connection,
            open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file,
            zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        ):
            _begin_snapshot(connection)
            revision = _revision(connection)
            if revision is None:
                raise BackupError("This database has no reconsult tables yet: nothing to back up.")
            head = _scripts().get_current_head()
            if revision != head:
                raise BackupError(
                    f"This database is at revision {revision}, but this reconsult expects "
                    f"{head}. Run any reconsult command once to upgrade it, then back it up."
                )
            zf.writestr("README.txt", _README)
            for number, table in enumerate(tables):
                rows, digest = _write_table(connection, zf, table, number, len(tables), progress)
                counts[table.name] = rows
                entries.append(
                    {
                        "name": table.name,
                        "member": _member(table),
                        "columns": list(table.c.keys()),
                        "rows": rows,
                        "sha256": digest,
                    }
                )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "reconsult_version": _reconsult_version(),
                "alembic_revision": revision,
                "created_at": created_at.isoformat(),
                "source_database": connection.dialect.name,
                "tables": entries,
                "left_out": dict(LEFT_OUT),
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
            connection.rollback()  # read only: nothing to keep
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(
        path=path,
        revision=revision,
        created_at=created_at,
        source_database=db.engine.dialect.name,
        reconsult_version=_reconsult_version(),
        tables=counts,
        left_out=tuple(LEFT_OUT),
        file_bytes=path.stat().st_size,
        seconds=time.monotonic() - started,
    )


def check_target(path: Path, *, overwrite: bool = False) -> None:
    """Raise BackupError unless a backup can be written to ``path``."""
    if path.is_dir():
        raise BackupError(f"{path} is a folder. Give the name of the file to write.")
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists. Choose another name, or use --force.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")


def _member(table: Table) -> str:
    return f"tables/{table.name}.jsonl"


def _write_table(
    connection: Connection,
    zf: zipfile.ZipFile,
    table: Table,
    number: int,
    total_tables: int,
    progress: Progress | None,
) -> tuple[int, str]:
    """Stream one table into its zip member; return its row count and the member's SHA-256."""
    names = list(table.c.keys())
    encoders = [(i, e) for i, name in enumerate(names) if (e := _encoder(table, name))]
    total = int(connection.execute(select(func.count()).select_from(table)).scalar_one())
    digest = hashlib.sha256()
    done = 0

    def report() -> None:
        if progress is not None:
            progress(BackupProgress(table.name, done, total, number, total_tables))

    report()
    order = list(table.primary_key.columns) or list(table.c)
    # A thousand photos would be a gigabyte: fetch rows with bytes a few at a time.
    has_bytes = any(isinstance(c.type, LargeBinary) for c in table.c)
    result = connection.execution_options(yield_per=8 if has_bytes else _BATCH_ROWS).execute(
        select(table).order_by(*order)
    )
    member: str | zipfile.ZipInfo = _member(table)
    if has_bytes:
        # Photos are JPEG, PNG or WebP, compressed already: deflating their base64
        # only wins back base64's third, at 10 MB/s (200 photos of 1 MB: 22 s, not 5 s).
        member = zipfile.ZipInfo(_member(table), date_time=time.localtime()[:6])
        member.compress_type = zipfile.ZIP_STORED
    with zf.open(member, "w", force_zip64=True) as out:
        lines: list[bytes] = []  # written about a megabyte at a time: zipfile costs per call
        size = 0

        def flush() -> None:
            nonlocal size
            chunk = b"".join(lines)
            digest.update(chunk)
            out.write(chunk)
            lines.clear()
            size = 0

        for partition in result.partitions():
            for row in partition:
                values = list(row)
                for i, encode in encoders:
                    values[i] = encode(values[i])
                line = _line(values)
                lines.append(line)
                size += len(line)
                done += 1
                if size >= 1024 * 1024:
                    flush()
            report()
        flush()
    return done, digest.hexdigest()


# --- restore -------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """Open a backup and return its manifest, or raise BackupError saying what is wrong."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            return _manifest(zf, path)
    except FileNotFoundError as exc:
        raise BackupError(f"There is no file {path}.") from exc
    except IsADirectoryError as exc:
        raise BackupError(f"{path} is a folder, not a backup file.") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BackupError(_not_a_backup(path)) from exc


def _not_a_backup(path: Path) -> str:
    return (
        f"{path} is not a reconsult backup, or it is damaged or incomplete "
        "(a copy cut short, for example). Nothing was restored."
    )


def _manifest(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BackupError(_not_a_backup(path)) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_not_a_backup(path))
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise BackupError(_not_a_backup(path))
    if version > FORMAT_VERSION:
        raise BackupError(
            f"This backup was made by a newer reconsult "
            f"({manifest.get('reconsult_version', 'unknown')}, backup format {version}); "
            f"this one reads format {FORMAT_VERSION} and older. "
            "Upgrade reconsult, then restore it."
        )
    return manifest


def restore_backup(
    db: Database,
    path: Path,
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> BackupSummary:
    """Put every table of the backup at ``path`` back into ``db``, in one transaction.

    ``db`` must be at the same Alembic revision as the database the backup
    came from, and hold no data unless ``replace`` is True (then every table
    is emptied first, in the same transaction, sign-in sessions included, so
    everyone signs in again). Each table's row count and
    SHA-256 are checked against the manifest before anything is committed.
    Raises BackupError, with the database unchanged, when any of this fails.
    """
    started = time.monotonic()
    path = Path(path)
    manifest = read_manifest(path)
    counts: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as zf, db.engine.connect() as connection:
            _lock(connection)
            _check_revision(connection, manifest)  # first: another revision has other tables
            entries = _entries(manifest, path)
            if replace:
                _empty(connection)
            else:
                _refuse_data(connection)
            for number, (table, entry) in enumerate(entries):
                counts[table.name] = _restore_table(
                    connection, zf, table, entry, number, len(entries), progress, path
                )
            _after_rows(connection)
            connection.commit()
    except BackupError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, TypeError, KeyError) as exc:
        raise BackupError(_not_a_backup(path)) from exc
    except (DBAPIError, db.engine.dialect.loaded_dbapi.Error) as exc:  # COPY: the driver's own
        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        reason = str(orig).splitlines()[0] if orig else str(exc)
        raise BackupError(
            f"The database refused the restore of {path} ({reason}). Nothing was restored."
        ) from exc
    _analyze(db, [table for table, _entry in entries])
    return BackupSummary(
        path=path,
        revision=str(manifest["alembic_revision"]),
        created_at=dt.datetime.fromisoformat(str(manifest["created_at"])),
        source_database=str(manifest.get("source_database", "unknown")),
        reconsult_version=str(manifest.get("reconsult_version", "unknown")),
        tables=counts,
        left_out=tuple(manifest.get("left_out", {})),
        file_bytes=path.stat().st_size,
        seconds=time.monotonic() - started,
    )


def _entries(manifest: dict[str, Any], path: Path) -> list[tuple[Table, dict[str, Any]]]:
    """Pair each table of this schema with its manifest entry; refuse any mismatch."""
    listed = manifest.get("tables")
    if not isinstance(listed, list) or not all(isinstance(e, dict) for e in listed):
        raise BackupError(_not_a_backup(path))
    by_name = {str(e.get("name")): e for e in listed}
    pairs = []
    for table in _tables():
        entry = by_name.pop(table.name, None)
        if entry is None or sorted(entry.get("columns", [])) != sorted(table.c.keys()):
            raise BackupError(
                f"The table {table.name} in {path} does not match this database's. "
                "Nothing was restored."
            )
        pairs.append((table, entry))
    if by_name:
        raise BackupError(
            f"{path} holds tables this reconsult does not know ({', '.join(sorted(by_name))}). "
            "Nothing was restored."
        )
    return pairs


def _check_revision(connection: Connection, manifest: dict[str, Any]) -> None:
    """Refuse a backup of another schema revision, saying which is older and what to do."""
    theirs = str(manifest.get("alembic_revision"))
    ours = _revision(connection)
    if theirs == ours:
        return
    made_by = manifest.get("reconsult_version", "unknown")
    scripts = _scripts()
    older = ours is not None and theirs in {
        script.revision for script in scripts.iterate_revisions(ours, "base")
    }
    if older:
        raise BackupError(
            f"This backup is of an older database (revision {theirs}, made by reconsult "
            f"{made_by}); this database is at revision {ours}. Restore it with reconsult "
            f"{made_by}, then run this reconsult once to upgrade the database."
        )
    raise BackupError(
        f"This backup is of a database at revision {theirs} (made by reconsult {made_by}); "
        f"this database is at revision {ours}. Upgrade reconsult to {made_by} or later, "
        "then restore it."
    )


def _lock(connection: Connection) -> None:
    """Keep other writers out until the restore commits; readers go on seeing the old data.

    SQLite: take the write lock at once (BEGIN IMMEDIATE) rather than at the
    first DELETE or INSERT. PostgreSQL: EXCLUSIVE mode lets SELECTs through
    and makes every change wait (https://www.postgresql.org/docs/current/explicit-locking.html).
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def _has_rows(connection: Connection, table: Table) -> bool:
    return connection.execute(select(1).select_from(table).limit(1)).first() is not None


def _refuse_data(connection: Connection) -> None:
    held = [t.name for t in metadata.sorted_tables if _has_rows(connection, t)]
    if held:
        raise BackupError(
            f"This database already holds data (in {', '.join(held)}). Restoring would mix "
            "two databases. Restore into an empty database, or use --replace to delete "
            "everything in this one first."
        )


def _empty(connection: Connection) -> None:
    """Delete every row of every table, children first (part of the restore's transaction)."""
    for table in reversed(metadata.sorted_tables):
        connection.execute(delete(table))
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DELETE FROM {SPATIAL_TABLE}"))


def _restore_table(
    connection: Connection,
    zf: zipfile.ZipFile,
    table: Table,
    entry: dict[str, Any],
    number: int,
    total_tables: int,
    progress: Progress | None,
    path: Path,
) -> int:
    """Insert one table's rows from its member; check its count and SHA-256 against the manifest."""
    names = [str(n) for n in entry["columns"]]
    decoders = [(i, d) for i, name in enumerate(names) if (d := _decoder(table, name))]
    expected = int(entry["rows"])
    digest = hashlib.sha256()
    done = 0
    batch: list[list[Any]] = []
    batch_bytes = 0

    def report() -> None:
        if progress is not None:
            progress(BackupProgress(table.name, done, expected, number, total_tables))

    report()
    try:
        member = zf.open(str(entry["member"]))
    except KeyError as exc:
        raise BackupError(_not_a_backup(path)) from exc
    with member:
        for line in _lines(member):
            digest.update(line)
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != len(names):
                raise BackupError(_not_a_backup(path))
            for i, decode in decoders:
                values[i] = decode(values[i])
            batch.append(values)
            batch_bytes += len(line)
            done += 1
            if len(batch) >= _BATCH_ROWS or batch_bytes >= _BATCH_BYTES:
                _insert(connection, table, names, batch)
                batch, batch_bytes = [], 0
                report()
        if batch:
            _insert(connection, table, names, batch)
    report()
    if done != expected or digest.hexdigest() != entry.get("sha256"):
        raise BackupError(
            f"The table {table.name} in {path} is not what the backup says it holds "
            f"({done:,} rows read, {expected:,} expected, or a changed checksum): the file is "
            "damaged. Nothing was restored."
        )
    return done


def _insert(connection: Connection, table: Table, names: list[str], rows: list[list[Any]]) -> None:
    """Insert rows given in ``names`` order, inside the restore's transaction.

    PostgreSQL gets COPY, four times faster than INSERT here (the provider
    directory: 590,000 rows); JSON columns go as the text SQLAlchemy would
    write. SQLite gets one prepared INSERT for the batch.
    """
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])
        return
    as_json = [i for i, name in enumerate(names) if isinstance(table.c[name].type, JSON)]
    columns = ", ".join(f'"{name}"' for name in names)
    driver = connection.connection.driver_connection
    assert driver is not None
    with (
        driver.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
    ):
        for row in rows:
            for i in as_json:
                row[i] = json.dumps(row[i])
            copy.write_row(row)


def _lines(member: IO[bytes]) -> Iterator[bytes]:
    """The member's lines, each ending in a newline (a last line without one is cut short)."""
    for line in member:
        if not line.endswith(b"\n"):
            raise ValueError("the last line of a table is incomplete")
        yield line


def _after_rows(connection: Connection) -> None:
    """Make the restored rows work like written ones: sequences past them, the R*Tree filled.

    PostgreSQL's sequences do not move when a row is inserted with its own
    key, so the next new row would collide with a restored one
    (https://www.postgresql.org/docs/current/functions-sequence.html).
    """
    if connection.dialect.name == "postgresql":
        for table in _tables():
            column = table.autoincrement_column
            if column is None:
                continue
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f'COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL) '
                    f'FROM "{table.name}"'
                ),
                {"table": table.name, "column": column.name},
            )
    rebuild_locations(connection)


def _analyze(db: Database, tables: list[Table]) -> None:
    """Give the planner statistics for the restored tables (the distance search needs them)."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table in tables:
                connection.execute(text(f'ANALYZE "{table.name}"'))
        else:
            connection.execute(text("ANALYZE"))
