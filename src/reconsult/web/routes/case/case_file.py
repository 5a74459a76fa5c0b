"""The case file: list, start, overview, details, delete, import and downloads.

The parts of a case (procedures, journal, goals, photos, letters) have their
own route modules; this one holds the case as a whole.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import anyio
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from reconsult.accounts.access import case_exists, owned_by, owned_cases, shared_cases
from reconsult.casefile.reminders import case_reminders
from reconsult.casefile.repository import (
    CaseFileError,
    create_case,
    delete_case,
    export_case,
    import_case,
    list_cases,
)
from reconsult.casefile.schema import CaseFileExport
from reconsult.documents.calendar import calendar_ics
from reconsult.documents.fhir import case_bundle
from reconsult.documents.packet import packet_pdf, packet_text
from reconsult.documents.records_access import load_records_access
from reconsult.i18n import gettext as _
from reconsult.web.access.identity import current_user
from reconsult.web.case.fields.records import details_fields, import_fields
from reconsult.web.case.forms import FormState, blank_state, date_parts
from reconsult.web.case.pages import (
    FormPage,
    case_context,
    case_url,
    check_form,
    read_submitted,
    redirect,
    render_form,
    save_change,
    show_form,
)
from reconsult.web.case.view import (
    history,
    open_now,
    photo_groups,
    product_line,
    provider_check_views,
)
from reconsult.web.templating import render
from reconsult.web.uploads import UploadTooLarge, read_upload

router = APIRouter(prefix="/cases", include_in_schema=False)

IMPORT_MAX_BYTES = 200_000_000  # a case with many photos, as base64 JSON


@router.get("", response_class=HTMLResponse)
def case_list(request: Request, deleted: str | None = None) -> HTMLResponse:
    """List the person's case files, newest change first, then those shared with their clinic.

    In personal mode every case on this computer is theirs; in server mode
    only the cases they own, and those shared with a clinic they work for.
    """
    state = request.app.state.reconsult
    user = current_user(request)
    if user is None:
        cases, shared = list_cases(state.database), []
    else:
        cases = owned_cases(state.database, user.user_id)
        shared = shared_cases(state.database, user.clinics, now=state.now())
    return render(
        request,
        "cases.html",
        {"cases": cases, "shared": shared, "deleted": deleted is not None},
    )


@router.post("")
def new_case(request: Request) -> Response:
    """Start an empty case file and open it."""
    user = current_user(request)
    also = None if user is None else owned_by(user.user_id)
    # The name the person sees until they change it, in their language.
    case = create_case(request.app.state.reconsult.database, title=_("My case"), also=also)
    return redirect(case_url(case.id, "?new"))


# --- import ---------------------------------------------------------------------------


def import_page() -> FormPage:
    """The import form's page, in the language of the request."""
    return FormPage(
        heading=_("Add a case file you saved before"),
        action="/cases/import",
        back="/cases",
        submit=_("Add this case file"),
        lead=(
            _(
                "Choose a case file you downloaded from reconsult. It ends in .json. "
                "If anything in it cannot be read, nothing is added."
            ),
        ),
        upload={
            "label": _("Case file"),
            "hint": _("A .json file from 'Download everything'"),
            "accept": ".json,application/json",
        },
    )


@router.get("/import", response_class=HTMLResponse, name="import_form")
def import_form(request: Request) -> HTMLResponse:
    """Ask for a case file to import."""
    return _import_page(request, blank_state(import_fields()))


def _import_page(request: Request, state: FormState) -> HTMLResponse:
    return render_form(request, _("Your case files"), import_page(), state)


