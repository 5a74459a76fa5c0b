"""Build the ASGI app: settings, database, templates, routes and error pages."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from argon2 import PasswordHasher
from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from reconsult import __version__, i18n
from reconsult.accounts.passwords import default_hasher
from reconsult.knowledge import Knowledge, in_language, load_knowledge
from reconsult.settings import Mode, Settings
from reconsult.storage import Database, open_database
from reconsult.triage.understand import reader_for
from reconsult.web.access.guard import SignInRequired, guard
from reconsult.web.access.identity import identify
from reconsult.web.access.rate_limit import TooManyAttempts, rate_limit
from reconsult.web.middleware.audit_trail import AuditTrailMiddleware
from reconsult.web.middleware.language import LanguageMiddleware
from reconsult.web.middleware.request_guard import RequestGuardMiddleware, loopback_hosts
from reconsult.web.middleware.security_headers import SecurityHeadersMiddleware
from reconsult.web.routes import api, api_account, guides, pages, providers
from reconsult.web.routes.account import activity, password, sign_in, sign_up
from reconsult.web.routes.assessment import answers, questions
from reconsult.web.routes.case import (
    case_file,
    consultations,
    goals,
    journal,
    letters,
    photos,
    procedures,
    products,
    sharing,
    vetting,
)
from reconsult.web.templating import render, templates

__all__ = ["AppState", "create_app"]

# The route modules, in the order their routes are tried (an address is answered by the
# first route that matches it).
EVERY_MODE = (
    pages,
    questions,
    answers,
    guides,
    case_file,
    photos,
    letters,
    procedures,
    products,
    goals,
    consultations,
    journal,
    vetting,
    providers,
    api,
)
# Server mode only: accounts, sharing a case with a clinic, API tokens.
SERVER_MODE = (sign_in, sign_up, activity, password, sharing, api_account)


@dataclass(frozen=True)
class AppState:
    """What every request handler needs: settings, knowledge, database, the date and time.

    ``now`` (UTC) times sessions, shares, rate limits and the audit log;
    ``hasher`` hashes passwords (tests pass a cheap one).
    """

    settings: Settings
    english: Knowledge  # the base as written; ``knowledge`` is it in the request's language
    database: Database
    today: Callable[[], dt.date]
    now: Callable[[], dt.datetime]
    hasher: PasswordHasher

    @property
    def knowledge(self) -> Knowledge:
        """Return the knowledge base in the language of this request (LanguageMiddleware)."""
        return in_language(self.english, i18n.current())


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(
    settings: Settings | None = None,
    *,
    knowledge: Knowledge | None = None,
    today: Callable[[], dt.date] | None = None,
    now: Callable[[], dt.datetime] | None = None,
    hasher: PasswordHasher | None = None,
) -> FastAPI:
    """Create the reconsult web app.

    ``today`` defaults to the local date; tests pass a fixed one so answers
    (which count days since the procedure) are repeatable. In server mode
    (``settings.mode``) the account, sharing and API token routes are added
    and every case route checks who is asking.
    """
    settings = settings or Settings()
    kb = knowledge or load_knowledge(language="en")
    # Build the language pipeline and the recall net now, not in a worker's first requests.
    reader_for(kb).net.warm()
    database = open_database(settings.resolved_database_url())
    state = AppState(
        settings=settings,
        english=kb,
        database=database,
        today=today or dt.date.today,
        now=now or _utc_now,
        hasher=hasher or default_hasher(),
    )
    server = settings.mode is Mode.server

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.close()

    app = FastAPI(
        title="reconsult",
        summary="Worried about a cosmetic procedure? A safe, cited next step.",
        description=(
            "Assess what a person describes after a cosmetic procedure: how urgent it is, "
            "what can be done, and the published guidance behind each answer. "
            "It informs; it never diagnoses."
        ),
        version=__version__,  # the package's; the knowledge base's is info.x-knowledge-version
        docs_url=None,  # the Swagger page loads scripts from a CDN: no third-party requests
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
        # Every route: who is asking, may they, and are they over a limit (server mode).
        dependencies=[Depends(identify), Depends(guard), Depends(rate_limit)],
    )
    app.state.reconsult = state
    if server:
        app.add_middleware(AuditTrailMiddleware)
    hosts = settings.host_names() if server else loopback_hosts(settings.host)
    public = hosts - loopback_hosts(settings.host) if server else frozenset()
    app.add_middleware(RequestGuardMiddleware, allowed_hosts=hosts, https_hosts=public)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(LanguageMiddleware)
    if server and settings.forwarded_allow_ips:
        # Outermost, so the host/https guard and the cookies see the scheme the proxy was
        # asked with, and the limits the client's address: only from the named proxies.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    static_dir = files("reconsult.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    for module in EVERY_MODE:
        app.include_router(module.router)
    if server:
        for module in SERVER_MODE:
            app.include_router(module.router)
    _add_error_pages(app)
    _list_sign_codes_in_schema(app, kb)
    return app


def _list_sign_codes_in_schema(app: FastAPI, kb: Knowledge) -> None:
    """Name, in the OpenAPI schema, the sign codes ``confirmed_signs`` and ``signs`` accept.

    The codes are knowledge data, so they are added when the schema is first built:
    any finding code for ``confirmed_signs``; for ``signs``, one true/false property
    per danger question, described by its words, and no other key; for an earlier
    open finding, any finding code, at a level that leaves a finding open. The
    knowledge base's version is ``info.x-knowledge-version`` (``info.version`` is
    the package's).
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            schema["info"]["x-knowledge-version"] = kb.version
            properties = schema["components"]["schemas"]["CaseIn"]["properties"]
            confirmed = properties["confirmed_signs"]
            confirmed["items"] = {"type": "string", "enum": sorted(kb.findings)}
            signs = properties["signs"]
            for key in ("additionalProperties", "patternProperties", "propertyNames"):
                signs.pop(key, None)
            signs["properties"] = {
                code: {"type": "boolean", "description": kb.danger_questions[code].question}
                for code in sorted(kb.danger_questions)
            }
            signs["additionalProperties"] = False
            earlier = schema["components"]["schemas"]["EarlierFindingIn"]["properties"]
            levels = [level.value for level in kb.policy.open_findings.levels]
            for name, codes in (("finding", sorted(kb.findings)), ("urgency", levels)):
                described = {
                    k: v for k, v in earlier[name].items() if k in ("description", "title")
                }
                earlier[name] = {**described, "type": "string", "enum": codes}
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _add_error_pages(app: FastAPI) -> None:
    """Show friendly HTML pages for 404 and 500, and JSON for the API."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})  # e.g. Allow on 405 (RFC 9110 s.15.5.6)
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=headers
            )
        template = {404: "not_found.html", 403: "forbidden.html"}.get(exc.status_code, "error.html")
        page = render(request, template, {"status": exc.status_code}, status_code=exc.status_code)
        page.headers.update(headers)
        return page

    @app.exception_handler(SignInRequired)
    async def sign_in_first(_request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/account/sign-in?next={exc.next_path}", status_code=303)

    @app.exception_handler(TooManyAttempts)
    async def too_many(request: Request, exc: TooManyAttempts) -> Response:
        headers = {"Retry-After": str(exc.retry_after)}
        if exc.retry_after < 60:
            count = exc.retry_after
            wait = i18n.ngettext("%(num)d second", "%(num)d seconds", count) % {"num": count}
        else:
            count = math.ceil(exc.retry_after / 60)
            wait = i18n.ngettext("%(num)d minute", "%(num)d minutes", count) % {"num": count}
        said = {"reason": exc.reason, "action": exc.action, "wait": wait}
        if _wants_json(request):
            why = templates.get_template("_too_many_reason.txt").render(said).strip()
            detail = i18n.gettext("%(why)s Try again in %(wait)s.") % {"why": why, "wait": wait}
            return JSONResponse({"detail": detail}, status_code=429, headers=headers)
        page = render(request, "too_many.html", said, status_code=429)
        page.headers.update(headers)
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        return render(request, "not_found.html", {"status": 404}, status_code=404)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "Something went wrong on our side."}, status_code=500)
        return render(request, "error.html", {"status": 500}, status_code=500)
