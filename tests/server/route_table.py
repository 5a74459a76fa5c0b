"""Every (method, path template) the app answers, read from its router.

FastAPI 0.165 keeps included routers as ``_IncludedRouter`` entries whose
``effective_route_contexts()`` list the routes with their full paths; plain
routes (the OpenAPI schema) stay ``Route``. Anything else fails loudly, so a
change in FastAPI cannot make the isolation tests silently test nothing.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import Mount, Route

__all__ = ["app_routes"]


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Return every (method, path template), HEAD left out (it mirrors GET), static files too."""
    found: set[tuple[str, str]] = set()
    for entry in app.routes:
        if isinstance(entry, Mount):  # /static: files shipped with the app, no case data
            continue
        if isinstance(entry, Route):
            found.update((m, entry.path) for m in (entry.methods or {"GET"}))
            continue
        contexts = getattr(entry, "effective_route_contexts", None)
        assert contexts is not None, f"unknown kind of route: {type(entry).__name__}"
        for context in contexts():
            found.update((m, context.path) for m in context.methods)
    return sorted((m, p) for m, p in found if m != "HEAD")
