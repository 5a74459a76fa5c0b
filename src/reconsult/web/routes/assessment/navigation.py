"""What every page of the guided assessment shares: its address, the answers so far, which
page may be shown, and moving on.

Every POST redirects (303) to the next page still to answer, so the browser's
back button and refresh never resubmit a form (POST/redirect/GET).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reconsult.knowledge import Knowledge
from reconsult.web.journey.drafts_cookie import load_answers, save_answers
from reconsult.web.journey.steps import Answers, Step, next_step, previous_step, undecided_signs
from reconsult.web.templating import render

__all__ = [
    "ORDER",
    "advance",
    "form_value",
    "journey_context",
    "question_page",
    "reachable",
    "read_form",
    "redirect_to",
    "step_url",
]


ORDER = list(Step)


def step_url(step: Step | None) -> str:
    """Return the address of a question page (the start page for None)."""
    return "/" if step is None else f"/assessment/{step.value}"


def redirect_to(step: Step) -> RedirectResponse:
    """Send the browser on to a question page (303: see other)."""
    return RedirectResponse(step_url(step), status_code=303)


def journey_context(request: Request) -> tuple[Knowledge, dt.date, Answers]:
    """Return what every journey page needs: the knowledge, today, and this browser's answers."""
    state = request.app.state.reconsult
    return state.knowledge, state.today(), load_answers(request)


def reachable(kb: Knowledge, step: Step, answers: Answers, today: dt.date) -> Step | None:
    """Return where to send someone who opens ``step`` too early (None: show it)."""
    upcoming = next_step(kb, answers, today)
    if step is Step.result:
        return None if upcoming is Step.result else upcoming
    if step is Step.warning_signs and not (
        answers.description is not None and undecided_signs(kb, answers, today)
    ):
        return upcoming
    if ORDER.index(step) > ORDER.index(upcoming):
        return upcoming
    return None


def question_page(
    request: Request,
    template: str,
    step: Step,
    answers: Answers,
    context: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    """Draw a question page, with its back link and any errors (400 when there are some)."""
    page = {"back": step_url(previous_step(step, answers)), "answers": answers, **context}
    page["errors"] = errors or {}
    return render(request, template, page, status_code=400 if errors else 200)


def advance(request: Request, kb: Knowledge, answers: Answers, today: dt.date) -> Response:
    """Save the answers and send the person on to the first page still to answer."""
    response = redirect_to(next_step(kb, answers, today))
    save_answers(request, response, answers)
    return response


def form_value(value: object) -> str:
    """Return a submitted value as text (a file sent instead is empty)."""
    return value if isinstance(value, str) else ""


async def read_form(request: Request) -> dict[str, str]:
    """Read the submitted form as text values."""
    form = await request.form()
    return {key: form_value(value) for key, value in form.items()}
