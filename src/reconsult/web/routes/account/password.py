"""Server mode: change the password, or reset a forgotten one with a one-time link.

Password hashing (about 0.1 s of argon2id) runs in a worker thread.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from reconsult.accounts.passwords import password_problem
from reconsult.accounts.users import AccountError, User, change_password, reset_password
from reconsult.i18n import gettext as _
from reconsult.web.access.identity import current_user, forget_session_cookie
from reconsult.web.routes.account.forms import (
    Box,
    confirm_box,
    form_page,
    new_password_box,
    read_fields,
)
from reconsult.web.templating import render

__all__ = ["router"]

router = APIRouter(prefix="/account", include_in_schema=False)


def _password_page(request: Request, errors: dict[str, str], status: int = 200) -> HTMLResponse:
    return form_page(
        request,
        heading=_("Change your password"),
        action="/account/password",
        boxes=(Box("current", _("Current password")), new_password_box(), confirm_box()),
        submit=_("Change password"),
        errors=errors,
        lead=(_("Other browsers and devices signed in to your account will be signed out."),),
        status_code=status,
    )


@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request) -> HTMLResponse:
    """Ask for the current password and a new one."""
    return _password_page(request, {})


@router.post("/password")
async def password_change(request: Request) -> Response:
    """Change the password; other sessions end, this one stays signed in."""
    fields = await read_fields(request)
    current, new, confirm = (fields.get(k, "") for k in ("current", "new_password", "confirm"))
    if new != confirm:
        return _password_page(
            request, {"confirm": _("The two new passwords are not the same. Type them again")}, 400
        )
    signed = current_user(request)
    assert signed is not None
    state = request.app.state.reconsult
    try:
        await run_in_threadpool(
            change_password,
            state.database,
            state.hasher,
            User(id=signed.user_id, email=signed.email),
            current,
            new,
            keep_session=signed.session_hash,
            now=state.now(),
        )
    except AccountError as error:
        # The new password's problem, else the current password was wrong (in any language).
        bad_new = str(error) == password_problem(new, email=signed.email)
        field = "new_password" if bad_new else "current"
        return _password_page(request, {field: str(error).rstrip(".")}, 400)
    return RedirectResponse("/account?password-changed", status_code=303)


# --- forgotten password ----------------------------------------------------------------


@router.get("/forgot", response_class=HTMLResponse)
def forgot(request: Request) -> HTMLResponse:
    """Say how to get a link to choose a new password."""
    return render(request, "account_forgot.html")


def _reset_page(
    request: Request, token: str, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    return form_page(
        request,
        heading=_("Choose a new password"),
        action="/account/reset",
        boxes=(new_password_box(), confirm_box()),
        submit=_("Save new password"),
        errors=errors,
        hidden={"token": token},
        lead=(_("You will be signed out everywhere, then you can sign in with the new password."),),
        status_code=status,
    )


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request, token: str = "") -> HTMLResponse:
    """Ask for a new password, with the one-time token from the link."""
    return _reset_page(request, token[:200], {})


@router.post("/reset")
async def reset(request: Request) -> Response:
    """Set the new password with the one-time token; then sign in again."""
    fields = await read_fields(request)
    token, new, confirm = (fields.get(k, "") for k in ("token", "new_password", "confirm"))
    if new != confirm:
        return _reset_page(
            request,
            token,
            {"confirm": _("The two passwords are not the same. Type them again")},
            400,
        )
    state = request.app.state.reconsult
    try:
        await run_in_threadpool(
            reset_password, state.database, state.hasher, token[:200], new, now=state.now()
        )
    except AccountError as error:
        return _reset_page(request, token, {"new_password": str(error).rstrip(".")}, 400)
    response = RedirectResponse("/account/sign-in?password-reset", status_code=303)
    forget_session_cookie(response)
    return response
