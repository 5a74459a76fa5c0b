"""Feelings about the result (issue 14): distress, and worry about looks that fills the day.

Both are context findings: each gives one kind reason and never changes the
urgency, the options or the other findings read from the same words.
"""

from __future__ import annotations

import pytest

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage.models import Assessment, FindingStatus
from reconsult.triage.understand import reader_for
from tests.conftest import TODAY, answer

DISTRESS = "result_distress"
PREOCCUPATION = "appearance_preoccupation"
FEELINGS = (DISTRESS, PREOCCUPATION)


def _statuses(kb: Knowledge, text: str, code: str) -> set[FindingStatus]:
    return {f.status for f in reader_for(kb).read(text, TODAY).findings if f.code == code}


def _present(kb: Knowledge, text: str, code: str) -> bool:
    return FindingStatus.present in _statuses(kb, text, code)


def _reasons(a: Assessment, code: str) -> list[str]:
    return [r.text for r in a.reasons if r.finding == code]


@pytest.mark.parametrize(
    "text",
    [
        "I can't look in the mirror.",
        "i cant even look at myself",
        "I cry every time I see it.",
        "Been crying about it every night.",
        "I cried in the car after the appointment.",
        "I feel so stupid for doing this.",
        "Honestly I feel like an idiot.",
        "What have I done?",
        "I wish I'd never had it done.",
        "I don't recognise myself.",
        "It's like a stranger looking back at me.",
        "I look like someone else.",
        "I avoid mirrors now.",
        "I hate looking at myself.",
        "I'm close to tears.",
    ],
)
def test_distress_about_the_result_is_read(kb: Knowledge, text: str) -> None:
    assert _present(kb, text, DISTRESS)
    assert len(_reasons(answer(text), DISTRESS)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "I can't stop thinking about it.",
        "It's all I think about.",
        "It's all I can think about now.",
        "I check it in the mirror all day.",
        "I spend hours in front of the mirror.",
        "I haven't left the house in weeks because of my nose.",
        "I don't leave the house without a hat.",
        "I've stopped seeing my friends.",
        "I keep comparing it to my before photos.",
        "My partner says I'm obsessing.",
        "I've covered all the mirrors.",
    ],
)
def test_worry_that_fills_the_day_is_read(text: str) -> None:
    # "my before photos" reads as history, and a context finding counts in the past too.
    assert len(_reasons(answer(text, procedure="rhinoplasty", days=400), PREOCCUPATION)) == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Denied, someone else's, a worry, or past: never the person's feeling now.
        ("I don't hate it, it's just a bit swollen.", DISTRESS),
        ("My friend can't stop thinking about her nose.", PREOCCUPATION),
        ("My friend can't stop thinking about it.", PREOCCUPATION),
        ("What if I can't look in the mirror afterwards?", DISTRESS),
        ("I'm not obsessing, it's just still swollen.", PREOCCUPATION),
        ("I don't feel stupid at all, I'm just asking.", DISTRESS),
        ("Two years ago when I was really depressed I thought about it, I'm fine now.", DISTRESS),
        # Not feelings at all.
        ("I sound like someone else, my voice is hoarse.", DISTRESS),
        ("She doesn't recognise me and she seems confused.", DISTRESS),
        ("I cried happy tears when the cast came off.", DISTRESS),
        ("I keep checking the mirror and the skin colour is normal.", PREOCCUPATION),
        ("My colleague asked if I'd been crying.", DISTRESS),
    ],
)
def test_what_is_not_the_persons_feeling_now(kb: Knowledge, text: str, code: str) -> None:
    assert not _present(kb, text, code)
    assert not _reasons(answer(text), code)


def test_hating_the_result_stays_the_look_of_the_result(kb: Knowledge) -> None:
    # "hate" is look_dissatisfaction's word; the feelings never take it from the look.
    for text in ("I hate my lips.", "I hate it.", "I've ruined my face."):
        assert _present(kb, text, "look_dissatisfaction"), text
    text = "My lips look too big. I hate them and I cry every time I see them."
    assert _present(kb, text, "look_dissatisfaction")
    assert _present(kb, text, DISTRESS)


@pytest.mark.parametrize(
    "feeling",
    [
        "I hate it.",
        "I cry every time I see it.",
        "I can't look in the mirror.",
        "I can't stop thinking about it.",
        "I feel so stupid for doing this.",
    ],
)
@pytest.mark.parametrize(
    ("procedure", "days", "words"),
    [
        ("filler_hyaluronic_acid", 4, "My lips look too big and lumpy."),
        ("rhinoplasty", 30, "My nose still looks too wide."),
        ("breast_augmentation", 400, "My implants look too big."),
    ],
)
def test_a_feeling_never_changes_the_answer(
    procedure: str, days: int, words: str, feeling: str
) -> None:
    before = answer(words, procedure=procedure, days=days)
    after = answer(f"{words} {feeling}", procedure=procedure, days=days)
    assert after.urgency is before.urgency
    assert after.options == before.options
    assert after.reassess_on == before.reassess_on


