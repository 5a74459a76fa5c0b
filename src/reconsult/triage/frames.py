"""Findings told as frames: concepts from the lexicon that meet in one sentence.

A frame (``frames`` in the findings, concepts in ``lexicon.yaml``) fires when
all its concepts occur within ``within`` tokens of one frame unit: a sentence
as far as the next contrast ("but", ";"). Its finding quotes the frame's
symptom words in one clause, so the context cues ("no blisters") apply to it
as to any phrasing. Phrasings are curated and precise, so they go first: a
frame only explains words that no phrasing took, except that a frame may take
words from a phrasing of a calmer kind ("a grey shadow ... over what I see" is
not a tint under the skin; "my implant has gone flat" is not a dislike of its
shape), never from an expected part of healing ("blurry from the ointment")
unless it joins three concepts or more.
"""

from __future__ import annotations

import re
from typing import Any

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import QUOTED_ROLES, ConceptRole, FindingKind, Frame
from reconsult.triage.phrases import folded

# When two findings claim exactly the same words, the more serious reading wins.
KIND_PRIORITY = {
    FindingKind.red_flag: 0,
    FindingKind.complication: 1,
    FindingKind.result: 2,
    FindingKind.expected: 3,
    FindingKind.context: 4,
}

Concepts = dict[int, list[tuple[str, int, int]]]  # unit -> (concept, start, end)
# A frame may take words from a phrasing of a calmer kind: a danger sign from a
# complication or the look of the result, a complication from the look of the
# result. An expected part of healing keeps its words, unless the frame joins
# three concepts or more (clear fluid dripping from the nose when bending over).
_YIELDS_TO = {
    FindingKind.red_flag: {FindingKind.complication, FindingKind.result},
    FindingKind.complication: {FindingKind.result},
}
_SPECIFIC = 3
_LINKING = "turning"  # the lexicon's change verb ("gone", "going"): a course that tells nothing
# Verbs whose "n't" is a plain denial ("isn't", "doesn't"; not "can't": an inability is a
# symptom).
_STATING = {"be", "is", "are", "was", "were", "do", "does", "did", "has", "have", "had"}
# "Everybody can see it" is how it looks, not the writer's sight.
_SIGHT = "sight"
_OTHERS = {"everybody", "everyone", "people", "you", "u", "others", "anyone", "nobody", "ppl"}
_ABLE = {"can", "could", "will", "would", "ca", "wo"}
# The second token of a contraction ("n't" in "can't", "'s" in "it's").
_CLITIC = re.compile(r"^(?:n't|nt|'\w*)$", re.IGNORECASE)


