"""Server mode: who may open which page, decided in one place for every route.

Every route of the app runs :func:`guard` (an app-wide dependency), so a new
route is covered without anyone remembering to add a check:

- Pages of case files (``/cases...``), the account pages and the JSON API
  need a signed-in account; a browser is sent to sign in first, a program
  gets 401. The guided questions, guides, help and the provider directory
  stay open to everyone: the way to emergency help is never behind a login.
- A route with a ``{case_id}`` in its path opens only for the case's owner,
  or, for reading, for staff of a clinic it is shared with. Anyone else gets
  the same "not found" as for a case that does not exist, so ids cannot be
  probed. Staff may open only the pages that show the case
  (:data:`STAFF_PAGES`); forms and changes are for the owner.
- Every request that reaches a case is queued for the audit log
  (:mod:`reconsult.web.middleware.audit_trail` writes it once the answer's status is known).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from reconsult.accounts.access import CaseAccess, Role, case_access
from reconsult.web.access.identity import current_user, is_server_mode

__all__ = [
    "OPEN_ACCOUNT_PATHS",
    "STAFF_PAGES",
    "NotForClinicStaff",
    "PendingAudit",
    "SignInRequired",
    "guard",
    "local_path",
]

SAFE_METHODS = frozenset({"GET", "HEAD"})

# Account pages a person who is not signed in must reach.
OPEN_ACCOUNT_PATHS = frozenset(
    {"/account/sign-in", "/account/sign-up", "/account/reset", "/account/forgot"}
)
# API routes a program reaches before it has a token.
OPEN_API_PATHS = frozenset({"/api/v1/sessions", "/api/v1/openapi.json"})

# The pages of a shared case clinic staff may open (route path templates): the
# overview, what is in it, and the downloads. Everything else is the owner's.
STAFF_PAGES = frozenset(
    {
        "/cases/{case_id}",
        "/cases/{case_id}/download/case.json",
        "/cases/{case_id}/download/fhir.json",
        "/cases/{case_id}/download/reminders.ics",
        "/cases/{case_id}/download/packet.pdf",
        "/cases/{case_id}/download/packet.txt",
        "/cases/{case_id}/journal/{entry_id}",
        "/cases/{case_id}/letters/{request_id}",
        "/cases/{case_id}/letters/{request_id}/letter.txt",
        "/cases/{case_id}/letters/{request_id}/letter.pdf",
        "/cases/{case_id}/photos/compare",
        "/cases/{case_id}/photos/{photo_id}",
        "/cases/{case_id}/photos/{photo_id}/image.jpg",
        "/cases/{case_id}/photos/{photo_id}/thumbnail.jpg",
    }
)


class SignInRequired(Exception):
    """The page needs a signed-in account; ``next`` is where to come back to."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class NotForClinicStaff(HTTPException):
    """Clinic staff opened a page that only the case's owner may use."""

    def __init__(self) -> None:
        super().__init__(status_code=403, detail="Only the person whose case this is can do this.")


@dataclass(frozen=True)
class PendingAudit:
    """An audit entry waiting for the answer's status code."""

    case_id: str
    access: CaseAccess
    actor_id: str
    actor: str
    action: str  # "read" or "change"
    what: str


def local_path(target: str | None, default: str = "/cases") -> str:
    """Return ``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _needs_account(path: str) -> bool:
    if path == "/cases" or path.startswith("/cases/"):
        return True
    if path == "/account" or path.startswith("/account/"):
        return path not in OPEN_ACCOUNT_PATHS
    if path.startswith("/api/"):
        return path not in OPEN_API_PATHS
    return False


def _describe(request: Request) -> str:
    """Say what the request did, in the route's own words (its docstring's first line)."""
    endpoint = request.scope.get("endpoint")
    doc = (getattr(endpoint, "__doc__", None) or "").strip().splitlines()
    return doc[0].rstrip(".") if doc else request.url.path


async def guard(request: Request) -> None:
    """App-wide dependency: refuse what this person may not do; queue the audit entry."""
    if not is_server_mode(request):
        return
    path = request.url.path
    user = current_user(request)
    if user is None:
        if _needs_account(path):
            if path.startswith("/api/"):
                raise HTTPException(
                    status_code=401,
                    detail="Sign in first: POST /api/v1/sessions, then send the token "
                    "as 'Authorization: Bearer <token>'.",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            query = f"?{request.url.query}" if request.url.query else ""
            raise SignInRequired(quote(path + query, safe="/?=&-_.~%"))
        return
    case_id = request.path_params.get("case_id")
    if case_id is None:
        return
    state = request.app.state.reconsult
    access = await run_in_threadpool(
        lambda: case_access(
            state.database, case_id, user_id=user.user_id, clinics=user.clinics, now=state.now()
        )
    )
    if access is None:
        raise HTTPException(status_code=404)
    change = request.method not in SAFE_METHODS
    pending = PendingAudit(
        case_id=case_id,
        access=access,
        actor_id=user.user_id,
        actor=user.email,
        action="change" if change else "read",
        what=_describe(request),
    )
    request.state.audit = pending
    route = request.scope.get("route")
    template = route.path if isinstance(route, Route) else path
    if access.role is Role.clinic and (change or template not in STAFF_PAGES):
        raise NotForClinicStaff
