"""Records-request letters from a case file, and the consultation packet.

The letter is made from what the case already holds (name, date of birth,
where the person lives, the procedures and who did them) plus the addresses
asked here. It is kept with the case, so the follow-up date becomes a
reminder and the letter goes into every export.
"""

from __future__ import annotations

import datetime as dt

import anyio
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.casefile.letters import (
    mark_records_received,
    missing_details,
    request_input_from_case,
)
from reconsult.casefile.records_request_input import RecordsFormat, ToMe, ToNewProvider
from reconsult.casefile.repository import CaseFileError
from reconsult.casefile.schema import RecordsRequestLog
from reconsult.documents.records_request import log_records_request, records_request_pdf
from reconsult.i18n import gettext as _
from reconsult.web.case.fields.records import letter_fields, received_fields
from reconsult.web.case.forms import FormState, blank_state, date_parts
from reconsult.web.case.pages import (
    CaseContext,
    FormPage,
    case_context,
    case_url,
    read_submitted,
    redirect,
    show_form,
)
from reconsult.web.templating import render

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)


def _letter_page(case_id: str) -> FormPage:
    return FormPage(
        _("Ask for your records"),
        case_url(case_id, "/letters/new"),
        case_url(case_id, "#records"),
        submit=_("Make my letter"),
        lead=(
            _(
                "You have a legal right to a copy of your records. This letter asks for them "
                "and says which law gives you that right, how long the clinic has to answer, "
                "and what they may charge."
            ),
        ),
    )


@router.get("/letters/new", response_class=HTMLResponse)
def letter_new(request: Request, case_id: str) -> HTMLResponse:
    """Ask for what the letter needs that the case does not hold yet."""
    ctx = case_context(request, case_id)
    missing = missing_details(ctx.case)
    if missing or not ctx.case.procedures:
        return render(
            request,
            "case_letter_first.html",
            {"case": ctx.case, "missing": missing, "no_procedures": not ctx.case.procedures},
        )
    typed = {"preferred_format": "electronic", "send_to": "self"}
    if len(ctx.case.procedures) == 1:
        typed["procedure_ids"] = [ctx.case.procedures[0].id]  # type: ignore[assignment]
    state = blank_state(letter_fields(ctx.knowledge, ctx.case), typed)
    return show_form(request, ctx, _letter_page(case_id), state)


def _recipient(state: FormState) -> ToMe | ToNewProvider | None:
    v = state.values
    if v["send_to"] != "new_provider":
        return ToMe()
    if not v["new_provider_name"]:
        state.errors["new_provider_name"] = _("Enter the new provider's name")
    if not v["new_provider_address"]:
        state.errors["new_provider_address"] = _("Enter the new provider's address")
    if state.errors:
        return None
    return ToNewProvider(name=v["new_provider_name"], address=v["new_provider_address"])


@router.post("/letters/new")
async def letter_add(request: Request, case_id: str) -> Response:
    """Make the letter, keep it with the case and show it."""
    ctx = case_context(request, case_id)
    page = _letter_page(case_id)
    state, _posted = await read_submitted(
        request, letter_fields(ctx.knowledge, ctx.case), ctx.today
    )
    if state.errors:
        return show_form(request, ctx, page, state)
    recipient = _recipient(state)
    if recipient is None:
        return show_form(request, ctx, page, state)
    v = state.values
    try:
        inp = request_input_from_case(
            ctx.case,
            procedure_ids=v["procedure_ids"],
            address=v["address"],
            practice_address=v["practice_address"],
            phone=v["phone"],
            email=v["email"],
            patient_number=v["patient_number"],
            recipient=recipient,
            preferred_format=RecordsFormat(v["preferred_format"]),
            today=ctx.today,
        )
        log = log_records_request(ctx.database, case_id, inp, today=ctx.today)
    except CaseFileError as error:
        state.errors = {"procedure_ids-0": str(error)}
        return show_form(request, ctx, page, state)
    return redirect(case_url(case_id, f"/letters/{log.id}"))


def _log(ctx: CaseContext, request_id: str) -> RecordsRequestLog:
    log = next((r for r in ctx.case.records_requests if r.id == request_id), None)
    if log is None:
        raise HTTPException(status_code=404)
    return log


@router.get("/letters/{request_id}", response_class=HTMLResponse)
def letter_page(request: Request, case_id: str, request_id: str) -> HTMLResponse:
    """Show a kept letter, how to send it, and when to follow it up."""
    ctx = case_context(request, case_id)
    return render(request, "case_letter.html", {"case": ctx.case, "log": _log(ctx, request_id)})


@router.get("/letters/{request_id}/letter.txt")
def letter_text(request: Request, case_id: str, request_id: str) -> Response:
    """Download a kept letter as plain text, to paste into an email or print."""
    ctx = case_context(request, case_id)
    log = _log(ctx, request_id)
    name = f"records-request-{log.sent_on.isoformat()}.txt"
    return Response(
        content=log.letter_text.encode(),
        media_type="text/plain; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/letters/{request_id}/letter.pdf")
async def letter_pdf(request: Request, case_id: str, request_id: str) -> Response:
    """Download a kept letter as a PDF to print, exactly as it was made on its day."""
    ctx = case_context(request, case_id)
    log = _log(ctx, request_id)
    made_from = log.request
    if made_from is None:  # kept before letters kept what they were made from
        raise HTTPException(status_code=404)
    body = await anyio.to_thread.run_sync(lambda: records_request_pdf(made_from, log.sent_on))
    name = f"records-request-{log.sent_on.isoformat()}.pdf"
    return Response(
        content=body,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def _received_page(case_id: str, request_id: str) -> FormPage:
    return FormPage(
        _("Your records arrived"),
        case_url(case_id, f"/letters/{request_id}/received"),
        case_url(case_id, f"/letters/{request_id}"),
    )


@router.get("/letters/{request_id}/received", response_class=HTMLResponse)
def received_form(request: Request, case_id: str, request_id: str) -> HTMLResponse:
    """Ask when the records arrived."""
    ctx = case_context(request, case_id)
    _log(ctx, request_id)
    state = blank_state(received_fields(), {"received_on": date_parts(ctx.today)})
    return show_form(request, ctx, _received_page(case_id, request_id), state)


@router.post("/letters/{request_id}/received")
async def received(request: Request, case_id: str, request_id: str) -> Response:
    """Note the day the records arrived (this ends the follow-up reminder)."""
    ctx = case_context(request, case_id)
    log = _log(ctx, request_id)
    page = _received_page(case_id, request_id)
    state, _posted = await read_submitted(request, received_fields(), ctx.today)
    on: dt.date | None = state.values.get("received_on")
    if not state.errors and on is not None and on < log.sent_on:
        state.errors["received_on-day"] = _(
            "The date must be on or after the day you sent the letter"
        )
    if state.errors or on is None:
        return show_form(request, ctx, page, state)
    mark_records_received(ctx.database, case_id, request_id, received_on=on)
    return redirect(case_url(case_id, "#records"))
