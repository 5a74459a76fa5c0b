"""Write a backup: every table, streamed into one zip file from one snapshot of the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import zipfile
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    LargeBinary,
    Table,
    func,
    select,
)

from reconsult.backup.format import (
    BATCH_ROWS,
    FORMAT,
    FORMAT_VERSION,
    LEFT_OUT,
    MANIFEST,
    README_TEXT,
    BackupError,
    BackupProgress,
    BackupSummary,
    Progress,
    backed_up_tables,
    begin_snapshot,
    encoder,
    json_line,
    migration_scripts,
    reconsult_version,
    revision_of,
)
from reconsult.i18n import gettext as _
from reconsult.storage.database import Database

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
    tables = backed_up_tables()
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
            begin_snapshot(connection)
            revision = revision_of(connection)
            if revision is None:
                raise BackupError(
                    _("This database has no reconsult tables yet: nothing to back up.")
                )
            head = migration_scripts().get_current_head()
            if revision != head:
                raise BackupError(
                    _(
                        "This database is at revision %(revision)s, but this reconsult expects "
                        "%(head)s. Run any reconsult command once to upgrade it, then back it up."
                    )
                    % {"revision": revision, "head": head}
                )
            zf.writestr("README.txt", README_TEXT)
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
                "reconsult_version": reconsult_version(),
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
        reconsult_version=reconsult_version(),
        tables=counts,
        left_out=tuple(LEFT_OUT),
        file_bytes=path.stat().st_size,
        seconds=time.monotonic() - started,
    )


def check_target(path: Path, *, overwrite: bool = False) -> None:
    """Raise BackupError unless a backup can be written to ``path``."""
    if path.is_dir():
        raise BackupError(
            _("%(path)s is a folder. Give the name of the file to write.") % {"path": path}
        )
    if path.exists() and not overwrite:
        raise BackupError(
            _("%(path)s already exists. Choose another name, or use --force.") % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": path.parent})


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
    encoders = [(i, e) for i, name in enumerate(names) if (e := encoder(table, name))]
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
    result = connection.execution_options(yield_per=8 if has_bytes else BATCH_ROWS).execute(
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
                line = json_line(values)
                lines.append(line)
                size += len(line)
                done += 1
                if size >= 1024 * 1024:
                    flush()
            report()
        flush()
    return done, digest.hexdigest()
