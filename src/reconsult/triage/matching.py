"""Match compiled phrase patterns once per text, fast: segments, PhraseMatcher, chains.

Patterns are matched once per text, in segments. A pattern is cut at its gaps
(``~N``); each segment that is a fixed phrase (a plain choice of canonical
words at each position) goes to spaCy's PhraseMatcher, a hash lookup per
token, and the few with word prefixes go to the token Matcher. The segments'
matches are then chained, each within N tokens of the last, over gap tokens
that are no stop word and start no sentence: what the Matcher's ``{0,N}``
wildcard does, without its cost for every pattern at every token (tested to
find the same matches as spaCy's Matcher given the whole pattern).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reconsult.triage.phrases import CANON, TOLERANT_LENGTH, TokenPattern, is_gap

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Choices multiply: a fixed segment with more variants than this stays a pattern.
_MOST_VARIANTS = 500


@dataclass(frozen=True)
class _Chain:
    """One pattern as segments (by key) and the most tokens allowed between each pair."""

    segments: tuple[str, ...]
    gaps: tuple[int, ...]


class PatternMatcher:
    """Compiled patterns under labels, matched once per text by segments (see above)."""

    def __init__(self, nlp: Language, gap_stops: frozenset[str] = frozenset()) -> None:
        """Prepare empty matchers for ``nlp``'s vocabulary.

        ``gap_stops``: the words a gap never crosses, as the patterns were compiled with.
        """
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = nlp
        self.gap_stops = gap_stops
        self.phrases = PhraseMatcher(nlp.vocab, attr=CANON)
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.whole = Matcher(nlp.vocab, validate=True)  # patterns with an all-optional segment
        # Segments with word prefixes ("swell*"), matched here: by their first token's
        # words and prefixes, then token by token.
        self._simple: dict[str, list[_Predicate]] = {}
        self._first_words: dict[tuple[str, str], list[str]] = {}
        self._first_prefixes: dict[tuple[str, str], list[str]] = {}
        self._prefix_lengths: list[int] = []  # sorted, each once
        self.chains: dict[str, list[_Chain]] = {}
        self._keys: dict[str, str] = {}  # segment pattern (as text) -> key
        self._starting_with: dict[str, list[tuple[str, _Chain]]] = {}  # first key -> chains

    def __len__(self) -> int:
        """Return the number of labels."""
        return len(self.chains)

    def add(self, label: str, patterns: list[list[TokenPattern]]) -> None:
        """Add compiled patterns under ``label``."""
        self.chains.setdefault(label, [])
        for pattern in patterns:
            segments, gaps = _segments(pattern)
            if any(all("OP" in token for token in segment) for segment in segments):
                self.whole.add(label, [pattern])  # rare: let spaCy's Matcher do it whole
                continue
            keys = tuple(self._segment(segment) for segment in segments)
            chain = _Chain(keys, tuple(gaps))
            self.chains[label].append(chain)
            self._starting_with.setdefault(keys[0], []).append((label, chain))

    def _segment(self, segment: list[TokenPattern]) -> str:
        """Register one segment with the matcher fit for it; return its key."""
        text = repr(segment)
        key = self._keys.get(text)
        if key is not None:
            return key
        key = self._keys[text] = f"segment-{len(self._keys)}"
        variants = _variants(segment)
        if variants is None:
            predicates = [_predicate(token) for token in segment]
            first = predicates[0]
            if any(p is None for p in predicates) or first is None or first.optional:
                self.matcher.add(key, [segment])
                return key
            self._simple[key] = [p for p in predicates if p is not None]
            for word in first.words:
                self._first_words.setdefault((first.attribute, word), []).append(key)
            for prefix in first.prefixes:
                self._first_prefixes.setdefault((first.attribute, prefix), []).append(key)
                if len(prefix) not in self._prefix_lengths:
                    self._prefix_lengths = sorted({*self._prefix_lengths, len(prefix)})
            return key
        from spacy.tokens import Doc

        docs = []
        for words in variants:
            doc = Doc(self.nlp.vocab, words=list(words))
            for token, word in zip(doc, words, strict=True):
                token.lemma_ = word
            docs.append(doc)
        self.phrases.add(key, docs)
        return key

    def _simple_matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """Match the segments with word prefixes: candidates by first token, then verified."""
        if not self._simple:
            return []
        values = {CANON: [t.lemma_ for t in doc], "NORM": [t.norm_ for t in doc]}
        found: list[tuple[str, int, int]] = []
        for start in range(len(doc)):
            keys: set[str] = set()
            for attribute, column in values.items():
                value = column[start]
                keys.update(self._first_words.get((attribute, value), ()))
                for length in self._prefix_lengths:
                    if length > len(value):
                        break
                    keys.update(self._first_prefixes.get((attribute, value[:length]), ()))
            for key in keys:
                found.extend((key, start, end) for end in _ends(self._simple[key], start, values))
        return found

    def __call__(self, doc: Doc, unit_of: list[int] | None = None) -> list[tuple[str, int, int]]:
        """Return (label, start, end) of every match in ``doc``.

        ``unit_of`` gives each token's unit (a sentence, or part of one): a
        match never spans two units. Without it, the doc's sentences are the units.
        """
        if unit_of is None:
            unit_of = [0] * len(doc)
            for index, sentence in enumerate(doc.sents):
                for i in range(sentence.start, sentence.end):
                    unit_of[i] = index
        strings = self.nlp.vocab.strings
        ends_at: dict[str, dict[int, list[int]]] = {}
        found_segments = [
            (strings[match_id], start, end)
            for matcher in (self.phrases, self.matcher)
            if len(matcher)  # an empty spaCy matcher warns
            for match_id, start, end in matcher(doc)
        ]
        found_segments += self._simple_matches(doc)
        for key, start, end in found_segments:
            if unit_of[start] == unit_of[end - 1]:
                ends_at.setdefault(key, {}).setdefault(start, []).append(end)
        gap_ok = [not t.is_sent_start and t.norm_ not in self.gap_stops for t in doc]
        found = [
            (strings[match_id], start, end)
            for match_id, start, end in (self.whole(doc) if len(self.whole) else [])
            if unit_of[start] == unit_of[end - 1]
        ]
        # Only the chains whose first segment was found can match: most of the
        # knowledge base is skipped without a look.
        by_label: dict[str, set[tuple[int, int]]] = {}
        for key in ends_at:
            for label, chain in self._starting_with.get(key, ()):
                by_label.setdefault(label, set()).update(_chain(chain, ends_at, gap_ok, unit_of))
        for label in self.chains:  # in the order the labels were added
            spans = by_label.get(label)
            if spans:
                found.extend((label, start, end) for start, end in sorted(spans))
        return found


def _ends(predicates: list[_Predicate], start: int, values: dict[str, list[str]]) -> set[int]:
    """Return where a segment that starts at ``start`` can end (its first token already fits)."""
    size = len(values[CANON])
    positions = {start + 1}
    for predicate in predicates[1:]:
        column = values[predicate.attribute]
        following = {p + 1 for p in positions if p < size and predicate.accepts(column[p])}
        positions = following | positions if predicate.optional else following
    return positions


def _chain(
    chain: _Chain,
    ends_at: dict[str, dict[int, list[int]]],
    gap_ok: list[bool],
    unit_of: list[int],
) -> set[tuple[int, int]]:
    """Return the (start, end) of every way the chain's segments follow each other."""
    first = ends_at.get(chain.segments[0])
    if not first:
        return set()
    partial = {(start, end) for start, ends in first.items() for end in ends}
    for key, gap in zip(chain.segments[1:], chain.gaps, strict=True):
        following = ends_at.get(key)
        if not following:
            return set()
        extended = set()
        for start, end in partial:
            for step in range(gap + 1):
                position = end + step
                if step > 0 and (position > len(gap_ok) or not gap_ok[position - 1]):
                    break
                for after in following.get(position, ()):
                    if unit_of[after - 1] == unit_of[start]:
                        extended.add((start, after))
        partial = extended
    return partial


