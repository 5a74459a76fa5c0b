"""Findings told as frames: concepts from the lexicon that meet in one sentence.

A frame (``frames`` in the findings, concepts in ``lexicon.yaml``) fires when
all its concepts occur within ``within`` tokens of one frame unit: a sentence
as far as the next contrast ("but", ";"). Its finding quotes the frame's
symptom words in one clause, so the context cues ("no blisters") apply to it
as to any phrasing. Phrasings are curated and precise, so they go first: a
frame only explains words that no phrasing took, except that a danger sign or a
complication may take words from a phrasing about the look of the result ("a
grey shadow ... over what I see" is not a tint under the skin; "my implant has
gone flat" is not a dislike of its shape), never from an expected part of
healing ("blurry from the ointment").
"""

from __future__ import annotations

from typing import Any

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import QUOTED_ROLES, ConceptRole, FindingKind, Frame

# When two findings claim exactly the same words, the more serious reading wins.
KIND_PRIORITY = {
    FindingKind.red_flag: 0,
    FindingKind.complication: 1,
    FindingKind.result: 2,
    FindingKind.expected: 3,
    FindingKind.context: 4,
}

Concepts = dict[int, list[tuple[str, int, int]]]  # unit -> (concept, start, end)
# A danger sign or a complication may take words from a phrasing about the look of the result.
_TAKES_FROM_RESULTS = (FindingKind.red_flag, FindingKind.complication)


class FrameReader:
    """The knowledge base's frames, ready to add their findings to a text's phrasings."""

    def __init__(self, kb: Knowledge) -> None:
        """Index every frame with the concepts whose words it quotes."""
        self.kb = kb
        roles = {c.code: c.role for c in kb.lexicon.concepts}
        self.quotable = {c for c, role in roles.items() if role in QUOTED_ROLES}
        self.frames: list[tuple[str, Frame, set[str]]] = []
        for finding in kb.findings.values():
            for frame in finding.frames:
                quoted = {c for c in frame.concepts if roles[c] is ConceptRole.symptom}
                quoted = quoted or {c for c in frame.concepts if c in self.quotable}
                self.frames.append((finding.code, frame, quoted))

    def add(self, doc: Any, ents: list[Any], concepts: Concepts, clause_of: list[int]) -> list[Any]:
        """Return the phrasings' spans with the frames' findings added (see the module)."""
        kind_of = {code: f.kind for code, f in self.kb.findings.items()}
        yields = {
            i
            for ent in ents
            if kind_of[ent.label_] is FindingKind.result
            for i in range(ent.start, ent.end)
        }
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        spans: list[tuple[int, int, int, str]] = []  # (kind priority, start, end, code)
        for found in concepts.values():
            present = {code for code, _, _ in found}
            for code, frame, quoted in self.frames:
                if not set(frame.concepts) <= present:
                    continue
                best = _tightest(found, frame.concepts)
                if best is None or best[1] - best[0] > frame.within:
                    continue
                kind = kind_of[code]
                blocked = taken - yields if kind in _TAKES_FROM_RESULTS else taken
                # Any free occurrence of the quoted concepts that keeps the frame within reach.
                reach = (best[1] - frame.within, best[0] + frame.within)
                words = _free_words(found, quoted, reach, blocked)
                if not words:  # its words were taken: a more serious frame quotes the rest
                    words = _free_words(
                        found, self.quotable.intersection(frame.concepts), reach, blocked
                    )
                if not words:
                    continue
                clause = clause_of[words[-1][0]]
                inside = [(a, b) for a, b in words if clause_of[a] == clause]
                low, high = _free_range((inside[0][0], inside[-1][1]), blocked, inside[-1][0])
                spans.append((KIND_PRIORITY[kind], low, high, code))
        added = list(ents)
        for _, start, end, code in sorted(spans, key=lambda s: (s[0], s[1] - s[2], s[1])):
            overlapping = [e for e in added if e.start < end and start < e.end]
            if any(kind_of[e.label_] is not FindingKind.result for e in overlapping):
                continue
            if overlapping and kind_of[code] not in _TAKES_FROM_RESULTS:
                continue
            for ent in overlapping:  # a result phrasing gives its words to the danger sign
                added.remove(ent)
            span = doc[start:end]
            span.label_ = code
            added.append(span)
        return sorted(added, key=lambda s: s.start)


def _tightest(found: list[tuple[str, int, int]], wanted: list[str]) -> tuple[int, int] | None:
    """Return the shortest token range holding one occurrence of each wanted concept."""
    best: tuple[int, int] | None = None
    first = wanted[0]
    for code, start, end in found:
        if code != first:
            continue
        low, high = start, end
        for other in wanted[1:]:
            options = [(s, e) for c, s, e in found if c == other]
            if not options:
                return None
            s, e = min(options, key=lambda o: max(o[1], end) - min(o[0], start))
            low, high = min(low, s), max(high, e)
        if best is None or high - low < best[1] - best[0]:
            best = (low, high)
    return best


def _free_words(
    found: list[tuple[str, int, int]], wanted: set[str], reach: tuple[int, int], taken: set[int]
) -> list[tuple[int, int]]:
    """Return the untaken occurrences of the wanted concepts inside ``reach``, in order."""
    return sorted(
        (start, end)
        for concept, start, end in found
        if concept in wanted
        and reach[0] <= start
        and end <= reach[1]
        and not taken.intersection(range(start, end))
    )


def _free_range(span: tuple[int, int], taken: set[int], anchor: int) -> tuple[int, int]:
    """Shrink ``span`` around ``anchor`` so it holds no taken token."""
    start, end = anchor, anchor + 1
    while start > span[0] and start - 1 not in taken:
        start -= 1
    while end < span[1] and end not in taken:
        end += 1
    return start, end
