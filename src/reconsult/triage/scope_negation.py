"""Negation over a list: "no trouble breathing or swallowing" denies both."""

from __future__ import annotations

from typing import Any

from reconsult.triage.models import DetectedFinding, FindingStatus

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