def _segments(pattern: list[TokenPattern]) -> tuple[list[list[TokenPattern]], list[int]]:
    """Cut a compiled pattern at its gaps: the segments, and each gap's most tokens."""
    segments: list[list[TokenPattern]] = [[]]
    gaps: list[int] = []
    for token in pattern:
        if is_gap(token):
            gaps.append(int(str(token["OP"]).strip("{}").split(",")[1]))
            segments.append([])
        else:
            segments[-1].append(token)
    return segments, gaps


def _variants(pattern: list[TokenPattern]) -> list[tuple[str, ...]] | None:
    """Return every word sequence a fixed pattern matches, or None if it is not fixed.

    A token is fixed when it is a plain choice of canonical words, or of short
    NORM words (the helpers of a contraction, "can" in "can't": short words are
    never spelling-corrected, so their canonical form is their NORM). An
    optional token gives variants with and without it; a gap is never fixed.
    """
    choices: list[list[str | None]] = []
    for token in pattern:
        optional = token.get("OP") == "?"
        rest = {k: v for k, v in token.items() if k != "OP"}
        if "OP" in token and not optional:
            return None
        if set(rest) == {CANON}:
            value = rest[CANON]
        elif set(rest) == {"NORM"}:
            value = rest["NORM"]
            words = [value] if isinstance(value, str) else value.get("IN", [])
            if not words or any(len(w) >= TOLERANT_LENGTH for w in words):
                return None
        else:
            return None
        if isinstance(value, str):
            options: list[str | None] = [value]
        elif set(value) == {"IN"}:
            options = list(value["IN"])
        else:
            return None
        choices.append([*options, None] if optional else options)
    total = 1
    for options in choices:
        total *= len(options)
    if total > _MOST_VARIANTS:
        return None
    variants = {
        tuple(w for w in combination if w is not None)
        for combination in itertools.product(*choices)
    }
    return sorted(v for v in variants if v)


@dataclass(frozen=True)
class _Predicate:
    """What one pattern token accepts: words or word prefixes of one attribute."""

    attribute: str  # CANON or "NORM"
    words: frozenset[str]
    prefixes: tuple[str, ...]
    optional: bool

    def accepts(self, value: str) -> bool:
        """Return whether a token with this attribute value matches."""
        return value in self.words or (bool(self.prefixes) and value.startswith(self.prefixes))


def _predicate(token: TokenPattern) -> _Predicate | None:
    """Read a pattern token of our phrase syntax, or None for anything else."""
    optional = token.get("OP") == "?"
    rest = {k: v for k, v in token.items() if k != "OP"}
    if ("OP" in token and not optional) or len(rest) != 1:
        return None
    attribute, value = next(iter(rest.items()))
    if attribute not in (CANON, "NORM"):
        return None
    if isinstance(value, str):
        return _Predicate(attribute, frozenset([value]), (), optional)
    if set(value) == {"IN"}:
        return _Predicate(attribute, frozenset(value["IN"]), (), optional)
    if set(value) == {"REGEX"}:
        words, prefixes = [], []
        for part in value["REGEX"].removeprefix("^(?:").removesuffix(")").split("|"):
            plain = re.sub(r"\\(.)", r"\1", part)
            if plain.endswith("$"):
                words.append(plain[:-1])
            else:
                prefixes.append(plain)
        return _Predicate(attribute, frozenset(words), tuple(prefixes), optional)
    return None
