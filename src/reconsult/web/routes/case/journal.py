"""A case's journal: write a note, say what became of the signs still open, see the answer.

Each note is assessed as it is saved, the same way as the guided questions, and the
answer is shown again, as made on its day, on the note's own page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.casefile.repository import CaseFileError, add_journal_entry
from reconsult.i18n import gettext as _
from reconsult.triage import assess
from reconsult.triage.models import OPEN_FINDING_RULE, Assessment, Case, EarlierFinding
from reconsult.web.case.fields.notes import journal_fields
from reconsult.web.case.forms import Field, FormState, blank_state
from reconsult.web.case.open_findings import (
    ClosingQuestion,
    closing_questions,
    earlier_for,
    read_closings,
    still_open_typed,
)
from reconsult.web.case.pages import (
    CaseContext,
    FormPage,
    case_context,
    case_url,
    read_submitted,
    redirect,
    show_form,
)
from reconsult.web.case.view import days_after
from reconsult.web.journey.result_view import answer_context
from reconsult.web.templating import render

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)


def _journal_page(case_id: str) -> FormPage:
    return FormPage(
        _("How is it today?"),
        case_url(case_id, "/journal/new"),
        case_url(case_id, "#history"),
        submit=_("Save and check it"),
        lead=(
            _(
                "Write what you notice, in your own words. We save it with today's date and "
                "tell you how soon to act, the same way as the guided questions."
            ),
        ),
    )


def _note_form(ctx: CaseContext) -> tuple[list[ClosingQuestion], list[Field]]:
    """The note form: a question about each open finding still holding, then the note."""
    questions = closing_questions(ctx.knowledge, ctx.case, ctx.today)
    fields = [f for q in questions for f in q.fields]
    return questions, [*fields, *journal_fields(ctx.knowledge, ctx.case)]


def _show_note_form(
    request: Request, ctx: CaseContext, questions: list[ClosingQuestion], state: FormState
) -> HTMLResponse:
    extra = {"questions": questions, "asked": {f.name for q in questions for f in q.fields}}
    return show_form(
        request, ctx, _journal_page(ctx.case.id), state, template="case_note_form.html", extra=extra
    )


@router.get("/journal/new", response_class=HTMLResponse)
def journal_new(request: Request, case_id: str) -> HTMLResponse:
    """Ask what became of each open finding, then what the person notices today."""
    ctx = case_context(request, case_id)
    questions, fields = _note_form(ctx)
    typed = still_open_typed(questions)
    if len(ctx.case.procedures) == 1:
        typed["procedure_id"] = ctx.case.procedures[-1].id
    return _show_note_form(request, ctx, questions, blank_state(fields, typed))


@router.post("/journal/new")
async def journal_add(request: Request, case_id: str) -> Response:
    """Close what the person says is over, save the note with an assessment, show the answer."""
    ctx = case_context(request, case_id)
    questions, fields = _note_form(ctx)
    state, _posted = await read_submitted(request, fields, ctx.today)
    closings = read_closings(questions, state, ctx.today)
    if state.errors:
        return _show_note_form(request, ctx, questions, state)
    try:
        entry = add_journal_entry(
            ctx.database,
            case_id,
            text=state.values["text"],
            written_on=ctx.today,
            procedure_id=state.values.get("procedure_id"),
            knowledge=ctx.knowledge,
            closings=closings,
        )
    except CaseFileError as error:
        state.errors["text"] = str(error)
        return _show_note_form(request, ctx, questions, state)
    return redirect(case_url(case_id, f"/journal/{entry.id}"))


@router.get("/journal/{entry_id}", response_class=HTMLResponse)
def journal_entry(request: Request, case_id: str, entry_id: str) -> HTMLResponse:
    """Show a note and the full answer to it, as made on the day it was written.

    The answer is made again with the findings of earlier notes that held it
    that day, so it is the note's own: an answer kept urgent by an earlier
    note says so, quoting it.
    """
    ctx = case_context(request, case_id)
    entry = next((e for e in ctx.case.journal if e.id == entry_id), None)
    if entry is None:
        raise HTTPException(status_code=404)
    procedure = next((p for p in ctx.case.procedures if p.id == entry.procedure_id), None)
    context: dict[str, Any] = {"case": ctx.case, "entry": entry, "a": None}
    if procedure is not None:
        kb = ctx.knowledge
        days = days_after(procedure.performed_on, entry.written_on)
        held = earlier_for(kb, ctx.case, entry)

        def answer(earlier: list[EarlierFinding]) -> Assessment:
            case = Case(
                procedure=procedure.procedure,
                days_since_procedure=days,
                description=entry.text,
                earlier=earlier,
            )
            return assess(case, entry.written_on, kb)

        assessment = answer([h.finding for h in held if h.surely])
        if assessment.urgency is not entry.urgency and not all(h.surely for h in held):
            # A finding closed that day: after this note, if that gives the answer kept.
            again = answer([h.finding for h in held])
            if again.urgency is entry.urgency:
                assessment = again
        # Ask what happened only while a sign holding this answer is still open, and only
        # the case's owner: clinic staff read a shared case.
        still = {q.code for q in closing_questions(kb, ctx.case, ctx.today)}
        access = getattr(request.state, "audit", None)
        owner = access is None or access.access.role != "clinic"
        held_now = owner and any(
            r.rule == OPEN_FINDING_RULE and r.finding in still for r in assessment.reasons
        )
        context |= answer_context(
            kb,
            assessment,
            case_url(case_id, "/download/reminders.ics"),
            close_url=case_url(case_id, "/journal/new") if held_now else None,
        )
    return render(request, "case_entry.html", context)
