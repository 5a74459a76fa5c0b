"""Compile the knowledge base's phrase patterns into spaCy Matcher token patterns.

People write "cant breath", "swolen", "purpel" and "grey-blue". The knowledge
base lists lay phrasings in a small, readable syntax and this module turns
each into a spaCy token pattern. Patterns match a token's *canonical form*
(see :mod:`reconsult.triage.spelling`): its ``NORM`` (lower case, contractions
expanded: "can't", "cant" and "cannot" all give ``can not``), with a
misspelling of a long knowledge-base word corrected to that word.

Syntax, one phrase per string, chunks separated by spaces:

``word``
    that word. Words of 6+ letters tolerate one typo or swapped pair of
    letters, words of 9+ letters two, never in the first letter, so "pimple"
    never matches "simple". ``=word`` turns tolerance off.
``a|b|c``
    any one of these words. A contraction counts as one word: ``not|don't``
    matches "not", "don't", "do not".
``word*``
    any word starting with ``word`` (``swell*``: swell, swelling, swells);
    prefixes may be mixed with choices (``high|38*|39*``).
``chunk?``
    optional.
``~N``
    up to N other words (1-6), never across a sentence end, a "but" or a
    negation.

Example: ``skin ~2 went|turned|is white|pale`` matches "skin on my lip went
white" and "skin is pale".
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reconsult.errors import KnowledgeError

if TYPE_CHECKING:
    from spacy.language import Language

TokenPattern = dict[str, Any]

# The canonical form lives in the token's LEMMA: spaCy's blank English model has
# no lemmatizer, and a native attribute is matched in C, far faster than a
# custom extension attribute (measured: 34 ms -> a few ms per description).
CANON = "LEMMA"
TOLERANT_LENGTH = 6  # words this long or longer tolerate typos

_GAP = re.compile(r"^~([1-6])$")
# A gap never swallows a clause boundary or a negation: "a lump that is not red"
# is not a red lump, and "spreading but the redness" is two clauses.
_GAP_STOPS = [
    "but",
    "however",
    "although",
    "though",
    "except",
    "whereas",
    "no",
    "not",
    "never",
    "nor",
    "without",
    "nothing",
    "none",
    "zero",
    ";",
]


def _exact(words: list[str]) -> TokenPattern:
    """Match the token's NORM exactly (no typo tolerance)."""
    return {"NORM": {"IN": words}} if len(words) > 1 else {"NORM": words[0]}


def _canonical(words: list[str]) -> TokenPattern:
    """Match the token's canonical (spelling-corrected) form."""
    return {CANON: {"IN": words}} if len(words) > 1 else {CANON: words[0]}


class PhraseCompiler:
    """Compile phrases for one spaCy tokenizer, collecting the typo-tolerant vocabulary."""

    def __init__(self, nlp: Language) -> None:
        """Prepare a compiler that tokenizes phrase words with ``nlp``."""
        self.nlp = nlp
        self.vocabulary: set[str] = set()

    def _norms(self, text: str) -> list[str]:
        """Return the NORM forms of the tokens spaCy makes of ``text``."""
        return [t.norm_ for t in self.nlp.make_doc(text)]

    def _words(self, words: list[str], exact: bool) -> TokenPattern:
        """Build the predicate for one token that may be any of ``words``."""
        if exact:
            return _exact(words)
        self.vocabulary.update(w for w in words if w.isalpha() and len(w) >= TOLERANT_LENGTH)
        return _canonical(words)

    def _choices(self, phrase: str, body: str, exact: bool) -> list[TokenPattern]:
        """Compile ``a|b|c``; a contraction choice ("don't") becomes aux? + not."""
        alternatives = body.split("|")
        if any(alt.endswith("*") for alt in alternatives):
            return [{CANON: {"REGEX": _prefix_regex(phrase, alternatives)}}]
        norms = [self._norms(alt) for alt in alternatives]
        if all(len(n) == 1 for n in norms):
            return [self._words([n[0] for n in norms], exact)]
        if all(len(n) == 1 or (len(n) == 2 and n[1] == "not") for n in norms):
            auxiliaries = sorted({n[0] for n in norms if len(n) == 2})
            finals = sorted({n[-1] for n in norms})
            return [{"NORM": {"IN": auxiliaries}, "OP": "?"}, self._words(finals, exact)]
        raise KnowledgeError(
            f"phrase {phrase!r}: each choice in {body!r} must be one word (or a contraction "
            "like don't); write separate phrasings for longer choices"
        )

    def compile(self, phrase: str) -> list[TokenPattern]:
        """Compile one phrase of the syntax above; raise KnowledgeError naming the phrase."""
        pattern: list[TokenPattern] = []
        for chunk in phrase.split():
            gap = _GAP.match(chunk)
            if gap:
                pattern.append(
                    {
                        "IS_SENT_START": False,
                        "NORM": {"NOT_IN": _GAP_STOPS},
                        "OP": f"{{0,{gap.group(1)}}}",
                    }
                )
                continue
            optional = chunk.endswith("?") and len(chunk) > 1
            body = chunk[:-1] if optional else chunk
            exact = body.startswith("=")
            body = body.lstrip("=")
            if not body or "~" in body:
                raise KnowledgeError(f"phrase {phrase!r}: cannot read the part {chunk!r}")
            if "|" in body or body.endswith("*"):
                tokens = self._choices(phrase, body, exact)
            else:
                tokens = [self._words([norm], exact) for norm in self._norms(body)]
            if optional:
                if len(tokens) != 1:
                    raise KnowledgeError(f"phrase {phrase!r}: only single words can be optional")
                tokens[0] = {**tokens[0], "OP": "?"}
            pattern.extend(tokens)
        if not pattern or all("OP" in t for t in pattern):
            raise KnowledgeError(f"phrase {phrase!r}: needs at least one required word")
        if _is_gap(pattern[0]) or _is_gap(pattern[-1]):
            raise KnowledgeError(f"phrase {phrase!r}: cannot start or end with a gap")
        return pattern


