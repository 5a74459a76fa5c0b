"""Engine-wide policy wording: the urgency levels' words, "Get help now", open findings."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from reconsult.knowledge.schema.codes import (
    Code,
    OptionCode,
    RuleId,
    Shown,
    Strict,
    Urgency,
)
from reconsult.knowledge.schema.findings import StaysOpen
from reconsult.knowledge.schema.options import FactRule


class CareCardKind(StrEnum):
    """The NHS care card a level is shown on: its colour and how loud it is."""

    emergency = "emergency"  # red heading, dark body: immediate action
    urgent = "urgent"  # red heading
    non_urgent = "non-urgent"  # blue heading


class TagColour(StrEnum):
    """The colour that marks a level wherever it is tagged (case history, terminal title)."""

    red = "red"
    orange = "orange"
    yellow = "yellow"
    green = "green"
    blue = "blue"


# Colours that say "act now": a calm level (routine, wait) never wears them.
ALARM_COLOURS = (TagColour.red, TagColour.orange)


class UrgencyText(Strict):
    """What a person is told for one urgency level, and how the level is named and marked.

    Every place that names a level (the result page's care card, the guides, a
    case's history tags, the terminal's panel title) takes its words from here
    through :meth:`Policy.urgency`.
    """

    level: Urgency
    label: Shown  # the level in a word or three: "Too early to judge"
    # When to act, in a few words, said after the label in a title ("Soon: within
    # about a week"); None: the label says it all.
    timing: Shown | None = None
    colour: TagColour
    headline: Shown  # the action first
    detail: Shown
    # The care card on the result page and the guides (NHS pattern): its kind, what
    # screen readers hear before its heading, and the heading (the action, naming
    # the service). Routine and wait are calm answers: they get no card.
    card: CareCardKind | None = None
    card_prefix: Shown | None = None
    card_heading: Shown | None = None
    default_options: list[OptionCode]

    @property
    def title(self) -> str:
        """Return the level as a title says it: "SOON: within about a week"."""
        return self.label.upper() + (f": {self.timing}" if self.timing else "")


class EmergencySign(Strict):
    """A sign that is an emergency after some cosmetic procedure, in the words of a list item.

    The same list is the "Get help now" card, the journey's first question and
    the packet's emergency box. ``findings`` are the finding codes it stands for
    (each must have an emergency rule); ``filler_note``: ticking it also shows
    the filler note.
    """

    text: Shown
    findings: list[Code] = Field(min_length=1)
    filler_note: bool = False


class PhoneLine(Strict):
    """A number to call: an emergency number, or a crisis line, and where it works.

    ``regions`` are ISO 3166 two-letter country codes (the region of a browser
    language such as en-GB, or the RECONSULT_REGION setting): the first line
    whose regions hold the person's region is shown first. ``text``: the line
    also takes text messages.
    """

    number: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9 ]{1,14}$")]
    name: Shown | None = None  # a crisis line's name: "Samaritans"
    where: Shown  # "US and Canada"
    regions: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]] = Field(min_length=1)
    text: bool = False
    note: Shown | None = None  # what to press once through: "To speak Spanish, press 2."


class EmergencyScript(Strict):
    """What to tell the emergency call handler, filled with what the person told us.

    ``{procedure}``, ``{when}`` and ``{signs}`` are replaced; a line whose value
    is unknown is left out, and ``always`` follows.
    """

    procedure: Shown  # "You had {procedure} {when}."
    procedure_no_date: Shown  # "You had {procedure}."
    signs: Shown  # "What you see now: {signs}."
    always: list[Shown] = Field(min_length=1)


class HelpNow(Strict):
    """The "Get help now" page: emergency signs, what to say, crisis lines. Shown everywhere."""

    heading: Shown  # the action, with the numbers: "Call 911 (US) ... now if:"
    signs: list[EmergencySign] = Field(min_length=3)  # body of the emergency card
    filler_note: Shown
    # Procedures (codes, groups or "all") whose emergency answer shows the filler note.
    filler_note_procedures: list[Code] = Field(min_length=1)
    what_to_say: list[Shown] = Field(min_length=1)
    script: EmergencyScript
    emergency_lines: list[PhoneLine] = Field(min_length=1)
    crisis_lines: list[PhoneLine] = Field(min_length=1)
    # Findings of a mental health crisis: their emergency answer puts the crisis lines first.
    crisis_findings: list[Code] = Field(min_length=1)
    crisis: Shown  # said before the crisis lines' call buttons
    start_warning: Shown  # on the start page: who should not stop to answer questions
    # Headings of the result page's warning-sign lists, split by the urgency of each sign.
    watch_emergency: Shown
    watch_same_day: Shown
    sources: list[RuleId] = Field(min_length=1)


class ClosingChoice(StrEnum):
    """What the person says happened to a finding that stayed open on their case."""

    seen = "seen"  # seen and treated
    gone = "gone"  # went away by itself
    mistake = "mistake"  # written by mistake


class OpenFindings(Strict):
    """A finding that drove a worrying answer holds the next answers until the person says.

    A case file, or an API client, carries it to the next note; the answer then
    never falls below the level it drove while it is neither closed nor stale.
    """

    levels: list[Urgency] = Field(min_length=1)  # the levels that leave a finding open
    # By the level it drove, unless the finding has its own ``stays_open``.
    stays_open: dict[Urgency, StaysOpen]
    # The reason on a later answer: ``{sign}`` the finding's label, ``{date}`` the day told.
    reason: Shown
    question: Shown  # asked about each open finding before the next note
    choices: dict[ClosingChoice, Shown]  # the answers to the question, as offered
    still_open: Shown  # the answer offered first: nothing has changed yet
    closed: dict[ClosingChoice, Shown]  # how a closed finding is shown in the history
    stale: Shown  # how a finding past its time is shown


class Policy(Strict):
    """Engine-wide choices that are clinical judgement, kept as data."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    urgencies: list[UrgencyText] = Field(min_length=5, max_length=5)
    unrecognised_within_judge: Urgency  # words not understood, result not yet judgeable
    unrecognised_after_judge: Urgency  # words not understood, after the judge point
    unrecognised_reason: Shown
    # Every clause explained, nothing happening now: the stage of healing decides.
    nothing_active_within_judge: Urgency
    nothing_active_after_judge: Urgency
    nothing_active_reason: Shown
    # Words about a change in the body that no finding explains: never a calm answer.
    unexplained_floor: Urgency
    unexplained_reason: Shown
    # Words close in meaning to a danger sign (the recall net): at least this urgent.
    # ``{sign}`` is replaced by the sign's label.
    possible_danger_floor: Urgency
    possible_danger_reason: Shown
    unknown_days_reason: Shown
    wait_needs_known_days_reason: Shown
    fact_rules: list[FactRule] = Field(default_factory=list)
    # Findings about how the person feels: their reasons come first in the answer,
    # right after what to do, not among the reasons (issue 14).
    feelings_first: list[Code] = Field(default_factory=list)
    open_findings: OpenFindings
    emergency_numbers: Shown
    help_now: HelpNow
    sources: list[RuleId] = Field(min_length=1)

    def urgency(self, level: Urgency) -> UrgencyText:
        """Return the words for ``level`` (validation makes sure every level has them)."""
        return next(text for text in self.urgencies if text.level is level)
