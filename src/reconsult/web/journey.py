"""The guided assessment as a journey: the answers so far, and which page comes next.

Pure functions over a plain ``Answers`` model, so the page order can be tested
without a browser. Pages follow the NHS / GOV.UK pattern: one question per page,
a warning-sign checklist only when the words leave signs undecided, then check
your answers. Someone whose words already show an emergency goes straight to the
result: the fewer steps before "call 911", the better (NHS 111 online).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage import assess
from reconsult.triage.models import Assessment, Case, FindingStatus, ProcedureCode

__all__ = [
    "Answers",
    "Step",
    "case_from",
    "days_since",
    "next_step",
    "previous_step",
    "undecided_signs",
]


class Step(StrEnum):
    """The pages of the journey, in order; the value is the page's path under /assessment."""

    procedure = "procedure"
    when = "when"
    description = "description"
    warning_signs = "warning-signs"
    check = "check"
    result = "result"


class Answers(BaseModel):
    """What the person has answered so far (stored as JSON in their draft)."""

    model_config = ConfigDict(extra="ignore")

    procedure: ProcedureCode | None = None
    date_known: bool | None = None  # None: not asked yet; False: "I do not know the date"
    procedure_date: dt.date | None = None
    description: str | None = None
    signs: list[str] | None = None  # None: checklist not answered; []: "None of these"
    confirmed: bool = False  # pressed "Get my answer" on the check page
    skipped_to_result: bool = Field(default=False)  # emergency in the words: no checklist


def days_since(answers: Answers, today: dt.date) -> int | None:
    """Return whole days from the procedure date to today, or None if the date is unknown."""
    if not answers.date_known or answers.procedure_date is None:
        return None
    return max((today - answers.procedure_date).days, 0)


def case_from(answers: Answers, today: dt.date) -> Case:
    """Build the Case the engine assesses; the journey must have reached the description."""
    if answers.procedure is None or answers.description is None:
        raise ValueError("the journey has not reached the description yet")
    return Case(
        procedure=answers.procedure,
        days_since_procedure=days_since(answers, today),
        description=answers.description,
        confirmed_signs=list(answers.signs or []),
    )


def _words_only(kb: Knowledge, answers: Answers, today: dt.date) -> Assessment:
    case = case_from(answers.model_copy(update={"signs": None}), today)
    return assess(case, today, kb)


def undecided_signs(kb: Knowledge, answers: Answers, today: dt.date) -> list[str]:
    """Return the procedure's warning signs the words neither report nor deny.

    A sign the person mentioned only as a worry, in the past or about someone
    else is still undecided: the checklist asks about "right now".
    """
    return _undecided(kb, answers, _words_only(kb, answers, today))


def _undecided(kb: Knowledge, answers: Answers, assessment: Assessment) -> list[str]:
    decided = {
        f.code
        for f in assessment.findings
        if f.status in (FindingStatus.present, FindingStatus.negated)
    }
    procedure = kb.procedures[str(answers.procedure)]
    return [code for code in procedure.red_flags if code not in decided]


def next_step(kb: Knowledge, answers: Answers, today: dt.date) -> Step:
    """Return the first page still to be answered, given everything answered so far."""
    if answers.procedure is None:
        return Step.procedure
    if answers.date_known is None:
        return Step.when
    if answers.description is None:
        return Step.description
    if answers.signs is None:
        words_only = _words_only(kb, answers, today)
        if words_only.urgency is Urgency.emergency:
            return Step.result
        if _undecided(kb, answers, words_only):
            return Step.warning_signs
    if not answers.confirmed:
        return Step.check
    return Step.result


def previous_step(step: Step, answers: Answers) -> Step | None:
    """Return the page a back link on ``step`` goes to (None: the start page)."""
    if step is Step.procedure:
        return None
    if step is Step.when:
        return Step.procedure
    if step is Step.description:
        return Step.when
    if step is Step.warning_signs:
        return Step.description
    if step is Step.check:
        asked = answers.signs is not None
        return Step.warning_signs if asked else Step.description
    # The result: back to check your answers, unless the emergency skipped it.
    if answers.confirmed:
        return Step.check
    return Step.description
