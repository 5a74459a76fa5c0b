"""The guided assessment: one question per page, check your answers, the result.

Every POST redirects (303) to the next page still to answer, so the browser's
back button and refresh never resubmit a form (POST/redirect/GET).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reconsult.documents.calendar import reminder_ics
from reconsult.knowledge import Knowledge
from reconsult.triage import assess
from reconsult.triage.models import Assessment, ProcedureCode
from reconsult.web import forms
from reconsult.web.drafts_cookie import clear_answers, load_answers, save_answers
from reconsult.web.emergency_view import from_screen, screen_choices
from reconsult.web.journey import (
    Answers,
    Step,
    case_from,
    next_step,
    not_yet_asked,
    previous_step,
    undecided_signs,
)
from reconsult.web.result_view import answer_context
from reconsult.web.templating import render
from reconsult.web.uploads import read_text_form

router = APIRouter(prefix="/assessment", include_in_schema=False)

ORDER = list(Step)


def _url(step: Step | None) -> str:
    return "/" if step is None else f"/assessment/{step.value}"


def _redirect(step: Step) -> RedirectResponse:
    return RedirectResponse(_url(step), status_code=303)


def _context(request: Request) -> tuple[Knowledge, dt.date, Answers]:
    """Return what every journey page needs: the knowledge, today, and this browser's answers."""
    state = request.app.state.reconsult
    return state.knowledge, state.today(), load_answers(request)


def _reachable(kb: Knowledge, step: Step, answers: Answers, today: dt.date) -> Step | None:
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


def _page(
    request: Request,
    template: str,
    step: Step,
    answers: Answers,
    context: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    page = {"back": _url(previous_step(step, answers)), "answers": answers, **context}
    page["errors"] = errors or {}
    return render(request, template, page, status_code=400 if errors else 200)


def _advance(request: Request, kb: Knowledge, answers: Answers, today: dt.date) -> Response:
    """Save the answers and send the person on to the first page still to answer."""
    response = _redirect(next_step(kb, answers, today))
    save_answers(request, response, answers)
    return response


def _form_value(value: object) -> str:
    return value if isinstance(value, str) else ""


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: _form_value(value) for key, value in form.items()}


# --- start and start again ---------------------------------------------------------


@router.post("/start")
def start(request: Request) -> Response:
    """Begin a fresh set of answers (any earlier unfinished answers are deleted)."""
    response = _redirect(ORDER[0])
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
    kb, _today, answers = _context(request)
    chosen = list(answers.emergency_now or [])
    if answers.emergency_now == []:
        chosen = [forms.NONE_OF_THESE]
    return _page(
        request,
        "question_emergency.html",
        Step.emergency_check,
        answers,
        _emergency_context(kb, chosen),
    )


@router.post("/emergency-check")
async def emergency_check_answer(request: Request) -> Response:
    """Save the answer: any sign goes straight to the emergency answer."""
    kb, today, answers = _context(request)
    form = await request.form()
    chosen = [_form_value(v) for v in form.getlist("now")]
    ticked, errors = forms.read_signs(chosen, [code for code, _ in screen_choices(kb)])
    if ticked is None:
        return _page(
            request,
            "question_emergency.html",
            Step.emergency_check,
            answers,
            _emergency_context(kb, chosen),
            errors=errors,
        )
    answers = answers.model_copy(update={"emergency_now": ticked})
    return _advance(request, kb, answers, today)


# --- question 2: the procedure -----------------------------------------------------


def _procedure_context(kb: Knowledge, selected: str | None) -> dict[str, Any]:
    choices = [(code, p.name) for code, p in kb.procedures.items()]
    return {"choices": choices, "selected": selected}


@router.get("/procedure", response_class=HTMLResponse)
def procedure_page(request: Request) -> Response:
    """Ask what procedure the person had."""
    kb, _today, answers = _context(request)
    selected = answers.procedure.value if answers.procedure else None
    return _page(
        request,
        "question_procedure.html",
        Step.procedure,
        answers,
        _procedure_context(kb, selected),
    )


