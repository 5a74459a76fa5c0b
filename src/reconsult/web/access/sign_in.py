"""Sign in from a request (the page or the API): the limits, the trusted-browser cookie.

Both ways in share this, so both count the same wrong passwords and trust
the same browsers (:mod:`reconsult.accounts.sign_in` says how).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from reconsult.accounts.sign_in import SignInLimits, sign_in
from reconsult.accounts.users import User
from reconsult.web.access.identity import device_token, remember_device_cookie
from reconsult.web.access.rate_limit import TooManyAttempts, client_host

__all__ = ["check_password", "limits"]


def limits(request: Request) -> SignInLimits:
    """The sign-in limits from the settings."""
    return SignInLimits.from_settings(request.app.state.reconsult.settings)


async def check_password(
    request: Request, email: str, password: str
) -> tuple[User, Callable[[Response], None]] | None:
    """Return the account if the password is right, None if not; TooManyAttempts if not checked.

    With the account comes ``trust``: call it on the response to give the
    browser its new trusted-browser cookie.
    """
    state = request.app.state.reconsult
    outcome = await run_in_threadpool(
        lambda: sign_in(
            state.database,
            state.hasher,
            email,
            password,
            source=client_host(request),
            device_token=device_token(request),
            limits=limits(request),
            now=state.now(),
        )
    )
    if outcome.refused is not None:
        raise TooManyAttempts("sign-in", outcome.refused.retry_after, outcome.refused.reason)
    user, token = outcome.user, outcome.device_token
    if user is None or token is None:
        return None
    return user, lambda response: remember_device_cookie(request, response, token)
