"""Plain pages: start, get help now, about."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reconsult.web.drafts_cookie import load_answers
from reconsult.web.journey import next_step
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
    return render(
        request, "start.html", {"help": state.knowledge.policy.help_now, "resume": resume}
    )


@router.get("/help", response_class=HTMLResponse)
def help_page(request: Request) -> HTMLResponse:
    """Show emergency numbers, the signs that need them, and what to say."""
    return render(
        request, "help.html", {"help": request.app.state.reconsult.knowledge.policy.help_now}
    )


@router.get("/about", response_class=HTMLResponse)
def about_page(request: Request) -> HTMLResponse:
    """Explain what reconsult is, what it keeps and where its advice comes from."""
    state = request.app.state.reconsult
    return render(
        request,
        "about.html",
        {"draft_hours": state.settings.draft_hours, "knowledge_version": state.knowledge.version},
    )
