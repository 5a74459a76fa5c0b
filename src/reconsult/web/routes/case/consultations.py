"""The providers a person has seen about their case, and what they said: add one, remove one."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.casefile.repository import new_id, update_case
from reconsult.casefile.schema import Consultation
from reconsult.i18n import gettext as _
from reconsult.web.case.fields.notes import consultation_fields
from reconsult.web.case.forms import blank_state
from reconsult.web.case.pages import (
    FormPage,
    case_context,
    case_url,
    read_submitted,
    redirect,
    save_change,
    show_form,
)

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)


@router.post("/consultations/{consultation_id}/remove")
def consultation_remove(request: Request, case_id: str, consultation_id: str) -> Response:
    """Remove a provider seen."""
    ctx = case_context(request, case_id)
    if not any(c.id == consultation_id for c in ctx.case.consultations):
        raise HTTPException(status_code=404)
    kept = [c for c in ctx.case.consultations if c.id != consultation_id]
    update_case(ctx.database, case_id, lambda c: c.model_copy(update={"consultations": kept}))
    return redirect(case_url(case_id, "#consultations"))


def _consultation_page(case_id: str) -> FormPage:
    return FormPage(
        _("Add a provider you have seen about this"),
        case_url(case_id, "/consultations/new"),
        case_url(case_id, "#consultations"),
        lead=(_("For example the person who treated you, or a second opinion."),),
    )


@router.get("/consultations/new", response_class=HTMLResponse)
def consultation_new(request: Request, case_id: str) -> HTMLResponse:
    """Ask about a provider the person has seen."""
    ctx = case_context(request, case_id)
    return show_form(request, ctx, _consultation_page(case_id), blank_state(consultation_fields()))


@router.post("/consultations/new")
async def consultation_add(request: Request, case_id: str) -> Response:
    """Add a provider the person has seen, and what they said."""
    ctx = case_context(request, case_id)
    page = _consultation_page(case_id)
    state, _posted = await read_submitted(request, consultation_fields(), ctx.today)
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values
    seen = Consultation(
        id=new_id(),
        provider_name=v["provider_name"],
        specialty=v["specialty"] or "",
        held_on=v["held_on"],
        what_they_said=v["what_they_said"] or "",
    )
    return save_change(
        request,
        ctx,
        page,
        state,
        lambda c: c.model_copy(update={"consultations": [*c.consultations, seen]}),
        then=page.back,
    )
