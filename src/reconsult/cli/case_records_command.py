"""``reconsult case letter|letter-received|packet``: records requests, consultation packet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from reconsult.cli.case_input import CaseId, database, fail, past_date


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
    from reconsult.casefile.repository import load_case, request_input_from_case
    from reconsult.documents.records_request import (
        log_records_request,
        records_request_pdf,
        records_request_text,
    )
    from reconsult.errors import CaseInputError, ReconsultError
    from reconsult.i18n import gettext as _
    from reconsult.i18n import long_date

    if fmt not in ("text", "pdf"):
        raise fail(_("--format must be text or pdf."))
    db = database()
    case = load_case(db, case_id)
    if case is None:
        raise fail(_("there is no case with id %(id)s") % {"id": repr(case_id)})
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
        if case.person_name and case.date_of_birth and case.jurisdiction:
            raise fail(str(exc)) from exc
        raise fail(
            _(
                "%(problem)s Set them with: reconsult case details %(id)s "
                "--name NAME --born YYYY-MM-DD --jurisdiction CODE"
            )
            % {"problem": exc, "id": case_id}
        ) from exc
    except ReconsultError as exc:  # e.g. the PDF libraries are missing
        raise fail(str(exc)) from exc
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise fail(
            _("could not write %(file)s: %(reason)s") % {"file": output, "reason": exc.strerror}
        ) from exc
    try:
        log = log_records_request(db, case_id, inp, today=today)
    except CaseInputError as exc:
        output.unlink(missing_ok=True)  # no letter without its log
        raise fail(str(exc)) from exc
    typer.echo(_("Wrote %(file)s. Send it, then keep a copy.") % {"file": output})
    typer.echo(
        _(
            "Request %(id)s is kept with your case. If nothing has arrived by %(date)s, "
            "follow it up (see `reconsult case reminders`)."
        )
        % {"id": log.id, "date": long_date(log.follow_up_on)}
    )


def packet_command(
    case_id: CaseId,
    output: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="pdf or text.")] = "pdf",
) -> None:
    """Write a summary of your case to bring to a consultation."""
    from reconsult.casefile.repository import load_case
    from reconsult.documents.packet import packet_pdf, packet_text
    from reconsult.errors import ReconsultError
    from reconsult.i18n import gettext as _

    if fmt not in ("pdf", "text"):
        raise fail(_("--format must be pdf or text."))
    case = load_case(database(), case_id)
    if case is None:
        raise fail(_("there is no case with id %(id)s") % {"id": repr(case_id)})
    today = dt.date.today()
    try:
        data = packet_pdf(case, today) if fmt == "pdf" else packet_text(case, today).encode()
    except ReconsultError as exc:  # e.g. the PDF libraries are missing
        raise fail(str(exc)) from exc
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise fail(
            _("could not write %(file)s: %(reason)s") % {"file": output, "reason": exc.strerror}
        ) from exc
    typer.echo(_("Wrote %(file)s (%(size)s bytes).") % {"file": output, "size": f"{len(data):,}"})


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
    from reconsult.i18n import gettext as _

    day = past_date(on, _("the day the records arrived must be today or in the past"))
    try:
        log = mark_records_received(database(), case_id, request_id, received_on=day)
    except CaseInputError as exc:
        raise fail(str(exc)) from exc
    typer.echo(
        _("Saved: records from %(provider)s arrived on %(date)s.")
        % {"provider": log.provider_name, "date": day.isoformat()}
    )
