"""``reconsult providers import|search|status``: the provider directory from the command line.

Thin: each command opens the database from the settings, calls one function
of :mod:`reconsult.providers`, and prints, in the language of the command
(``reconsult --lang``; the progress bar's columns stay in English). ``--json``
gives the same answer for scripts, in English.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reconsult.cli.groups import CommandGroup

if TYPE_CHECKING:
    from reconsult.providers.models import SearchResult
    from reconsult.storage import Database

providers_app = typer.Typer(
    help=(
        "Find providers near you whose listed specialty fits your procedure, from the CMS "
        "NPPES file. Specialties are self-reported to CMS; they are not board certification."
    ),
    no_args_is_help=True,
    cls=CommandGroup,
)


def _database() -> Database:
    from reconsult.settings import Settings
    from reconsult.storage import open_database

    return open_database(Settings().resolved_database_url())


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, default=str, ensure_ascii=False)


@providers_app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="The NPPES data dissemination zip, or the npidata_pfile_*.csv inside it.",
            show_default=False,
        ),
    ],
    kind: Annotated[
        str,
        typer.Option(help="auto (from CMS's file name), monthly (replaces) or weekly (changes)."),
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Load a monthly NPPES file (replaces the directory) or a weekly one (applies its changes)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    from reconsult.i18n import gettext as _
    from reconsult.providers.nppes_import import (
        FileKind,
        ImportProgress,
        NppesFileError,
        import_nppes,
    )

    if kind not in ("auto", "monthly", "weekly"):
        raise _fail(_("--kind must be auto, monthly or weekly."))
    database = _database()
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("Importing"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:>12,} rows  {task.fields[rate]:>9,.0f} rows/s"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet or as_json,
        transient=False,
    )
    task = progress.add_task("import", total=None, rows=0, rate=0.0)

    def show(update: ImportProgress) -> None:
        elapsed = progress.tasks[0].elapsed or 0.0
        progress.update(
            task,
            total=update.bytes_total,
            completed=update.bytes_done,
            rows=update.rows,
            rate=update.rows / elapsed if elapsed > 0 else 0.0,
        )

    try:
        with progress:
            report = import_nppes(
                database,
                file,
                kind=None if kind == "auto" else FileKind(kind),
                on_progress=show,
            )
    except NppesFileError as exc:
        raise _fail(str(exc)) from exc
    finally:
        database.close()
    if as_json:
        data = asdict(report)
        data["problems"] = [{"line": p.line, "reason": p.reason} for p in report.problems]
        typer.echo(_json(data))
        return
    rate = report.rows_read / report.seconds if report.seconds else 0.0
    typer.echo(
        _("Read %(rows)s rows of %(file)s (%(kind)s) in %(seconds)s s (%(rate)s rows/s).")
        % {
            "rows": f"{report.rows_read:,}",
            "file": report.file_name,
            "kind": report.kind,
            "seconds": f"{report.seconds:.1f}",
            "rate": f"{rate:,.0f}",
        }
    )
    size = f"{report.directory_size:,}"
    if report.kind is FileKind.monthly:
        typer.echo(_("The directory now holds %(size)s providers.") % {"size": size})
    else:
        typer.echo(
            _(
                "Added or updated %(kept)s, removed %(removed)s; "
                "the directory now holds %(size)s providers."
            )
            % {
                "kept": f"{report.providers_kept:,}",
                "removed": f"{report.providers_removed:,}",
                "size": size,
            }
        )
    for reason, count in report.skipped.items():
        typer.echo(
            "  " + _("Left out %(count)s: %(reason)s") % {"count": f"{count:,}", "reason": reason}
        )
    if report.problem_count:
        typer.echo(
            _("%(count)s lines could not be read and were left out:")
            % {"count": f"{report.problem_count:,}"}
        )
        for problem in report.problems[:20]:
            typer.echo(
                "  "
                + _("line %(line)s: %(reason)s")
                % {"line": f"{problem.line:,}", "reason": problem.reason}
            )
        if report.problem_count > 20:
            typer.echo("  " + _("(--json lists up to 1,000 of them)"))


@providers_app.command("status")
def status_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Say how many providers the directory holds and which file it came from."""
    from reconsult.i18n import gettext as _
    from reconsult.providers.directory_store import directory_status

    database = _database()
    try:
        status = directory_status(database)
    finally:
        database.close()
    if as_json:
        typer.echo(_json(asdict(status)))
    elif status.last_file is None:
        typer.echo(
            _("The directory is empty. Load the NPPES file with: reconsult providers import FILE")
        )
    else:
        typer.echo(
            _("%(count)s providers, from %(file)s (%(kind)s), imported %(when)s.")
            % {
                "count": f"{status.providers:,}",
                "file": status.last_file,
                "kind": status.file_kind,
                "when": f"{status.last_import_on:%Y-%m-%d %H:%M}",
            }
        )


