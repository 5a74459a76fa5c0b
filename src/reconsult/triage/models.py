"""The triage data: a Case in, Findings in between, an Assessment out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from reconsult.knowledge.schema import FindingKind, OptionCode, ProcedureCode, Urgency

__all__ = [
    "Assessment",
    "Case",
    "DetectedFinding",
    "EarlierFinding",
    "FindingSource",
    "FindingStatus",
    "OptionAdvice",
    "ProcedureCode",
    "Reason",
    "SourceRef",
    "TimingSource",
    "Unexplained",
]


SignCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class EarlierFinding(BaseModel):
    """A finding an earlier answer was about, which the person has not yet said what became of.

    It holds later answers at ``urgency`` until it is closed or stale (issue 15).
    An answer lists its open findings in this form, so a client sends them back
    with the next note exactly as it got them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    finding: SignCode
    urgency: Urgency = Field(description="The level the finding drove when it was told.")
    said_on: dt.date = Field(description="The day the person told it.")
    words: str = Field(min_length=1, max_length=10_000, description="What the person wrote.")


class Case(BaseModel):
    """What a person tells us: the procedure, when, and what is happening in their words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    procedure: ProcedureCode
    days_since_procedure: int | None = Field(default=None, ge=0, le=36500)
    prior_revisions: int = Field(default=0, ge=0, le=50)
    description: str = Field(min_length=1, max_length=10_000)
    confirmed_signs: list[SignCode] = Field(
        default_factory=list,
        max_length=100,
        description=(
            "Codes of warning signs the person ticked on a checklist "
            '("Do you have any of these right now?"); each counts as present.'
        ),
    )
    signs: dict[SignCode, StrictBool] = Field(
        default_factory=dict,
        max_length=100,
        description=(
            'Answers to the danger questions ("Is any of this happening now?"), by sign '
            "code: true, the person has it now (it counts as present, whatever the words "
            "say); false, the person said no (it counts as denied, unless the words "
            "report it). The codes are the procedure's danger questions."
        ),
    )
    earlier: Sequence[EarlierFinding] = Field(
        default_factory=list,
        max_length=100,
        description=(
            "Findings an earlier answer was about that are still open (the earlier answer's "
            "open_findings, less those the person has since said were treated, went away or "
            "were a mistake). While one is not stale, the answer is at least as urgent."
        ),
    )
    id: str | None = Field(default=None, max_length=200)


class FindingStatus(StrEnum):
    """Whether a finding is about the person, now."""

    present = "present"
    negated = "negated"  # "no fever"
    hypothetical = "hypothetical"  # "what if it gets infected"
    past = "past"  # "I had an infection last year"
    someone_else = "someone_else"  # "my friend had necrosis"
    resolved = "resolved"  # "the bleeding stopped"


class FindingSource(StrEnum):
    """How we learnt of a finding: from the person's words, or a ticked checklist."""

    words = "words"
    checklist = "checklist"


class DetectedFinding(BaseModel):
    """A finding recognised in the words, with the exact words that triggered it."""

    model_config = ConfigDict(frozen=True)

    code: str
    label: str
    kind: FindingKind
    status: FindingStatus
    quote: str  # the person's words, or the checklist label they ticked
    start: int | None = None  # character offsets into the description (words only)
    end: int | None = None
    source: FindingSource = FindingSource.words
    cues: list[str] = Field(default_factory=list)  # the words that changed its status


class Unexplained(BaseModel):
    """A clause whose words about the body no finding explains, as the person wrote it."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int  # character offsets into the description
    end: int
    about_body: bool = True  # symptom words, or close to a danger sign: never a calm answer
    possible_sign: str | None = None  # a danger sign the recall net found it close to
    similarity: float | None = None  # how close (cosine similarity), when compared


class TimingSource(StrEnum):
    """Where the days since the procedure came from."""

    intake = "intake"
    words = "words"
    unknown = "unknown"


class SourceRef(BaseModel):
    """A cited source, as shown to a person."""

    id: str
    title: str
    publisher: str
    year: int
    url: str | None = None
    file: str | None = None


class Reason(BaseModel):
    """Why the answer is what it is: one finding or fact, the words, the rule and the sources."""

    text: str
    finding: str | None = None
    quote: str | None = None
    rule: str | None = None
    urgency: Urgency | None = None
    sources: list[str] = Field(default_factory=list)


# The rules the engine applies itself, named in ``Reason.rule`` beside the knowledge base's.
OPEN_FINDING_RULE = "open-finding"  # a finding an earlier note left open still counts
POSSIBLE_DANGER_RULE = "possible-danger-sign"  # words close in meaning to a danger sign
UNEXPLAINED_RULE = "unexplained-words"  # words about the body that no finding explains


class OptionAdvice(BaseModel):
    """An option offered, explained in plain words."""

    code: OptionCode
    label: str
    explanation: str
    time_cost: str


class Assessment(BaseModel):
    """The answer: how urgent, what to do, why, what to watch for, and on what authority."""

    id: str | None = None
    procedure: ProcedureCode
    urgency: Urgency
    headline: str
    detail: str
    options: list[OptionCode]
    option_advice: list[OptionAdvice]
    reasons: list[Reason]
    findings: list[DetectedFinding]
    understood: bool
    unrecognised_text: list[str]
    days_since_procedure: int | None
    timing_source: TimingSource
    timeline_summary: str
    reassess_on: dt.date | None
    product_fades_between: tuple[dt.date, dt.date] | None
    watch_for: list[str]
    emergency_numbers: str
    rules_fired: list[str]
    open_findings: list[EarlierFinding] = Field(
        default_factory=list,
        description=(
            "What stays open after this answer: the findings it was about at a level that "
            "leaves them open, and the earlier ones still holding. Send them back as the "
            "next case's 'earlier'."
        ),
    )
    sources: list[SourceRef]
    knowledge_version: str
    assessed_on: dt.date
    languages: list[str] = Field(
        default_factory=lambda: ["en"],
        description=(
            "The languages the person's words were read in (ISO 639-1 codes, the one "
            "holding most of the words first): a message may mix two."
        ),
    )
