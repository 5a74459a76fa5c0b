"""The phrase syntax: typo tolerance within limits, contractions, gaps, clear errors."""

from __future__ import annotations

import pytest
import spacy

from reconsult.errors import KnowledgeError
from reconsult.knowledge import load_knowledge
from reconsult.triage.phrases import PhraseCompiler
from reconsult.triage.spelling import Speller, word_check


def _matches(phrase: str, text: str) -> list[str]:
    """Return the texts matched by one phrase in ``text``."""
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    compiler = PhraseCompiler(nlp, load_knowledge().lexicon.gap_stops)
    matcher = Matcher(nlp.vocab, validate=True)
    matcher.add("X", compiler.compile(phrase))
    speller = Speller(compiler.vocabulary, word_check())
    doc = nlp(text)
    for token in doc:
        token.lemma_ = speller.canon(token.norm_)
    return [doc[s:e].text for _, s, e in matcher(doc)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("my lips are swolen", True),  # one letter missing
        ("my lips are swollne", True),  # two letters swapped
        ("my lips are swallen", True),
        ("I swallow fine", False),  # a different word, too far away
    ],
)
def test_long_words_tolerate_one_typo(text: str, found: bool) -> None:
    assert bool(_matches("swollen", text)) is found


def test_real_words_are_never_corrected() -> None:
    assert _matches("speaking", "the redness is spreading") == []


def test_tolerance_never_changes_the_first_letter() -> None:
    assert _matches("pimple", "a simple question") == []
    assert _matches("pimple", "a pimpel on the scar") == ["pimpel"]


def test_short_words_are_exact() -> None:
    assert _matches("tight", "my right eye") == []


def test_contractions_and_their_misspellings_read_the_same() -> None:
    for text in ("I can't breathe", "i cant breathe", "I cannot breathe"):
        assert _matches("can't breathe", text), text


def test_choices_with_contractions() -> None:
    assert _matches("not|never ~2 trust", "I don't really trust him")
    assert _matches("not|never ~2 trust", "I never trust")
    for text in ("I can't breathe", "i cant breathe", "I cannot breathe", "I'm unable to breathe"):
        assert _matches("can't|unable ~2 breathe", text), text
    # "can't" is an inability; a bare "not" is a denial ("not having ... problems").
    assert _matches("can't|unable ~2 breathing", "I'm not having breathing problems") == []


def test_gaps_do_not_cross_sentences() -> None:
    assert _matches("lump ~3 red", "a lump that is red") == ["lump that is red"]
    assert _matches("lump ~3 red", "A lump. It is red.") == []


def test_prefixes_mixed_with_choices() -> None:
    assert _matches("temp ~3 high|38*", "my temp is 38.4") == ["temp is 38.4"]


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("~2 lump", "cannot start or end with a gap"),
        ("lump ~2", "cannot start or end with a gap"),
        ("i'm|you're swollen", "must be one word"),
        ("lump~", "cannot read"),
        ("swollen? lips?", "needs at least one required word"),
        ("bulge ~4 partition|middle wall|middle bit", "share a word"),
    ],
)
def test_bad_phrases_are_rejected_with_the_phrase_named(phrase: str, message: str) -> None:
    compiler = PhraseCompiler(spacy.blank("en"))
    with pytest.raises(KnowledgeError, match=message):
        compiler.compile(phrase)


def test_no_phrasing_needs_the_slow_whole_text_matcher() -> None:
    # A chunk that may be left out at the start of a segment ("is? hard ~1 work?") sends
    # its pattern to spaCy's token Matcher over the whole text, on every read; a long
    # message then takes noticeably longer. Every phrasing, cue and break must be
    # written so the segment matcher takes it.
    from reconsult.knowledge import load_knowledge
    from reconsult.triage.understand import reader_for

    reader = reader_for(load_knowledge())
    for matcher in (reader.phrasings, reader.language, reader.breaks):
        assert len(matcher.matcher) == 0
        assert len(matcher.whole) == 0
