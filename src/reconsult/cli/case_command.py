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


def _past_date(text: str, what: str) -> dt.date:
    """Read a YYYY-MM-DD date that is today or earlier, or fail with one plain line."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise _fail(f"the date must look like 2026-03-27, not {text!r}") from exc
    if day > dt.date.today():
        raise _fail(f"{what} must be today or in the past")
    return day


CaseId = Annotated[str, typer.Argument(help="The case's id (see `reconsult case list`).")]
PhotoId = Annotated[str, typer.Argument(help="The photo's id (see `reconsult case photo list`).")]

photo_app = typer.Typer(
    help="Add, list, save and remove a case's photos (cleaned of location and camera data).",
    no_args_is_help=True,
)
case_app.add_typer(photo_app, name="photo")


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

    codes = load_records_access().jurisdiction_codes
    if jurisdiction is not None and jurisdiction not in codes:
        raise _fail(f"unknown jurisdiction {jurisdiction!r}. Choose one of: {', '.join(codes)}")
    change: dict[str, object] = {
        "title": title,
        "person_name": name,
        "date_of_birth": None if born is None else _past_date(born, "your date of birth"),
        "jurisdiction": jurisdiction,
    }
    given = {key: value for key, value in change.items() if value is not None}
    if not given:
        raise _fail("say what to change: --title, --name, --born or --jurisdiction")
    try:
        update_case(_database(), case_id, lambda d: d.model_copy(update=given))
    except CaseFileError as exc:
        raise _fail(str(exc)) from exc
    typer.echo("Saved.")


@case_app.command("show")
def show_command(case_id: CaseId) -> None:
    """Show a case: procedures, the urgency history of the journal, and records requests."""
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
    for r in case.records_requests:
        state = (
            f"received {r.received_on.isoformat()}"
            if r.received_on
            else f"follow up {r.follow_up_on.isoformat()}"
        )
        typer.echo(
            f"  records request {r.id}: {r.provider_name}, sent {r.sent_on.isoformat()}, {state}"
        )
    if case.provider_checks:
        from reconsult.knowledge import load_knowledge

        providers = load_knowledge().providers
        checks = {c.id: c.title for c in providers.checks}
        flags = {f.id: f.title for f in providers.red_flags}
    for v in case.provider_checks:
        npi = f" (NPI {v.npi})" if v.npi else ""
        typer.echo(
            f"  provider check {v.id}: {v.provider_name}{npi}, checked "
            f"{v.checked_on.isoformat()}, {len(v.done)} of {len(v.items)} checks done"
        )
        for item in v.concerns:
            found = f": {item.found}" if item.found else ""
            typer.echo(f"    worried about: {checks.get(item.check, item.check)}{found}")
        for flag in v.red_flags:
            typer.echo(f"    warning sign noticed: {flags.get(flag, flag)}")
        if v.note:
            typer.echo(f"    note: {v.note}")
    typer.echo(f"  {len(case.photos)} photo(s), {len(case.consultations)} consultation(s)")


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
    from reconsult.knowledge import load_knowledge
    from reconsult.knowledge.schema import ProcedureCode

    kb = load_knowledge()
    codes = [c.value for c in ProcedureCode]
    if procedure is not None and procedure not in codes:
        raise _fail(f"unknown procedure {procedure!r}. Choose one of: {', '.join(codes)}")
    if npi is not None and not (len(npi) == 10 and npi.isascii() and npi.isdigit()):
        raise _fail(f"an NPI number is 10 digits, like 1234567893, not {npi!r}")
    fine, worried, flags = confirmed or [], concern or [], red_flag or []
    both = sorted(set(fine) & set(worried))
    if both:
        raise _fail(f"a check is either --confirmed or --concern, not both: {', '.join(both)}")
    problems = unknown_ids(kb, [*fine, *worried], flags)
    if problems:
        raise _fail(" ".join(problems))
    checked_on = dt.date.today() if on is None else _past_date(on, "the day you checked")
    db = _database()
    case = load_case(db, case_id)
    if case is None:
        raise _fail(f"there is no case with id {case_id!r}")
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
        raise _fail(f"{where}: {exc.errors()[0]['msg']}") from exc
    except CaseInputError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(record.id)


@photo_app.command("add")
def photo_add_command(
    case_id: CaseId,
    file: Annotated[Path, typer.Argument(help="A JPEG, PNG or WebP photo.")],
    taken_on: Annotated[
        str, typer.Option("--taken-on", help="The day the photo was taken, YYYY-MM-DD.")
    ],
    angle: Annotated[
        str,
        typer.Option(help="front, left, right, oblique_left, oblique_right or other."),
    ],
    procedure_id: Annotated[
        str | None, typer.Option("--procedure", help="Which procedure it shows (its id).")
    ] = None,
    note: Annotated[str, typer.Option(help="A short note about the photo.")] = "",
) -> None:
    """Add a photo, without its location or camera data, and print its id."""
    from reconsult.casefile.repository import add_photo
    from reconsult.casefile.schema import Angle
    from reconsult.errors import CaseInputError

    angles = [a.value for a in Angle]
    if angle not in angles:
        raise _fail(f"unknown angle {angle!r}. Choose one of: {', '.join(angles)}")
    day = _past_date(taken_on, "the day the photo was taken")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise _fail(f"could not read {file}: {exc.strerror}") from exc
    try:
        photo = add_photo(
            _database(),
            case_id,
            raw,
            taken_on=day,
            angle=Angle(angle),
            procedure_id=procedure_id,
            note=note,
            today=dt.date.today(),
        )
    except CaseInputError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(photo.id)


@photo_app.command("list")
def photo_list_command(case_id: CaseId) -> None:
    """List a case's photos: id, date, angle, size, procedure and note."""
    from reconsult.casefile.repository import load_case

    case = load_case(_database(), case_id)
    if case is None:
        raise _fail(f"there is no case with id {case_id!r}")
    if not case.photos:
        typer.echo(
            "No photos in this case yet. Add one with: "
            "reconsult case photo add CASE_ID FILE --taken-on YYYY-MM-DD --angle front"
        )
    for p in case.photos:
        line = f"{p.id}  {p.taken_on.isoformat()}  {p.angle.value}  {p.width}x{p.height}"
        if p.procedure_id:
            line += f"  procedure {p.procedure_id}"
        typer.echo(line + (f"  {p.note}" if p.note else ""))


