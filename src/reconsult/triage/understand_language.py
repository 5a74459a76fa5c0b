"""The language around the findings: procedure mentions, concepts, cues, "now" words.

One matcher reads them all in one pass per text; its labels say which is
which, and ``words_in`` sorts its matches into a ``Words``. The context cues'
patterns are added by the Reader with the ``CUE`` label and the rule's index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge
from reconsult.triage.matching import PatternMatcher
from reconsult.triage.phrases import PhraseCompiler

MENTION, CONCEPT, CUE, NOW, PROXY = "mention:", "concept:", "cue:", "now", "proxy"
SOFT = "soft"


@dataclass
class Words:
    """What the language pass found: concepts, context cues, procedure mentions, 'now' words."""

    concepts: list[tuple[str, int, int]] = field(default_factory=list)
    cues: list[tuple[int, int, int]] = field(default_factory=list)  # (rule index, start, end)
    mentions: list[int] = field(default_factory=list)  # start tokens
    now: list[int] = field(default_factory=list)
    writing_for: bool = False  # the writer speaks for the patient
    softeners: list[tuple[int, int]] = field(default_factory=list)  # "slightly", "a bit"


def group(
    concepts: list[tuple[str, int, int]], unit_of: list[int]
) -> dict[int, list[tuple[str, int, int]]]:
    """Group concept matches by the unit (clause or frame unit) they lie wholly in."""
    grouped: dict[int, list[tuple[str, int, int]]] = {}
    for code, start, end in concepts:
        if unit_of[start] == unit_of[end - 1]:
            grouped.setdefault(unit_of[start], []).append((code, start, end))
    return grouped


def language_matcher(kb: Knowledge, nlp: Any, compiler: PhraseCompiler) -> PatternMatcher:
    """Compile the procedure mentions, concepts, present-time, writing-for and softener words.

    Raise KnowledgeError naming the knowledge entry whose words do not compile.
    """
    # The language around the findings, matched in one pass per text: procedure
    # mentions, the lexicon's concepts, present-time words and context cues.
    language = PatternMatcher(nlp, compiler.gap_stops)
    try:
        for procedure in kb.procedures.values():
            where = f"procedures.yaml: {procedure.code}"
            patterns = [way for m in procedure.mentions for way in compiler.compile(m)]
            language.add(f"{MENTION}{procedure.code}", patterns)
        for concept in kb.lexicon.concepts:
            where = f"lexicon.yaml: {concept.code}"
            patterns = [way for w in concept.words for way in compiler.compile(w)]
            language.add(f"{CONCEPT}{concept.code}", patterns)
        where = "lexicon.yaml: present_time"
        language.add(NOW, [way for w in kb.lexicon.present_time for way in compiler.compile(w)])
        where = "lexicon.yaml: writing_for"
        language.add(PROXY, [way for w in kb.lexicon.writing_for for way in compiler.compile(w)])
        where = "lexicon.yaml: softeners"
        language.add(SOFT, [way for w in kb.lexicon.softeners for way in compiler.compile(w)])
    except KnowledgeError as exc:
        raise KnowledgeError(f"{where}: {exc}") from exc
    return language


def words_in(matcher: PatternMatcher, doc: Any, clause_of: list[int]) -> Words:
    """Match mentions, concepts, present-time words and context cues in one pass."""
    words = Words()
    for label, start, end in matcher(doc, clause_of):
        if label.startswith(CONCEPT):
            words.concepts.append((label[len(CONCEPT) :], start, end))
        elif label.startswith(CUE):
            words.cues.append((int(label[len(CUE) :]), start, end))
        elif label.startswith(MENTION):
            words.mentions.append(start)
        elif label == PROXY:
            words.writing_for = True
        elif label == SOFT:
            words.softeners.append((start, end))
        else:
            words.now.append(start)
    return words
