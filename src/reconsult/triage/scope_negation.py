"""Negation over a list ("no trouble breathing or swallowing"), and a denial said after its sign."""

from __future__ import annotations

from typing import Any

from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.phrases import folded

_COORDINATORS = {"or", "nor", "and", ",", "neither", "either", "any", "a", "an", "the"}


def coordinate_negation(doc: Any, findings: list[DetectedFinding]) -> list[DetectedFinding]:
    """Carry a negation along a list: "no trouble breathing or swallowing" denies both.

    A present finding joined to a negated one in the same clause only by
    "or", "nor", "and", commas or articles shares its negation. Doubt keeps
    a finding, so anything else between them ("but", a verb) stops it.
    """
    result = list(findings)
    for index in range(1, len(result)):
        before, this = result[index - 1], result[index]
        if this.status is not FindingStatus.present or before.status is not FindingStatus.negated:
            continue
        if before.end is None or this.start is None:
            continue
        between = doc.char_span(before.end, this.start, alignment_mode="expand")
        first = doc.char_span(before.start, before.end, alignment_mode="expand")
        if between is None or first is None or first.sent.start != between.sent.start:
            continue
        if all(t.norm_ in _COORDINATORS for t in between) and any(
            t.norm_ in {"or", "nor", ","} for t in between
        ):
            result[index] = this.model_copy(
                update={"status": FindingStatus.negated, "cues": list(before.cues)}
            )
    return result


# Words that may stand between a sign that opens its clause and the denial after it
# ("Fiebre ahora no tengo", "Blanco o morado no esta"): at most this many.
_BETWEEN = 3
# Marks that put an answer after its sign ("Fiebre: no", "Pus - none").
_ANSWER_MARKS = {":", "-", "–", "="}
# Words that may follow "no" and a verb of having before the clause ends.
_AFTER_HAVING = 3


def denied_after(
    doc: Any,
    findings: list[DetectedFinding],
    clause_of: list[int],
    answers_no: frozenset[str],
    verbs: tuple[frozenset[str], frozenset[str]],
    joins: frozenset[str],
) -> list[DetectedFinding]:
    """Deny a sign named first and denied after it: "Fiebre no tengo", "Fever - none."

    The sign must open its clause (after a join such as "and" or "y", ``joins``),
    and a bare "no" (``answers_no``) must follow it
    within a few words, then either end the clause or be followed by a verb of
    having or being (``verbs``: "no tengo", "no hay"; "no esta,"). A verb of being
    must itself end the clause: "el blanco no esta mejorando" is no denial. A
    question's tag ("pus, no?") denies nothing, and doubt keeps a finding: any
    other word after the "no" ("fiebre no me baja") leaves it as it was.
    """

    def ends(i: int) -> bool:
        return (
            i >= len(doc)
            or clause_of[i] != clause_of[i - 1]
            or (doc[i].is_punct and doc[i].text not in {"?", "¿"})
        )

    having, being = verbs
    result = []
    for f in findings:
        span = (
            doc.char_span(f.start, f.end, alignment_mode="expand") if f.start is not None else None
        )
        if span is None or f.status is not FindingStatus.present:
            result.append(f)
            continue
        start, end = span.start, span.end
        first = start
        while first > 0 and folded(doc[first - 1]) in joins:  # "..., y fiebre nunca"
            first -= 1
        opens = first == 0 or clause_of[first - 1] != clause_of[start] or doc[first - 1].is_punct
        cue = next(
            (
                i
                for i in range(end, min(end + _BETWEEN + 1, len(doc)))
                if folded(doc[i]) in answers_no and clause_of[i] == clause_of[start]
            ),
            None,
        )
        # Nothing that starts something new may stand between: "sangra y no hay forma
        # de pararlo" is a second thing said, not the bleeding's answer.
        if cue is not None and any(
            folded(t) in joins or (t.is_punct and t.text not in _ANSWER_MARKS) for t in doc[end:cue]
        ):
            cue = None
        denied = False
        if opens and cue is not None:
            after = cue + 1
            if ends(after):
                denied = True
            elif folded(doc[after]) in having:
                # "Fiebre no tengo", "fiebre no tengo q yo sepa"; not "no hay forma de ...".
                denied = any(ends(i) for i in range(after + 1, after + _AFTER_HAVING + 2))
            elif folded(doc[after]) in being:
                denied = ends(after + 1)
        if denied:
            f = f.model_copy(update={"status": FindingStatus.negated, "cues": [doc[cue].text]})
        result.append(f)
    return result
