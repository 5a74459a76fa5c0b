"""Cut a text into sentences, frame units and clauses, keeping every character offset.

A frame unit is a sentence as far as the next contrast ("but", ";"): phrasings
and frames look inside one. Clauses, cut further at the lexicon's clause breaks
(", and my", "and now"), are where context cues and the recall net work. A
run-on message without full stops is cut at a comma or "and" after a while, so
reading stays linear in the text's length.
"""

from __future__ import annotations

import re
from typing import Any

from reconsult.triage.matching import PatternMatcher
from reconsult.triage.phrases import folded

_HYPHEN_BETWEEN_LETTERS = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
# A full stop glued to a word ("ended up in A&E. My legs") ends its sentence when a
# capital follows, unless the word is a title or a Latin abbreviation.
_NOT_AN_END = {"dr.", "mr.", "mrs.", "ms.", "st.", "e.g.", "i.e.", "vs.", "etc.", "no.", "approx."}
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


# A clause longer than this many tokens is cut at a comma or "and" (run-on messages).
_LONGEST_CLAUSE = 40
_LONGEST_UNIT = 60
_SOFT_BREAKS = {",", "and", "&", "or", "then", "so"}


def normalise(text: str) -> str:
    """Straighten quotes and split hyphenated words, keeping every character offset."""
    return _HYPHEN_BETWEEN_LETTERS.sub(" ", text.translate(_QUOTES))


def answers_joined(doc: Any, answers_no: frozenset[str]) -> None:
    """Keep a bare answer in its question's sentence: "¿pérdida de vista? no." is one.

    The sentencizer ends a sentence at "?"; the "no" that answers it (``answers_no``,
    the lexicon's bare answers: "Bulging eye? No. Fever? nada.") then could not
    reach back to the sign it denies (a checklist read as a list of signs).
    """
    for token in doc[:-1]:
        after = doc[token.i + 2] if token.i + 2 < len(doc) else None
        if (
            token.text == "?"
            and folded(doc[token.i + 1]) in answers_no
            and (after is None or after.is_punct)
        ):
            doc[token.i + 1].is_sent_start = False


def ends_sentence(token: Any) -> bool:
    """Return whether a word carries its sentence's full stop ("A&E.", "E.")."""
    text = token.text
    return len(text) > 1 and text.endswith(".") and text.lower() not in _NOT_AN_END


def frame_units(doc: Any, breaks: PatternMatcher) -> tuple[list[int], list[int]]:
    """Find the clause breaks; return each token's frame unit and where clauses start.

    A frame unit is a sentence as far as the next contrast ("but", ";"):
    phrasings and frames look inside one. Clauses, cut further at ", and
    my" or "and now", are where context cues and the recall net work.
    """
    sentences = {s.start for s in doc.sents}
    contrasts, starts = set(), []
    for label, start, _ in breaks(doc):
        if doc[start].is_punct and start + 1 < len(doc):
            start += 1  # "fever - no; rash - no": the ";" ends the clause before it
        if start > 0:
            starts.append(start)
            if label == "contrast":
                contrasts.add(start)
    unit_of, unit, since = [0] * len(doc), 0, 0
    for i in range(len(doc)):
        since += 1
        # A run-on message without full stops is cut at a comma or "and" after
        # a while, and hard at the longest unit, so reading stays linear.
        run_on = since > _LONGEST_UNIT * 3 // 4 and doc[i - 1].norm_ in _SOFT_BREAKS
        if i > 0 and (i in contrasts or i in sentences or run_on or since > _LONGEST_UNIT):
            unit += 1
            since = 1
            if i not in sentences:
                starts.append(i)
        unit_of[i] = unit
    return unit_of, starts


def mark_clauses(doc: Any, starts: list[int]) -> None:
    """Start a new clause at each break, and cut run-on clauses at a comma or "and"."""
    for start in starts:
        doc[start].is_sent_start = True
    for clause in list(doc.sents):
        if len(clause) <= _LONGEST_CLAUSE:
            continue
        since = 0
        for i in range(clause.start, clause.end - 1):
            since += 1
            if since > _LONGEST_CLAUSE * 3 // 4 and doc[i].norm_ in _SOFT_BREAKS:
                doc[i + 1].is_sent_start = True
                since = 0
            elif since >= _LONGEST_CLAUSE:
                doc[i + 1].is_sent_start = True
                since = 0


def neighbourhoods(
    doc: Any, clauses: list[Any], indices: set[int], sentence_of: list[int]
) -> list[Any]:
    """Return these clauses with their neighbours in the same sentence, as non-overlapping spans.

    Each token is in at most one span, so a message without full stops is read
    in linear time.
    """
    wanted: set[int] = set()
    for index in indices:
        own = sentence_of[clauses[index].start]
        for near in (index - 1, index, index + 1):
            if 0 <= near < len(clauses) and sentence_of[clauses[near].start] == own:
                wanted.add(near)
    spans: list[Any] = []
    for index in sorted(wanted):
        same = spans and sentence_of[spans[-1].start] == sentence_of[clauses[index].start]
        if same and spans[-1].end == clauses[index].start:
            spans[-1] = doc[spans[-1].start : clauses[index].end]
        else:
            spans.append(doc[clauses[index].start : clauses[index].end])
    return spans
