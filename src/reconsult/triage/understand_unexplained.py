"""What no finding explains: the clauses shown back as not understood, with the recall net.

A clause with a finding is explained; so is one under a context cue, one that
names the procedure, and ordinary context. What is left and speaks of the body,
or is close in meaning to a danger sign (:mod:`reconsult.triage.recall`), is
reported, so the answer never ends calm on words it did not understand (safety
rule 3 of docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import FindingKind
from reconsult.triage.models import Unexplained
from reconsult.triage.recall import RecallNet
from reconsult.triage.scope import clauses_with_cues


def unexplained_clauses(
    kb: Knowledge,
    net: RecallNet,
    symptom_concepts: set[str],
    text: str,
    doc: Any,
    clauses: list[Any],
    concepts: dict[int, list[tuple[str, int, int]]],
    clause_of: list[int],
    cues: list[Any],
    mentions: list[int],
    told: set[int],
) -> list[Unexplained]:
    """Return the clauses that no finding explains and that speak of the body, or of danger.

    A clause with a finding is explained. A clause without one is explained
    as context (feelings, cost, what a partner said) unless it holds a
    symptom word from the lexicon or is close in meaning to a danger sign.
    A clause under a negation, worry, history, someone-else or resolved cue
    is explained by that cue. When nothing at all was understood, every
    clause is listed, so the answer can show the person's words back; so too
    beside nothing but context findings ("I'm too embarrassed to go back"
    explains no eyelid).
    """
    with_findings = {
        clause
        for ent in doc.ents
        for clause in range(clause_of[ent.start], clause_of[ent.end - 1] + 1)
    }
    modified = clauses_with_cues(cues, clause_of) | told  # or governed by one
    # "I had lip filler 5 months ago" is explained: it tells what was done, and when.
    mentioned = {clause_of[start] for start in mentions}
    asked: list[int] = []
    for index, clause in enumerate(clauses):
        if index in with_findings or index in modified:
            continue
        symptom = any(code in symptom_concepts for code, _, _ in concepts.get(index, []))
        if index in mentioned and not symptom:
            continue
        if any(t.is_alpha for t in clause):
            asked.append(index)
    closeness = net.nearest([clauses[i].text for i in asked]) if asked else []
    recall = kb.recall
    # Context (feelings, cost, records) explains its own clause only: beside
    # nothing but context, every other clause is shown back, as when nothing was found.
    nothing_found = all(kb.findings[ent.label_].kind is FindingKind.context for ent in doc.ents)
    result: list[Unexplained] = []
    for index, near in zip(asked, closeness, strict=True):
        clause = clauses[index]
        close = near.is_close(recall.similarity, recall.margin)
        symptom = any(code in symptom_concepts for code, _, _ in concepts.get(index, []))
        if not close and not symptom and not nothing_found:
            continue  # ordinary context beside what we understood
        start, end = clause.start_char, clause.end_char
        result.append(
            Unexplained(
                text=text[start:end].strip(),
                start=start,
                end=end,
                about_body=close or symptom,
                possible_sign=near.finding if close else None,
                similarity=round(near.similarity, 3),
            )
        )
    return result
