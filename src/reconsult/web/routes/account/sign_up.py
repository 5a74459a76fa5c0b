"""Server mode: make an account, by invitation or (when the setting allows) openly."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from reconsult.accounts.addresses import address_key, network_key
from reconsult.accounts.invitations import (
    INVITATION_DAYS,
    InvitationGone,
    accept_invitation,
    invited_email,
)
from reconsult.accounts.passwords import password_problem
from reconsult.accounts.users import AccountError, sign_up
from reconsult.i18n import N_
from reconsult.i18n import gettext as _
from reconsult.web.access.identity import current_user
from reconsult.web.access.rate_limit import check_limit, client_host
from reconsult.web.routes.account.forms import (
    Box,
    confirm_box,
    email_box,
    form_page,
    new_account_response,
    new_password_box,
    read_fields,
)
from reconsult.web.templating import render

__all__ = ["router"]

router = APIRouter(prefix="/account", include_in_schema=False)


# By invitation unless the open_sign_up setting is on: a link from `reconsult accounts
# invite` carries a one-time token (?invite=...), and the account gets the address the
# invitation was made for, never one typed into the form. Without a valid invitation the
# answer never depends on the address typed, so the page cannot tell anyone who has an
# account. Open sign-up is counted per network address and per network, every attempt.

INVITE = "invite"  # the query parameter and hidden field that carry an invitation's token
MISMATCH = N_("The two passwords are not the same. Type them again")  # say _(MISMATCH)


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
        _(
            "An account keeps your case files on this service so you can come back to them. "
            "Only you can see them, unless you share one with a clinic."
        ),
    )
    boxes: tuple[Box, ...] = (email_box(), new_password_box(), confirm_box())
    hidden: dict[str, str] = {}
    if invited is not None:
        token, email = invited
        boxes, hidden = (new_password_box(), confirm_box()), {INVITE: token}
        invitation = _("This invitation is for %(email)s. Choose a password for your account.")
        lead = (invitation % {"email": email}, *lead)
    return form_page(
        request,
        heading=_("Create an account"),
        action="/account/sign-up",
        boxes=boxes,
        submit=_("Create account"),
        values=values,
        errors=errors,
        lead=lead,
        hidden=hidden,
        after="sign_up",
        status_code=status,
    )


def _field_of(error: AccountError, email: str, password: str) -> str:
    """The box an account error is about: the password's problem, else the address's.

    Compared with the password's problem itself, not by its words, so it holds in every
    language.
    """
    return "new_password" if str(error) == password_problem(password, email=email) else "email"


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
        return _sign_up_page(request, {}, {"confirm": _(MISMATCH)}, 400, invited=(token, email))
    try:
        user = await run_in_threadpool(
            accept_invitation, state.database, state.hasher, token, new, now=state.now()
        )
    except InvitationGone:
        return _by_invitation_page(request, gone=True, status=403)
    except AccountError as error:
        field = _field_of(error, email, new)
        errors = {field: str(error).rstrip(".")}
        return _sign_up_page(request, {}, errors, 400, invited=(token, email))
    return await run_in_threadpool(new_account_response, request, user.id)


@router.post("/sign-up")
async def create_account(request: Request) -> Response:
    """Create the account and sign in: by invitation, or (open sign-up) with a typed address."""
    fields = await read_fields(request)
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
        return _sign_up_page(request, values, {"confirm": _(MISMATCH)}, 400)
    try:
        user = await run_in_threadpool(
            sign_up, state.database, state.hasher, email, new, now=state.now()
        )
    except AccountError as error:
        field = _field_of(error, email, new)
        return _sign_up_page(request, values, {field: str(error).rstrip(".")}, 400)
    return await run_in_threadpool(new_account_response, request, user.id)
