"""Which languages a message is written in, for the answer to say.

People mix languages ("me puse botox el lunes y now my eye is droopy"). Each
word votes for the language in which it is far more common: at least
``_MARGIN`` on wordfreq's Zipf scale (about 30 times as frequent), so words
both languages share ("no", "me", "botox", "pus") do not vote. A language is
read when at least two words vote for it, or when it has the most votes; with
no votes at all, the knowledge base's first language (English). The answer
lists them most votes first. Reading itself does not depend on this: every
language's words are matched in one pass (docs/decisions.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

_MARGIN = 1.5  # Zipf units: log10 of how many times more common in one language
_ENOUGH = 2  # votes that make a language read beside the first
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _zipf(frequency: float) -> float:
    """A word's frequency on wordfreq's Zipf scale (log10 per billion words); 0 if unseen."""
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


def languages_read(text: str, languages: Sequence[str]) -> list[str]:
    """The languages of ``text`` among ``languages`` (ISO 639-1, the first is the default)."""
    if len(languages) == 1:
        return list(languages)
    from wordfreq import get_frequency_dict  # cached by wordfreq, shared with the speller

    tables = [(code, get_frequency_dict(code)) for code in languages]
    votes: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        scores = sorted(
            ((_zipf(table.get(word, 0.0)), code) for code, table in tables), reverse=True
        )
        if scores[0][0] - scores[1][0] >= _MARGIN:
            votes[scores[0][1]] += 1
    if not votes:
        return [languages[0]]
    ranked = sorted(votes, key=lambda code: (-votes[code], languages.index(code)))
    return [code for code in ranked if votes[code] >= _ENOUGH or code == ranked[0]]
