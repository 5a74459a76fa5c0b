"""Phrasings that once slipped through (docs/safety/hazard-log.md), kept as regression tests."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reconsult.cli import app
from reconsult.knowledge.schema import OptionCode, Urgency
from reconsult.triage.models import TimingSource
from tests.conftest import answer


@pytest.mark.parametrize(
    ("procedure", "days", "words"),
    [
        ("botulinum_toxin", 10, "I cant stop thinking about suicide"),
        ("botulinum_toxin", 10, "I can't stop thinking about killing myself"),
        ("filler_hyaluronic_acid", 1, "I'm scared that my lip went white."),
        ("botulinum_toxin", 5, "I'm worried that I can't breathe properly."),
        ("abdominoplasty", 400, "I have had chest pain since my surgery last year."),
        ("filler_hyaluronic_acid", 1, "My sister's lip went white and so did mine."),
        ("filler_hyaluronic_acid", 1, "swollen white lip"),
        ("filler_hyaluronic_acid", 1, "swollen tongue and throat"),
        ("filler_hyaluronic_acid", 1, "My lips are swollen and my lips are blue."),
        ("filler_hyaluronic_acid", 1, "my lip is going grey"),
        ("botulinum_toxin", 3, "I can barely breathe"),
        ("botulinum_toxin", 3, "I'm not able to breathe properly"),
        ("botulinum_toxin", 3, "my throat feels like it's closing"),
        ("abdominoplasty", 6, "my calf has blown up and it's warm"),
        ("botulinum_toxin", 4, "when I look left everything doubles up"),
        ("rhinoplasty", 30, "I keep thinking everyone would be better off without me"),
        ("breast_augmentation", 60, "I've been planning how to end things"),
        ("facelift", 0, "My neck is puffing up by the minute since the facelift"),
        ("botulinum_toxin", 2, "I feel like I'm suffocating"),
        ("abdominoplasty", 7, "I coughed and there was blood in it"),
        ("facelift", 1, "The dressing is completely soaked with blood"),
        ("botulinum_toxin", 2, "My wife says I'm talking gibberish"),
        ("filler_hyaluronic_acid", 2, "My lips are swollen and they are turning purple."),
        ("filler_hyaluronic_acid", 1, "the skin on my cheek is ice cold and looks bluish"),
        ("liposuction", 5, "I can't catch my breath"),
        ("blepharoplasty", 0, "my eyeball feels like it's being pushed out"),
        ("liposuction", 2, "My belly is huge and hard and the pain is unbearable"),
        ("botulinum_toxin", 2, "I'm scared of getting sepsis as I'm shivering uncontrollably"),
        ("filler_hyaluronic_acid", 1, "The vision in my left eye has gone."),
        ("filler_hyaluronic_acid", 1, "Everything went black in my right eye"),
    ],
)
def test_emergencies_in_other_words(procedure: str, days: int, words: str) -> None:
    assert answer(words, procedure=procedure, days=days).urgency is Urgency.emergency


def test_a_worry_about_the_future_still_hides_the_finding() -> None:
    a = answer("I'm scared of getting an infection. My lips are swollen.", days=1)
    assert a.urgency is Urgency.wait


def test_how_long_a_symptom_lasted_is_not_when_the_procedure_was() -> None:
    a = answer("swollen for 3 days after filler I had 3 weeks ago", days=None)
    assert a.days_since_procedure == 21 and a.timing_source is TimingSource.words


def test_intake_days_win_over_words() -> None:
    a = answer("I had Botox 3 weeks ago.", procedure="botulinum_toxin", days=5)
    assert a.days_since_procedure == 5 and a.timing_source is TimingSource.intake


def test_fever_with_dizziness_is_an_emergency_combination() -> None:
    a = answer("Since last night I have a fever and I feel dizzy.", procedure="liposuction", days=4)
    assert a.urgency is Urgency.emergency
    assert "fever-with-systemic-signs" in a.rules_fired


def test_a_gap_never_swallows_a_negation() -> None:
    a = answer("There is a lump that is not red.", days=60)
    assert "inflamed_lump" not in {f.code for f in a.findings}
    assert a.urgency is Urgency.routine


def test_unknown_filler_always_asks_for_records() -> None:
    a = answer("My lips look too big.", procedure="filler_unknown", days=90)
    assert OptionCode.request_records in a.options
    assert OptionCode.dissolve_filler not in a.options


def test_partly_understood_words_still_list_what_was_not_understood() -> None:
    # Ordinary context (the cat) is explained; words about the body are not, and
    # they keep the answer from being calm (issue 13: nothing unexplained ends calm).
    a = answer(
        "My lips are swollen. My cat knocked the vase over. My eyelid keeps twitching.", days=1
    )
    assert a.understood and a.unrecognised_text == ["My eyelid keeps twitching."]
    assert a.urgency is Urgency.soon
    calm = answer("My lips are swollen. My cat knocked the vase over.", days=1)
    assert calm.urgency is Urgency.wait and calm.unrecognised_text == []


def test_suicidal_words_show_crisis_lines_in_the_answer() -> None:
    runner = CliRunner()
    line = (
        '{"id": "s1", "procedure": "rhinoplasty", "days_since_procedure": 400, '
        '"description": "I hate my nose so much I want to die"}'
    )
    result = runner.invoke(app, ["assess", "-i", "-", "--format", "text"], input=line + "\n")
    assert "EMERGENCY" in result.stdout
    assert "988" in result.stdout and "116 123" in result.stdout


def test_bleeding_that_will_not_stop_after_body_surgery_is_urgent() -> None:
    assert (
        answer("I can't stop bleeding", procedure="liposuction", days=2).urgency is Urgency.urgent
    )


def test_an_open_painful_eye_is_urgent() -> None:
    a = answer(
        "My eye won't close and my eye is really painful.", procedure="blepharoplasty", days=3
    )
    assert a.urgency is Urgency.urgent
    assert "open-eye-with-pain" in a.rules_fired
