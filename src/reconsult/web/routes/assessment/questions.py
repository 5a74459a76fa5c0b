"""The guided assessment's questions, one per page: start, any emergency sign now, the
procedure, when, and the person's own words.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reconsult.knowledge import Knowledge
from reconsult.triage.models import ProcedureCode
from reconsult.web.journey import forms
from reconsult.web.journey.drafts_cookie import clear_answers
from reconsult.web.journey.emergency_view import screen_choices
from reconsult.web.journey.steps import Answers, Step, next_step
from reconsult.web.routes.assessment.navigation import (
    ORDER,
    advance,
    form_value,
    journey_context,
    question_page,
    reachable,
    read_form,
    redirect_to,
)
from reconsult.web.uploads import read_text_form

__all__ = ["router"]

router = APIRouter(prefix="/assessment", include_in_schema=False)


# --- start and start again ---------------------------------------------------------


@router.post("/start")
def start(request: Request) -> Response:
    """Begin a fresh set of answers (any earlier unfinished answers are deleted)."""
    response = redirect_to(ORDER[0])
    clear_answers(request, response)
    return response


@router.post("/restart")
def restart(request: Request) -> Response:
    """Delete this browser's answers and go back to the start page."""
    response = RedirectResponse("/", status_code=303)
    clear_answers(request, response)
    return response


# --- question 1: is any emergency sign happening now? -------------------------------


def _emergency_context(kb: Knowledge, chosen: list[str]) -> dict[str, Any]:
    signs = screen_choices(kb)
    return {
        "signs": signs,
        "chosen": chosen,
        "first_id": signs[0][0],
        "help": kb.policy.help_now,
    }


@router.get("/emergency-check", response_class=HTMLResponse)
def emergency_check_page(request: Request) -> Response:
    """Ask, before anything else, whether a sign of an emergency is happening now."""
    kb, _today, answers = journey_context(request)
    chosen = list(answers.emergency_now or [])
    if answers.emergency_now == []:
        chosen = [forms.NONE_OF_THESE]
    return question_page(
        request,
        "question_emergency.html",
        Step.emergency_check,
        answers,
        _emergency_context(kb, chosen),
    )


@router.post("/emergency-check")
async def emergency_check_answer(request: Request) -> Response:
    """Save the answer: any sign goes straight to the emergency answer."""
    kb, today, answers = journey_context(request)
    form = await request.form()
    chosen = [form_value(v) for v in form.getlist("now")]
    ticked, errors = forms.read_signs(chosen, [code for code, _ in screen_choices(kb)])
    if ticked is None:
        return question_page(
            request,
            "question_emergency.html",
            Step.emergency_check,
            answers,
            _emergency_context(kb, chosen),
            errors=errors,
        )
    answers = answers.model_copy(update={"emergency_now": ticked})
    return advance(request, kb, answers, today)


# --- question 2: the procedure -----------------------------------------------------


def _procedure_context(kb: Knowledge, selected: str | None) -> dict[str, Any]:
    choices = [(code, p.name) for code, p in kb.procedures.items()]
    return {"choices": choices, "selected": selected}


@router.get("/procedure", response_class=HTMLResponse)
def procedure_page(request: Request) -> Response:
    """Ask what procedure the person had."""
    kb, _today, answers = journey_context(request)
    selected = answers.procedure.value if answers.procedure else None
    return question_page(
        request,
        "question_procedure.html",
        Step.procedure,
        answers,
        _procedure_context(kb, selected),
    )


@router.post("/procedure")
async def procedure_answer(request: Request) -> Response:
    """Save the procedure, or show the page again with an error."""
    kb, today, answers = journey_context(request)
    value, errors = forms.read_procedure(await read_form(request), list(kb.procedures))
    if value is None:
        return question_page(
            request,
            "question_procedure.html",
            Step.procedure,
            answers,
            _procedure_context(kb, None),
            errors=errors,
        )
    if answers.procedure is None or answers.procedure.value != value:
        # Warning signs differ by procedure: ask the checklist again.
        answers = answers.model_copy(
            update={
                "procedure": ProcedureCode(value),
                "signs": None,
                "asked": None,
                "confirmed": False,
            }
        )
    return advance(request, kb, answers, today)


# --- question 3: when --------------------------------------------------------------


def _when_context(answers: Answers, typed: forms.DateForm | None) -> dict[str, Any]:
    if typed is None:
        typed = forms.DateForm()
        if answers.procedure_date is not None:
            d = answers.procedure_date
            typed = forms.DateForm(day=str(d.day), month=str(d.month), year=str(d.year))
    return {"date": typed}


@router.get("/when", response_class=HTMLResponse)
def when_page(request: Request) -> Response:
    """Ask when the procedure was (today, a date, or 'I do not know the date')."""
    kb, today, answers = journey_context(request)
    if (target := reachable(kb, Step.when, answers, today)) is not None:
        return redirect_to(target)
    context = {**_when_context(answers, None), "hint": forms.example_date_hint()}
    return question_page(request, "question_when.html", Step.when, answers, context)


@router.post("/when")
async def when_answer(request: Request) -> Response:
    """Save the date ('It was today', a date or 'I do not know'), or show the page with errors.

    'It was today' is a button of its own: people often come the same day as their
    treatment, and typing today's date on a phone is then one step too many.
    """
    kb, today, answers = journey_context(request)
    if answers.procedure is None:
        return redirect_to(Step.procedure)
    form = await read_form(request)
    action = form.get("action")
    if action == "unknown":
        answers = answers.model_copy(
            update={"date_known": False, "procedure_date": None, "confirmed": False}
        )
    else:
        if action == "today":
            typed = forms.DateForm(value=today)
        else:
            typed = forms.read_procedure_date(form, today)
        if typed.value is None:
            context = {**_when_context(answers, typed), "hint": forms.example_date_hint()}
            return question_page(
                request, "question_when.html", Step.when, answers, context, errors=typed.errors
            )
        answers = answers.model_copy(
            update={"date_known": True, "procedure_date": typed.value, "confirmed": False}
        )
    return advance(request, kb, answers, today)


# --- question 4: in their own words ------------------------------------------------


@router.get("/description", response_class=HTMLResponse)
def description_page(request: Request) -> Response:
    """Ask what is happening, in the person's own words."""
    kb, today, answers = journey_context(request)
    if (target := reachable(kb, Step.description, answers, today)) is not None:
        return redirect_to(target)
    context = {"text": answers.description or "", "limit": forms.DESCRIPTION_MAX}
    return question_page(request, "question_description.html", Step.description, answers, context)


@router.post("/description")
async def description_answer(request: Request) -> Response:
    """Save the words, or show the page again with an error and the words kept."""
    kb, today, answers = journey_context(request)
    if answers.procedure is None or answers.date_known is None:
        return redirect_to(next_step(kb, answers, today))
    form = await read_text_form(request, max_bytes=forms.DESCRIPTION_FORM_MAX_BYTES)
    text, errors = forms.read_description(form)  # form None: too big to read, same error
    if text is None:
        context = {"text": (form or {}).get("description", ""), "limit": forms.DESCRIPTION_MAX}
        return question_page(
            request,
            "question_description.html",
            Step.description,
            answers,
            context,
            errors=errors,
        )
    if text != answers.description:
        answers = answers.model_copy(
            update={"description": text, "signs": None, "asked": None, "confirmed": False}
        )
    return advance(request, kb, answers, today)
