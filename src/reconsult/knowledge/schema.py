"""Strict pydantic models for the clinical knowledge base.

Every YAML file under ``reconsult/knowledge/`` is parsed into these models.
Unknown keys are errors (``extra="forbid"``) so a typo in the data can never
silently switch a rule off; enum fields name the allowed values in the error.
Cross-references (a rule naming a finding, a source, a timeline key) are
checked afterwards in :mod:`reconsult.knowledge.validation`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints


class Strict(BaseModel):
    """Base for all knowledge models: unknown keys are errors, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
PlainText = Annotated[str, StringConstraints(min_length=3, strip_whitespace=True)]


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


class Timeline(Strict):
    """Healing and product timeline of one procedure, in days since it was done."""

    settle: int = Field(ge=0, description="most swelling and bruising has gone")
    judge: int = Field(ge=0, description="the result can fairly be judged")
    revision: int = Field(ge=0, description="earliest sensible correction or revision")
    scar: int | None = Field(default=None, ge=0, description="scars mature")
    fade: tuple[int, int] | None = Field(
        default=None, description="(earliest, latest) day a temporary product wears off"
    )
    summary: PlainText  # one or two plain sentences for people
    sources: list[RuleId] = Field(min_length=1)


class Procedure(Strict):
    """One of the twelve contract procedure codes."""

    code: Code
    name: PlainText  # plain name, e.g. "Botox and other anti-wrinkle injections"
    kind: ProcedureKind
    groups: list[Code] = Field(default_factory=list)  # e.g. [fillers, injectables]
    mentions: list[PlainText] = Field(min_length=1)  # words people use for it (phrases)
    timeline: Timeline
    red_flags: list[Code] = Field(min_length=1)  # finding codes to always watch for
    reversible: PlainText  # what can and cannot be undone, in plain words
    questions: list[PlainText] = Field(default_factory=list)  # to ask at a consultation


class DayWindow(Strict):
    """Days since the procedure, from (inclusive) to (exclusive); open-ended if no `to`."""

    from_: DayPoint = Field(default=0, alias="from")
    to: DayPoint | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Rule(Strict):
    """When a finding is present for a procedure in a day window: urgency, options, why."""

    id: RuleId
    procedures: list[Code] = Field(min_length=1)  # procedure codes, group names, or "all"
    days: DayWindow = Field(default_factory=DayWindow)
    urgency: Urgency | None = None  # None: the finding steers options only
    options: list[OptionCode] = Field(default_factory=list)
    reason: PlainText  # plain words, second person: why this answer
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
    label: PlainText  # plain words, e.g. "skin turning white near the injection"
    kind: FindingKind
    phrasings: list[PlainText] = Field(min_length=1)  # phrase patterns (see triage.phrases)
    frames: list[Frame] = Field(default_factory=list)  # concept combinations (lexicon.yaml)
    procedures: list[Code] = Field(min_length=1)  # where it applies: codes, groups, "all"
    rules: list[Rule] = Field(min_length=1)
    # Told with a softener ("slightly bigger", "a bit fuller"), the words are this
    # calmer finding instead (one side "much bigger" is a swelling, "slightly" the look).
    when_mild: Code | None = None
    # A look of the result whose words may hold these signs' words and still be the
    # look ("a bluish-grey shadow under my eyes" is a tint, not mottling). Its own
    # rules must then carry the danger in the early days.
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
    reason: PlainText
    sources: list[RuleId] = Field(min_length=1)


class ContextCategory(StrEnum):
    """Assertion categories, as in medspaCy ConText, plus lay 'resolved'."""

    NEGATED_EXISTENCE = "NEGATED_EXISTENCE"
    HISTORICAL = "HISTORICAL"
    HYPOTHETICAL = "HYPOTHETICAL"
    FAMILY = "FAMILY"  # someone else: friend, sister, "I read that"
    RESOLVED = "RESOLVED"
    ALSO_SELF = "ALSO_SELF"  # "and so did mine": the person has it too
    PSEUDO = "PSEUDO"  # looks like a cue but is not ("no change in" handled as target)
    TERMINATE = "TERMINATE"


class ContextRuleSpec(Strict):
    """A lay ConText modifier rule (medspaCy ConTextRule fields we use)."""

    literal: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
    category: ContextCategory
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    pattern: Annotated[str, StringConstraints(min_length=1)] | None = None  # phrase syntax
    max_scope: int | None = Field(default=None, ge=1, le=30)
    # When the cue opens a sentence, it governs the rest of it up to a contrast
    # ("After my first op I couldn't breathe, had pressure and a bulge ...").
    # Only for cues that place things clearly elsewhere in time or person.
    governs_sentence: bool = False
    # A story the writer read, heard or saw ("I went down a rabbit hole and read
    # about a woman whose voice went croaky, and she choked"): it governs from
    # where it is said, even in the middle of a clause.
    tells_a_story: bool = False


