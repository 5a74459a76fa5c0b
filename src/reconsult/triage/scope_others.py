"""Someone else: findings told about another person, and when that person is the patient.

"Her lip is white" is someone else's when the writer is the patient; "my
sister had lip filler and her lip is white" is the patient's when nothing
shows the writer had one; "same here" makes a story's signs the writer's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconsult.knowledge.schema import ContextCategory, FindingKind, Lexicon
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.phrases import fold, folded
from reconsult.triage.scope import restatus

# "Mine is fine", "mine's 3 days post op": the writer compares their own body.
_WRITERS_OWN = {"mine", "mines", "myself"}


@dataclass(frozen=True)
class Persons:
    """Who a finding is about, from the lexicon of every language read (lexicon.yaml).

    ``first``: the writer ("i", "my", "yo", "tengo"); ``third``: another person
    ("her", "his"); ``subjects``: "she", "he", "ella", another person when a word
    of how they are follows; ``family``: family and partners a writer fills the
    form in for ("my daughter", "mi hija"), not friends, whose stories are theirs.
    """

    first: frozenset[str]
    third: frozenset[str]
    subjects: frozenset[str]
    family: frozenset[str]
    states: frozenset[str] = frozenset()  # "she's seeing double": how she is
    injecting: frozenset[str] = frozenset()  # "while she was injecting": the injector

    @classmethod
    def of(cls, lexicon: Lexicon) -> Persons:
        """The persons' words of a knowledge base's lexicon."""
        return cls(
            frozenset(lexicon.first_person),
            frozenset(lexicon.third_person),
            frozenset(lexicon.third_subjects),
            frozenset(lexicon.family),
            frozenset(lexicon.third_states),
            frozenset(lexicon.injector_doing),
        )


_WINDOW = 5


def someone_else_by_pronoun(
    doc: Any,
    findings: list[DetectedFinding],
    clause_of: list[int],
    patient_is_narrator: bool,
    persons: Persons,
) -> list[DetectedFinding]:
    """Mark findings told about another person as someone else's.

    Only when the writer is the patient, and only from the words near a finding
    (a few before it, to its end, in its clause): "her", "his" or "him", or
    "she"/"he" with a word of how they are ("she's seeing double"), and no "I"
    or "my". "She" doing what an injector does ("while she was injecting")
    never counts. When the writer speaks for the patient, nothing is changed:
    doubt keeps a finding, since "her" is then the patient.
    """
    if not patient_is_narrator:
        return findings

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is not FindingStatus.present or f.kind is FindingKind.context:
            return None
        clause = clause_of[span.start]
        window = [
            t for t in doc[max(span.start - _WINDOW, 0) : span.end] if clause_of[t.i] == clause
        ]
        if any(t.norm_ in persons.first for t in window):
            return None
        if any(_about_another(doc, t, persons) for t in window):
            return FindingStatus.someone_else, ["(her, his)"]
        return None

    return restatus(doc, findings, change)


def patient_told_by_another(
    doc: Any, findings: list[DetectedFinding], writer_had_one: bool, persons: Persons
) -> list[DetectedFinding]:
    """Keep someone else's signs present when that someone is the patient.

    "My sister had lip filler yesterday and her lip is white": when every sign
    is someone else's and nothing shows the writer had the procedure, the
    writer speaks for the patient.
    Only the writer's family or partner ("my daughter") is taken for the patient;
    a friend or someone online tells a story. "Mine is fine", or
    "I had filler" (``writer_had_one``), keeps the other person's signs theirs.
    """
    told = [f for f in findings if f.kind is not FindingKind.context and f.start is not None]
    if writer_had_one or not told or any(t.norm_ in _WRITERS_OWN for t in doc):
        return findings
    if any(f.status is not FindingStatus.someone_else for f in told):
        return findings
    if not all(_speaks_for(f.cues, persons) for f in told):
        return findings  # "someone on reddit", "my friend" is a story, not the patient
    return [
        f.model_copy(update={"status": FindingStatus.present, "cues": []})
        if f.status is FindingStatus.someone_else
        else f
        for f in findings
    ]


def _speaks_for(cues: list[str], persons: Persons) -> bool:
    """Return whether a someone-else cue names the writer's family or partner ("my wife").

    "my wife", "mi hija", "a mi mama le": the writer's word, then a family word.
    """
    words = [fold(w) for w in cues[0].lower().split()] if cues else []
    return any(
        w in persons.first and following in persons.family
        for w, following in zip(words, words[1:], strict=False)
    )


def _about_another(doc: Any, token: Any, persons: Persons) -> bool:
    """Return whether a word points at another person: "her lip", "she's seeing double"."""
    if token.norm_ in persons.third:
        return True
    if token.norm_ not in persons.subjects:
        return False
    # The norm reads "'s" as "is"; the folded word reads "está" as "esta".
    following = [{t.norm_, folded(t)} for t in doc[token.i + 1 : token.i + 3]]
    if any(words & persons.injecting for words in following):
        return False
    return bool(following) and bool(following[0] & persons.states)


def also_the_writers(
    doc: Any, findings: list[DetectedFinding], modifiers: list[Any]
) -> list[DetectedFinding]:
    """Make a story's signs present when the writer says they have them too.

    "I read about a woman whose voice went croaky and she choked on her tea.
    Since this morning I've got the same thing." A "same here" cue makes every
    sign told before it, as someone else's or as a worry, the writer's own.
    """
    said = [m.modifier_span[0] for m in modifiers if m.category == ContextCategory.ALSO_SELF.value]
    if not said:
        return findings
    last = max(said)
    told = {FindingStatus.someone_else, FindingStatus.hypothetical}

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status in told and span.end <= last:
            return FindingStatus.present, []
        return None

    return restatus(doc, findings, change)


def narrator_is_patient(
    cues: list[Any],
    clause_of: list[int],
    mentions: list[int],
    first: set[int],
    third: set[int],
) -> bool:
    """Return whether the writer is known to be the patient ("I had lipo", "my botox").

    Only on positive evidence: a mention of the procedure in a clause where the
    writer speaks as "I" ("I had lipo"; "my wife had" is not enough), and none
    about someone else ("my mum had filler", "she had BBL").
    Without it, "her" may be the patient, so her signs stay present (doubt
    keeps a finding). We tried more evidence ("me and my sister both had
    filler", "mine shut fine") and dropped it the same session: each time, a
    new blind set found a writer asking for the patient ("She's just after
    ringing me and her words are slurred", "Wife had a facelift ... swollen
    both sides") whose emergency became someone else's.
    """
    mentioned = {clause_of[start] for start in mentions}
    family = {clause_of[m.modifier_span[0]] for m in cues if m.category == "FAMILY"}
    return bool(mentioned & first) and not mentioned & (family | third)
