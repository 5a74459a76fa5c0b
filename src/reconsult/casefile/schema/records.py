"""What the person did about providers: consultations, records requests, provider checks."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from reconsult.casefile.records_request_input import RecordsRequestInput
from reconsult.casefile.schema.fields import (
    Id,
    KnowledgeId,
    LetterText,
    LongText,
    Model,
    Name,
    Npi,
    Text,
)
from reconsult.knowledge.schema import ProcedureCode

__all__ = ["CheckItem", "CheckResult", "Consultation", "ProviderCheck", "RecordsRequestLog"]


class Consultation(Model):
    """A provider consulted, and what they said."""

    id: Id
    held_on: dt.date | None = None
    provider_name: Text
    specialty: Text = ""
    what_they_said: LongText = ""


class RecordsRequestLog(Model):
    """A records request sent, the letter itself, and when to follow it up.

    ``jurisdiction`` is the code whose law the letter cites (e.g. US-CA), and
    ``letter_text`` the plain-text letter, so it can be shown and exported
    again; both are empty for requests logged before letters were kept.
    ``request`` is what the letter was made from, so its PDF can be printed
    again exactly as it was on ``sent_on`` (None before it was kept).
    """

    id: Id
    sent_on: dt.date
    provider_name: Text
    follow_up_on: dt.date
    received_on: dt.date | None = None
    jurisdiction: Text = ""
    letter_text: LetterText = ""
    request: RecordsRequestInput | None = None


class CheckResult(StrEnum):
    """What the person found when they went through one check of the vetting checklist."""

    confirmed = "confirmed"  # I checked and it was fine
    concern = "concern"  # I checked and I am worried
    not_checked = "not_checked"  # I have not checked yet


class CheckItem(Model):
    """One item of the vetting checklist, as the person left it."""

    check: KnowledgeId  # a VettingCheck id in providers.yaml
    result: CheckResult = CheckResult.not_checked
    found: Text = ""  # what they found, in their words


class ProviderCheck(Model):
    """What the person checked about a provider, and the red flags they noticed.

    ``items`` are the checklist items shown to them (each with its result),
    ``red_flags`` the ids of the red flags they noticed. The ids come from the
    knowledge base; :mod:`reconsult.casefile.vetting` refuses unknown ones when
    a record is added or changed (an imported file keeps what it holds).
    """

    id: Id
    provider_name: Name
    npi: Npi | None = None  # when the provider came from the directory
    procedure: ProcedureCode | None = None  # the checklist is for this treatment
    checked_on: dt.date
    items: list[CheckItem] = Field(default_factory=list, max_length=100)
    red_flags: list[KnowledgeId] = Field(default_factory=list, max_length=100)
    note: LongText = ""

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        checks = [item.check for item in self.items]
        for what, ids in (("check", checks), ("red flag", self.red_flags)):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"list each {what} once ({', '.join(twice)} is there twice)")
        return self

    @property
    def done(self) -> list[CheckItem]:
        """The items the person has checked (fine or worrying)."""
        return [i for i in self.items if i.result is not CheckResult.not_checked]

    @property
    def concerns(self) -> list[CheckItem]:
        """The items the person checked and is worried about."""
        return [i for i in self.items if i.result is CheckResult.concern]
