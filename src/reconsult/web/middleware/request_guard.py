"""Refuse requests another website could make on the person's behalf.

reconsult listens on the person's own computer and keeps their case file there.
Two browser attacks could still reach it from a web page they happen to visit:

- DNS rebinding: a hostile name is pointed at 127.0.0.1 so its page can read
  our answers. Refused by accepting only the host names we serve under.
- Cross-site form posts: a hostile page posts a form to 127.0.0.1 to change or
  delete a case. Refused by letting a state-changing request through only when
  the browser says it came from our own pages (``Sec-Fetch-Site``), or, for
  browsers that do not send it, when ``Origin`` names our own address.
  Requests with neither header come from programs, not browsers, and pass.

A request that is stopped gets a short plain page and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["RequestGuardMiddleware", "loopback_hosts"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})


def loopback_hosts(configured: str) -> frozenset[str]:
    """Return the host names a personal-mode server answers to: this computer's names."""
    return frozenset({"127.0.0.1", "localhost", "[::1]", configured.lower()})


def _host_name(host_header: str) -> str:
    """Return the host part of a Host header, without the port ("[::1]:8000" -> "[::1]")."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class RequestGuardMiddleware:
    """Answer 400 to unknown Host names and 403 to cross-site state-changing requests."""

    def __init__(
        self, app: ASGIApp, *, allowed_hosts: Iterable[str], https_hosts: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.https_hosts = frozenset(h.lower() for h in https_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
        }
        host = headers.get("host", "")
        if _host_name(host) not in self.allowed_hosts:
            response = PlainTextResponse(
                "This address is not served here. Open reconsult at http://127.0.0.1 instead.",
                status_code=400,
            )
            await response(scope, receive, send)
            return
        if _host_name(host) in self.https_hosts and scope.get("scheme") != "https":
            # Server mode: passwords and health details never cross a network unencrypted.
            path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
            query = scope.get("query_string", b"").decode("latin-1")
            target = f"https://{host}{path}" + (f"?{query}" if query else "")
            await RedirectResponse(target, status_code=308)(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS and not _same_site(headers, host, scope):
            response = PlainTextResponse(
                "This request came from another website, so nothing was changed. "
                "Open reconsult directly and try again.",
                status_code=403,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _same_site(headers: dict[str, str], host: str, scope: Scope) -> bool:
    """Return whether a state-changing request came from our own pages (or not from a browser)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in SAME_SITE_FETCHES
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser form post: browsers send Origin on every POST
    scheme = scope.get("scheme", "http")
    return origin.lower() == f"{scheme}://{host}".lower()
