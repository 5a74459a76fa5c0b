"""Restore a backup: check the whole file, then put every row back in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    JSON,
    Connection,
    Table,
    delete,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from reconsult.backup.format import (
    BATCH_BYTES,
    BATCH_ROWS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    BackupProgress,
    BackupSummary,
    Progress,
    backed_up_tables,
    decoder,
    migration_scripts,
    revision_of,
)
from reconsult.backup.tables import metadata
from reconsult.i18n import gettext as _
from reconsult.providers.directory_tables import SPATIAL_TABLE
from reconsult.providers.distance_index import rebuild_locations
from reconsult.storage.database import Database

# --- restore -------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """Open a backup and return its manifest, or raise BackupError saying what is wrong."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            return _manifest(zf, path)
    except FileNotFoundError as exc:
        raise BackupError(_("There is no file %(path)s.") % {"path": path}) from exc
    except IsADirectoryError as exc:
        raise BackupError(_("%(path)s is a folder, not a backup file.") % {"path": path}) from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BackupError(_not_a_backup(path)) from exc


def _not_a_backup(path: Path) -> str:
    return _(
        "%(path)s is not a reconsult backup, or it is damaged or incomplete "
        "(a copy cut short, for example). Nothing was restored."
    ) % {"path": path}


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
            _(
                "This backup was made by a newer reconsult "
                "(%(made_by)s, backup format %(theirs)d); "
                "this one reads format %(ours)d and older. "
                "Upgrade reconsult, then restore it."
            )
            % {
                "made_by": manifest.get("reconsult_version", "unknown"),
                "theirs": version,
                "ours": FORMAT_VERSION,
            }
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
            _("The database refused the restore of %(path)s (%(reason)s). Nothing was restored.")
            % {"path": path, "reason": reason}
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
    for table in backed_up_tables():
        entry = by_name.pop(table.name, None)
        if entry is None or sorted(entry.get("columns", [])) != sorted(table.c.keys()):
            raise BackupError(
                _(
                    "The table %(table)s in %(path)s does not match this database's. "
                    "Nothing was restored."
                )
                % {"table": table.name, "path": path}
            )
        pairs.append((table, entry))
    if by_name:
        raise BackupError(
            _(
                "%(path)s holds tables this reconsult does not know (%(tables)s). "
                "Nothing was restored."
            )
            % {"path": path, "tables": ", ".join(sorted(by_name))}
        )
    return pairs


def _check_revision(connection: Connection, manifest: dict[str, Any]) -> None:
    """Refuse a backup of another schema revision, saying which is older and what to do."""
    theirs = str(manifest.get("alembic_revision"))
    ours = revision_of(connection)
    if theirs == ours:
        return
    made_by = manifest.get("reconsult_version", "unknown")
    scripts = migration_scripts()
    older = ours is not None and theirs in {
        script.revision for script in scripts.iterate_revisions(ours, "base")
    }
    if older:
        raise BackupError(
            _(
                "This backup is of an older database (revision %(theirs)s, made by reconsult "
                "%(made_by)s); this database is at revision %(ours)s. Restore it with "
                "reconsult %(made_by)s, then run this reconsult once to upgrade the database."
            )
            % {"theirs": theirs, "ours": ours, "made_by": made_by}
        )
    raise BackupError(
        _(
            "This backup is of a database at revision %(theirs)s (made by reconsult "
            "%(made_by)s); this database is at revision %(ours)s. Upgrade reconsult to "
            "%(made_by)s or later, then restore it."
        )
        % {"theirs": theirs, "ours": ours, "made_by": made_by}
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
            _(
                "This database already holds data (in %(tables)s). Restoring would mix "
                "two databases. Restore into an empty database, or use --replace to delete "
                "everything in this one first."
            )
            % {"tables": ", ".join(held)}
        )


def _empty(connection: Connection) -> None:
    """Delete every row of every table, children first (part of the restore's transaction)."""
    for table in reversed(metadata.sorted_tables):
        connection.execute(delete(table))
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DELETE FROM {SPATIAL_TABLE}"))  # noqa: S608 (table names from our own metadata and integers; values are bound)


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
    decoders = [(i, d) for i, name in enumerate(names) if (d := decoder(table, name))]
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
            if len(batch) >= BATCH_ROWS or batch_bytes >= BATCH_BYTES:
                _insert(connection, table, names, batch)
                batch, batch_bytes = [], 0
                report()
        if batch:
            _insert(connection, table, names, batch)
    report()
    if done != expected or digest.hexdigest() != entry.get("sha256"):
        raise BackupError(
            _(
                "The table %(table)s in %(path)s is not what the backup says it holds "
                "(%(done)s rows read, %(expected)s expected, or a changed checksum): the file "
                "is damaged. Nothing was restored."
            )
            % {"table": table.name, "path": path, "done": f"{done:,}", "expected": f"{expected:,}"}
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
        for table in backed_up_tables():
            column = table.autoincrement_column
            if column is None:
                continue
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "  # noqa: S608 (table names from our own metadata and integers; values are bound)
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
