"""``reconsult case ...``: the private case file from the command line.

Thin: each command opens the database from the settings, calls one repository
function and prints the result. Errors are one plain line and exit status 1
(``case_input``). Notes, photos and letters have their own modules. What a person
reads is in the language of the command (``reconsult --lang``); ids, codes and
YYYY-MM-DD dates stay as they are, to be typed back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from reconsult.cli.case_input import CaseId, database, fail, past_date
from reconsult.cli.case_note_command import note_command
from reconsult.cli.case_photo_command import photo_app
from reconsult.cli.case_records_command import (
    letter_command,
    letter_received_command,
    packet_command,
)
from reconsult.cli.groups import CommandGroup

case_app = typer.Typer(
    help="Keep a private case file: procedures, journal, photos, exports.",
    no_args_is_help=True,
    cls=CommandGroup,
)
case_app.add_typer(photo_app, name="photo")


@case_app.command("new")
def new_command(
    title: Annotated[str, typer.Option(help="A name for the case.")] = "My case",
) -> None:
    """Create an empty case and print its id."""
    from reconsult.casefile.repository import create_case

    typer.echo(create_case(database(), title=title).id)


@case_app.command("list")
def list_command() -> None:
    """List your cases, most recently changed first."""
    from reconsult.casefile.repository import list_cases
    from reconsult.i18n import gettext as _

    cases = list_cases(database())
    if not cases:
        typer.echo(_("You have no cases yet. Start one with: reconsult case new"))
    for case_id, title, updated in cases:
        changed = _("(changed %(date)s)") % {"date": f"{updated:%Y-%m-%d}"}
        typer.echo(f"{case_id}  {title}  {changed}")


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
    from reconsult.i18n import gettext as _
    from reconsult.knowledge.schema import ProcedureCode

    codes = [c.value for c in ProcedureCode]
    if procedure not in codes:
        raise fail(_unknown_procedure(procedure, codes))
    try:
        performed_on = dt.date.fromisoformat(on) if on else None
    except ValueError as exc:
        raise fail(
            _("the date must look like 2026-03-27, not %(text)s") % {"text": repr(on)}
        ) from exc
    if performed_on is not None and performed_on > dt.date.today():
        raise fail(_("the date must be today or in the past"))
    record = ProcedureRecord(
        id=new_id(),
        procedure=ProcedureCode(procedure),
        performed_on=performed_on,
        provider_name=provider,
        practice_name=practice,
    )
    try:
        update_case(
            database(),
            case_id,
            lambda d: d.model_copy(update={"procedures": [*d.procedures, record]}),
        )
    except CaseFileError as exc:
        raise fail(str(exc)) from exc
    typer.echo(record.id)


case_app.command("note")(note_command)


def _unknown_procedure(procedure: str, codes: list[str]) -> str:
    """Say that ``procedure`` is not a procedure code, and which are."""
    from reconsult.i18n import gettext as _

    return _("unknown procedure %(code)s. Choose one of: %(codes)s") % {
        "code": repr(procedure),
        "codes": ", ".join(codes),
    }


def _no_case(case_id: str) -> str:
    """Say that there is no case with this id."""
    from reconsult.i18n import gettext as _

    return _("there is no case with id %(id)s") % {"id": repr(case_id)}


@case_app.command("details")
def details_command(
    case_id: CaseId,
    title: Annotated[str | None, typer.Option(help="A name for the case.")] = None,
    name: Annotated[str | None, typer.Option(help="Your full name, for letters.")] = None,
    born: Annotated[str | None, typer.Option(help="Your date of birth, YYYY-MM-DD.")] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option(help="Where you live: US-CA, US-TX, US (other states), GB or EU."),
    ] = None,
) -> None:
    """Set the case's title, your name, date of birth and where you live (for letters)."""
    from reconsult.casefile.repository import CaseFileError, update_case
    from reconsult.documents.records_access import load_records_access
    from reconsult.i18n import gettext as _

    codes = load_records_access().jurisdiction_codes
    if jurisdiction is not None and jurisdiction not in codes:
        raise fail(
            _("unknown jurisdiction %(code)s. Choose one of: %(codes)s")
            % {"code": repr(jurisdiction), "codes": ", ".join(codes)}
        )
    born_on = None
    if born is not None:
        born_on = past_date(born, _("your date of birth must be today or in the past"))
    change: dict[str, object] = {
        "title": title,
        "person_name": name,
        "date_of_birth": born_on,
        "jurisdiction": jurisdiction,
    }
    given = {key: value for key, value in change.items() if value is not None}
    if not given:
        raise fail(_("say what to change: --title, --name, --born or --jurisdiction"))
    try:
        update_case(database(), case_id, lambda d: d.model_copy(update=given))
    except CaseFileError as exc:
        raise fail(str(exc)) from exc
    typer.echo(_("Saved."))


