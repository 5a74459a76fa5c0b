"""Reading the words: status of each finding, spans, several findings, unrecognised text."""

from __future__ import annotations

import pytest

from reconsult.knowledge import Knowledge
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.understand import reader_for
from tests.conftest import TODAY, dev_vignettes

# Read at collection: fails, naming the folder, when ../shared/benchmark is missing.
DEV_DESCRIPTIONS = [vignette["description"] for vignette in dev_vignettes()]


def _read(kb: Knowledge, text: str) -> list[DetectedFinding]:
    return reader_for(kb).read(text, TODAY).findings


def _status(kb: Knowledge, text: str, code: str) -> FindingStatus | None:
    found = [f for f in _read(kb, text) if f.code == code]
    return found[0].status if found else None


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        ("No fever, but the redness is spreading.", "spreading_redness", FindingStatus.present),
        ("No fever, but the redness is spreading.", "fever", FindingStatus.negated),
        ("no fever but the redness is spreading", "spreading_redness", FindingStatus.present),
        ("i dont have any fever", "fever", FindingStatus.negated),
        ("there's no pain or swelling just the lump", "filler_lump", FindingStatus.present),
        ("It isn't red or sore.", "soreness", FindingStatus.negated),
        ("What if my skin goes white?", "skin_blanching", FindingStatus.hypothetical),
        ("I'm worried about a fever tonight.", "fever", FindingStatus.hypothetical),
        ("I had a fever last year after my first filler.", "fever", FindingStatus.past),
        (
            "My friend had her lips go white after filler.",
            "skin_blanching",
            FindingStatus.someone_else,
        ),
        ("There was a little bleeding that stopped.", "heavy_bleeding", None),
        ("The swelling is long gone.", "swelling", FindingStatus.resolved),
        ("The bleeding hasn't stopped and keeps coming.", "heavy_bleeding", FindingStatus.present),
        ("My lip went white and now it's blotchy.", "skin_blanching", FindingStatus.present),
        ("She isn't answering her phone.", "provider_unreachable", FindingStatus.present),
        ("My sister says I'm not making sense.", "stroke_signs", FindingStatus.present),
    ],
)
def test_status_of_findings(kb: Knowledge, text: str, code: str, status: FindingStatus) -> None:
    assert _status(kb, text, code) is status


def test_history_never_reaches_forward_into_a_new_clause(kb: Knowledge) -> None:
    text = "Two years ago I had filler and now my lip has gone white."
    assert _status(kb, text, "skin_blanching") is FindingStatus.present


def test_terminator_ends_a_negation_it_would_otherwise_contain(kb: Knowledge) -> None:
    # medspaCy 1.3.1's tuple_overlaps bug: without our workaround "but" does not stop "no".
    text = "no fever but swelling on the left side of my lip since this morning"
    assert _status(kb, text, "swelling") is FindingStatus.present


def test_each_finding_quotes_the_exact_words(kb: Knowledge) -> None:
    text = "Botox 3 days ago. Now I'm seeing double and I can't swallow properly."
    findings = _read(kb, text)
    codes = {f.code for f in findings}
    assert {"double_vision", "swallowing_difficulty"} <= codes
    for f in findings:
        assert text[f.start : f.end] == f.quote


def test_typos_and_slang_are_understood(kb: Knowledge) -> None:
    codes = {f.code for f in _read(kb, "cant breath and my tounge is swolen")}
    assert "breathing_difficulty" in codes
    assert "anaphylaxis" in codes


def test_words_about_the_body_that_nothing_explains_are_reported(kb: Knowledge) -> None:
    text = "My lips are swollen. The weather is lovely today. My eyelid keeps twitching."
    reading = reader_for(kb).read(text, TODAY)
    assert reading.unrecognised == ["My eyelid keeps twitching."]


def test_when_nothing_is_understood_every_clause_is_reported(kb: Knowledge) -> None:
    reading = reader_for(kb).read("Something feels off with it. The weather is lovely.", TODAY)
    assert reading.unrecognised == ["Something feels off with it.", "The weather is lovely."]


def test_reading_writes_nothing_to_the_logs(
    kb: Knowledge, capfd: pytest.CaptureFixture[str]
) -> None:
    reader_for(kb).read("My lips are swollen and sore.", TODAY)
    captured = capfd.readouterr()
    assert "swollen" not in captured.err and "swollen" not in captured.out


def test_matching_by_segments_finds_what_spacys_matcher_finds(kb: Knowledge) -> None:
    """PatternMatcher is only a faster way to match: same matches as the Matcher, whole patterns."""
    import json
    from pathlib import Path

    from spacy.matcher import Matcher

    from reconsult.triage.matching import PatternMatcher
    from reconsult.triage.phrases import PhraseCompiler
    from reconsult.triage.understand import canonical_forms, normalise

    reader = reader_for(kb)
    compiler = PhraseCompiler(reader.nlp, kb.lexicon.gap_stops)
    ours, spacys = PatternMatcher(reader.nlp, compiler.gap_stops), Matcher(reader.nlp.vocab)
    groups = [(f.code, f.phrasings) for f in kb.findings.values()]
    groups += [(f"concept:{c.code}", c.words) for c in kb.lexicon.concepts]
    groups += [(f"cue:{i}", [c.pattern or c.literal]) for i, c in enumerate(kb.context_rules)]
    for label, phrases in groups:
        patterns = [way for p in phrases for way in compiler.compile(p)]
        ours.add(label, patterns)
        spacys.add(label, patterns)
    texts = [
        "cant breath and my tounge is swolen",
        "No fever, but the redness is spreading.",
        "my calf has blown up and it's warm",
        "I can't get water down without choking and I'm not having trouble breathing",
        "No tengo fiebre ni pus, pero se me puso morado el párpado y no puedo tragar bien",
    ]
    paraphrases = Path(__file__).resolve().parents[1] / "bench" / "paraphrases.jsonl"
    texts += DEV_DESCRIPTIONS
    texts += [json.loads(line)["description"] for line in paraphrases.read_text().splitlines()]
    for text in texts:
        doc = reader.nlp.get_pipe("sentencizer")(reader.nlp.make_doc(normalise(text)))
        canonical_forms(doc, reader.speller)
        sentence = {i: s.start for s in doc.sents for i in range(s.start, s.end)}
        expected = {
            (reader.nlp.vocab.strings[m], start, end)
            for m, start, end in spacys(doc)
            if sentence[start] == sentence[end - 1]
        }
        assert set(ours(doc)) == expected, text