@router.post("/import")
async def import_file(request: Request) -> Response:
    """Import a case file; a bad or partial file adds nothing and says why."""
    db = request.app.state.reconsult.database
    today = request.app.state.reconsult.today()
    try:
        upload = await read_upload(request, max_bytes=IMPORT_MAX_BYTES)
    except UploadTooLarge:
        state = blank_state(import_fields())
        state.errors["file"] = _(
            "The file is larger than 200 MB, so it is not a reconsult case file"
        )
        return _import_page(request, state)
    state = check_form(import_fields(), upload.form, today)
    if not upload.data:
        state.errors["file"] = _("Choose a case file to add")
        return _import_page(request, state)
    user = current_user(request)
    try:
        if user is not None:
            case = await anyio.to_thread.run_sync(
                _import_as_owner, db, upload.data, bool(state.values.get("replace")), user.user_id
            )
        else:
            case = import_case(db, upload.data, replace=bool(state.values.get("replace")))
    except CaseFileError as error:
        state.errors["file"] = str(error)
        return _import_page(request, state)
    return redirect(case_url(case.id))


def _import_as_owner(db: Any, raw: bytes, replace: bool, user_id: str) -> Any:
    """Import a case for a signed-in person (server mode); it becomes theirs.

    A case file whose id is already kept here may replace only the person's
    own copy; someone else's copy is never touched.
    """
    try:
        case_id = CaseFileExport.model_validate_json(raw).case.id
    except ValidationError:
        return import_case(db, raw)  # raises the plain "not a reconsult case file" error
    owned = {i for i, _, _ in owned_cases(db, user_id)}
    if case_id not in owned and case_exists(db, case_id):
        raise CaseFileError(
            _(
                "A copy of this case file is already kept here under another account, "
                "so it cannot be added to yours. Nothing was added."
            )
        )
    return import_case(db, raw, replace=replace, also=owned_by(user_id))


@router.get("/{case_id}", response_class=HTMLResponse)
def overview(request: Request, case_id: str) -> HTMLResponse:
    """Show everything in one case: how things have changed, procedures, photos and documents."""
    ctx = case_context(request, case_id)
    kb = ctx.knowledge
    places = {j.code: j.name for j in load_records_access().jurisdictions}
    latest = history(kb, ctx.case, ctx.today)
    access = getattr(request.state, "audit", None)
    context: dict[str, Any] = {
        "case": ctx.case,
        "history": latest,
        "latest": latest[0] if latest else None,
        "open_now": open_now(kb, ctx.case, ctx.today),
        "open_words": kb.policy.open_findings,
        "procedure_names": {
            p.id: kb.procedures[p.procedure.value].name for p in ctx.case.procedures
        },
        "product_line": product_line,
        "photo_groups": photo_groups(ctx.case),
        "provider_checks": provider_check_views(ctx.case, kb),
        "place": places.get(ctx.case.jurisdiction, ""),
        "reminders": case_reminders(ctx.case, ctx.today, kb),
        "is_new": "new" in request.query_params,
        "help": kb.policy.help_now,
        "today": ctx.today,
        "access": access,
        # Clinic staff read a shared case: no buttons for changes only its owner can make.
        "read_only": access is not None and access.access.role == "clinic",
    }
    return render(request, "case.html", context)


# --- about you ----------------------------------------------------------------------


def _details_page(case_id: str) -> FormPage:
    return FormPage(
        heading=_("About you"),
        action=case_url(case_id, "/details"),
        back=case_url(case_id),
        lead=(
            _(
                "Your name, date of birth and where you live go on your records letter and "
                "on the summary you take to a consultation. They stay on this computer."
            ),
        ),
    )


@router.get("/{case_id}/details", response_class=HTMLResponse)
def details_form(request: Request, case_id: str) -> HTMLResponse:
    """Ask for the case's name and the person's details, filled in with what is saved."""
    ctx = case_context(request, case_id)
    case = ctx.case
    typed = {
        "title": case.title,
        "person_name": case.person_name,
        "date_of_birth": date_parts(case.date_of_birth),
        "jurisdiction": case.jurisdiction,
    }
    return show_form(request, ctx, _details_page(case_id), blank_state(details_fields(), typed))


@router.post("/{case_id}/details")
async def save_details(request: Request, case_id: str) -> Response:
    """Save the case's name and the person's details."""
    ctx = case_context(request, case_id)
    state, _posted = await read_submitted(request, details_fields(), ctx.today)
    page = _details_page(case_id)
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values
    update = {
        "title": v["title"],
        "person_name": v["person_name"] or "",
        "date_of_birth": v["date_of_birth"],
        "jurisdiction": v["jurisdiction"] or "",
    }
    return save_change(request, ctx, page, state, lambda c: c.model_copy(update=update))