class FrameReader:
    """The knowledge base's frames, ready to add their findings to a text's phrasings."""

    def __init__(self, kb: Knowledge) -> None:
        """Index every frame with the concepts whose words it quotes."""
        self.kb = kb
        roles = {c.code: c.role for c in kb.lexicon.concepts}
        self.quotable = {c for c, role in roles.items() if role in QUOTED_ROLES}
        # How a sign goes ("getting steadily worse"), which no other finding's words tell;
        # "turning" only links a colour to its place.
        self.telling = {
            c for c, role in roles.items() if role is ConceptRole.course and c != _LINKING
        }
        self.sites = {c for c, role in roles.items() if role is ConceptRole.site}
        self.denials = frozenset(kb.lexicon.negations)
        self.through = frozenset(kb.lexicon.denied_through)
        self.referring = frozenset(kb.lexicon.referring)
        self.courses = {c for c, role in roles.items() if role is ConceptRole.course}
        self.frames: list[tuple[str, Frame, set[str]]] = []
        for finding in kb.findings.values():
            for frame in finding.frames:
                quoted = {c for c in frame.concepts if roles[c] is ConceptRole.symptom}
                quoted = quoted or {c for c in frame.concepts if c in self.quotable}
                self.frames.append((finding.code, frame, quoted))

    def add(
        self, doc: Any, ents: list[Any], concepts: Concepts, where: tuple[list[int], list[int]]
    ) -> list[Any]:
        """Return the phrasings' spans with the frames' findings added (see the module).

        ``concepts`` are grouped by frame unit; ``where`` is each token's unit and clause.
        """
        unit_of, clause_of = where
        kind_of = {code: f.kind for code, f in self.kb.findings.items()}
        concepts = {
            unit: [
                c
                for c in found
                if (c[0] in self.sites or not _denied(doc, c[1], self.denials, self.through))
                and not (c[0] == _SIGHT and _seen_by_others(doc, c[1]))
            ]
            for unit, found in self._referred(doc, concepts, unit_of).items()
        }
        taken_by = {i: kind_of[ent.label_] for ent in ents for i in range(ent.start, ent.end)}
        spans: list[tuple[int, int, int, str]] = []  # (kind priority, start, end, code)
        for found in concepts.values():
            present = {code for code, _, _ in found}
            for code, frame, quoted in self.frames:
                if not set(frame.concepts) <= present:
                    continue
                best = self._nearest(doc, found, frame, clause_of)
                if best is None:
                    continue
                within = frame.within + (best[1] - best[0]) - _words_in(doc, best)
                yields = _yields(kind_of[code], len(frame.concepts))
                blocked = {i for i, kind in taken_by.items() if kind not in yields}
                # Any free occurrence of the quoted concepts that keeps the frame within reach.
                reach = (min(best[0], best[1] - within), max(best[1], best[0] + within))
                words = _free_words(found, quoted, reach, blocked)
                others = self.telling.intersection(frame.concepts) - quoted
                untold = _free_words(found, others, reach, set(taken_by))
                if (
                    not words
                    and not untold
                    and _explained(found, quoted, reach, taken_by, kind_of[code])
                ):
                    # A finding as serious, or a fact of life, explains its words; unless
                    # the frame's course tells what no finding took ("the pain ... getting
                    # steadily worse, throbbing by the ear": the throbbing is not the worse).
                    continue
                if not words:  # its words were taken: a more serious frame quotes the rest
                    quotable = self.quotable.intersection(frame.concepts)
                    words = _free_words(found, quotable, reach, blocked)
                if not words:
                    continue
                clause = clause_of[words[-1][0]]
                inside = [(a, b) for a, b in words if clause_of[a] == clause]
                low, high = _free_range((inside[0][0], inside[-1][1]), blocked, inside[-1][0])
                spans.append((KIND_PRIORITY[kind_of[code]], low, high, code))
        frames_of = {code: len(f.concepts) for code, f, _ in self.frames}
        added = list(ents)
        for _, start, end, code in sorted(spans, key=lambda s: (s[0], s[1] - s[2], s[1])):
            overlapping = [e for e in added if e.start < end and start < e.end]
            yields = _yields(kind_of[code], frames_of[code])
            if any(kind_of[e.label_] not in yields for e in overlapping):
                continue
            if any(code in self.kb.findings[e.label_].contains for e in overlapping):
                continue  # "a bluish shadow under my eyes" is the tint; its rules carry the danger
            for ent in overlapping:  # a calmer phrasing gives its words to the frame
                added.remove(ent)
            span = doc[start:end]
            span.label_ = code
            added.append(span)
        return sorted(added, key=lambda s: s.start)

    def _referred(self, doc: Any, concepts: Concepts, unit_of: list[int]) -> Concepts:
        """Let "it" (a ``referring`` word) stand for the body part named last before it.

        "I can't close my left eye and it hurts, red and gritty"; "My left eye
        won't shut. Woke up with it red and gritty": each "it" is the eye. An
        "it" borrows the last site named before it in its unit, or in the unit
        just before, at the place of the "it" (sites are never quoted), so a
        frame can join it to the words beside it.
        """
        result = {unit: list(found) for unit, found in concepts.items()}
        carried: str | None = None  # the last site of the unit before
        for unit in sorted(result):
            found = sorted(result[unit], key=lambda c: c[1])
            if unit - 1 not in result:
                carried = None
            first = found[0][1]
            while first > 0 and unit_of[first - 1] == unit:
                first -= 1
            last = max(e for _, _, e in found)
            sites = [(s, c) for c, s, _ in found if c in self.sites]
            for i in range(first, last):
                if folded(doc[i]) not in self.referring:
                    continue
                before = [c for s, c in sites if s < i]
                code = before[-1] if before else carried
                if code is not None:
                    result[unit].append((code, i, i + 1))
            carried = sites[-1][1] if sites else None
        return result

    def _nearest(
        self, doc: Any, found: list[tuple[str, int, int]], frame: Frame, clause_of: list[int]
    ) -> tuple[int, int] | None:
        """Return the tightest range holding the frame's concepts, or None when out of reach.

        How it goes ("in the last hour", "all night") tells of the whole clause it
        is in: "in the last hour the left side of my neck has been puffing up" is
        swelling that grows fast, however many words stand between. So a course
        word may be anywhere in the clause of the frame's other words.
        """
        best = _tightest(found, frame.concepts)
        if best is not None and _words_in(doc, best) <= frame.within:
            return best
        core = [c for c in frame.concepts if c not in self.courses]
        if not core or len(core) == len(frame.concepts):
            return None
        best = _tightest(found, core)
        if best is None or _words_in(doc, best) > frame.within:
            return None
        clause = clause_of[best[0]]
        if clause != clause_of[best[1] - 1]:
            return None
        low, high = best
        for course in set(frame.concepts) - set(core):
            here = [(s, e) for c, s, e in found if c == course and clause_of[s] == clause]
            if not here:
                return None
            s, e = min(here, key=lambda o: max(o[1], high) - min(o[0], low))
            low, high = min(low, s), max(high, e)
        return low, high


