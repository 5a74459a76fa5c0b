"""JSON API models, one per direction: strict input, plain public output."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import Interval
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ProcedureKind
from reconsult.triage.danger_questions import asked_window, questions_for
from reconsult.triage.models import Case, EarlierFinding, ProcedureCode

__all__ = [
    "CaseIn",
    "DangerQuestionPublic",
    "ProcedurePublic",
    "SignPublic",
    "TimelinePublic",
    "procedure_public",
]


def _whole_number(value: object) -> object:
    """Refuse numbers sent as text or true/false; accept 4.0 as 4, as JSON Schema does."""
    if isinstance(value, bool) or isinstance(value, str):
        raise ValueError("must be a number, not text or true/false")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _date_text(value: object) -> object:
    """Refuse a date sent as a number (pydantic would read 0 as 1 January 1970)."""
    if not isinstance(value, str | dt.date):
        raise ValueError("must be a date as text, such as 2026-12-07")
    return value


class EarlierFindingIn(EarlierFinding):
    """An earlier open finding sent to the API: its date as text only."""

    said_on: Annotated[dt.date, BeforeValidator(_date_text)] = Field(
        description="The day the person told it."
    )


class CaseIn(Case):
    """A case sent to the API: no unknown fields and no number given as text ("5" is not 5)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days_since_procedure: (
        Annotated[int, Interval(ge=0, le=36500), BeforeValidator(_whole_number)] | None
    ) = None
    prior_revisions: Annotated[int, Interval(ge=0, le=50), BeforeValidator(_whole_number)] = 0
    description: Annotated[str, Strict()] = Field(min_length=1, max_length=10_000)
    earlier: list[EarlierFindingIn] = Field(
        default_factory=list,
        max_length=100,
        description=Case.model_fields["earlier"].description,
    )


class TimelinePublic(BaseModel):
    """Healing and product timeline in days since the procedure."""

    settle: int
    judge: int
    revision: int
    scar: int | None
    fade: tuple[int, int] | None
    summary: str


class SignPublic(BaseModel):
    """A warning sign to watch for (its code can be sent back as a confirmed sign)."""

    code: str
    label: str


class DangerQuestionPublic(BaseModel):
    """A danger question, and the days since the procedure on which it is asked.

    Send the answer back in a case's ``signs``: ``{code: true}`` when the person
    has it now, ``{code: false}`` when they said no. When the days since the
    procedure are not known, every question of the procedure is asked.
    """

    code: str = Field(description="The sign's code, as a key of `signs`.")
    question: str = Field(description='Plain words that answer "Is any of this happening now?"')
    from_day: int = Field(description="Asked from this many days after the procedure.")
    until_day: int | None = Field(
        description="Asked before this day (not on it); null: from `from_day` on."
    )


class ProcedurePublic(BaseModel):
    """A procedure as the API shows it."""

    code: ProcedureCode
    name: str
    kind: ProcedureKind
    timeline: TimelinePublic
    warning_signs: list[SignPublic]
    danger_questions: list[DangerQuestionPublic] = Field(
        description='What the interactive flows ask before any calm answer ("Is any of this '
        'happening now?"), in the order asked, with the days each is asked.'
    )
    reversible: str
    questions: list[str]


def procedure_public(kb: Knowledge, code: str) -> ProcedurePublic:
    """Return the public view of one procedure of the knowledge base."""
    p = kb.procedures[code]
    t = p.timeline
    return ProcedurePublic(
        code=ProcedureCode(p.code),
        name=p.name,
        kind=p.kind,
        timeline=TimelinePublic(
            settle=t.settle,
            judge=t.judge,
            revision=t.revision,
            scar=t.scar,
            fade=t.fade,
            summary=t.summary,
        ),
        warning_signs=[SignPublic(code=c, label=kb.findings[c].label) for c in p.red_flags],
        danger_questions=[_question_public(kb, q.code, p.code) for q in questions_for(kb, p.code)],
        reversible=p.reversible,
        questions=list(p.questions),
    )


def _question_public(kb: Knowledge, code: str, procedure: str) -> DangerQuestionPublic:
    window = asked_window(kb, code, procedure)
    assert window is not None  # questions_for lists only questions asked for the procedure
    return DangerQuestionPublic(
        code=code,
        question=kb.danger_questions[code].question,
        from_day=window[0],
        until_day=window[1],
    )