class UrgencyText(Strict):
    """What a person is told for one urgency level."""

    level: Urgency
    headline: PlainText  # the action first
    detail: PlainText
    # The care card's heading on the result page (NHS pattern: the action, naming
    # the service). Routine gets no card; for wait it heads the safety-net card.
    card_heading: PlainText | None = None
    default_options: list[OptionCode]


class OptionSpec(Strict):
    """An option, what it means in plain words, and when it may be offered at all."""

    code: OptionCode
    label: PlainText
    explanation: PlainText
    time_cost: PlainText  # what it costs in time
    allowed_kinds: list[ProcedureKind] | None = None  # None: any procedure
    allowed_procedures: list[Code] | None = None  # None: any procedure
    allowed_urgency: list[Urgency] | None = None  # None: any urgency
    not_before: TimelineKey | None = None  # not before this timeline point
    needs_known_days: bool = False
    sources: list[RuleId] = Field(min_length=1)


class FactRule(Strict):
    """Options added from intake facts rather than words (e.g. earlier revisions)."""

    id: RuleId
    when: Literal["prior_revisions", "unknown_product_procedure"]
    procedures: list[Code] = Field(default_factory=lambda: ["all"])
    options: list[OptionCode] = Field(min_length=1)
    reason: PlainText
    sources: list[RuleId] = Field(min_length=1)


class EmergencySign(Strict):
    """A sign that is an emergency after some cosmetic procedure, in the words of a list item.

    The same list is the "Get help now" card, the journey's first question and
    the packet's emergency box. ``findings`` are the finding codes it stands for
    (each must have an emergency rule); ``filler_note``: ticking it also shows
    the filler note.
    """

    text: PlainText
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
    name: PlainText | None = None  # a crisis line's name: "Samaritans"
    where: PlainText  # "US and Canada"
    regions: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]] = Field(min_length=1)
    text: bool = False


class EmergencyScript(Strict):
    """What to tell the emergency call handler, filled with what the person told us.

    ``{procedure}``, ``{when}`` and ``{signs}`` are replaced; a line whose value
    is unknown is left out, and ``always`` follows.
    """

    procedure: PlainText  # "You had {procedure} {when}."
    procedure_no_date: PlainText  # "You had {procedure}."
    signs: PlainText  # "What you see now: {signs}."
    always: list[PlainText] = Field(min_length=1)


class HelpNow(Strict):
    """The "Get help now" page: emergency signs, what to say, crisis lines. Shown everywhere."""

    heading: PlainText  # the action, with the numbers: "Call 911 (US) ... now if:"
    signs: list[EmergencySign] = Field(min_length=3)  # body of the emergency card
    filler_note: PlainText
    # Procedures (codes, groups or "all") whose emergency answer shows the filler note.
    filler_note_procedures: list[Code] = Field(min_length=1)
    what_to_say: list[PlainText] = Field(min_length=1)
    script: EmergencyScript
    emergency_lines: list[PhoneLine] = Field(min_length=1)
    crisis_lines: list[PhoneLine] = Field(min_length=1)
    # Findings of a mental health crisis: their emergency answer puts the crisis lines first.
    crisis_findings: list[Code] = Field(min_length=1)
    crisis: PlainText  # said before the crisis lines' call buttons
    start_warning: PlainText  # on the start page: who should not stop to answer questions
    # Headings of the result page's warning-sign lists, split by the urgency of each sign.
    watch_emergency: PlainText
    watch_same_day: PlainText
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
    reason: PlainText
    question: PlainText  # asked about each open finding before the next note
    choices: dict[ClosingChoice, PlainText]  # the answers to the question, as offered
    still_open: PlainText  # the answer offered first: nothing has changed yet
    closed: dict[ClosingChoice, PlainText]  # how a closed finding is shown in the history
    stale: PlainText  # how a finding past its time is shown