@case_app.command("show")
def show_command(case_id: CaseId) -> None:
    """Show a case: procedures, the urgency history of the journal, and records requests."""
    from reconsult.casefile.repository import load_case
    from reconsult.i18n import gettext as _

    case = load_case(database(), case_id)
    if case is None:
        raise fail(_no_case(case_id))
    typer.echo(f"{case.title}")
    for p in case.procedures:
        when = p.performed_on.isoformat() if p.performed_on else _("date unknown")
        facts = {"id": p.id, "code": p.procedure.value, "when": when}
        facts["provider"] = p.provider_name or "-"
        typer.echo("  " + _("procedure %(id)s: %(code)s, %(when)s, %(provider)s") % facts)
    if case.journal:
        from reconsult.casefile.open_findings import closing_text
        from reconsult.knowledge import load_knowledge

        policy = load_knowledge().policy
        open_words = policy.open_findings
        width = max(
            (len(policy.urgency(e.urgency).label) for e in case.journal if e.urgency), default=1
        )
    for e in case.journal:
        level = policy.urgency(e.urgency).label if e.urgency else "-"
        typer.echo(f"  {e.written_on.isoformat()}  {level:{width}s}  {e.text}")
        for sign in e.raised:
            done = _("open") if sign.closed is None else closing_text(open_words, sign.closed)
            typer.echo(f"    {sign.finding}: {done}")
    for r in case.records_requests:
        facts = {"id": r.id, "provider": r.provider_name, "sent": r.sent_on.isoformat()}
        if r.received_on:
            request = _("records request %(id)s: %(provider)s, sent %(sent)s, received %(on)s")
            facts["on"] = r.received_on.isoformat()
        else:
            request = _("records request %(id)s: %(provider)s, sent %(sent)s, follow up %(on)s")
            facts["on"] = r.follow_up_on.isoformat()
        typer.echo("  " + request % facts)
    if case.provider_checks:
        from reconsult.knowledge import load_knowledge

        providers = load_knowledge().providers
        checks = {c.id: c.title for c in providers.checks}
        flags = {f.id: f.title for f in providers.red_flags}
    for v in case.provider_checks:
        npi = f" (NPI {v.npi})" if v.npi else ""
        typer.echo(
            "  "
            + _(
                "provider check %(id)s: %(provider)s%(npi)s, checked %(on)s, "
                "%(done)d of %(total)d checks done"
            )
            % {
                "id": v.id,
                "provider": v.provider_name,
                "npi": npi,
                "on": v.checked_on.isoformat(),
                "done": len(v.done),
                "total": len(v.items),
            }
        )
        for item in v.concerns:
            check = checks.get(item.check, item.check)
            worry = (
                _("worried about: %(check)s: %(found)s") % {"check": check, "found": item.found}
                if item.found
                else _("worried about: %(check)s") % {"check": check}
            )
            typer.echo(f"    {worry}")
        for flag in v.red_flags:
            noticed = _("warning sign noticed: %(sign)s") % {"sign": flags.get(flag, flag)}
            typer.echo(f"    {noticed}")
        if v.note:
            typer.echo("    " + _("note: %(note)s") % {"note": v.note})
    typer.echo(
        "  "
        + _("%(photos)d photo(s), %(consultations)d consultation(s)")
        % {"photos": len(case.photos), "consultations": len(case.consultations)}
    )