def _explained(
    found: list[tuple[str, int, int]],
    wanted: set[str],
    reach: tuple[int, int],
    taken_by: dict[int, FindingKind],
    kind: FindingKind,
) -> bool:
    """Return whether a finding as serious as ``kind``, or a context fact, took these words."""
    serious = KIND_PRIORITY[kind]
    told = {
        i
        for i, taker in taken_by.items()
        if KIND_PRIORITY[taker] <= serious or taker is FindingKind.context
    }
    return _free_words(found, wanted, reach, told) != _free_words(found, wanted, reach, set())


def _yields(kind: FindingKind, concepts: int) -> set[FindingKind]:
    """Return the kinds of phrasing a frame of this kind and size may take words from."""
    kinds = set(_YIELDS_TO.get(kind, set()))
    if kinds and concepts >= _SPECIFIC:
        kinds.add(FindingKind.expected)
    return kinds


def _denied(doc: Any, start: int, denials: frozenset[str], through: frozenset[str]) -> bool:
    """Return whether a word is denied right before it ("nothing spreading", "not really red").

    A denied change or symptom never builds a frame: "nothing spreading, no white
    or purple, just red" is no spreading redness. Up to two words may stand
    between (``through``: "not really red", "no se esta regando"). Sites are never
    denied this way ("no eye" is rare; "can't see" is a symptom).
    """
    before = [folded(t) for t in doc[max(start - 3, 0) : start]]
    if len(before) >= 2 and before[-1] in {"n't", "nt"} and doc[start - 2].norm_ in _STATING:
        return True  # "isn't spreading", "doesn't hurt" (but "can't see" is a symptom)
    for word in reversed(before):
        if word in denials:
            return True
        if word not in through:
            return False
    return False


def _seen_by_others(doc: Any, start: int) -> bool:
    """Return whether a word of sight is someone else's seeing ("everyone can see it")."""
    before = [t.norm_ for t in doc[max(start - 3, 0) : start]]
    return any(
        word in _OTHERS and any(w in _ABLE for w in before[k + 1 :])
        for k, word in enumerate(before)
    )


def _words_in(doc: Any, span: tuple[int, int]) -> int:
    """Count the words in a token range: "can't" and "it's" are one word each."""
    return sum(1 for t in doc[span[0] : span[1]] if not _CLITIC.match(t.text))


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