@providers_app.command("search")
def search_command(
    zip_code: Annotated[
        str, typer.Option("--zip", help="Your 5-digit US ZIP code.", show_default=False)
    ],
    procedure: Annotated[
        str,
        typer.Option(
            help="The procedure, e.g. rhinoplasty or botulinum_toxin.", show_default=False
        ),
    ],
    radius: Annotated[float, typer.Option(help="How far, in miles.")] = 25.0,
    limit: Annotated[int, typer.Option(help="At most this many results.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Providers near a ZIP code whose listed specialty fits the procedure, best fit first."""
    from reconsult.i18n import gettext as _
    from reconsult.knowledge import load_knowledge
    from reconsult.providers.directory_store import directory_status
    from reconsult.providers.search import SearchError, search_providers

    kb = load_knowledge()
    if procedure not in kb.procedures:
        raise _fail(
            _("Unknown procedure %(code)s. Choose one of: %(codes)s.")
            % {"code": repr(procedure), "codes": ", ".join(sorted(kb.procedures))}
        )
    database = _database()
    try:
        if directory_status(database).providers == 0 and not as_json:
            raise _fail(
                _(
                    "The directory is empty. Load the NPPES file first: "
                    "reconsult providers import FILE"
                )
            )
        result = search_providers(
            database, zip_code=zip_code, procedure=procedure, radius_miles=radius, limit=limit
        )
    except SearchError as exc:
        raise _fail(str(exc)) from exc
    finally:
        database.close()
    if as_json:
        typer.echo(_json(asdict(result)))
        return
    _print_result(result)


def _print_result(result: SearchResult) -> None:
    """Print a search result as plain text, with the honest caveat first."""
    from reconsult.i18n import gettext as _
    from reconsult.knowledge import load_knowledge
    from reconsult.providers.display import address_line, person_name, phone

    kb = load_knowledge()
    name = kb.procedures[result.procedure].name
    typer.echo(
        _(
            "%(count)s providers within %(miles)s miles of %(place)s %(zip)s "
            "list a specialty that fits %(procedure)s."
        )
        % {
            "count": f"{result.total:,}",
            "miles": f"{result.radius_miles:g}",
            "place": result.place,
            "zip": result.zip_code,
            "procedure": name,
        }
    )
    typer.echo(kb.providers.notes.self_reported.text)
    for number, hit in enumerate(result.hits, start=1):
        provider = hit.provider
        taxonomy = kb.providers.taxonomy(hit.taxonomy.code)
        listed = taxonomy.plain_name if taxonomy else hit.taxonomy.code
        specialty = (
            _("%(specialty)s (main specialty).")
            if hit.taxonomy.is_primary
            else _("%(specialty)s (also listed).")
        ) % {"specialty": listed}
        miles = _("(%(miles)s miles)") % {"miles": f"{hit.distance_miles:.1f}"}
        typer.echo("")
        typer.echo(f"{number}. {person_name(provider)}  {miles}")
        typer.echo(f"   {specialty} {hit.fit_reason}")
        if hit.needs_supervisor:
            typer.echo(f"   {kb.providers.notes.supervisor.text}")
        typer.echo(f"   {address_line(provider)}")
        number_to_call = phone(provider.phone)
        calling = _("Phone %(number)s") % {"number": number_to_call.text} if number_to_call else ""
        typer.echo(f"   {calling}   NPI {provider.npi}" if calling else f"   NPI {provider.npi}")
    if result.total > len(result.hits):
        typer.echo(
            "\n"
            + _("Showing %(shown)d of %(total)s. Use --limit to see more.")
            % {"shown": len(result.hits), "total": f"{result.total:,}"}
        )
