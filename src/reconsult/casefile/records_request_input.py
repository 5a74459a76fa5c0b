"""What a records request asks for: the person, the practice, the procedures, where to send.

These models are what a case file keeps of each request it made
(:class:`~reconsult.casefile.schema.RecordsRequestLog`); the letter made from
them is :mod:`reconsult.documents.records_request`. Each checks itself as of
"today", given in the validation context (``{"today": date}``) or the system
date, and knows the jurisdictions from the knowledge base.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from reconsult.i18n import gettext as _
from reconsult.knowledge import load_knowledge
from reconsult.knowledge.schema import ProcedureCode

__all__ = [
    "EARLIEST_BIRTH",
    "ProcedureDone",
    "RecordsFormat",
    "RecordsRequestInput",
    "ToMe",
    "ToNewProvider",
]

EARLIEST_BIRTH = dt.date(1900, 1, 1)


def _normalise_lines(value: Any) -> Any:
    """Strip every line of a multi-line text and drop empty lines (CRLF becomes LF)."""
    if isinstance(value, str):
        lines = (line.strip() for line in value.replace("\r\n", "\n").split("\n"))
        return "\n".join(line for line in lines if line)
    return value


# One line of text, no control characters: names, phone numbers, practice names.
Line = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
# A postal address: several lines, each free of control characters.
Address = Annotated[
    str,
    BeforeValidator(_normalise_lines),
    StringConstraints(min_length=3, max_length=500, pattern=r"^[^\x00-\x09\x0b-\x1f\x7f]+$"),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Phone = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=40, pattern=r"^[0-9+()./ \-x]+$"
    ),
]


def _today(info: ValidationInfo) -> dt.date:
    """Return "today" from the validation context, or the system date when none is given."""
    context = info.context if isinstance(info.context, dict) else {}
    today = context.get("today")
    return today if isinstance(today, dt.date) else dt.date.today()


class Strict(BaseModel):
    """Base of the input models: unknown keys are errors, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RecordsFormat(StrEnum):
    """How the person wants the copy."""

    electronic = "electronic"  # PDF documents, photographs in their original format
    paper = "paper"


class ProcedureDone(Strict):
    """A procedure the person had at this practice, with its date if they know it."""

    code: ProcedureCode
    date: dt.date | Literal["date unknown"]

    @field_validator("date")
    @classmethod
    def _not_in_future(
        cls, value: dt.date | Literal["date unknown"], info: ValidationInfo
    ) -> dt.date | Literal["date unknown"]:
        if isinstance(value, dt.date) and value > _today(info):
            raise ValueError(
                _("the procedure date %(date)s is in the future") % {"date": value.isoformat()}
            )
        return value


class ToMe(Strict):
    """Send the records to the person themselves."""

    kind: Literal["self"] = "self"


class ToNewProvider(Strict):
    """Send the records directly to a new provider."""

    kind: Literal["new_provider"] = "new_provider"
    name: Line
    address: Address


class RecordsRequestInput(Strict):
    """Everything the letter needs from the person."""

    full_name: Line
    former_names: list[Line] = Field(default_factory=list, max_length=5)
    date_of_birth: dt.date
    address: Address
    phone: Phone | None = None
    email: Email | None = None
    patient_number: Line | None = None  # chart or patient number, if known
    jurisdiction: str = Field(description="e.g. US-CA, US-TX, US (other states), GB, EU")
    provider_name: Line
    practice_name: Line | None = None
    practice_address: Address
    procedures: list[ProcedureDone] = Field(min_length=1, max_length=12)
    recipient: ToMe | ToNewProvider = Field(default_factory=ToMe, discriminator="kind")
    preferred_format: RecordsFormat = RecordsFormat.electronic

    @field_validator("jurisdiction")
    @classmethod
    def _known_jurisdiction(cls, value: str) -> str:
        codes = load_knowledge().records_access.jurisdiction_codes
        if value not in codes:
            raise ValueError(f"unknown jurisdiction {value!r}; choose one of: {', '.join(codes)}")
        return value

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth_date(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        if value > _today(info):
            raise ValueError(
                _("the date of birth %(date)s is in the future") % {"date": value.isoformat()}
            )
        if value < EARLIEST_BIRTH:
            raise ValueError(
                _("the date of birth %(date)s is before 1900") % {"date": value.isoformat()}
            )
        return value

    @model_validator(mode="after")
    def _treated_after_birth(self) -> RecordsRequestInput:
        for index, done in enumerate(self.procedures):
            if isinstance(done.date, dt.date) and done.date < self.date_of_birth:
                raise ValueError(
                    f"procedures[{index}].date {done.date.isoformat()} is before the date of birth"
                )
        return self
