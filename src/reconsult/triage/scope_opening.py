"""Opening cues: a worry, a story or a time that opens a sentence governs the rest of it."""

from __future__ import annotations

from typing import Any

from reconsult.knowledge.schema import ContextCategory, FindingKind
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.scope import PRECEDENCE, restatus

_OPENING_REACH = 4
_STATUS = dict(PRECEDENCE)


def opening_cues(
    doc: Any,
    findings: list[DetectedFinding],
    modifiers: list[Any],
    governing: dict[int, bool],
    unit_of: list[int],
    clause_of: list[int],
    first_person: set[int],
    questions: set[int],
) -> tuple[list[DetectedFinding], set[int]]:
    """Let a cue that opens a sentence govern the rest of it, up to a contrast.

    "After my first op I couldn't breathe ..., had throbbing pressure and a
    bulge that they drained" is all history; "My sister had a fever and her
    breast went red" is all hers; "What if it spreads and I can't breathe?" is
    all a worry. Only cues the knowledge base marks ``governs_sentence`` do this
    (``governing`` maps their rules' ids to whether they tell a story, which
    governs from where it is said), when they open a clause: they then
    govern that clause and the ones after it, to the end of the unit. Someone
    else's story stops at a clause about "I" or "my"; a worry stops at one too,
    unless the sentence is a question. A clause told in the present keeps its
    findings present (``present_after_all`` runs after).

    Also returns the clauses so governed: "Saw a video where ... and it was
    cancer" is that cue's story, explained though it holds no finding.
    """
    opening = _openings(doc, modifiers, governing, unit_of, clause_of, questions)
    if not opening:
        return findings, set()
    governed = {
        clause_of[i]
        for i in range(len(doc))
        if _governing(opening, i, unit_of[i], clause_of[i], first_person, questions) is not None
    }

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is not FindingStatus.present or f.kind is FindingKind.context:
            return None
        unit, clause = unit_of[span.start], clause_of[span.start]
        governs = _governing(opening, span.start, unit, clause, first_person, questions)
        return None if governs is None else (_STATUS[governs[0]], [governs[1]])

    return restatus(doc, findings, change), governed


def _governing(
    opening: dict[int, tuple[int, int, str, str]],
    token: int,
    unit: int,
    clause: int,
    first_person: set[int],
    questions: set[int],
) -> tuple[str, str] | None:
    """Return the category and words of the opening cue that governs a token's clause, if any."""
    governs = opening.get(unit)
    if governs is None or clause < governs[0] or token < governs[1]:
        return None
    first_clause, _, category, text = governs
    mine = clause in first_person
    if category == ContextCategory.FAMILY.value and (
        mine or any(first_clause < c < clause for c in first_person)
    ):
        return None  # someone else's story ends where the writer speaks of themself
    if category == ContextCategory.HYPOTHETICAL.value and mine and unit not in questions:
        return None
    return category, text


def _openings(
    doc: Any,
    modifiers: list[Any],
    governing: dict[int, bool],
    unit_of: list[int],
    clause_of: list[int],
    questions: set[int],
) -> dict[int, tuple[int, int, str, str]]:
    """Return, per unit, the first clause and token an opening cue governs, its category
    and its words."""
    opening: dict[int, tuple[int, int, str, str]] = {}
    clause_start: dict[int, int] = {}
    for i, clause in enumerate(clause_of):
        clause_start.setdefault(clause, i)
    for m in modifiers:
        start = m.modifier_span[0]
        clause = clause_of[start]
        if id(m.rule) not in governing:
            continue
        # A time in the past ("years ago", "in 2015") governs from where it is said,
        # and so do a story read or seen ("... and read about a woman whose voice
        # went croaky, and she choked") and a worry in a question ("..., what if it
        # spreads and I can't breathe?"); someone else and other worries only when
        # they open a clause.
        history = m.category == ContextCategory.HISTORICAL.value or governing[id(m.rule)]
        asked = m.category == ContextCategory.HYPOTHETICAL.value and unit_of[start] in questions
        opens = start - clause_start[clause] <= _OPENING_REACH
        if not (history or asked or opens):
            continue
        # A story told mid-clause governs from its own words on: in "my eye has started
        # bulging like the leaflet says", the bulging comes before. A question's worry
        # covers its clause ("..., what if that happens?" points back).
        told_from = start if governing[id(m.rule)] and not opens else 0
        said = doc[m.modifier_span[0] : m.modifier_span[1]].text
        opening.setdefault(unit_of[start], (clause, told_from, m.category, said))
    return opening
