"""How far a context cue reaches: clause by clause, over lists, across to the next clause.

medspaCy's ConText decides which cue (negation, worry, history, someone else,
resolved) modifies which finding; this module sets its stage, and the modules
beside it mend what lay writing needs beyond it:

- cues work clause by clause (``apply_context``), so a cue never reaches
  across "but", "and now" or ", and my"; a cue's scope carries over a list
  joined by "or" (``listed_end``), and ``restatus`` is how every mending
  step changes a finding's status;
- negation: a negation carries over a list joined by "or" ("no trouble
  breathing or swallowing": :mod:`reconsult.triage.scope_negation`);
- resolved: "it stopped" or "it went away" in the next clause resolves the
  clause before it, unless the person says it came back or only asks
  (:mod:`reconsult.triage.scope_resolved`);
- hypothetical and stories: a cue that opens a sentence governs the rest of
  it (:mod:`reconsult.triage.scope_opening`);
- past: a clause told in the present ("this morning") keeps its findings
  present, whatever history cue dates the procedure, and so does a time that
  is the procedure's own date (:mod:`reconsult.triage.scope_past`);
- someone else: "her lip", a story about the writer's family with nothing of
  the writer's own, "same here" (:mod:`reconsult.triage.scope_others`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconsult.knowledge.schema import ContextCategory
from reconsult.triage.models import DetectedFinding, FindingStatus

# Status when several cues apply, strongest first: a worry about someone
# else's problem is someone else's; a negated worry is still only a worry.
PRECEDENCE: tuple[tuple[str, FindingStatus], ...] = (
    (ContextCategory.FAMILY.value, FindingStatus.someone_else),
    (ContextCategory.HYPOTHETICAL.value, FindingStatus.hypothetical),
    (ContextCategory.NEGATED_EXISTENCE.value, FindingStatus.negated),
    (ContextCategory.RESOLVED.value, FindingStatus.resolved),
    (ContextCategory.HISTORICAL.value, FindingStatus.past),
)
# Cues that make a clause not about the person now; pseudo cues and terminators are not.
STATUS_CATEGORIES = {category for category, _ in PRECEDENCE}


def apply_context(
    doc: Any, cues: list[tuple[int, int, int]], rules: list[Any], clause_of: list[int]
) -> list[Any]:
    """Apply the context cues to the findings clause by clause; return every cue.

    medspaCy's ConText compares every cue with every other cue and every
    finding in the whole text, which grows with the square of its length.
    Cues never reach across a clause, so each clause gets its own graph.
    """
    from medspacy.common.util import prune_overlapping_matches
    from medspacy.context import ConTextGraph, ConTextModifier

    kept = prune_overlapping_matches([(rule, start, end) for rule, start, end in cues])
    by_clause: dict[int, list[Any]] = {}
    modifiers = []
    for rule, start, end in sorted(kept, key=lambda m: (m[1], m[2])):
        modifier = ConTextModifier(rules[rule], start, end, doc)
        modifiers.append(modifier)
        by_clause.setdefault(clause_of[start], []).append(modifier)
    targets: dict[int, list[Any]] = {}
    for ent in doc.ents:
        targets.setdefault(clause_of[ent.start], []).append(ent)
    for clause, spans in targets.items():
        graph = ConTextGraph(targets=spans, modifiers=by_clause.get(clause, []))
        graph.update_scopes()
        graph.apply_modifiers()
        for target, modifier in graph.edges:
            target._.modifiers += (modifier,)
        # A cue whose words run into the finding reaches it: in "I'm worried my eye could
        # start bulging", the cue "worried my eye could" and the finding "eye could start
        # bulging" share words, and ConText leaves a target that overlaps its cue alone; so
        # does a cue that ends with the finding ("my husband nearly fainted"). A cue that
        # holds a finding in its middle does not: "worried my lip is white, will it go
        # back?" tells the white lip.
        for modifier in by_clause.get(clause, []):
            start, end = modifier.modifier_span
            if modifier.direction not in ("FORWARD", "BIDIRECTIONAL"):
                continue
            for target in spans:
                if start < target.start < end <= target.end and modifier not in target._.modifiers:
                    target._.modifiers += (modifier,)
    return modifiers


def clauses_with_cues(modifiers: list[Any], clause_of: list[int]) -> set[int]:
    """Return the clauses holding a status cue (negation, worry, history, other, resolved)."""
    return {clause_of[m.modifier_span[0]] for m in modifiers if m.category in STATUS_CATEGORIES}


_LIST_JOINS = {"or", "nor"}


def listed_end(doc: Any, scope: tuple[int, int]) -> int:
    """Return where a cue's scope ends, carried over a list joined by "or" / "nor".

    "not having any trouble breathing or swallowing": the scope of "not"
    reaches "breathing"; "or swallowing" belongs to the same denial.
    """
    end = scope[1]
    if end < len(doc) and doc[end].norm_ in _LIST_JOINS and not doc[end].is_sent_start:
        stop = end + 1
        while stop < min(len(doc), end + 4) and not doc[stop].is_sent_start:
            if doc[stop].norm_ in _LIST_JOINS or doc[stop].is_punct:
                break
            stop += 1
        return stop
    return end


def finding_span(doc: Any, finding: DetectedFinding) -> Any:
    """Return the tokens a finding from the words covers (None for a ticked sign)."""
    if finding.start is None or finding.end is None:
        return None
    return doc.char_span(finding.start, finding.end, alignment_mode="expand")


Change = Callable[[DetectedFinding, Any], "tuple[FindingStatus, list[str]] | None"]


def restatus(doc: Any, findings: list[DetectedFinding], change: Change) -> list[DetectedFinding]:
    """Return the findings, each with the status and cues ``change`` gives it, if any."""
    result = []
    for f in findings:
        span = finding_span(doc, f)
        new = change(f, span) if span is not None else None
        result.append(f if new is None else f.model_copy(update={"status": new[0], "cues": new[1]}))
    return result
