"""The end of the guided assessment: the danger questions for this procedure and stage,
check your answers, the result and its reminder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.documents.calendar import reminder_ics
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.triage import assess
from reconsult.triage.models import Assessment
from reconsult.web.journey import forms
from reconsult.web.journey.drafts_cookie import save_answers
from reconsult.web.journey.emergency_view import from_screen
from reconsult.web.journey.result_view import answer_context
from reconsult.web.journey.steps import (
    Answers,
    Step,
    case_from,
    next_step,
    not_yet_asked,
    undecided_signs,
)
from reconsult.web.routes.assessment.navigation import (
    advance,
    form_value,
    journey_context,
    question_page,
    reachable,
    redirect_to,
)

__all__ = ["router"]

router = APIRouter(prefix="/assessment", include_in_schema=False)


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
    kb, today, answers = journey_context(request)
    if (target := reachable(kb, Step.warning_signs, answers, today)) is not None:
        return redirect_to(target)
    codes = undecided_signs(kb, answers, today)
    chosen = list(answers.signs or [])
    if answers.signs == [] and not not_yet_asked(kb, answers, today):
        chosen = [forms.NONE_OF_THESE]  # never pre-select it over signs not yet seen
    return question_page(
        request,
        "question_signs.html",
        Step.warning_signs,
        answers,
        _signs_context(kb, codes, chosen),
    )


@router.post("/warning-signs")
async def signs_answer(request: Request) -> Response:
    """Save the ticked signs and those shown, or show the page again with an error."""
    kb, today, answers = journey_context(request)
    if answers.description is None:
        return redirect_to(next_step(kb, answers, today))
    codes = undecided_signs(kb, answers, today)
    form = await request.form()
    chosen = [form_value(v) for v in form.getlist("signs")]
    signs, errors = forms.read_signs(chosen, codes)
    if signs is None:
        return question_page(
            request,
            "question_signs.html",
            Step.warning_signs,
            answers,
            _signs_context(kb, codes, chosen),
            errors=errors,
        )
    answers = answers.model_copy(update={"signs": signs, "asked": codes, "confirmed": False})
    return advance(request, kb, answers, today)


# --- check your answers ------------------------------------------------------------


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request) -> Response:
    """Show every answer with a Change link, before the person asks for their answer."""
    kb, today, answers = journey_context(request)
    if (target := reachable(kb, Step.check, answers, today)) is not None:
        return redirect_to(target)
    procedure = kb.procedures[str(answers.procedure)]
    signs = [_sign_words(kb, code) for code in answers.signs or []]
    context = {
        "procedure_name": procedure.name,
        "signs_asked": answers.signs is not None,
        "sign_labels": signs,
    }
    return question_page(request, "check.html", Step.check, answers, context)


def _sign_words(kb: Knowledge, code: str) -> str:
    question = kb.danger_questions.get(code)
    return question.question if question is not None else kb.findings[code].label.capitalize()


@router.post("/check")
def check_answer(request: Request) -> Response:
    """Confirm the answers and go to the result."""
    kb, today, answers = journey_context(request)
    if next_step(kb, answers, today) not in (Step.check, Step.result):
        return redirect_to(next_step(kb, answers, today))
    answers = answers.model_copy(update={"confirmed": True})
    response = redirect_to(Step.result)
    save_answers(request, response, answers)
    return response


# --- the result --------------------------------------------------------------------


def _assessment(kb: Knowledge, answers: Answers, today: dt.date) -> Assessment:
    return assess(case_from(answers, today), today, kb)


@router.get("/result", response_class=HTMLResponse)
def result_page(request: Request) -> Response:
    """Show the answer: what to do first (for an emergency, on one screen), then why."""
    kb, today, answers = journey_context(request)
    if (target := reachable(kb, Step.result, answers, today)) is not None:
        return redirect_to(target)
    if answers.emergency_now:
        context = {"emergency": from_screen(kb, answers.emergency_now), "help": kb.policy.help_now}
        return question_page(request, "result_emergency_check.html", Step.result, answers, context)
    assessment = _assessment(kb, answers, today)
    context = answer_context(kb, assessment, "/assessment/result/reminder.ics")
    return question_page(request, "result.html", Step.result, answers, context)


@router.get("/result/reminder.ics")
def reminder(request: Request) -> Response:
    """Download a calendar reminder for the date to look again at the result."""
    kb, today, answers = journey_context(request)
    if reachable(kb, Step.result, answers, today) is not None:
        raise HTTPException(status_code=404)
    assessment = _assessment(kb, answers, today)
    if assessment.reassess_on is None:
        raise HTTPException(status_code=404)
    procedure = kb.procedures[assessment.procedure.value]
    body = reminder_ics(
        title=_("Look again at the result of your procedure"),
        description=(
            f"{procedure.name}. {procedure.timeline.summary} "
            + _(
                "If you noticed any warning signs before today, you should already have got "
                "help. Open reconsult to check again."
            )
        ),
        on=assessment.reassess_on,
        stamp=dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC),
    )
    return Response(
        content=body,
        media_type="text/calendar",
        headers={"content-disposition": 'attachment; filename="reconsult-look-again.ics"'},
    )
