"""Correct misspellings of the knowledge base's own words, and nothing else.

"swolen", "purpel" and "numbnes" should read as the words the phrasings use.
Only words of the knowledge base's vocabulary are targets, only long words
are corrected (short ones collide: tight/right, pus/put), the first letter
must match (pimple/simple), and a real word is never changed
("spreading" must not become "speaking"; Spanish "tragar" is a word too):
word lists for the knowledge base's languages say which words are real
(:func:`dictionary_words`). Distance is optimal string alignment (a swapped
pair of letters counts as one edit), computed by rapidfuzz.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from reconsult.triage.phrases import TOLERANT_LENGTH, fold

_TWO_EDITS_LENGTH = 9
_PREFIX_LENGTH = 4  # shorter prefixes ("ach*") would draw in too many unrelated words


class Speller:
    """Map a token's NORM to the knowledge-base word it most likely misspells."""

    def __init__(
        self,
        vocabulary: set[str],
        is_word: Callable[[str], bool],
        prefixes: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        """Index the vocabulary by first letter; ``is_word`` says which words are real.

        A word that starts with one of ``prefixes`` (a phrasing's ``word*``) is left
        as it is: "discolouration" already reads as ``discolou*``.
        """
        self.vocabulary = frozenset(vocabulary)
        self.is_word = is_word
        self._prefixes = tuple(sorted(p for p in prefixes if len(p) >= _PREFIX_LENGTH))
        self._by_first: dict[str, list[str]] = defaultdict(list)
        for word in sorted(vocabulary):
            self._by_first[word[0]].append(word)
        self._cache: dict[str, str] = {}

    def canon(self, norm: str) -> str:
        """Return the vocabulary word ``norm`` misspells, or ``norm`` itself."""
        if len(norm) < TOLERANT_LENGTH or norm in self.vocabulary or not norm.isalpha():
            return norm
        if self._prefixes and norm.startswith(self._prefixes):
            return norm
        cached = self._cache.get(norm)
        if cached is None:
            cached = norm if self.is_word(norm) else self._correct(norm)
            if len(self._cache) < 50_000:
                self._cache[norm] = cached
        return cached

    def _correct(self, norm: str) -> str:
        """Find the closest same-first-letter vocabulary word within the allowed edits."""
        allowed = 2 if len(norm) >= _TWO_EDITS_LENGTH else 1
        candidates = self._by_first.get(norm[0], [])
        best = process.extractOne(norm, candidates, scorer=OSA.distance, score_cutoff=allowed)
        return norm if best is None else str(best[0])


@functools.lru_cache(maxsize=4)
def dictionary_words(languages: tuple[str, ...] = ("en",)) -> frozenset[str]:
    """The real words of these languages, without accents (see phrases.fold), built once.

    English: pyspellchecker's list. Other languages: wordfreq's words of that language
    that are at least as common in it as in English (Spanish: with every verb form and
    plural; pyspellchecker's 86,000 lack "espero" and "quedando", which would then be
    "corrected" into the knowledge base's "espeso" and "quemando").
    """
    words: set[str] = set()
    for language in languages:
        if language == "en":
            from spellchecker import SpellChecker

            words.update(SpellChecker(language="en", distance=1).word_frequency.keys())
        else:
            from wordfreq import get_frequency_dict

            # Spanish text on the web quotes English ("sittin"); a word counts as Spanish
            # only where it is at least as common in Spanish as in English.
            english = get_frequency_dict("en")
            words.update(
                fold(w) for w, f in get_frequency_dict(language).items() if f >= english.get(w, 0.0)
            )
    return frozenset(words)


def word_check(words: frozenset[str] | None = None) -> Callable[[str], bool]:
    """Return a test for "is this a real word", from pyspellchecker's English list by default."""
    known = dictionary_words() if words is None else words

    def is_word(word: str) -> bool:
        return word in known

    return is_word


def words_with_prefixes(prefixes: set[str], words: frozenset[str]) -> set[str]:
    """The long real words a phrasing's ``word*`` matches: misspellings of these are read too.

    "bruis*" matches "bruising", so "brusing" is read as "bruising" as it would be
    for a phrasing that lists the whole word.
    """
    starts = tuple(p for p in prefixes if len(p) >= _PREFIX_LENGTH)
    if not starts:
        return set()
    return {w for w in words if len(w) >= TOLERANT_LENGTH and w.isalpha() and w.startswith(starts)}
