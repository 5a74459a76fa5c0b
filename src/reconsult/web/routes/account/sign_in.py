"""Server mode: sign in with a password, sign out, and sign out every other browser.

Forms are plain HTML posts (no JavaScript); password hashing (about 0.1 s of argon2id)
runs in a worker thread.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from reconsult.accounts.sessions import end_other_sessions, end_session
from reconsult.i18n import gettext as _
from reconsult.web.access.guard import local_path
from reconsult.web.access.identity import current_user, forget_session_cookie, session_token
from reconsult.web.access.sign_in import check_password
from reconsult.web.routes.account.forms import (
    email_box,
    form_page,
    password_box,
    read_fields,
    signed_in_response,
)

__all__ = ["router"]

router = APIRouter(prefix="/account", include_in_schema=False)


def _sign_in_page(
    request: Request,
    next_path: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return form_page(
        request,
        heading=_("Sign in"),
        action="/account/sign-in",
        boxes=(email_box(), password_box()),
        submit=_("Sign in"),
        values=values,
        errors=errors,
        hidden={"next": next_path},
        lead=(_("Sign in to see your case files."),),
        after="sign_in",
        status_code=status,
    )


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str | None = None) -> Response:
    """Ask for the email address and password."""
    if current_user(request) is not None:
        return RedirectResponse(local_path(next), status_code=303)
    return _sign_in_page(request, local_path(next), {}, {})


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    """Sign in; a wrong address or password gets one message that does not say which."""
    fields = await read_fields(request)
    email, password = fields.get("email", ""), fields.get("password", "")
    next_path = local_path(fields.get("next"))
    values = {"email": email}
    if not email.strip() or not password:
        errors = {}
        if not email.strip():
            errors["email"] = _("Enter your email address")
        if not password:
            errors["password"] = _("Enter your password")
        return _sign_in_page(request, next_path, values, errors, 400)
    signed = await check_password(request, email, password)
    if signed is None:
        return _sign_in_page(
            request,
            next_path,
            values,
            {
                "email": _(
                    "The email address or the password is not right. Check both and try again"
                )
            },
            400,
        )
    user, trust = signed
    response = await run_in_threadpool(signed_in_response, request, user.id, next_path)
    trust(response)
    return response


@router.post("/sign-out")
def sign_out(request: Request) -> Response:
    """Sign this browser out."""
    token = session_token(request)
    if token:
        end_session(request.app.state.reconsult.database, token)
    response = RedirectResponse("/account/sign-in?signed-out", status_code=303)
    forget_session_cookie(response)
    return response


@router.post("/sign-out-elsewhere")
def sign_out_elsewhere(request: Request) -> Response:
    """Sign out every other browser and device signed in to this account."""
    user = current_user(request)
    assert user is not None  # the guard lets only signed-in people here
    end_other_sessions(request.app.state.reconsult.database, user.user_id, user.session_hash)
    return RedirectResponse("/account?signed-out-elsewhere", status_code=303)
