"""Server mode: sign up, sign in and out, change or reset a password, and see who read your cases.

Registered only in server mode. Forms are plain HTML posts (no JavaScript);
password hashing (about 0.1 s of argon2id) runs in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from reconsult.accounts.addresses import address_key, network_key
from reconsult.accounts.audit import audit_entries, group_repeats
from reconsult.accounts.invitations import (
    INVITATION_DAYS,
    InvitationGone,
    accept_invitation,
    invited_email,
)
from reconsult.accounts.passwords import MIN_LENGTH
from reconsult.accounts.sessions import end_other_sessions, end_session, start_session
from reconsult.accounts.sign_in import trust_device
from reconsult.accounts.users import (
    AccountError,
    User,
    change_password,
    reset_password,
    sign_up,
)
from reconsult.web.access_guard import local_path
from reconsult.web.identity import (
    current_user,
    forget_session_cookie,
    remember_device_cookie,
    remember_session_cookie,
    session_token,
)
from reconsult.web.rate_limit import check_limit, client_host
from reconsult.web.sign_in import check_password
from reconsult.web.templating import render

__all__ = ["router"]

router = APIRouter(prefix="/account", include_in_schema=False)


@dataclass(frozen=True)
class Box:
    """One text box of an account form."""

    name: str
    label: str
    kind: str = "password"  # the input's type
    autocomplete: str = "current-password"
    hint: str = ""


EMAIL = Box("email", "Email address", "email", "email")
PASSWORD = Box("password", "Password")
NEW_PASSWORD = Box(
    "new_password",
    "New password",
    autocomplete="new-password",
    hint=f"At least {MIN_LENGTH} characters. A few words you will remember work well.",
)
CONFIRM = Box("confirm", "Type the new password again", autocomplete="new-password")


def _form_page(
    request: Request,
    *,
    heading: str,
    action: str,
    boxes: tuple[Box, ...],
    submit: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    lead: tuple[str, ...] = (),
    hidden: dict[str, str] | None = None,
    after: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "account_form.html",
        {
            "heading": heading,
            "action": action,
            "boxes": boxes,
            "submit": submit,
            "values": values or {},
            "errors": errors or {},
            "lead": lead,
            "hidden": hidden or {},
            "after": after,
        },
        status_code=status_code,
    )


async def _fields(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=20)
    return {k: v if isinstance(v, str) else "" for k, v in form.items()}


def _new_account_response(request: Request, user_id: str) -> Response:
    """Sign in a person who just made their account, and trust this browser (they set the
    password here), as a sign-in with the password would."""
    state = request.app.state.reconsult
    response = _signed_in_response(request, user_id, "/cases")
    remember_device_cookie(
        request, response, trust_device(state.database, user_id, now=state.now())
    )
    return response


def _signed_in_response(request: Request, user_id: str, target: str) -> Response:
    state = request.app.state.reconsult
    idle = state.settings.session_idle()
    token = start_session(state.database, user_id, now=state.now(), idle=idle)
    response = RedirectResponse(target, status_code=303)
    remember_session_cookie(request, response, token)
    return response


# --- sign in ---------------------------------------------------------------------------


def _sign_in_page(
    request: Request,
    next_path: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return _form_page(
        request,
        heading="Sign in",
        action="/account/sign-in",
        boxes=(EMAIL, PASSWORD),
        submit="Sign in",
        values=values,
        errors=errors,
        hidden={"next": next_path},
        lead=("Sign in to see your case files.",),
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
    fields = await _fields(request)
    email, password = fields.get("email", ""), fields.get("password", "")
    next_path = local_path(fields.get("next"))
    values = {"email": email}
    if not email.strip() or not password:
        errors = {}
        if not email.strip():
            errors["email"] = "Enter your email address"
        if not password:
            errors["password"] = "Enter your password"
        return _sign_in_page(request, next_path, values, errors, 400)
    signed = await check_password(request, email, password)
    if signed is None:
        return _sign_in_page(
            request,
            next_path,
            values,
            {"email": "The email address or the password is not right. Check both and try again"},
            400,
        )
    user, trust = signed
    response = await run_in_threadpool(_signed_in_response, request, user.id, next_path)
    trust(response)
    return response


# --- sign up ---------------------------------------------------------------------------
#
# By invitation unless the open_sign_up setting is on: a link from `reconsult accounts
# invite` carries a one-time token (?invite=...), and the account gets the address the
# invitation was made for, never one typed into the form. Without a valid invitation the
# answer never depends on the address typed, so the page cannot tell anyone who has an
# account. Open sign-up is counted per network address and per network, every attempt.

INVITE = "invite"  # the query parameter and hidden field that carry an invitation's token
MISMATCH = "The two passwords are not the same. Type them again"


def _sign_up_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    *,
    invited: tuple[str, str] | None = None,
) -> HTMLResponse:
    """The form: a typed address (open sign-up), or ``invited`` (token, address) shown."""
    lead: tuple[str, ...] = (
        "An account keeps your case files on this service so you can come back to them. "
        "Only you can see them, unless you share one with a clinic.",
    )
    boxes: tuple[Box, ...] = (EMAIL, NEW_PASSWORD, CONFIRM)
    hidden: dict[str, str] = {}
    if invited is not None:
        token, email = invited
        boxes, hidden = (NEW_PASSWORD, CONFIRM), {INVITE: token}
        lead = (f"This invitation is for {email}. Choose a password for your account.", *lead)
    return _form_page(
        request,
        heading="Create an account",
        action="/account/sign-up",
        boxes=boxes,
        submit="Create account",
        values=values,
        errors=errors,
        lead=lead,
        hidden=hidden,
        after="sign_up",
        status_code=status,
    )


def _by_invitation_page(request: Request, *, gone: bool, status: int = 200) -> HTMLResponse:
    """Say that accounts are made by invitation, or (``gone``) that this link no longer works."""
    return render(
        request,
        "account_by_invitation.html",
        {"gone": gone, "invitation_days": INVITATION_DAYS},
        status_code=status,
    )


@router.get("/sign-up", response_class=HTMLResponse)
def sign_up_form(request: Request, invite: str = "") -> Response:
    """Ask for a new password (and, with open sign-up, an email address)."""
    if current_user(request) is not None:
        return RedirectResponse("/cases", status_code=303)
    state = request.app.state.reconsult
    if invite:
        email = invited_email(state.database, invite, now=state.now())
        if email is None:
            return _by_invitation_page(request, gone=True)
        return _sign_up_page(request, {}, {}, invited=(invite, email))
    if not state.settings.open_sign_up:
        return _by_invitation_page(request, gone=False)
    return _sign_up_page(request, {}, {})


async def _create_invited_account(request: Request, fields: dict[str, str]) -> Response:
    """Make the account an invitation is for; the typed address, if any, is ignored."""
    state = request.app.state.reconsult
    token, new, confirm = (fields.get(k, "") for k in (INVITE, "new_password", "confirm"))
    email = await run_in_threadpool(invited_email, state.database, token, now=state.now())
    if email is None:
        return _by_invitation_page(request, gone=True, status=403)
    if new != confirm:
        return _sign_up_page(request, {}, {"confirm": MISMATCH}, 400, invited=(token, email))
    try:
        user = await run_in_threadpool(
            accept_invitation, state.database, state.hasher, token, new, now=state.now()
        )
    except InvitationGone:
        return _by_invitation_page(request, gone=True, status=403)
    except AccountError as error:
        field = "new_password" if "password" in str(error).lower() else "email"
        errors = {field: str(error).rstrip(".")}
        return _sign_up_page(request, {}, errors, 400, invited=(token, email))
    return await run_in_threadpool(_new_account_response, request, user.id)


@router.post("/sign-up")
async def create_account(request: Request) -> Response:
    """Create the account and sign in: by invitation, or (open sign-up) with a typed address."""
    fields = await _fields(request)
    if fields.get(INVITE):
        return await _create_invited_account(request, fields)
    state = request.app.state.reconsult
    if not state.settings.open_sign_up:
        return _by_invitation_page(request, gone=False, status=403)
    # Every attempt counts, before anything is checked or hashed.
    host = client_host(request)
    await run_in_threadpool(check_limit, request, "sign-up", f"ip:{address_key(host)}")
    await run_in_threadpool(check_limit, request, "sign-up-network", f"net:{network_key(host)}")
    email, new, confirm = (fields.get(k, "") for k in ("email", "new_password", "confirm"))
    values = {"email": email}
    if new != confirm:
        return _sign_up_page(request, values, {"confirm": MISMATCH}, 400)
    try:
        user = await run_in_threadpool(
            sign_up, state.database, state.hasher, email, new, now=state.now()
        )
    except AccountError as error:
        field = "new_password" if "password" in str(error).lower() else "email"
        return _sign_up_page(request, values, {field: str(error).rstrip(".")}, 400)
    return await run_in_threadpool(_new_account_response, request, user.id)


# --- sign out --------------------------------------------------------------------------


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


# --- the account page ------------------------------------------------------------------


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


def _password_page(request: Request, errors: dict[str, str], status: int = 200) -> HTMLResponse:
    return _form_page(
        request,
        heading="Change your password",
        action="/account/password",
        boxes=(Box("current", "Current password"), NEW_PASSWORD, CONFIRM),
        submit="Change password",
        errors=errors,
        lead=("Other browsers and devices signed in to your account will be signed out.",),
        status_code=status,
    )


@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request) -> HTMLResponse:
    """Ask for the current password and a new one."""
    return _password_page(request, {})


@router.post("/password")
async def password_change(request: Request) -> Response:
    """Change the password; other sessions end, this one stays signed in."""
    fields = await _fields(request)
    current, new, confirm = (fields.get(k, "") for k in ("current", "new_password", "confirm"))
    if new != confirm:
        return _password_page(
            request, {"confirm": "The two new passwords are not the same. Type them again"}, 400
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
        field = "current" if "current" in str(error) else "new_password"
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
    return _form_page(
        request,
        heading="Choose a new password",
        action="/account/reset",
        boxes=(NEW_PASSWORD, CONFIRM),
        submit="Save new password",
        errors=errors,
        hidden={"token": token},
        lead=("You will be signed out everywhere, then you can sign in with the new password.",),
        status_code=status,
    )


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request, token: str = "") -> HTMLResponse:
    """Ask for a new password, with the one-time token from the link."""
    return _reset_page(request, token[:200], {})


@router.post("/reset")
async def reset(request: Request) -> Response:
    """Set the new password with the one-time token; then sign in again."""
    fields = await _fields(request)
    token, new, confirm = (fields.get(k, "") for k in ("token", "new_password", "confirm"))
    if new != confirm:
        return _reset_page(
            request, token, {"confirm": "The two passwords are not the same. Type them again"}, 400
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
