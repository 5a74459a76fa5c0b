"""``reconsult backup FILE`` and ``reconsult restore FILE``: the whole database in one file.

Thin: each command opens the database from the settings (SQLite in the data
folder, or ``RECONSULT_DATABASE_URL``), calls :mod:`reconsult.backup`
and prints what it did. Bad input (a missing or damaged file, a backup of
another version, a database that already holds data) is one plain line and
exit status 2; nothing is changed then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.progress import Progress

    from reconsult.backup import BackupProgress, BackupSummary
    from reconsult.storage import Database


def _database() -> Database:
    from reconsult.settings import Settings
    from reconsult.storage import open_database

    return open_database(Settings().resolved_database_url())


def _fail(message: str) -> typer.Exit:
    typer.echo(f"reconsult: {message}", err=True)
    return typer.Exit(2)


def _progress(verb: str, *, quiet: bool) -> Progress:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    return Progress(
        TextColumn(f"{verb} {{task.fields[table]:<28}} ({{task.fields[step]}})"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed:>10,.0f} of {task.total:,.0f} rows"),
        console=Console(stderr=True),
        disable=quiet,
        transient=True,
    )


def _shower(progress: Progress) -> Callable[[BackupProgress], None]:
    """A progress callback that shows the table being copied and its rows."""
    task = progress.add_task("tables", total=1, table="", step="")

    def show(update: BackupProgress) -> None:
        progress.update(
            task,
            total=max(update.rows_total, 1),
            completed=update.rows_done,
            table=update.table,
            step=f"table {update.tables_done + 1} of {update.tables_total}",
        )

    return show


def _size(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _print_tables(summary: BackupSummary) -> None:
    from reconsult.i18n import gettext as _

    held = {name: rows for name, rows in summary.tables.items() if rows}
    width = max((len(name) for name in held), default=0)
    for name, rows in held.items():
        typer.echo(f"  {name:<{width}}  " + _("%(rows)s rows") % {"rows": f"{rows:>10,}"})
    empty = len(summary.tables) - len(held)
    if empty:
        typer.echo("  " + _("(%(count)d empty tables)") % {"count": empty})


def backup_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="The backup file to write, for example reconsult-2026-11-21.zip.",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Back up the whole database (cases, photos, accounts, audit log, provider directory).

    The file works on SQLite and PostgreSQL alike: restore it with
    `reconsult restore FILE`, on this computer or on a server. Sign-in
    sessions and rate-limit counters are left out on purpose. The file holds
    health information: keep it as safe as the database itself.
    """
    from reconsult.backup import BackupError, check_target, write_backup
    from reconsult.i18n import gettext as _

    try:
        check_target(file, overwrite=force)  # before the database opens and the bar shows
    except BackupError as exc:
        raise _fail(str(exc)) from exc
    database = _database()
    progress = _progress("Backing up", quiet=quiet)
    show = _shower(progress)
    try:
        with progress:
            summary = write_backup(database, file, overwrite=force, progress=show)
    except BackupError as exc:
        raise _fail(str(exc)) from exc
    finally:
        database.close()
    typer.echo(
        _("Backed up %(rows)s rows from %(tables)d tables to %(file)s (%(size)s) in %(seconds)s s.")
        % {
            "rows": f"{summary.rows:,}",
            "tables": len(summary.tables),
            "file": summary.path,
            "size": _size(summary.file_bytes),
            "seconds": f"{summary.seconds:.1f}",
        }
    )
    _print_tables(summary)
    typer.echo(_("Left out on purpose: sign-in sessions, password links, rate-limit counters."))


def restore_command(
    file: Annotated[
        Path, typer.Argument(help="A backup file made by `reconsult backup`.", show_default=False)
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Delete everything in this database first. Without it, restore only into "
            "an empty database.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Restore a backup into this database, all or nothing.

    The database must be empty (or use --replace) and at the same version as
    the one backed up. Every table's rows are checked against the backup's
    checksums before anything is kept: a damaged file changes nothing.
    Stop the web app first. Everyone signs in again afterwards.
    """
    from reconsult.backup import BackupError, read_manifest, restore_backup
    from reconsult.i18n import gettext as _

    try:
        read_manifest(file)  # a missing or foreign file is refused before the database opens
    except BackupError as exc:
        raise _fail(str(exc)) from exc
    database = _database()
    progress = _progress("Restoring", quiet=quiet)
    show = _shower(progress)
    try:
        with progress:
            summary = restore_backup(database, file, replace=replace, progress=show)
    except BackupError as exc:
        raise _fail(str(exc)) from exc
    finally:
        database.close()
    typer.echo(
        _(
            "Restored %(rows)s rows into %(tables)d tables from %(file)s, a backup of "
            "%(database)s made %(when)s UTC by reconsult %(version)s, in %(seconds)s s."
        )
        % {
            "rows": f"{summary.rows:,}",
            "tables": len(summary.tables),
            "file": summary.path,
            "database": summary.source_database,
            "when": f"{summary.created_at:%Y-%m-%d %H:%M}",
            "version": summary.reconsult_version,
            "seconds": f"{summary.seconds:.1f}",
        }
    )
    _print_tables(summary)
    typer.echo(_("Everyone signs in again: sign-in sessions are not part of a backup."))
