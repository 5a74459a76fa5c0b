"""``reconsult case ...``: the private case file from the command line.

Thin: each command opens the database from the settings, calls one repository
function and prints the result. Errors are one plain line and exit status 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from reconsult.storage import Database

case_app = typer.Typer(
    help="Keep a private case file: procedures, journal, photos, exports.",
    no_args_is_help=True,
)


def _database() -> Database:
    from reconsult.settings import Settings
    from reconsult.storage import open_database

    return open_database(Settings().resolved_database_url())


def _fail(message: str) -> typer.Exit:
    typer.echo(f"reconsult: {message}", err=True)
    return typer.Exit(1)


CaseId = Annotated[str, typer.Argument(help="The case's id (see `reconsult case list`).")]


@case_app.command("new")
def new_command(
    title: Annotated[str, typer.Option(help="A name for the case.")] = "My case",
) -> None:
    """Create an empty case and print its id."""
    from reconsult.casefile.repository import create_case

    typer.echo(create_case(_database(), title=title).id)


@case_app.command("list")
def list_command() -> None:
    """List your cases, most recently changed first."""
    from reconsult.casefile.repository import list_cases

    cases = list_cases(_database())
    if not cases:
        typer.echo("You have no cases yet. Start one with: reconsult case new")
    for case_id, title, updated in cases:
        typer.echo(f"{case_id}  {title}  (changed {updated:%Y-%m-%d})")


@case_app.command("add-procedure")
def add_procedure_command(
    case_id: CaseId,
    procedure: Annotated[str, typer.Option(help="Procedure code, e.g. rhinoplasty.")],
    on: Annotated[str | None, typer.Option(help="Date of the procedure, YYYY-MM-DD.")] = None,
    provider: Annotated[str, typer.Option(help="Who did it.")] = "",
    practice: Annotated[str, typer.Option(help="Where.")] = "",
) -> None:
    """Add a procedure to a case and print its id."""
    from reconsult.casefile.repository import CaseFileError, new_id, update_case
    from reconsult.casefile.schema import ProcedureRecord
    from reconsult.knowledge.schema import ProcedureCode

    codes = [c.value for c in ProcedureCode]
    if procedure not in codes:
        raise _fail(f"unknown procedure {procedure!r}. Choose one of: {', '.join(codes)}")
    try:
        performed_on = dt.date.fromisoformat(on) if on else None
    except ValueError as exc:
        raise _fail(f"the date must look like 2026-03-27, not {on!r}") from exc
    if performed_on is not None and performed_on > dt.date.today():
        raise _fail("the date must be today or in the past")
    record = ProcedureRecord(
        id=new_id(),
        procedure=ProcedureCode(procedure),
        performed_on=performed_on,
        provider_name=provider,
        practice_name=practice,
    )
    try:
        update_case(
            _database(),
            case_id,
            lambda d: d.model_copy(update={"procedures": [*d.procedures, record]}),
        )
    except CaseFileError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(record.id)


@case_app.command("note")
def note_command(
    case_id: CaseId,
    text: Annotated[str, typer.Argument(help="What you notice, in your own words.")],
    procedure_id: Annotated[
        str | None, typer.Option("--procedure", help="Which procedure it is about (its id).")
    ] = None,
) -> None:
    """Add a journal entry for today, with an assessment, and print the answer."""
    from reconsult.casefile.repository import CaseFileError, add_journal_entry

    try:
        entry = add_journal_entry(
            _database(), case_id, text=text, written_on=dt.date.today(), procedure_id=procedure_id
        )
    except CaseFileError as exc:
        raise _fail(str(exc)) from exc
    if entry.urgency is None:
        typer.echo("Saved. Name the procedure (--procedure) to get an assessment too.")
        return
    from reconsult.knowledge import load_knowledge
    from reconsult.knowledge.schema import Urgency

    policy = load_knowledge().policy
    advice = next(u for u in policy.urgencies if u.level is entry.urgency)
    typer.echo(f"Saved. {entry.urgency.value.upper()}: {entry.headline}")
    typer.echo(advice.detail)
    if entry.urgency in (Urgency.emergency, Urgency.urgent):
        typer.echo(policy.emergency_numbers)
    if entry.reassess_on is not None:
        typer.echo(f"Look again on {entry.reassess_on:%d %B %Y}.")


@case_app.command("show")
def show_command(case_id: CaseId) -> None:
    """Show a case: procedures, and the urgency history of the journal."""
    from reconsult.casefile.repository import load_case

    case = load_case(_database(), case_id)
    if case is None:
        raise _fail(f"there is no case with id {case_id!r}")
    typer.echo(f"{case.title}")
    for p in case.procedures:
        when = p.performed_on.isoformat() if p.performed_on else "date unknown"
        typer.echo(f"  procedure {p.id}: {p.procedure.value}, {when}, {p.provider_name or '-'}")
    for e in case.journal:
        level = e.urgency.value if e.urgency else "-"
        typer.echo(f"  {e.written_on.isoformat()}  {level:9s}  {e.text}")
    typer.echo(f"  {len(case.photos)} photo(s), {len(case.consultations)} consultation(s)")


@case_app.command("export")
def export_command(
    case_id: CaseId,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[
        str, typer.Option("--format", help="json (to import again) or fhir (FHIR R4 Bundle).")
    ] = "json",
) -> None:
    """Export a whole case, photos included."""
    from reconsult.casefile.repository import CaseFileError, export_case, load_case
    from reconsult.documents.fhir import case_bundle

    now = dt.datetime.now(dt.UTC)
    db = _database()
    try:
        if fmt == "json":
            data = export_case(db, case_id, exported_at=now)
        elif fmt == "fhir":
            case = load_case(db, case_id)
            if case is None:
                raise CaseFileError(f"There is no case with id {case_id!r}.")
            data = case_bundle(case, generated_at=now).model_dump_json(indent=2).encode()
        else:
            raise CaseFileError("--format must be json or fhir.")
    except CaseFileError as exc:
        raise _fail(str(exc)) from exc
    output.write_bytes(data)
    typer.echo(f"Wrote {output} ({len(data):,} bytes).")


@case_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A JSON file made by `reconsult case export`.")],
    replace: Annotated[
        bool, typer.Option(help="Replace a case you already have with the same id.")
    ] = False,
) -> None:
    """Import a case exported by reconsult (nothing is stored if the file is bad)."""
    from reconsult.casefile.repository import CaseFileError, import_case

    try:
        case = import_case(_database(), path.read_bytes(), replace=replace)
    except OSError as exc:
        raise _fail(f"could not read {path}: {exc.strerror}") from exc
    except CaseFileError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"Imported {case.title!r} as {case.id}.")


@case_app.command("reminders")
def reminders_command(
    case_id: CaseId,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write an .ics calendar file.")
    ] = None,
) -> None:
    """List the case's upcoming reminders, or write them as a calendar file."""
    from reconsult.casefile.reminders import case_reminders
    from reconsult.casefile.repository import load_case
    from reconsult.documents.calendar import calendar_ics

    case = load_case(_database(), case_id)
    if case is None:
        raise _fail(f"there is no case with id {case_id!r}")
    reminders = case_reminders(case, dt.date.today())
    if output is not None:
        output.write_bytes(calendar_ics(reminders, stamp=dt.datetime.now(dt.UTC)))
        typer.echo(f"Wrote {len(reminders)} reminder(s) to {output}.")
        return
    if not reminders:
        typer.echo("No upcoming reminders.")
    for r in reminders:
        typer.echo(f"{r.on.isoformat()}  {r.title}")


@case_app.command("delete")
def delete_command(
    case_id: CaseId,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask to confirm.")] = False,
) -> None:
    """Delete a case and everything in it, photos included. This cannot be undone."""
    from reconsult.casefile.repository import delete_case

    if not yes and not typer.confirm(
        f"Delete case {case_id} and everything in it, photos included? This cannot be undone."
    ):
        raise typer.Exit(1)
    if not delete_case(_database(), case_id):
        raise _fail(f"there is no case with id {case_id!r}")
    typer.echo("Deleted.")
