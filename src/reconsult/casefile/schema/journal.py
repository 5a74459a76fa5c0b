"""The journal: what the person noticed on a day, and the signs its answer left open."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from reconsult.casefile.schema.fields import Id, LongText, Model, Text
from reconsult.knowledge.schema import ClosingChoice, Urgency

__all__ = ["Closing", "JournalEntry", "RaisedFinding"]


class Closing(Model):
    """What the person said became of a finding left open, and when they said it."""

    how: ClosingChoice
    said_on: dt.date  # the day the person told us
    treated_by: Text = ""  # who saw and treated it, in their words ("the clinic")
    treated_on: dt.date | None = None  # when, if they said


class RaisedFinding(Model):
    """A finding a note's answer was about at a level that leaves it open (issue 15).

    Open until ``closed``; it holds the next notes' answers at ``urgency`` until
    then, or until it is stale (knowledge: how long each finding stays open).
    """

    finding: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    urgency: Urgency
    words: LongText  # the person's words it was read from
    closed: Closing | None = None


class JournalEntry(Model):
    """What the person noticed on a day, and the assessment made then."""

    id: Id
    written_on: dt.date
    procedure_id: Id | None = None
    text: LongText
    urgency: Urgency | None = None
    headline: Text = ""
    reassess_on: dt.date | None = None
    knowledge_version: Text = ""
    rules_fired: list[Text] = Field(default_factory=list)
    raised: list[RaisedFinding] = Field(default_factory=list, max_length=100)
