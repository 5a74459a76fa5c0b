"""The guided assessment as a journey: the answers so far, and which page comes next.

Pure functions over a plain ``Answers`` model, so the page order can be tested
without a browser. The first page asks "Is any of this happening now?" with the
signs that are an emergency after any cosmetic procedure (the knowledge base's
``help_now.signs``): a yes goes straight to the emergency answer, before any
question about the procedure or the date (NHS 111 online screens the same way).
Pages follow the NHS / GOV.UK pattern: one question per page;
then, before every answer that is not an emergency, the danger questions for
this procedure and stage of healing on one page ("Is any of this happening
now?", ``triage.danger_questions``), less the signs the words already report or
deny; then check your answers. Someone whose words already show an emergency
goes straight to the result: the fewer steps before "call 911", the better (NHS
111 online).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from reconsult.casefile.procedure_dates import days_since_procedure
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage import assess
from reconsult.triage.danger_questions import questions_left
from reconsult.triage.models import Assessment, Case, ProcedureCode

__all__ = [
    "Answers",
    "Step",
    "case_from",
    "days_since",
    "next_step",
    "not_yet_asked",
    "previous_step",
    "undecided_signs",
]


class Step(StrEnum):
    """The pages of the journey, in order; the value is the page's path under /assessment."""

    emergency_check = "emergency-check"
    procedure = "procedure"
    when = "when"
    description = "description"
    warning_signs = "warning-signs"
    check = "check"
    result = "result"


class Answers(BaseModel):
    """What the person has answered so far (stored as JSON in their draft)."""

    model_config = ConfigDict(extra="ignore")

    # The first question: ids of the emergency signs happening now (None: not asked
    # yet; []: "None of these"). Any id goes straight to the emergency answer.
    emergency_now: list[str] | None = None
    procedure: ProcedureCode | None = None
    date_known: bool | None = None  # None: not asked yet; False: "I do not know the date"
    procedure_date: dt.date | None = None
    description: str | None = None
    signs: list[str] | None = None  # None: checklist not answered; []: "None of these"
    asked: list[str] | None = None  # the signs the checklist showed when it was answered
    confirmed: bool = False  # pressed "Get my answer" on the check page
    skipped_to_result: bool = Field(default=False)  # emergency in the words: no checklist


def days_since(answers: Answers, today: dt.date) -> int | None:
    """Return whole days from the procedure date to today, or None if the date is unknown."""
    if not answers.date_known or answers.procedure_date is None:
        return None
    return days_since_procedure(answers.procedure_date, today) or 0


def case_from(answers: Answers, today: dt.date) -> Case:
    """Build the Case the engine assesses; the journey must have reached the description.

    The checklist's answers go into ``signs``: each sign it showed is true if
    ticked and false if not ("None of these" leaves them all false).
    """
    if answers.procedure is None or answers.description is None:
        raise ValueError("the journey has not reached the description yet")
    signs: dict[str, bool] = {}
    if answers.signs is not None:
        ticked = set(answers.signs)
        signs = {code: code in ticked for code in answers.asked or []}
        signs.update(dict.fromkeys(answers.signs, True))
    return Case(
        procedure=answers.procedure,
        days_since_procedure=days_since(answers, today),
        description=answers.description,
        signs=signs,
    )


def _words_only(kb: Knowledge, answers: Answers, today: dt.date) -> Assessment:
    case = case_from(answers.model_copy(update={"signs": None, "asked": None}), today)
    return assess(case, today, kb)


def undecided_signs(kb: Knowledge, answers: Answers, today: dt.date) -> list[str]:
    """Return the danger signs to ask: this procedure's and stage's, less what the words decided.

    A sign the person mentioned only as a worry, in the past or about someone
    else is still undecided: the checklist asks about "right now".
    """
    return _undecided(kb, answers, today, _words_only(kb, answers, today))


def _undecided(
    kb: Knowledge, answers: Answers, today: dt.date, words_only: Assessment
) -> list[str]:
    procedure = str(answers.procedure)
    days = days_since(answers, today)
    return [q.code for q in questions_left(kb, procedure, days, words_only.findings)]


def not_yet_asked(kb: Knowledge, answers: Answers, today: dt.date) -> list[str]:
    """Return the signs to ask now that the checklist, if answered, did not show.

    An earlier date (or another stage of healing) can bring signs into the list:
    they are asked before any answer, so the checklist comes back.
    """
    shown = set(answers.asked or []) if answers.signs is not None else set()
    return [code for code in undecided_signs(kb, answers, today) if code not in shown]


def next_step(kb: Knowledge, answers: Answers, today: dt.date) -> Step:
    """Return the first page still to be answered, given everything answered so far."""
    if answers.emergency_now is None:
        return Step.emergency_check
    if answers.emergency_now:
        return Step.result
    if answers.procedure is None:
        return Step.procedure
    if answers.date_known is None:
        return Step.when
    if answers.description is None:
        return Step.description
    words_only = _words_only(kb, answers, today)
    if answers.signs is None and words_only.urgency is Urgency.emergency:
        return Step.result
    shown = set(answers.asked or []) if answers.signs is not None else set()
    if any(code not in shown for code in _undecided(kb, answers, today, words_only)):
        return Step.warning_signs
    if not answers.confirmed:
        return Step.check
    return Step.result


def previous_step(step: Step, answers: Answers) -> Step | None:
    """Return the page a back link on ``step`` goes to (None: the start page)."""
    if step is Step.emergency_check:
        return None
    if step is Step.procedure:
        return Step.emergency_check
    if step is Step.when:
        return Step.procedure
    if step is Step.description:
        return Step.when
    if step is Step.warning_signs:
        return Step.description
    if step is Step.check:
        asked = answers.signs is not None
        return Step.warning_signs if asked else Step.description
    # The result: back to check your answers, unless an emergency skipped it.
    if answers.emergency_now:
        return Step.emergency_check
    if answers.confirmed:
        return Step.check
    return Step.description
