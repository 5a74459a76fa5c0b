"""Lay language: context cues (negation, history, someone else), the lexicon, the recall net."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from reconsult.knowledge.schema.codes import Code, PlainText, RuleId, Strict


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


# One lower-case word (letters and apostrophes), or one punctuation mark (";").
Word = Annotated[str, StringConstraints(pattern=r"^([a-z']+|[;:,.-])$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


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


class WordLists(Strict):
    """The lexicon's lists of words that every language brings its own of.

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
    # Negations and contrasts: a phrasing's ``~N`` gap never reaches across one
    # ("a lump that is not red" is no red lump).
    gap_stops: list[Word] = Field(min_length=1)
    # Words that deny the word right after them ("nothing spreading", "ni rojo"): a
    # denied change never builds a frame (triage.frames).
    negations: list[Word] = Field(min_length=1)
    # Words that may stand between a denial and the word it denies ("not really red",
    # "no se esta regando"): at most two of them.
    denied_through: list[Word] = Field(min_length=1)
    # Words that point back at the body part named last before them, so a frame
    # can join it to the words beside them ("woke up with it red", "lo tengo
    # rojo"); in a language that drops its subjects, the verb of being that stands
    # where the subject would be ("no me cierra el ojo, esta rojo"). See
    # triage.frames.
    referring: list[Word] = Field(min_length=1)
    # A sign named first and denied after it ("Fiebre no tengo", "escalofrios fuertes
    # no, tampoco ...", "Fever - none"): the bare answers that deny it when they end
    # its clause, the verbs of having that may follow them ("no tengo", "no hay"),
    # and the verbs of being that may, when they end the clause ("no esta,"). See
    # triage.scope_negation.
    answers_no: list[Word] = Field(min_length=1)
    having: list[Word] = Field(min_length=1)
    being: list[Word] = Field(min_length=1)
    # A day of healing counted from the procedure ("day 3", "the first night", "el
    # primer dia", "la primera semana"), which can date its clause in the past (see
    # triage.healing_day): the words for a day and for a week, ordinal words and
    # their numbers, words that run such a day up to today ("since day 4"), and
    # words that say a sign began that day ("day 5 my lid started to droop").
    # A clause that tells the end of what came before it ("It stopped after five
    # minutes", "eso ya se quito"): the words it may open with (its subject, or a
    # join), the words by which it speaks of all before it ("it all cleared up"),
    # and words after it that say it came back (see triage.scope_resolved).
    resolving_subjects: list[Word] = Field(min_length=1)
    resolving_all: list[Word] = Field(min_length=1)
    leading_joins: list[Word] = Field(min_length=1)
    came_back: list[PlainText] = Field(min_length=1)
    # "She" (``third_subjects``) is another person when a word of how she is follows
    # ("she's seeing double", "ella esta viendo doble"), never when a word of what an
    # injector does follows ("while she was injecting"): see triage.scope_others.
    third_states: list[Word] = Field(min_length=1)
    injector_doing: list[Word] = Field(min_length=1)
    day_words: list[Word] = Field(min_length=1)
    week_words: list[Word] = Field(min_length=1)
    ordinals: dict[Word, Annotated[int, Field(ge=1, le=10)]] = Field(min_length=1)
    until_now: list[Word] = Field(min_length=1)
    began: list[Word] = Field(min_length=1)


class Lexicon(WordLists):
    """Shared lay words: the concepts frames are built of, where clauses break, who is who."""

    concepts: list[Concept] = Field(min_length=1)
    # Who a finding is about: the writer ("i", "my"), another person ("her", "his"),
    # "she"/"he" when a word of how they are follows, and the family and partners a
    # writer may fill the form in for ("my daughter"); see triage.scope_others.
    first_person: list[Word] = Field(min_length=1)
    third_person: list[Word] = Field(min_length=1)
    third_subjects: list[Word] = Field(min_length=1)
    family: list[Word] = Field(min_length=1)
    # The languages whose words these are: English, and those added from a language
    # folder at load time (see LanguageWords).
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"])


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


class LanguageWords(WordLists):
    """Another language's words for the lexicon (``<lang>/lexicon.yaml``), added at load time.

    The same lists as :class:`Lexicon`, and each concept's words by the concept's
    code: a frame built of concepts then reads both languages.
    """

    concepts: dict[Code, list[PlainText]] = Field(min_length=1)
    first_person: list[Word] = Field(default_factory=list)
    third_person: list[Word] = Field(default_factory=list)
    third_subjects: list[Word] = Field(default_factory=list)
    family: list[Word] = Field(default_factory=list)


class LanguagePhrasings(Strict):
    """Another language's phrasings of findings (``<lang>/findings/*.yaml``), by finding code."""

    phrasings: dict[Code, list[PlainText]] = Field(min_length=1)


class LanguageMentions(Strict):
    """Another language's words for the procedures (``<lang>/procedures.yaml``), by code."""

    mentions: dict[Code, list[PlainText]] = Field(min_length=1)


class LanguageRecall(Strict):
    """Another language's descriptions for the recall net (``<lang>/recall.yaml``), by code."""

    signs: dict[Code, list[PlainText]] = Field(min_length=1)
    context: dict[Code, list[PlainText]] = Field(min_length=1)
