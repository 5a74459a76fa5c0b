"""Who is asking: the signed-in account behind a request (server mode only).

A browser carries its session token in an HttpOnly, SameSite=Lax cookie,
marked Secure when the request came over TLS; a program sends the same kind
of token as ``Authorization: Bearer``. Either way the token is checked
against the database, so a session ended on one worker is ended on all.
Personal mode has no accounts: ``request.state.user`` is always None there.
"""

from __future__ import annotations

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from reconsult.accounts.sessions import SignedIn, signed_in
from reconsult.accounts.sign_in import DEVICE_DAYS
from reconsult.settings import Mode

__all__ = [
    "DEVICE_COOKIE",
    "SESSION_COOKIE",
    "current_user",
    "forget_session_cookie",
    "identify",
    "is_server_mode",
    "device_token",
    "remember_device_cookie",
    "remember_session_cookie",
    "session_token",
]

SESSION_COOKIE = "reconsult_session"
DEVICE_COOKIE = "reconsult_device"  # this browser signed in to an account before


def is_server_mode(request: Request) -> bool:
    """Whether the app runs as a multi-user server."""
    return request.app.state.reconsult.settings.mode is Mode.server


def session_token(request: Request) -> str | None:
    """Return the session token the request carries (cookie, or a Bearer header), if any."""
    authorization = request.headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(SESSION_COOKIE) or None


async def identify(request: Request) -> None:
    """Dependency on every route: find the signed-in account and keep it on ``request.state``.

    The database lookup runs in a worker thread so it does not hold up the
    event loop; personal mode returns at once, with no thread hop.
    """
    request.state.user = None
    if not is_server_mode(request):
        return
    token = session_token(request)
    if token is None or len(token) > 200:
        return
    state = request.app.state.reconsult
    request.state.user = await run_in_threadpool(
        signed_in,
        state.database,
        token,
        now=state.now(),
        idle=state.settings.session_idle(),
    )


def current_user(request: Request) -> SignedIn | None:
    """Return the account behind this request, or None (always None in personal mode)."""
    return getattr(request.state, "user", None)


def remember_session_cookie(request: Request, response: Response, token: str) -> None:
    """Set the session cookie: not readable by scripts, sent only from our own pages' links."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(request.app.state.reconsult.settings.session_idle().total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def device_token(request: Request) -> str | None:
    """Return the trusted-browser token the request carries, if any."""
    return request.cookies.get(DEVICE_COOKIE) or None


def remember_device_cookie(request: Request, response: Response, token: str) -> None:
    """Mark this browser as one that signed in with the password (sign-in limits trust it)."""
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_DAYS * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def forget_session_cookie(response: Response) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