class Policy(Strict):
    """Engine-wide choices that are clinical judgement, kept as data."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    urgencies: list[UrgencyText] = Field(min_length=5, max_length=5)
    unrecognised_within_judge: Urgency  # words not understood, result not yet judgeable
    unrecognised_after_judge: Urgency  # words not understood, after the judge point
    unrecognised_reason: PlainText
    # Every clause explained, nothing happening now: the stage of healing decides.
    nothing_active_within_judge: Urgency
    nothing_active_after_judge: Urgency
    nothing_active_reason: PlainText
    # Words about a change in the body that no finding explains: never a calm answer.
    unexplained_floor: Urgency
    unexplained_reason: PlainText
    # Words close in meaning to a danger sign (the recall net): at least this urgent.
    # ``{sign}`` is replaced by the sign's label.
    possible_danger_floor: Urgency
    possible_danger_reason: PlainText
    unknown_days_reason: PlainText
    wait_needs_known_days_reason: PlainText
    fact_rules: list[FactRule] = Field(default_factory=list)
    # Findings about how the person feels: their reasons come first in the answer,
    # right after what to do, not among the reasons (issue 14).
    feelings_first: list[Code] = Field(default_factory=list)
    open_findings: OpenFindings
    emergency_numbers: PlainText
    help_now: HelpNow
    sources: list[RuleId] = Field(min_length=1)


class ConceptRole(StrEnum):
    """What a concept says; only symptom words leave a clause unexplained when unmatched."""

    site = "site"  # a body part or function: sight, leg, one breast, the wound
    symptom = "symptom"  # a change or sensation: darker, opened, soaking, dripping, double
    course = "course"  # how it goes: getting worse by the hour, will not stop
    side = "side"  # one side, compared with the other
    trigger = "trigger"  # what came before: a flight, bending over
    detail = "detail"  # words that only help a frame: "clear", "showing through"


# A frame's finding quotes the words of its symptom concepts, or failing those,
# of its detail and course concepts; sites, sides and triggers are never quoted.
QUOTED_ROLES = (ConceptRole.symptom, ConceptRole.detail, ConceptRole.course)


class Concept(Strict):
    """One idea and the words people use for it, in the phrase syntax of triage.phrases."""

    code: Code
    role: ConceptRole
    words: list[PlainText] = Field(min_length=1)
    sources: list[RuleId] = Field(min_length=1)


class Lexicon(Strict):
    """Shared lay words: the concepts frames are built of, and where clauses break.

    A contrast ("but", ";") breaks both the clause and the frame's reach; a
    clause break (", and my", "and now") only the clause.
    """

    # Words that start a new clause inside a sentence ("but", "; ", ", and then").
    # A finding, a frame and a context cue never reach across a clause break.
    contrasts: list[Annotated[str, StringConstraints(min_length=1)]] = Field(min_length=1)
    clause_breaks: list[Annotated[str, StringConstraints(min_length=1)]] = Field(min_length=1)
    # Words that put a clause in the present ("this morning", "now"): a history cue
    # in the same clause then does not make its findings past (doubt keeps them).
    present_time: list[PlainText] = Field(min_length=1)
    # Words that say the writer speaks for the patient ("I'm her boyfriend", "she
    # had lipo"): then "her" and "his" are the patient, not someone else.
    writing_for: list[PlainText] = Field(min_length=1)
    # Single words for a person in the writer's life ("sister", "bestie"): a first name
    # said right after one names that person ("my sister Priya"), see triage.names.
    relations: list[Annotated[str, StringConstraints(pattern=r"^[a-z]+$")]] = Field(min_length=1)
    # Words that make a change small ("slightly", "a bit"): see Finding.when_mild.
    softeners: list[PlainText] = Field(min_length=1)
    concepts: list[Concept] = Field(min_length=1)


class RecallSign(Strict):
    """Short descriptions of one danger sign, compared by meaning with unexplained clauses."""

    finding: Code
    descriptions: list[PlainText] = Field(min_length=2)
    sources: list[RuleId] = Field(min_length=1)


class RecallContext(Strict):
    """Descriptions of ordinary things people write that are not danger signs."""

    topic: Code
    descriptions: list[PlainText] = Field(min_length=2)


class Recall(Strict):
    """The recall net: danger signs described several ways, ordinary context, thresholds.

    A clause is close to a sign when its best similarity to that sign's
    descriptions is at least ``similarity`` and beats the best ordinary
    context description by at least ``margin`` (cosine similarity of static
    embeddings; calibrated on our own vignette sets, see docs/decisions.md).
    """

    similarity: float = Field(gt=0, lt=1)
    margin: float = Field(ge=0, lt=1)
    signs: list[RecallSign] = Field(min_length=1)
    context: list[RecallContext] = Field(min_length=1)
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
    question: PlainText
    asked: list[AskWindow] = Field(min_length=1)
