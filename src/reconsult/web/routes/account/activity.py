"""Server mode: the account page, and who opened or changed your case files."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reconsult.accounts.audit import audit_entries, group_repeats
from reconsult.web.access.identity import current_user
from reconsult.web.templating import render

__all__ = ["activity_page", "router"]

router = APIRouter(prefix="/account", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def account(request: Request) -> HTMLResponse:
    """Show the account: email address, clinics, and what can be changed."""
    return render(
        request,
        "account.html",
        {
            "user": current_user(request),
            "changed": "password-changed" in request.query_params,
            "elsewhere": "signed-out-elsewhere" in request.query_params,
        },
    )


@router.get("/activity", response_class=HTMLResponse)
def activity(request: Request) -> HTMLResponse:
    """Show who opened or changed any of your case files, newest first."""
    user = current_user(request)
    assert user is not None
    return activity_page(request, user.user_id, case_id=None, case_title=None, back="/account")


def activity_page(
    request: Request, owner_id: str, *, case_id: str | None, case_title: str | None, back: str
) -> HTMLResponse:
    """Draw the owner's audit log: of one case, or (``case_id`` None) of all their cases."""
    entries, total = audit_entries(request.app.state.reconsult.database, owner_id, case_id=case_id)
    return render(
        request,
        "activity.html",
        {
            "entries": group_repeats(entries),
            "total": total,
            "shown": len(entries),
            "case_title": case_title,
            "back": back,
        },
    )
