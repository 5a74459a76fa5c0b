"""Server mode JSON API: get a token, sign out, list your cases and see who opened one.

Registered only in server mode. A program signs in with ``POST /api/v1/sessions``
and sends the token as ``Authorization: Bearer <token>``; every other API
route needs it (:mod:`reconsult.web.access.guard`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field, Strict
from starlette.concurrency import run_in_threadpool

from reconsult.accounts.access import owned_cases, shared_cases
from reconsult.accounts.audit import audit_entries
from reconsult.accounts.sessions import end_session, start_session
from reconsult.i18n import gettext as _
from reconsult.web.access.identity import current_user, session_token
from reconsult.web.access.sign_in import check_password

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["account"])

UNAUTHORISED: dict[int | str, dict[str, Any]] = {401: {"description": "Not signed in"}}


class SignIn(BaseModel):
    """An email address and password."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    email: Annotated[str, Strict()] = Field(min_length=1, max_length=320)
    password: Annotated[str, Strict()] = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    """A token to send as ``Authorization: Bearer <token>``, and when it ends if unused."""

    token: str
    expires_at: dt.datetime


class CaseSummary(BaseModel):
    """A case the account can see: its own, or one shared with its clinic."""

    id: str
    title: str
    updated_at: dt.datetime
    role: Literal["owner", "clinic"]
    clinic: str = ""


class AuditOut(BaseModel):
    """One read or change of a case."""

    at: dt.datetime
    actor: str
    clinic: str
    action: Literal["read", "change"]
    what: str
    status: int


@router.post(
    "/sessions",
    response_model=SessionOut,
    status_code=201,
    responses={
        400: {"description": "The body could not be read (for example, it is not UTF-8 JSON)"},
        401: {"description": "Wrong email address or password"},
        429: {"description": "Too many wrong passwords: wait the seconds in Retry-After"},
    },
    summary="Sign in",
)
async def create_session(
    request: Request, response: Response, body: Annotated[SignIn, Body()]
) -> SessionOut:
    """Sign in with an email address and password; get a token for the other routes.

    The answer also sets a cookie marking this client as one that signed in
    before: a program that keeps cookies is then not stopped by the limit on
    the account's wrong passwords that strangers may run up.
    """
    signed = await check_password(request, body.email, body.password)
    if signed is None:
        raise HTTPException(
            status_code=401, detail=_("The email address or password is not right.")
        )
    user, trust = signed
    trust(response)
    state = request.app.state.reconsult
    idle = state.settings.session_idle()
    now = state.now()
    token = await run_in_threadpool(
        lambda: start_session(state.database, user.id, now=now, idle=idle)
    )
    return SessionOut(token=token, expires_at=now + idle)


@router.delete("/sessions/current", status_code=204, responses=UNAUTHORISED, summary="Sign out")
def delete_session(request: Request) -> Response:
    """End the session whose token this request carries."""
    token = session_token(request)
    if token:
        end_session(request.app.state.reconsult.database, token)
    return Response(status_code=204)


@router.get(
    "/cases", response_model=list[CaseSummary], responses=UNAUTHORISED, summary="Your cases"
)
def list_cases(request: Request) -> list[CaseSummary]:
    """List your own cases, then those shared with a clinic you work for."""
    user = current_user(request)
    assert user is not None  # the guard answers 401 first
    state = request.app.state.reconsult
    own = [
        CaseSummary(id=i, title=t, updated_at=u, role="owner")
        for i, t, u in owned_cases(state.database, user.user_id)
    ]
    shared = [
        CaseSummary(
            id=s.case_id,
            title=s.title,
            updated_at=s.updated_at,
            role="clinic",
            clinic=s.clinic_name,
        )
        for s in shared_cases(state.database, user.clinics, now=state.now())
    ]
    return own + shared


@router.get(
    "/cases/{case_id}/activity",
    response_model=list[AuditOut],
    responses={
        **UNAUTHORISED,
        403: {"description": "Not your case"},
        404: {"description": "No such case"},
    },
    summary="Who opened a case",
)
def case_activity(request: Request, case_id: str) -> list[AuditOut]:
    """List who opened or changed one of your cases, newest first (the 200 newest)."""
    access = request.state.audit.access
    entries, _total = audit_entries(
        request.app.state.reconsult.database, access.owner_id, case_id=case_id
    )
    return [
        AuditOut(
            at=e.at, actor=e.actor, clinic=e.clinic, action=e.action, what=e.what, status=e.status
        )
        for e in entries
    ]
