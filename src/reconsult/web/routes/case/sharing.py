"""Server mode: share a case with a clinic for a while, stop sharing, and see who opened it.

Only the case's owner reaches these pages: they are not among the pages
clinic staff may open (:data:`reconsult.web.access.guard.STAFF_PAGES`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reconsult.accounts.access import list_clinics, revoke_share, share_case, shares_of
from reconsult.accounts.users import AccountError
from reconsult.i18n import gettext as _
from reconsult.web.routes.account.activity import activity_page
from reconsult.web.templating import render

__all__ = ["SHARE_DAYS", "router"]

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)

SHARE_DAYS = (7, 30, 90)


def _sharing_page(
    request: Request, case_id: str, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    state = request.app.state.reconsult
    now = state.now()
    shares = shares_of(state.database, case_id)
    return render(
        request,
        "case_sharing.html",
        {
            "case_id": case_id,
            "case_title": request.state.audit.access.case_title,
            "clinics": list_clinics(state.database),
            "in_force": [s for s in shares if s.in_force(now)],
            "ended": [s for s in shares if not s.in_force(now)],
            "share_days": SHARE_DAYS,
            "errors": errors,
            "now": now,
        },
        status_code=status,
    )


@router.get("/sharing", response_class=HTMLResponse)
def sharing(request: Request, case_id: str) -> HTMLResponse:
    """Show which clinics can see the case, and share it with another."""
    return _sharing_page(request, case_id, {})


@router.post("/sharing")
async def share(request: Request, case_id: str) -> Response:
    """Let one clinic's staff see the case for the chosen number of days."""
    form = await request.form(max_files=0, max_fields=10)
    clinic_id = str(form.get("clinic") or "")
    days = str(form.get("days") or "")
    errors: dict[str, str] = {}
    if not clinic_id:
        errors["clinic"] = _("Choose the clinic to share your case with")
    if days not in {str(d) for d in SHARE_DAYS}:
        errors["days"] = _("Choose how long the clinic can see your case")
    if not errors:
        state = request.app.state.reconsult
        try:
            share_case(state.database, case_id, clinic_id, days=int(days), now=state.now())
        except AccountError as error:
            errors["clinic"] = str(error).rstrip(".")
    if errors:
        return _sharing_page(request, case_id, errors, 400)
    return RedirectResponse(f"/cases/{case_id}/sharing?shared", status_code=303)


@router.post("/sharing/{share_id}/stop")
def stop_sharing(request: Request, case_id: str, share_id: str) -> Response:
    """Stop sharing the case with a clinic, at once."""
    state = request.app.state.reconsult
    revoke_share(state.database, case_id, share_id, now=state.now())
    return RedirectResponse(f"/cases/{case_id}/sharing?stopped", status_code=303)


@router.get("/activity", response_class=HTMLResponse)
def case_activity(request: Request, case_id: str) -> HTMLResponse:
    """Show who opened or changed this case, newest first."""
    access = request.state.audit.access
    return activity_page(
        request,
        access.owner_id,
        case_id=case_id,
        case_title=access.case_title,
        back=f"/cases/{case_id}",
    )
