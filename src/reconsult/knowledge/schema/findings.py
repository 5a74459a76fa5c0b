"""Findings and what they drive: phrasings, frames, rules, combinations, danger questions."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from reconsult.knowledge.schema.codes import (
    Code,
    DayWindow,
    OptionCode,
    PlainText,
    RuleId,
    Shown,
    Strict,
    Urgency,
)


class Rule(Strict):
    """When a finding is present for a procedure in a day window: urgency, options, why."""

    id: RuleId
    procedures: list[Code] = Field(min_length=1)  # procedure codes, group names, or "all"
    days: DayWindow = Field(default_factory=DayWindow)
    urgency: Urgency | None = None  # None: the finding steers options only
    options: list[OptionCode] = Field(default_factory=list)
    reason: Shown  # plain words, second person: why this answer
    sources: list[RuleId] = Field(min_length=1)


class FindingKind(StrEnum):
    """How a finding is used."""

    red_flag = "red_flag"  # a danger sign
    complication = "complication"  # a possible complication to be examined
    expected = "expected"  # normal at some stage of healing
    result = "result"  # dissatisfaction with the result itself
    context = "context"  # a fact that steers options (no records, distrust, abroad)


class Frame(Strict):
    """A finding told as a combination of concepts that meet in one sentence, no contrast between.

    "a grey curtain over half of what I see" is the concepts ``sight`` and
    ``obscured`` together; each concept's lexicon (``lexicon.yaml``) holds the
    lay, slang, British and American words for it, shared by every frame.
    """

    concepts: list[Code] = Field(min_length=1)
    within: int = Field(default=12, ge=1, le=30)  # most tokens from the first concept to the last
    sources: list[RuleId] = Field(min_length=1)


class StaysOpen(Strict):
    """How long a finding told in a case's note holds the next notes' answers (issue 15).

    ``days`` counts whole days after the day it was told: 0, that day only; 1, that
    day and the next. After that the finding is stale: still shown, no longer holding.
    """

    days: int = Field(ge=0, le=90)
    sources: list[RuleId] = Field(min_length=1)


class Finding(Strict):
    """Something a person may describe, with the words people use for it."""

    code: Code
    label: Shown  # plain words, e.g. "skin turning white near the injection"
    kind: FindingKind
    phrasings: list[PlainText] = Field(min_length=1)  # phrase patterns (see triage.phrases)
    frames: list[Frame] = Field(default_factory=list)  # concept combinations (lexicon.yaml)
    procedures: list[Code] = Field(min_length=1)  # where it applies: codes, groups, "all"
    rules: list[Rule] = Field(min_length=1)
    # Told with a softener ("slightly bigger", "a bit fuller"), the words are this
    # calmer finding instead (one side "much bigger" is a swelling, "slightly" the look).
    when_mild: Code | None = None
    # A look of the result or a complication whose words may hold these signs' words
    # and still be itself ("a bluish-grey shadow under my eyes" is a tint, not
    # mottling; "the white shows under the iris" is a lid pulling down, not skin
    # turning white). Its own rules must then carry the danger in the early days.
    contains: list[Code] = Field(default_factory=list)
    # How long it stays open on a case once it drove a worrying answer, when that
    # differs from the policy's default for the level it drove (open_findings).
    stays_open: StaysOpen | None = None


class Combination(Strict):
    """Findings that matter more together than alone ("triage tuples").

    Fires when every finding in ``all_of`` is present and, if ``any_of`` is
    given, at least one of those too. Combinations only ever add urgency, so
    adding a finding can never lower the answer.
    """

    id: RuleId
    all_of: list[Code] = Field(min_length=1)
    any_of: list[Code] = Field(default_factory=list)
    procedures: list[Code] = Field(min_length=1)
    days: DayWindow = Field(default_factory=DayWindow)
    urgency: Urgency
    options: list[OptionCode] = Field(default_factory=list)
    reason: Shown
    sources: list[RuleId] = Field(min_length=1)


class AskWindow(Strict):
    """The procedures a danger question is asked for, and the days since the procedure.

    ``days`` runs from ``from`` (inclusive) to ``to`` (exclusive), as rule windows do;
    without ``to`` the question is asked from then on, and without ``days`` on every
    day. When the days since the procedure are unknown, every window counts.
    """

    procedures: list[Code] = Field(min_length=1)  # procedure codes, group names, or "all"
    days: DayWindow = Field(default_factory=DayWindow)
    sources: list[RuleId] = Field(min_length=1)
    note: str | None = None  # for reviewers: why this window (not shown to people)


class DangerQuestion(Strict):
    """A danger sign asked about before any calm answer, in plain words, and when it is asked."""

    code: Code  # the finding code of the sign
    # One line, second person, that answers "Is any of this happening now?".
    question: Shown
    asked: list[AskWindow] = Field(min_length=1)