# A fixed phrase (every token a plain choice of canonical words) is matched with
# spaCy's PhraseMatcher, a hash lookup per token; only patterns with gaps,
# optional words, prefixes or exact NORM words need the slower token Matcher.
# Choices multiply: a fixed pattern with more variants than this stays a pattern.
_MOST_VARIANTS = 500


class PatternMatcher:
    """A Matcher and a PhraseMatcher behind one call, each holding the patterns it is fast for."""

    def __init__(self, nlp: Language) -> None:
        """Prepare empty matchers for ``nlp``'s vocabulary."""
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(nlp.vocab, attr=CANON)
        self._phrase_labels = False
        self._pattern_labels = False

    def add(self, label: str, patterns: list[list[TokenPattern]]) -> None:
        """Add compiled patterns under ``label``."""
        from spacy.tokens import Doc

        slow = []
        docs = []
        for pattern in patterns:
            variants = _variants(pattern)
            if variants is None:
                slow.append(pattern)
                continue
            for words in variants:
                doc = Doc(self.nlp.vocab, words=list(words))
                for token, word in zip(doc, words, strict=True):
                    token.lemma_ = word
                docs.append(doc)
        if slow:
            self.matcher.add(label, slow)
            self._pattern_labels = True
        if docs:
            self.phrases.add(label, docs)
            self._phrase_labels = True

    def __call__(self, doclike: Any) -> list[tuple[int, int, int]]:
        """Return (label id, start, end) of every match, relative to ``doclike``."""
        found: list[tuple[int, int, int]] = []
        if self._phrase_labels:
            # The PhraseMatcher counts from the Doc's start, the Matcher from the Span's.
            offset = getattr(doclike, "start", 0)
            found.extend(
                (m, start - offset, end - offset) for m, start, end in self.phrases(doclike)
            )
        if self._pattern_labels:
            found.extend(self.matcher(doclike))
        return found


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
        tuple(w for w in combination if w is not None) for combination in itertools.product(*choices)
    }
    return sorted(v for v in variants if v)


@dataclass(frozen=True)
class Anchor:
    """Words one of which must be in a text for a pattern to have any chance to match."""

    words: frozenset[str]
    prefixes: tuple[str, ...]

    def found_in(self, words: set[str] | TextWords) -> bool:
        """Return whether any anchor word or prefix occurs among ``words``."""
        if isinstance(words, TextWords):
            if self.words & words.words:
                return True
            return any(p in words.prefixes for p in self.prefixes)
        if self.words & words:
            return True
        return any(w.startswith(self.prefixes) for w in words) if self.prefixes else False


@dataclass(frozen=True)
class TextWords:
    """A text's words and every prefix of them, so anchor checks are set lookups.

    "breath*" matches a text if "breath" is a prefix of one of its words; with
    all prefixes in a set that is one lookup instead of a scan of every word.
    """

    words: frozenset[str]
    prefixes: frozenset[str]

    @classmethod
    def of(cls, words: set[str]) -> TextWords:
        """Index ``words`` and their prefixes."""
        prefixes = {w[:i] for w in words for i in range(1, len(w) + 1)}
        return cls(words=frozenset(words), prefixes=frozenset(prefixes))


def _token_anchor(token: TokenPattern) -> Anchor | None:
    """Return the words a single required pattern token accepts, or None if unreadable."""
    attribute = CANON if CANON in token else "NORM" if "NORM" in token else None
    if attribute is None:
        return None
    value = token[attribute]
    if isinstance(value, str):
        return Anchor(frozenset([value]), ())
    if "IN" in value:
        return Anchor(frozenset(value["IN"]), ())
    if "REGEX" in value:
        words, prefixes = [], []
        for part in value["REGEX"].removeprefix("^(?:").removesuffix(")").split("|"):
            plain = re.sub(r"\\(.)", r"\1", part)
            if plain.endswith("$"):
                words.append(plain[:-1])
            else:
                prefixes.append(plain)
        return Anchor(frozenset(words), tuple(prefixes))
    return None


def anchor_of(pattern: list[TokenPattern]) -> Anchor | None:
    """Return the anchor of a compiled pattern: its most telling required token.

    Used to skip a finding's patterns cheaply when none of its anchor words
    occur in a text. The most telling token is the one whose shortest word is
    longest ("bigger" rather than "one"), since short words are common. None
    when no required token can be read.
    """
    best: Anchor | None = None
    best_length = -1
    for token in pattern:
        if "OP" in token:
            continue
        candidate = _token_anchor(token)
        if candidate is None:
            continue
        length = min(len(w) for w in [*candidate.words, *candidate.prefixes])
        if length > best_length:
            best, best_length = candidate, length
    return best


def _is_gap(token: TokenPattern) -> bool:
    """Return whether a pattern token is a ``~N`` gap."""
    return str(token.get("OP", "")).startswith("{")


def _prefix_regex(phrase: str, alternatives: list[str]) -> str:
    """Build one anchored regex for choices where some are prefixes ("swell*|38*|fever")."""
    parts = []
    for alt in alternatives:
        is_prefix = alt.endswith("*")
        stem = alt[:-1].lower() if is_prefix else alt.lower()
        if not stem or not all(c.isalnum() or c in ".'" for c in stem):
            raise KnowledgeError(f"phrase {phrase!r}: cannot read the choice {alt!r}")
        parts.append(re.escape(stem) + ("" if is_prefix else "$"))
    return "^(?:" + "|".join(parts) + ")"