@case_app.command("provider-check")
def provider_check_command(
    case_id: CaseId,
    provider: Annotated[str, typer.Option(help="The provider's name.")],
    npi: Annotated[
        str | None, typer.Option(help="Their NPI number (10 digits), if you know it.")
    ] = None,
    procedure: Annotated[
        str | None,
        typer.Option(help="Which treatment the checks are for (a procedure code)."),
    ] = None,
    confirmed: Annotated[
        list[str] | None,
        typer.Option(
            "--confirmed", help="A check you made and were happy with (its id); repeat for more."
        ),
    ] = None,
    concern: Annotated[
        list[str] | None,
        typer.Option("--concern", help="A check that worries you (its id); repeat for more."),
    ] = None,
    red_flag: Annotated[
        list[str] | None,
        typer.Option("--red-flag", help="A warning sign you noticed (its id); repeat for more."),
    ] = None,
    note: Annotated[str, typer.Option(help="Anything else to remember.")] = "",
    on: Annotated[
        str | None, typer.Option(help="The day you checked, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Keep what you checked about a provider, and any warning signs, with the case.

    The checks and warning signs are those of `reconsult knowledge` (the
    vetting checklist); a check you do not name is kept as not checked yet.
    Prints the new record's id.
    """
    from pydantic import ValidationError

    from reconsult.casefile.repository import add_provider_check, load_case, new_id
    from reconsult.casefile.schema import CheckResult, ProviderCheck
    from reconsult.casefile.vetting import check_items, checklist, unknown_ids
    from reconsult.errors import CaseInputError
    from reconsult.i18n import gettext as _
    from reconsult.knowledge import load_knowledge
    from reconsult.knowledge.schema import ProcedureCode

    kb = load_knowledge()
    codes = [c.value for c in ProcedureCode]
    if procedure is not None and procedure not in codes:
        raise fail(_unknown_procedure(procedure, codes))
    if npi is not None and not (len(npi) == 10 and npi.isascii() and npi.isdigit()):
        raise fail(
            _("an NPI number is 10 digits, like 1234567893, not %(npi)s") % {"npi": repr(npi)}
        )
    fine, worried, flags = confirmed or [], concern or [], red_flag or []
    both = sorted(set(fine) & set(worried))
    if both:
        raise fail(
            _("a check is either --confirmed or --concern, not both: %(ids)s")
            % {"ids": ", ".join(both)}
        )
    problems = unknown_ids(kb, [*fine, *worried], flags)
    if problems:
        raise fail(" ".join(problems))
    checked_on = (
        dt.date.today()
        if on is None
        else past_date(on, _("the day you checked must be today or in the past"))
    )
    db = database()
    case = load_case(db, case_id)
    if case is None:
        raise fail(_no_case(case_id))
    results = dict.fromkeys(fine, CheckResult.confirmed)
    results |= dict.fromkeys(worried, CheckResult.concern)
    shown = [c.id for c in checklist(kb, procedure, case)]
    try:
        record = ProviderCheck(
            id=new_id(),
            provider_name=provider,
            npi=npi,
            procedure=ProcedureCode(procedure) if procedure else None,
            checked_on=checked_on,
            items=check_items(shown, results),
            red_flags=list(dict.fromkeys(flags)),
            note=note,
        )
        add_provider_check(db, case_id, record, knowledge=kb, today=dt.date.today())
    except ValidationError as exc:
        where = ".".join(str(part) for part in exc.errors()[0]["loc"])
        raise fail(f"{where}: {exc.errors()[0]['msg']}") from exc
    except CaseInputError as exc:
        raise fail(str(exc)) from exc
    typer.echo(record.id)


case_app.command("letter")(letter_command)
case_app.command("packet")(packet_command)
case_app.command("letter-received")(letter_received_command)


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
    from reconsult.i18n import gettext as _

    now = dt.datetime.now(dt.UTC)
    db = database()
    try:
        if fmt == "json":
            data = export_case(db, case_id, exported_at=now)
        elif fmt == "fhir":
            case = load_case(db, case_id)
            if case is None:
                raise CaseFileError(_("There is no case with id %(id)s.") % {"id": repr(case_id)})
            data = case_bundle(case, generated_at=now).model_dump_json(indent=2).encode()
        else:
            raise CaseFileError(_("--format must be json or fhir."))
    except CaseFileError as exc:
        raise fail(str(exc)) from exc
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise fail(
            _("could not write %(file)s: %(reason)s") % {"file": output, "reason": exc.strerror}
        ) from exc
    typer.echo(_("Wrote %(file)s (%(size)s bytes).") % {"file": output, "size": f"{len(data):,}"})


@case_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A JSON file made by `reconsult case export`.")],
    replace: Annotated[
        bool, typer.Option(help="Replace a case you already have with the same id.")
    ] = False,
) -> None:
    """Import a case exported by reconsult (nothing is stored if the file is bad)."""
    from reconsult.casefile.repository import CaseFileError, import_case
    from reconsult.i18n import gettext as _

    try:
        case = import_case(database(), path.read_bytes(), replace=replace)
    except OSError as exc:
        raise fail(
            _("could not read %(file)s: %(reason)s") % {"file": path, "reason": exc.strerror}
        ) from exc
    except CaseFileError as exc:
        raise fail(str(exc)) from exc
    typer.echo(_("Imported %(title)s as %(id)s.") % {"title": repr(case.title), "id": case.id})


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
    from reconsult.i18n import gettext as _

    case = load_case(database(), case_id)
    if case is None:
        raise fail(_no_case(case_id))
    reminders = case_reminders(case, dt.date.today())
    if output is not None:
        try:
            output.write_bytes(calendar_ics(reminders, stamp=dt.datetime.now(dt.UTC)))
        except OSError as exc:
            raise fail(
                _("could not write %(file)s: %(reason)s") % {"file": output, "reason": exc.strerror}
            ) from exc
        typer.echo(
            _("Wrote %(num)d reminder(s) to %(file)s.") % {"num": len(reminders), "file": output}
        )
        return
    if not reminders:
        typer.echo(_("No upcoming reminders."))
    for r in reminders:
        typer.echo(f"{r.on.isoformat()}  {r.title}")


@case_app.command("delete")
def delete_command(
    case_id: CaseId,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask to confirm.")] = False,
) -> None:
    """Delete a case and everything in it, photos included. This cannot be undone."""
    from reconsult.casefile.repository import delete_case
    from reconsult.i18n import gettext as _

    if not yes and not typer.confirm(
        _("Delete case %(id)s and everything in it, photos included? This cannot be undone.")
        % {"id": case_id}
    ):
        raise typer.Exit(1)
    if not delete_case(database(), case_id):
        raise fail(_no_case(case_id))
    typer.echo(_("Deleted."))
