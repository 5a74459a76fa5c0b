"""Someone named: "my sister Priya ... Priya can't swallow" is Priya's, not the writer's.

A first name said right after a word for a person in the writer's life ("my
sister Priya", "my best friend Jess", the lexicon's ``relations``) names that
person. A later clause whose subject is the name ("Priya can't swallow
properly", "Jess's top lip has a white patch", "dana went in right after me and
now she can't see") tells of them.

Doubt keeps a finding (docs/architecture.md safety rule 4), so this applies only when the
writer is known to be the patient (``narrator``: they speak of their own
procedure and do not write for someone), and never to a clause in which the
writer also speaks of themself ("Jess's lip and mine are both white").
"""

from __future__ import annotations

from typing import Any

from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.scope import restatus

_SUBJECT_REACH = 3  # a name this close to its clause's start is its subject
_SHE_OR_HE = {"she", "he"}


def named_others(
    doc: Any,
    findings: list[DetectedFinding],
    clause_of: list[int],
    relations: frozenset[str],
    narrator: bool,
    first_person: frozenset[str],
) -> list[DetectedFinding]:
    """Mark findings in clauses about a named other person as someone else's (see module)."""
    if not narrator:
        return findings
    names = {
        token.norm_
        for token in doc[1:]
        if token.is_title and not token.is_sent_start and doc[token.i - 1].norm_ in relations
    }
    if not names:
        return findings
    clause_start: dict[int, int] = {}
    for i, clause in enumerate(clause_of):
        clause_start.setdefault(clause, i)
    mine = {clause_of[t.i] for t in doc if t.norm_ in first_person}
    named = {
        clause_of[t.i]: t.text
        for t in doc
        if t.norm_ in names
        and (
            t.i - clause_start[clause_of[t.i]] < _SUBJECT_REACH
            or (t.i + 1 < len(doc) and doc[t.i + 1].norm_ == "'s")
        )
    }
    # "dana went in right after me and now she can't see": "she" goes on with Dana.
    for clause, name in list(named.items()):
        after = clause + 1
        start = clause_start.get(after)
        if start is not None and any(
            t.norm_ in _SHE_OR_HE for t in doc[start : start + _SUBJECT_REACH]
        ):
            named.setdefault(after, name)
    theirs = {clause: name for clause, name in named.items() if clause not in mine}

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        name = theirs.get(clause_of[span.start])
        if f.status is FindingStatus.present and name is not None:
            return FindingStatus.someone_else, [name]
        return None

    return restatus(doc, findings, change)