def test_too_early_to_judge_stays_wait_with_the_date_to_look_again() -> None:
    plain = answer("My lips look too big.", days=4)
    assert plain.urgency is Urgency.wait
    upset = answer("My lips look too big. I hate it, I cry every time I see it.", days=4)
    assert upset.urgency is Urgency.wait
    assert upset.reassess_on == plain.reassess_on
    assert len(_reasons(upset, DISTRESS)) == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I can't look in the mirror and I cry every time I see it. I feel so stupid.", DISTRESS),
        ("I can't stop thinking about it, I check it in the mirror all day.", PREOCCUPATION),
    ],
)
def test_each_feeling_gives_exactly_one_reason_with_its_code(text: str, code: str) -> None:
    a = answer(text, procedure="rhinoplasty", days=400)
    reasons = [r for r in a.reasons if r.finding == code]
    assert len(reasons) == 1
    assert reasons[0].urgency is None
    assert reasons[0].sources
    assert {s.id for s in a.sources} >= set(reasons[0].sources)


def test_the_distress_reason_says_it_can_be_raised_now() -> None:
    (text,) = _reasons(answer("I cry every time I see it.", days=4), DISTRESS)
    assert "surgeon or injector" in text
    assert "now" in text


def test_the_support_reason_names_the_gp_and_both_organisations_without_diagnosing() -> None:
    a = answer("It's all I think about.", procedure="rhinoplasty", days=400)
    (text,) = _reasons(a, PREOCCUPATION)
    assert "GP or doctor" in text
    assert "bddfoundation.org" in text
    assert "bdd.iocdf.org" in text
    assert "you have" not in text.lower()
    assert "dysmorphic" not in text.lower()


def test_the_support_sources_are_cited_with_addresses(kb: Knowledge) -> None:
    for source_id in ("bdd-foundation", "iocdf-bdd"):
        source = kb.sources[source_id]
        assert source.url is not None
        assert source.publisher
    cited = {s for f in FEELINGS for r in kb.findings[f].rules for s in r.sources}
    assert {"bdd-foundation", "iocdf-bdd"} <= cited


def test_the_feelings_have_no_urgency_and_no_options(kb: Knowledge) -> None:
    for code in FEELINGS:
        for rule in kb.findings[code].rules:
            assert rule.urgency is None
            assert not rule.options


@pytest.mark.parametrize(
    "text",
    [
        "I can't look in the mirror and I want to die.",
        "I can't stop thinking about ending it.",
        "I'm thinking about ending it, I can't look in the mirror.",
        "I haven't left the house in weeks and I don't want to live like this.",
        "I hate myself and I want to die.",
        "I feel like a monster and I don't want to live.",
    ],
)
def test_the_crisis_path_is_untouched(kb: Knowledge, text: str) -> None:
    a = answer(text, procedure="rhinoplasty", days=400)
    assert a.urgency is Urgency.emergency
    assert _present(kb, text, "suicidal_thoughts")


HA = "filler_hyaluronic_acid"


@pytest.mark.parametrize(
    ("text", "procedure", "days", "sign"),
    [
        ("I feel so stupid, my lip has gone white.", HA, 1, "skin_blanching"),
        ("I keep staring at the white patch in the mirror.", HA, 1, "skin_blanching"),
        ("I can't look in the mirror, my lip has gone white.", HA, 1, "skin_blanching"),
        ("I cry every time I look, my vision is blurry in one eye.", HA, 3, "vision_loss"),
        (
            "I feel like an idiot, I can't breathe properly.",
            "botulinum_toxin",
            5,
            "breathing_difficulty",
        ),
        (
            "I can't stand looking at myself, my eye is bulging.",
            "blepharoplasty",
            2,
            "orbital_haemorrhage",
        ),
    ],
)
def test_a_feeling_never_hides_a_danger_sign_told_beside_it(
    kb: Knowledge, text: str, procedure: str, days: int, sign: str
) -> None:
    assert _present(kb, text, sign)
    assert answer(text, procedure=procedure, days=days).urgency is Urgency.emergency


@pytest.mark.parametrize(
    "feeling",
    [
        "I'm too embarrassed to go back.",
        "I cry every time I look in the mirror.",
        "I can't stop thinking about it.",
    ],
)
def test_a_feeling_never_explains_away_words_we_could_not_read(feeling: str) -> None:
    """Beside nothing but a feeling, a sentence about the body we could not read still counts."""
    words = "My eyelid has slipped down so I have to lift my brow to see."
    alone = answer(words, procedure="botulinum_toxin", days=10)
    both = answer(f"{words} {feeling}", procedure="botulinum_toxin", days=10)
    assert words in alone.unrecognised_text
    assert words in both.unrecognised_text
    assert both.urgency is alone.urgency
