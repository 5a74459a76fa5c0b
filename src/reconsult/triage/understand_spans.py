"""Which matched spans become findings: the longest, the most serious, and the mild ones."""

from __future__ import annotations

from typing import Any

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import FindingKind
from reconsult.triage.frames import KIND_PRIORITY

# A softener this many words before a finding, or inside it, makes it mild.
_SOFTENER_REACH = 3


def longest_first(kb: Knowledge, spans: list[Any]) -> list[Any]:
    """Keep non-overlapping spans: longest, then most serious finding, then earliest.

    A phrasing about the look of the result never swallows a danger sign or a
    complication told inside or across it ("my left upper eyelid is hanging
    lower than the right" is a drooping eyelid, not only an uneven look): the
    more serious span replaces it, unless the look names it among what it
    ``contains`` (a blue-grey shadow is a tint, whose own rules carry the danger).
    Two danger signs that share words are both kept; the second keeps the words
    no other finding took ("my tongue is swelling up very fast"), unless the first
    ``contains`` it.
    """
    kind_of = {code: f.kind for code, f in kb.findings.items()}

    def key(span: Any) -> tuple[int, int, int]:
        return (-(span.end - span.start), KIND_PRIORITY[kind_of[span.label_]], span.start)

    kept: list[Any] = []
    taken: set[int] = set()
    for span in sorted(spans, key=key):
        if not taken.intersection(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
            continue
        if kind_of[span.label_] not in (FindingKind.red_flag, FindingKind.complication):
            continue
        outer = [k for k in kept if k.start <= span.start and span.end <= k.end]
        sharing = [k for k in kept if k.start < span.end and span.start < k.end]
        if all(
            kind_of[k.label_] is FindingKind.result
            and span.label_ not in kb.findings[k.label_].contains
            for k in sharing
        ):
            # A look never swallows a danger sign or a complication told in or across
            # it ("my left eyelid sits a bit lower than the right" is a drooping lid).
            for k in sharing:
                kept.remove(k)
                taken.difference_update(range(k.start, k.end))
            kept.append(span)
            taken.update(range(span.start, span.end))
            continue
        if (
            not outer
            and kind_of[span.label_] is FindingKind.red_flag
            and all(k.label_ != span.label_ for k in sharing)
            and not any(span.label_ in kb.findings[k.label_].contains for k in sharing)
        ):
            # Two danger signs share a word ("my tongue is swelling up very fast"):
            # neither is lost; the second keeps the words no other finding took.
            free = [i for i in range(span.start, span.end) if i not in taken]
            rest = _trimmed(span.doc, free[0], free[-1] + 1) if free else None
            if rest is not None and free == list(range(free[0], free[-1] + 1)):
                rest.label_ = span.label_
                kept.append(rest)
                taken.update(range(rest.start, rest.end))
    return sorted(kept, key=lambda s: s.start)


def mild(
    kb: Knowledge, ents: list[Any], softeners: list[tuple[int, int]], unit_of: list[int]
) -> list[Any]:
    """Read a finding told with a softener as its calmer ``when_mild`` finding."""
    for ent in ents:
        mild = kb.findings[ent.label_].when_mild
        if mild is None:
            continue
        if any(
            ent.start - _SOFTENER_REACH <= start < ent.end and unit_of[start] == unit_of[ent.start]
            for start, _ in softeners
        ):
            ent.label_ = mild
    return ents


def _trimmed(doc: Any, start: int, end: int) -> Any | None:
    """Return the span without the small words at its edges, or None if nothing is left."""
    while start < end and (doc[start].is_stop or not doc[start].is_alpha):
        start += 1
    while end > start and (doc[end - 1].is_stop or not doc[end - 1].is_alpha):
        end -= 1
    return doc[start:end] if end > start else None
