"""JSON API models, one per direction: strict input, plain public output."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ProcedureKind
from reconsult.triage.models import Case, ProcedureCode

__all__ = ["CaseIn", "ProcedurePublic", "SignPublic", "TimelinePublic", "procedure_public"]


def _whole_number(value: object) -> object:
    """Refuse numbers sent as text or true/false; accept 4.0 as 4, as JSON Schema does."""
    if isinstance(value, bool) or isinstance(value, str):
        raise ValueError("must be a number, not text or true/false")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class CaseIn(Case):
    """A case sent to the API: no unknown fields and no number given as text ("5" is not 5)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days_since_procedure: (
        Annotated[int, Interval(ge=0, le=36500), BeforeValidator(_whole_number)] | None
    ) = None
    prior_revisions: Annotated[int, Interval(ge=0, le=50), BeforeValidator(_whole_number)] = 0
    description: Annotated[str, Strict()] = Field(min_length=1, max_length=10_000)


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


class ProcedurePublic(BaseModel):
    """A procedure as the API shows it."""

    code: ProcedureCode
    name: str
    kind: ProcedureKind
    timeline: TimelinePublic
    warning_signs: list[SignPublic]
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
        reversible=p.reversible,
        questions=list(p.questions),
    )