@photo_app.command("save")
def photo_save_command(
    case_id: CaseId,
    photo_id: PhotoId,
    output: Annotated[Path, typer.Argument(help="File to write, e.g. photo.jpg.")],
    thumbnail: Annotated[bool, typer.Option(help="Save the small preview instead.")] = False,
) -> None:
    """Save a copy of a photo (as cleaned: no location or camera data) to a file."""
    from reconsult.casefile.repository import photo_image

    found = photo_image(_database(), case_id, photo_id, thumbnail=thumbnail)
    if found is None:
        raise _fail(f"there is no photo with id {photo_id!r} in case {case_id!r}")
    image, _media_type = found
    try:
        output.write_bytes(image)
    except OSError as exc:
        raise _fail(f"could not write {output}: {exc.strerror}") from exc
    typer.echo(f"Wrote {output} ({len(image):,} bytes).")


@photo_app.command("remove")
def photo_remove_command(case_id: CaseId, photo_id: PhotoId) -> None:
    """Remove a photo from a case. This cannot be undone."""
    from reconsult.casefile.repository import delete_photo

    if not delete_photo(_database(), case_id, photo_id):
        raise _fail(f"there is no photo with id {photo_id!r} in case {case_id!r}")
    typer.echo("Removed.")


@case_app.command("letter")
def letter_command(
    case_id: CaseId,
    procedure_ids: Annotated[
        list[str],
        typer.Option(
            "--procedure", help="A procedure the letter asks about (its id); repeat for more."
        ),
    ],
    address: Annotated[str, typer.Option(help="Your postal address.")],
    practice_address: Annotated[
        str, typer.Option("--practice-address", help="The practice's postal address.")
    ],
    output: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    phone: Annotated[str | None, typer.Option(help="Your phone number.")] = None,
    email: Annotated[str | None, typer.Option(help="Your email address.")] = None,
    patient_number: Annotated[
        str | None, typer.Option("--patient-number", help="Your patient or chart number.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or pdf.")] = "text",
) -> None:
    """Write a letter asking a practice for your records, and keep it with the case.

    Your name, date of birth and where you live come from the case (set them
    with `reconsult case details`); the provider from the procedures chosen.
    """
    from reconsult.casefile.repository import (
        load_case,
        log_records_request,
        request_input_from_case,
    )
    from reconsult.documents.records_request import records_request_pdf, records_request_text
    from reconsult.errors import CaseInputError, ReconsultError

    if fmt not in ("text", "pdf"):
        raise _fail("--format must be text or pdf.")
    db = _database()
    case = load_case(db, case_id)
    if case is None:
        raise _fail(f"there is no case with id {case_id!r}")
    today = dt.date.today()
    try:
        inp = request_input_from_case(
            case,
            procedure_ids=procedure_ids,
            address=address,
            practice_address=practice_address,
            phone=phone,
            email=email,
            patient_number=patient_number,
            today=today,
        )
        data = (
            records_request_pdf(inp, today)
            if fmt == "pdf"
            else records_request_text(inp, today).encode()
        )
    except CaseInputError as exc:
        hint = (
            ""
            if case.person_name and case.date_of_birth and case.jurisdiction
            else f" Set them with: reconsult case details {case_id} "
            "--name NAME --born YYYY-MM-DD --jurisdiction CODE"
        )
        raise _fail(f"{exc}{hint}") from exc
    except ReconsultError as exc:  # e.g. the PDF libraries are missing
        raise _fail(str(exc)) from exc
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise _fail(f"could not write {output}: {exc.strerror}") from exc
    try:
        log = log_records_request(db, case_id, inp, today=today)
    except CaseInputError as exc:
        output.unlink(missing_ok=True)  # no letter without its log
        raise _fail(str(exc)) from exc
    typer.echo(f"Wrote {output}. Send it, then keep a copy.")
    typer.echo(
        f"Request {log.id} is kept with your case. If nothing has arrived by "
        f"{log.follow_up_on:%d %B %Y}, follow it up (see `reconsult case reminders`)."
    )


