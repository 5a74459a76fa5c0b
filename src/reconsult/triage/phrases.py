"""Compile the knowledge base's phrase patterns into spaCy Matcher token patterns.

People write "cant breath", "swolen", "purpel" and "grey-blue". The knowledge
base lists lay phrasings in a small, readable syntax and this module turns
each into a spaCy token pattern. Patterns match a token's *canonical form*
(see :mod:`reconsult.triage.spelling`): its ``NORM`` (lower case, contractions
expanded: "can't", "cant" and "cannot" all give ``can not``; accents taken
off, so "párpado" and "parpado" are one word, see :func:`fold`), with a
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

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from reconsult.errors import KnowledgeError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.language import Language

TokenPattern = dict[str, Any]

# The canonical form lives in the token's LEMMA: spaCy's blank English model has
# no lemmatizer, and a native attribute is matched in C, far faster than a
# custom extension attribute (measured: 34 ms -> a few ms per description).
CANON = "LEMMA"
TOLERANT_LENGTH = 6  # words this long or longer tolerate typos

_GAP = re.compile(r"^~([1-6])$")


def fold(text: str) -> str:
    """Take the accents off letters ("párpado" -> "parpado", "año" -> "ano").

    People type with and without accents, so the knowledge base's words and the
    person's are both read without them. Only the combining marks go.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def folded(token: Any) -> str:
    """A token's word as the lexicon's word lists hold it: lower case, without accents."""
    return fold(token.lower_)


def _exact(words: list[str]) -> TokenPattern:
    """Match the token's NORM exactly (no typo tolerance)."""
    return {"NORM": {"IN": words}} if len(words) > 1 else {"NORM": words[0]}


def _canonical(words: list[str]) -> TokenPattern:
    """Match the token's canonical (spelling-corrected) form."""
    return {CANON: {"IN": words}} if len(words) > 1 else {CANON: words[0]}


class PhraseCompiler:
    """Compile phrases for one spaCy tokenizer, collecting the typo-tolerant vocabulary."""

    def __init__(self, nlp: Language, gap_stops: Iterable[str] = ()) -> None:
        """Prepare a compiler that tokenizes phrase words with ``nlp``.

        ``gap_stops`` are the words a ``~N`` gap never crosses: the lexicon's negations
        and contrasts (a reader passes them; the same set goes to its PatternMatcher).
        """
        self.nlp = nlp
        self.gap_stops = frozenset(gap_stops)
        self.vocabulary: set[str] = set()
        self.prefixes: set[str] = set()  # of `word*` chunks: their words join the vocabulary

    def _norms(self, text: str) -> list[str]:
        """Return the NORM forms of the tokens spaCy makes of ``text``."""
        return [t.norm_ for t in self.nlp.make_doc(text)]

    def _words(self, words: list[str], exact: bool) -> TokenPattern:
        """Build the predicate for one token that may be any of ``words``."""
        if exact:
            return _exact(words)
        self.vocabulary.update(w for w in words if w.isalpha() and len(w) >= TOLERANT_LENGTH)
        return _canonical(words)

    def _choices(self, phrase: str, body: str, exact: bool) -> list[list[TokenPattern]]:
        """Compile ``a|b|c`` into its ways of being written, each a token sequence.

        A contraction choice ("can't") is a helper verb and "not": "can't|unable"
        is "can not", "couldn't", "don't" or "unable", never a bare "not" ("I'm
        not having breathing problems" is no "can't breathe").
        """
        alternatives = body.split("|")
        if any(alt.endswith("*") for alt in alternatives):
            if not exact:
                self.prefixes.update(
                    a[:-1] for a in alternatives if a.endswith("*") and a[:-1].isalpha()
                )
            return [[{CANON: {"REGEX": _prefix_regex(phrase, alternatives)}}]]
        norms = [self._norms(alt) for alt in alternatives]
        if all(len(n) == 1 for n in norms):
            return [[self._words([n[0] for n in norms], exact)]]
        if all(len(n) == 1 or (len(n) == 2 and n[1] == "not") for n in norms):
            auxiliaries = sorted({n[0] for n in norms if len(n) == 2} | _MODALS)
            singles = sorted({n[0] for n in norms if len(n) == 1})
            ways = [[{"NORM": {"IN": auxiliaries}}, self._words(["not"], exact)]]
            if singles:
                ways.append([self._words(singles, exact)])
            return ways
        raise KnowledgeError(
            f"phrase {phrase!r}: each choice in {body!r} must be one word (or a contraction "
            "like don't); write separate phrasings for longer choices"
        )

    def compile(self, phrase: str) -> list[list[TokenPattern]]:
        """Compile one phrase of the syntax above into its token patterns (usually one).

        Raise KnowledgeError naming the phrase. A phrase with a contraction
        choice gives one pattern for each way of writing it.
        """
        ways: list[list[TokenPattern]] = [[]]
        phrase = fold(phrase)
        _refuse_split_choices(phrase)
        for chunk in phrase.split():
            gap = _GAP.match(chunk)
            if gap:
                token = {
                    "IS_SENT_START": False,
                    "NORM": {"NOT_IN": sorted(self.gap_stops)},
                    "OP": f"{{0,{gap.group(1)}}}",
                }
                ways = [[*way, token] for way in ways]
                continue
            optional = chunk.endswith("?") and len(chunk) > 1
            body = chunk[:-1] if optional else chunk
            exact = body.startswith("=")
            body = body.lstrip("=")
            if not body or "~" in body:
                raise KnowledgeError(f"phrase {phrase!r}: cannot read the part {chunk!r}")
            if "|" in body or body.endswith("*"):
                choices = self._choices(phrase, body, exact)
            else:
                choices = [[self._words([norm], exact) for norm in self._norms(body)]]
            if optional:
                if any(len(tokens) != 1 for tokens in choices):
                    raise KnowledgeError(f"phrase {phrase!r}: only single words can be optional")
                choices = [[{**tokens[0], "OP": "?"}] for tokens in choices]
            ways = [[*way, *tokens] for way in ways for tokens in choices]
        for pattern in ways:
            if not pattern or all("OP" in t for t in pattern):
                raise KnowledgeError(f"phrase {phrase!r}: needs at least one required word")
            if is_gap(pattern[0]) or is_gap(pattern[-1]):
                raise KnowledgeError(f"phrase {phrase!r}: cannot start or end with a gap")
        return ways


# The helpers a contraction choice accepts: "can't see" is also "couldn't see" and
# "don't see". Forms of "be" and "have" are left out: "I'm not having", "it isn't".
_MODALS = {"can", "could", "do", "does", "did", "will", "would", "must", "might", "may", "need"}


def _refuse_split_choices(phrase: str) -> None:
    """Refuse "partition|middle wall|middle bit": spaces cut it into other chunks.

    A word in two neighbouring choices is the sign of a multi-word choice that
    the syntax cannot hold; it silently matched something else.
    """
    chunks = phrase.split()
    for left, right in zip(chunks, chunks[1:], strict=False):
        if "|" in left and "|" in right and set(left.split("|")) & set(right.split("|")):
            raise KnowledgeError(
                f"phrase {phrase!r}: {left!r} and {right!r} share a word; a choice must be "
                "one word: write separate phrasings for longer choices"
            )


def is_gap(token: TokenPattern) -> bool:
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
