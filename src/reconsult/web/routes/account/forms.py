"""What the account pages share: their text boxes, drawing a form, and signing in a browser.

The boxes are made when a page is drawn (``email_box()`` ...), so their words are in the
language of the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reconsult.accounts.passwords import MIN_LENGTH
from reconsult.accounts.sessions import start_session
from reconsult.accounts.sign_in import trust_device
from reconsult.i18n import gettext as _
from reconsult.web.access.identity import remember_device_cookie, remember_session_cookie
from reconsult.web.templating import render

__all__ = [
    "Box",
    "confirm_box",
    "email_box",
    "form_page",
    "new_account_response",
    "new_password_box",
    "password_box",
    "read_fields",
    "signed_in_response",
]


@dataclass(frozen=True)
class Box:
    """One text box of an account form."""

    name: str
    label: str
    kind: str = "password"  # the input's type
    autocomplete: str = "current-password"
    hint: str = ""


def email_box() -> Box:
    """The email address."""
    return Box("email", _("Email address"), "email", "email")


def password_box() -> Box:
    """The password, to sign in."""
    return Box("password", _("Password"))


def new_password_box() -> Box:
    """A new password, with how long it must be."""
    return Box(
        "new_password",
        _("New password"),
        autocomplete="new-password",
        hint=_("At least %(length)s characters. A few words you will remember work well.")
        % {"length": MIN_LENGTH},
    )


def confirm_box() -> Box:
    """The new password again."""
    return Box("confirm", _("Type the new password again"), autocomplete="new-password")


def form_page(
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
    """Draw an account form: its heading, boxes, what was typed and any errors."""
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


async def read_fields(request: Request) -> dict[str, str]:
    """Read the submitted form as text values (no files, at most 20 fields)."""
    form = await request.form(max_files=0, max_fields=20)
    return {k: v if isinstance(v, str) else "" for k, v in form.items()}


def new_account_response(request: Request, user_id: str) -> Response:
    """Sign in a person who just made their account, and trust this browser (they set the
    password here), as a sign-in with the password would."""
    state = request.app.state.reconsult
    response = signed_in_response(request, user_id, "/cases")
    remember_device_cookie(
        request, response, trust_device(state.database, user_id, now=state.now())
    )
    return response


def signed_in_response(request: Request, user_id: str, target: str) -> Response:
    """Start a session for this browser and send it on to ``target``."""
    state = request.app.state.reconsult
    idle = state.settings.session_idle()
    token = start_session(state.database, user_id, now=state.now(), idle=idle)
    response = RedirectResponse(target, status_code=303)
    remember_session_cookie(request, response, token)
    return response
