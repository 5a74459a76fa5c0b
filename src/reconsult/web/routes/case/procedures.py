"""A case's procedures: add one, change it, remove it (asking first, as it holds products
and implants).

Each form page is a GET and its save a POST, then back to the case. Products, sites and
implants, which belong to a procedure, have their own module (:mod:`.products`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.casefile.repository import new_id, update_case
from reconsult.casefile.schema import CaseFileData, ProcedureRecord
from reconsult.i18n import gettext as _
from reconsult.knowledge.schema import ProcedureCode
from reconsult.web.case.fields.treatment import procedure_fields
from reconsult.web.case.forms import blank_state, date_parts
from reconsult.web.case.pages import (
    CaseContext,
    FormPage,
    case_context,
    case_url,
    read_submitted,
    redirect,
    save_change,
    show_form,
)
from reconsult.web.templating import render

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)


def find_procedure(case: CaseFileData, procedure_id: str) -> ProcedureRecord:
    """Return the case's procedure with this id (404 if there is none)."""
    found = next((p for p in case.procedures if p.id == procedure_id), None)
    if found is None:
        raise HTTPException(status_code=404)
    return found


def with_procedure(
    procedure_id: str, change: Callable[[ProcedureRecord], ProcedureRecord]
) -> Callable[[CaseFileData], CaseFileData]:
    """Return a case change that applies ``change`` to one procedure."""

    def apply(case: CaseFileData) -> CaseFileData:
        procedures = [change(p) if p.id == procedure_id else p for p in case.procedures]
        return case.model_copy(update={"procedures": procedures})

    return apply


def _procedure_page(case_id: str, procedure_id: str | None) -> FormPage:
    if procedure_id is None:
        return FormPage(
            _("Add a procedure"), case_url(case_id, "/procedures/new"), case_url(case_id)
        )
    return FormPage(
        _("Change this procedure"),
        case_url(case_id, f"/procedures/{procedure_id}"),
        case_url(case_id, f"#procedure-{procedure_id}"),
    )


@router.get("/procedures/new", response_class=HTMLResponse)
def procedure_new(request: Request, case_id: str) -> HTMLResponse:
    """Ask about a procedure to add."""
    ctx = case_context(request, case_id)
    state = blank_state(procedure_fields(ctx.knowledge))
    return show_form(request, ctx, _procedure_page(case_id, None), state)


@router.get("/procedures/{procedure_id}", response_class=HTMLResponse)
def procedure_edit(request: Request, case_id: str, procedure_id: str) -> HTMLResponse:
    """Show a procedure's details to change."""
    ctx = case_context(request, case_id)
    p = find_procedure(ctx.case, procedure_id)
    typed = {
        "procedure": p.procedure.value,
        "performed_on": date_parts(p.performed_on),
        "provider_name": p.provider_name,
        "practice_name": p.practice_name,
        "records_obtained": p.records_obtained,
        "notes": p.notes,
    }
    state = blank_state(procedure_fields(ctx.knowledge), typed)
    return show_form(request, ctx, _procedure_page(case_id, procedure_id), state)


async def _save_procedure(request: Request, case_id: str, procedure_id: str | None) -> Response:
    ctx = case_context(request, case_id)
    page = _procedure_page(case_id, procedure_id)
    state, _posted = await read_submitted(request, procedure_fields(ctx.knowledge), ctx.today)
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values
    fields: dict[str, Any] = {
        "procedure": ProcedureCode(v["procedure"]),
        "performed_on": v["performed_on"],
        "provider_name": v["provider_name"] or "",
        "practice_name": v["practice_name"] or "",
        "records_obtained": v["records_obtained"],
        "notes": v["notes"] or "",
    }
    if procedure_id is None:
        record = ProcedureRecord(id=new_id(), **fields)
        return save_change(
            request,
            ctx,
            page,
            state,
            lambda c: c.model_copy(update={"procedures": [*c.procedures, record]}),
            then=case_url(case_id, f"#procedure-{record.id}"),
        )
    find_procedure(ctx.case, procedure_id)
    return save_change(
        request,
        ctx,
        page,
        state,
        with_procedure(procedure_id, lambda p: p.model_copy(update=fields)),
        then=page.back,
    )


@router.post("/procedures/new")
async def procedure_add(request: Request, case_id: str) -> Response:
    """Add a procedure to the case."""
    return await _save_procedure(request, case_id, None)


@router.post("/procedures/{procedure_id}")
async def procedure_save(request: Request, case_id: str, procedure_id: str) -> Response:
    """Save changes to a procedure."""
    return await _save_procedure(request, case_id, procedure_id)


def _confirm(
    request: Request, ctx: CaseContext, *, heading: str, lead: list[str], action: str, back: str
) -> HTMLResponse:
    return render(
        request,
        "case_confirm.html",
        {
            "caption": ctx.case.title,
            "heading": heading,
            "lead": lead,
            "action": action,
            "back": back,
            "submit": _("Yes, remove it"),
        },
    )


@router.get("/procedures/{procedure_id}/remove", response_class=HTMLResponse)
def procedure_remove_confirm(request: Request, case_id: str, procedure_id: str) -> HTMLResponse:
    """Ask before removing a procedure with its products and implants."""
    ctx = case_context(request, case_id)
    p = find_procedure(ctx.case, procedure_id)
    name = ctx.knowledge.procedures[p.procedure.value].name
    return _confirm(
        request,
        ctx,
        heading=_("Remove %(procedure)s?") % {"procedure": name},
        lead=[
            _(
                "Its products and implants are removed with it. Your notes and photos stay, "
                "but no longer say which procedure they are about."
            )
        ],
        action=case_url(case_id, f"/procedures/{procedure_id}/remove"),
        back=case_url(case_id, f"#procedure-{procedure_id}"),
    )


@router.post("/procedures/{procedure_id}/remove")
def procedure_remove(request: Request, case_id: str, procedure_id: str) -> Response:
    """Remove a procedure; notes and photos about it stay, unlinked."""
    ctx = case_context(request, case_id)
    find_procedure(ctx.case, procedure_id)

    def change(case: CaseFileData) -> CaseFileData:
        def unlink(item: Any) -> Any:
            if item.procedure_id == procedure_id:
                return item.model_copy(update={"procedure_id": None})
            return item

        return case.model_copy(
            update={
                "procedures": [p for p in case.procedures if p.id != procedure_id],
                "journal": [unlink(e) for e in case.journal],
                "photos": [unlink(p) for p in case.photos],
            }
        )

    update_case(ctx.database, case_id, change)
    return redirect(case_url(case_id, "#procedures"))