@router.post("/procedure")
async def procedure_answer(request: Request) -> Response:
    """Save the procedure, or show the page again with an error."""
    kb, today, answers = _context(request)
    value, errors = forms.read_procedure(await _form(request), list(kb.procedures))
    if value is None:
        return _page(
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
    return _advance(request, kb, answers, today)


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
    kb, today, answers = _context(request)
    if (target := _reachable(kb, Step.when, answers, today)) is not None:
        return _redirect(target)
    context = {**_when_context(answers, None), "hint": forms.DATE_HINT}
    return _page(request, "question_when.html", Step.when, answers, context)


@router.post("/when")
async def when_answer(request: Request) -> Response:
    """Save the date ('It was today', a date or 'I do not know'), or show the page with errors.

    'It was today' is a button of its own: people often come the same day as their
    treatment, and typing today's date on a phone is then one step too many.
    """
    kb, today, answers = _context(request)
    if answers.procedure is None:
        return _redirect(Step.procedure)
    form = await _form(request)
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
            context = {**_when_context(answers, typed), "hint": forms.DATE_HINT}
            return _page(
                request, "question_when.html", Step.when, answers, context, errors=typed.errors
            )
        answers = answers.model_copy(
            update={"date_known": True, "procedure_date": typed.value, "confirmed": False}
        )
    return _advance(request, kb, answers, today)


# --- question 4: in their own words ------------------------------------------------


@router.get("/description", response_class=HTMLResponse)
def description_page(request: Request) -> Response:
    """Ask what is happening, in the person's own words."""
    kb, today, answers = _context(request)
    if (target := _reachable(kb, Step.description, answers, today)) is not None:
        return _redirect(target)
    context = {"text": answers.description or "", "limit": forms.DESCRIPTION_MAX}
    return _page(request, "question_description.html", Step.description, answers, context)


@router.post("/description")
async def description_answer(request: Request) -> Response:
    """Save the words, or show the page again with an error and the words kept."""
    kb, today, answers = _context(request)
    if answers.procedure is None or answers.date_known is None:
        return _redirect(next_step(kb, answers, today))
    form = await read_text_form(request, max_bytes=forms.DESCRIPTION_FORM_MAX_BYTES)
    text, errors = forms.read_description(form)  # form None: too big to read, same error
    if text is None:
        context = {"text": (form or {}).get("description", ""), "limit": forms.DESCRIPTION_MAX}
        return _page(
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
    return _advance(request, kb, answers, today)


# --- the danger questions: "Is any of this happening now?" ---------------------------


def _signs_context(kb: Knowledge, codes: list[str], chosen: list[str]) -> dict[str, Any]:
    return {
        "signs": [(code, kb.danger_questions[code].question) for code in codes],
        "chosen": chosen,
        "first_id": codes[0] if codes else "none",
    }


@router.get("/warning-signs", response_class=HTMLResponse)
def signs_page(request: Request) -> Response:
    """Ask the danger questions for this procedure and stage that the words left open."""
    kb, today, answers = _context(request)
    if (target := _reachable(kb, Step.warning_signs, answers, today)) is not None:
        return _redirect(target)
    codes = undecided_signs(kb, answers, today)
    chosen = list(answers.signs or [])
    if answers.signs == [] and not not_yet_asked(kb, answers, today):
        chosen = [forms.NONE_OF_THESE]  # never pre-select it over signs not yet seen
    return _page(
        request,
        "question_signs.html",
        Step.warning_signs,
        answers,
        _signs_context(kb, codes, chosen),
    )


@router.post("/warning-signs")
async def signs_answer(request: Request) -> Response:
    """Save the ticked signs and those shown, or show the page again with an error."""
    kb, today, answers = _context(request)
    if answers.description is None:
        return _redirect(next_step(kb, answers, today))
    codes = undecided_signs(kb, answers, today)
    form = await request.form()
    chosen = [_form_value(v) for v in form.getlist("signs")]
    signs, errors = forms.read_signs(chosen, codes)
    if signs is None:
        return _page(
            request,
            "question_signs.html",
            Step.warning_signs,
            answers,
            _signs_context(kb, codes, chosen),
            errors=errors,
        )
    answers = answers.model_copy(update={"signs": signs, "asked": codes, "confirmed": False})
    return _advance(request, kb, answers, today)


# --- check your answers ------------------------------------------------------------


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request) -> Response:
    """Show every answer with a Change link, before the person asks for their answer."""
    kb, today, answers = _context(request)
    if (target := _reachable(kb, Step.check, answers, today)) is not None:
        return _redirect(target)
    procedure = kb.procedures[str(answers.procedure)]
    signs = [_sign_words(kb, code) for code in answers.signs or []]
    context = {
        "procedure_name": procedure.name,
        "signs_asked": answers.signs is not None,
        "sign_labels": signs,
    }
    return _page(request, "check.html", Step.check, answers, context)


def _sign_words(kb: Knowledge, code: str) -> str:
    question = kb.danger_questions.get(code)
    return question.question if question is not None else kb.findings[code].label.capitalize()


@router.post("/check")
def check_answer(request: Request) -> Response:
    """Confirm the answers and go to the result."""
    kb, today, answers = _context(request)
    if next_step(kb, answers, today) not in (Step.check, Step.result):
        return _redirect(next_step(kb, answers, today))
    answers = answers.model_copy(update={"confirmed": True})
    response = _redirect(Step.result)
    save_answers(request, response, answers)
    return response


# --- the result --------------------------------------------------------------------


def _assessment(kb: Knowledge, answers: Answers, today: dt.date) -> Assessment:
    return assess(case_from(answers, today), today, kb)


@router.get("/result", response_class=HTMLResponse)
def result_page(request: Request) -> Response:
    """Show the answer: what to do first (for an emergency, on one screen), then why."""
    kb, today, answers = _context(request)
    if (target := _reachable(kb, Step.result, answers, today)) is not None:
        return _redirect(target)
    if answers.emergency_now:
        context = {"emergency": from_screen(kb, answers.emergency_now), "help": kb.policy.help_now}
        return _page(request, "result_emergency_check.html", Step.result, answers, context)
    assessment = _assessment(kb, answers, today)
    context = answer_context(kb, assessment, "/assessment/result/reminder.ics")
    return _page(request, "result.html", Step.result, answers, context)


@router.get("/result/reminder.ics")
def reminder(request: Request) -> Response:
    """Download a calendar reminder for the date to look again at the result."""
    kb, today, answers = _context(request)
    if _reachable(kb, Step.result, answers, today) is not None:
        raise HTTPException(status_code=404)
    assessment = _assessment(kb, answers, today)
    if assessment.reassess_on is None:
        raise HTTPException(status_code=404)
    procedure = kb.procedures[assessment.procedure.value]
    body = reminder_ics(
        title="Look again at the result of your procedure",
        description=(
            f"{procedure.name}. {procedure.timeline.summary} "
            "If you noticed any warning signs before today, you should already have got help. "
            "Open reconsult to check again."
        ),
        on=assessment.reassess_on,
        stamp=dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC),
    )
    return Response(
        content=body,
        media_type="text/calendar",
        headers={"content-disposition": 'attachment; filename="reconsult-look-again.ics"'},
    )