# --- delete ---------------------------------------------------------------------------


@router.get("/{case_id}/delete", response_class=HTMLResponse)
def delete_confirm(request: Request, case_id: str) -> HTMLResponse:
    """Ask before deleting: deleting cannot be undone."""
    ctx = case_context(request, case_id)
    return render(
        request,
        "case_confirm.html",
        {
            "caption": ctx.case.title,
            "heading": _("Are you sure you want to delete this case file?"),
            "lead": [
                _(
                    "Everything in it will be deleted from this computer: procedures, notes, "
                    "photos, letters and reminders. This cannot be undone."
                ),
                _("If you might want it later, download a copy first."),
            ],
            "action": case_url(case_id, "/delete"),
            "back": case_url(case_id),
            "submit": _("Yes, delete everything"),
            "download": case_url(case_id, "/download/case.json"),
        },
    )


@router.post("/{case_id}/delete")
def delete(request: Request, case_id: str) -> Response:
    """Delete the case and everything in it, photos included."""
    if not delete_case(request.app.state.reconsult.database, case_id):
        raise HTTPException(status_code=404)
    return redirect("/cases?deleted")


# --- downloads ------------------------------------------------------------------------


def _attachment(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content=body,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


def _stamp(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)


@router.get("/{case_id}/download/case.json")
def download_json(request: Request, case_id: str) -> Response:
    """Download everything in the case as one file that can be imported again."""
    ctx = case_context(request, case_id)
    body = export_case(ctx.database, case_id, exported_at=_stamp(ctx.today))
    return _attachment(body, "application/json", f"reconsult-case-{ctx.today.isoformat()}.json")


@router.get("/{case_id}/download/fhir.json")
def download_fhir(request: Request, case_id: str) -> Response:
    """Download the case as a FHIR R4 Bundle, for a clinic's health record system."""
    ctx = case_context(request, case_id)
    bundle = case_bundle(ctx.case, generated_at=_stamp(ctx.today), knowledge=ctx.knowledge)
    body = json.dumps(json.loads(bundle.model_dump_json()), indent=2).encode()
    return _attachment(
        body, "application/fhir+json", f"reconsult-fhir-{ctx.today.isoformat()}.json"
    )


@router.get("/{case_id}/download/reminders.ics")
def download_reminders(request: Request, case_id: str) -> Response:
    """Download the case's reminders for a phone or computer calendar."""
    ctx = case_context(request, case_id)
    reminders = case_reminders(ctx.case, ctx.today, ctx.knowledge)
    if not reminders:
        raise HTTPException(status_code=404)
    return _attachment(
        calendar_ics(reminders, stamp=_stamp(ctx.today)), "text/calendar", "reconsult-reminders.ics"
    )


# Rendering a packet with photos takes up to a second and a good deal of memory.
_RENDERING = anyio.CapacityLimiter(2)


@router.get("/{case_id}/download/packet.pdf")
async def download_packet(request: Request, case_id: str) -> Response:
    """Download the consultation summary to print or send before an appointment."""
    ctx = case_context(request, case_id)
    body = await anyio.to_thread.run_sync(
        lambda: packet_pdf(ctx.case, ctx.today, ctx.knowledge), limiter=_RENDERING
    )
    return _attachment(body, "application/pdf", f"reconsult-summary-{ctx.today.isoformat()}.pdf")


@router.get("/{case_id}/download/packet.txt")
def download_packet_text(request: Request, case_id: str) -> Response:
    """Download the consultation summary as plain text, to paste into an email."""
    ctx = case_context(request, case_id)
    body = packet_text(ctx.case, ctx.today, ctx.knowledge).encode()
    return _attachment(
        body, "text/plain; charset=utf-8", f"reconsult-summary-{ctx.today.isoformat()}.txt"
    )