@case_app.command("packet")
def packet_command(
    case_id: CaseId,
    output: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="pdf or text.")] = "pdf",
) -> None:
    """Write a summary of your case to bring to a consultation."""
    from reconsult.casefile.repository import load_case
    from reconsult.documents.packet import packet_pdf, packet_text
    from reconsult.errors import ReconsultError

    if fmt not in ("pdf", "text"):
        raise _fail("--format must be pdf or text.")
    case = load_case(_database(), case_id)
    if case is None:
        raise _fail(f"there is no case with id {case_id!r}")
    today = dt.date.today()
    try:
        data = packet_pdf(case, today) if fmt == "pdf" else packet_text(case, today).encode()
    except ReconsultError as exc:  # e.g. the PDF libraries are missing
        raise _fail(str(exc)) from exc
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise _fail(f"could not write {output}: {exc.strerror}") from exc
    typer.echo(f"Wrote {output} ({len(data):,} bytes).")


@case_app.command("letter-received")
def letter_received_command(
    case_id: CaseId,
    request_id: Annotated[
        str, typer.Argument(help="The records request's id (see `reconsult case show`).")
    ],
    on: Annotated[str, typer.Option(help="The day the records arrived, YYYY-MM-DD.")],
) -> None:
    """Note the day your records arrived, which ends the follow-up reminder."""
    from reconsult.casefile.repository import mark_records_received
    from reconsult.errors import CaseInputError

    day = _past_date(on, "the day the records arrived")
    try:
        log = mark_records_received(_database(), case_id, request_id, received_on=day)
    except CaseInputError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"Saved: records from {log.provider_name} arrived on {day.isoformat()}.")


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
