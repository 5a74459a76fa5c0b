"""Plain pages: start, get help now, about; and the switch between languages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reconsult import i18n
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ProcedureKind, Urgency
from reconsult.web.access.guard import local_path
from reconsult.web.journey.drafts_cookie import load_answers
from reconsult.web.journey.steps import next_step
from reconsult.web.middleware.language import COOKIE as LANGUAGE_COOKIE
from reconsult.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def start_page(request: Request) -> HTMLResponse:
    """Show the start page of the guided assessment."""
    state = request.app.state.reconsult
    answers = load_answers(request)
    resume = None
    if answers.procedure is not None:
        resume = f"/assessment/{next_step(state.knowledge, answers, state.today()).value}"
    injections, operations = procedure_scope(state.knowledge)
    return render(
        request,
        "start.html",
        {
            "help": state.knowledge.policy.help_now,
            "resume": resume,
            "injections": injections,
            "operations": operations,
        },
    )


def procedure_scope(kb: Knowledge) -> tuple[list[str], list[str]]:
    """Return the short names of the injections and of the operations, in the knowledge's order.

    Each short name once; a procedure without one is not named on its own.
    """
    injections: list[str] = []
    operations: list[str] = []
    for procedure in kb.procedures.values():
        names = operations if procedure.kind is ProcedureKind.surgery else injections
        if procedure.short_name and procedure.short_name not in names:
            names.append(procedure.short_name)
    return injections, operations


@router.get("/help", response_class=HTMLResponse)
def help_page(request: Request) -> HTMLResponse:
    """Show emergency numbers, the signs that need them, and what to say."""
    policy = request.app.state.reconsult.knowledge.policy
    card = policy.urgency(Urgency.emergency)  # the emergency care card, as policy.yaml words it
    return render(request, "help.html", {"help": policy.help_now, "card": card})


@router.get("/about", response_class=HTMLResponse)
def about_page(request: Request) -> HTMLResponse:
    """Explain what reconsult is, what it keeps and where its advice comes from."""
    state = request.app.state.reconsult
    return render(
        request,
        "about.html",
        {"draft_hours": state.settings.draft_hours, "knowledge_version": state.knowledge.version},
    )


# A year: the choice of language is kept until the person changes it again.
_LANGUAGE_DAYS = 365


@router.get("/language/{code}")
def change_language(code: str, request: Request, back: str = "/") -> RedirectResponse:
    """Read reconsult in another language from now on, and go back to the same page.

    The switch on every page is a plain link (the pages use no scripts); the choice is
    kept in a cookie that holds nothing but the language. A code reconsult does not
    speak keeps the language as it was.
    """
    response = RedirectResponse(local_path(back, default="/"), status_code=303)
    language = i18n.supported(code)
    if language is not None:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=_LANGUAGE_DAYS * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response
