"""Server mode: limits on sign-up, assessments and uploads, shared by every worker.

Which routes are limited for everyone, and by what, is listed here in one
table (:data:`LIMITED_ROUTES`); the counts live in the database
(:mod:`reconsult.accounts.rate_limits`). Sign-in counts only wrong passwords,
inside its route (:mod:`reconsult.accounts.sign_in`), and open sign-up counts
per address and per network inside its route. A person who is stopped sees
how long to wait and why, and the page still carries the emergency numbers
and the link to get help now.
"""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from reconsult.accounts.addresses import address_key
from reconsult.accounts.rate_limits import Limit, count_attempt
from reconsult.web.access.identity import current_user, is_server_mode

__all__ = [
    "LIMITED_ROUTES",
    "TooManyAttempts",
    "check_limit",
    "client_host",
    "limit_for",
    "rate_limit",
]

# (method, route path template) -> which limit counts it.
LIMITED_ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/assessment/check"): "assessments",
    ("POST", "/api/v1/assessments"): "assessments",
    ("POST", "/cases/{case_id}/journal/new"): "assessments",
    ("POST", "/cases/{case_id}/photos/new"): "uploads",
    ("POST", "/cases/import"): "uploads",
}


class TooManyAttempts(Exception):
    """Over a limit; ``retry_after`` seconds until the next attempt is allowed.

    ``reason`` says which limit, for the words the person sees: "" (too many
    in a short while), or one of :data:`reconsult.accounts.sign_in.Reason`.
    """

    def __init__(self, action: str, retry_after: int, reason: str = "") -> None:
        super().__init__(action)
        self.action = action
        self.retry_after = retry_after
        self.reason = reason


def limit_for(request: Request, action: str) -> Limit:
    """Return the configured limit for ``action``."""
    settings = request.app.state.reconsult.settings
    if action == "sign-up":
        return Limit(settings.limit_sign_up, 3600)
    if action == "sign-up-network":
        return Limit(3 * settings.limit_sign_up, 3600)
    if action == "assessments":
        return Limit(settings.limit_assessments, 3600)
    return Limit(settings.limit_uploads, 3600)


def client_host(request: Request) -> str:
    """The network address the request came from (a named proxy's X-Forwarded-For, if any)."""
    return request.client.host if request.client else "unknown"


def check_limit(request: Request, action: str, who: str) -> None:
    """Count one attempt of ``action`` by ``who``; raise TooManyAttempts when over the limit."""
    state = request.app.state.reconsult
    decision = count_attempt(
        state.database, f"{action}:{who}", limit_for(request, action), now=state.now()
    )
    if not decision.allowed:
        raise TooManyAttempts(action, decision.retry_after)


async def rate_limit(request: Request) -> None:
    """App-wide dependency: count the request if its route is in LIMITED_ROUTES."""
    if not is_server_mode(request):
        return
    route = request.scope.get("route")
    if not isinstance(route, Route):
        return
    action = LIMITED_ROUTES.get((request.method, route.path))
    if action is None:
        return
    user = current_user(request)
    if user is None:
        who = f"ip:{address_key(client_host(request))}"
    else:
        who = f"user:{user.user_id}"
    await run_in_threadpool(check_limit, request, action, who)
