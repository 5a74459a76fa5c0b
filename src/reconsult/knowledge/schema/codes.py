"""The knowledge base's base types and codes: the words every other model is built of.

``Strict`` (unknown keys are errors, values frozen), the code and text types, the
contract's urgency levels, procedure and option codes, timeline points and day
windows, and a citable source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationInfo,
)


class Strict(BaseModel):
    """Base for all knowledge models: unknown keys are errors, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
PlainText = Annotated[str, StringConstraints(min_length=3, strip_whitespace=True)]

# The validation context's key for the function that gives a text shown to people in the
# language being loaded (reconsult.knowledge.wording); without it, the English stands.
SHOWN = "shown"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _in_language(value: Any, info: ValidationInfo) -> Any:
    """Return the text in the language being loaded, with the same {placeholders}."""
    say: Callable[[str], str] | None = (info.context or {}).get(SHOWN)
    if say is None or not isinstance(value, str):
        return value
    english = " ".join(value.split())
    said = say(english)
    if sorted(PLACEHOLDER.findall(said)) != sorted(PLACEHOLDER.findall(english)):
        raise ValueError(f"the translation of {english!r} must keep its {{placeholders}}")
    return said


# Words a person reads: written in English here, and in every other language in that
# language's catalogue (knowledge/<language>/wording.po), chosen when the base is loaded.
Shown = Annotated[
    str,
    BeforeValidator(_in_language),
    StringConstraints(min_length=3, strip_whitespace=True),
]


class Urgency(StrEnum):
    """The five contract levels, most urgent first."""

    emergency = "emergency"
    urgent = "urgent"
    soon = "soon"
    routine = "routine"
    wait = "wait"

    @property
    def rank(self) -> int:
        """Return 0 for the most urgent level, 4 for the least."""
        return URGENCY_ORDER.index(self)


URGENCY_ORDER: tuple[Urgency, ...] = (
    Urgency.emergency,
    Urgency.urgent,
    Urgency.soon,
    Urgency.routine,
    Urgency.wait,
)


class ProcedureCode(StrEnum):
    """The procedure codes of the benchmark contract."""

    botulinum_toxin = "botulinum_toxin"
    filler_hyaluronic_acid = "filler_hyaluronic_acid"
    filler_non_hyaluronic = "filler_non_hyaluronic"
    filler_unknown = "filler_unknown"
    rhinoplasty = "rhinoplasty"
    breast_augmentation = "breast_augmentation"
    facelift = "facelift"
    blepharoplasty = "blepharoplasty"
    liposuction = "liposuction"
    abdominoplasty = "abdominoplasty"
    other_surgery = "other_surgery"
    other_injectable = "other_injectable"


class OptionCode(StrEnum):
    """Option codes of the benchmark contract."""

    emergency_care = "emergency_care"
    contact_provider_now = "contact_provider_now"
    return_to_provider = "return_to_provider"
    second_opinion = "second_opinion"
    request_records = "request_records"
    wait_and_monitor = "wait_and_monitor"
    corrective_injection = "corrective_injection"
    dissolve_filler = "dissolve_filler"
    revision_surgery = "revision_surgery"


class ProcedureKind(StrEnum):
    """What sort of treatment a procedure is; gates some options."""

    toxin = "toxin"
    filler = "filler"
    injectable = "injectable"
    surgery = "surgery"


class TimelineKey(StrEnum):
    """Named points on a procedure's timeline that rule windows may refer to."""

    settle = "settle"  # most swelling and bruising gone
    judge = "judge"  # the result can fairly be judged
    revision = "revision"  # earliest sensible revision / correction
    scar = "scar"  # scars mature


# A day boundary: a number of days, or a named point of the procedure's timeline.
DayPoint = int | TimelineKey


class Source(Strict):
    """A citable source: guideline, label, paper or one of the seed articles."""

    id: RuleId
    title: PlainText
    publisher: PlainText  # publisher, or authors and journal
    year: int = Field(ge=1950, le=2100)
    url: HttpUrl | None = None
    file: str | None = None  # a seed article in ../shared/sources/, by file name
    note: str | None = None


class DayWindow(Strict):
    """Days since the procedure, from (inclusive) to (exclusive); open-ended if no `to`."""

    from_: DayPoint = Field(default=0, alias="from")
    to: DayPoint | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
