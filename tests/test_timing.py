"""Days since the procedure read from words, only where the words are about the procedure."""

from __future__ import annotations

import pytest

from reconsult.knowledge import Knowledge
from reconsult.triage.understand import reader_for
from tests.conftest import TODAY  # a Saturday


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("I had Botox 3 weeks ago and my brow is uneven.", 21),
        ("Had lip filler about 5 months ago and it was fine.", 152),
        ("I had a rhinoplasty a year and a half ago.", 548),
        ("I had lip filler 3 and a half weeks ago.", 24),
        ("Got my filler yesterday and this morning it is swollen.", 1),
        ("The cast came off today, 9 days after my nose job.", 9),
        ("Day 4 after my facelift and it is bruised.", 4),
        ("I had my tummy tuck last Tuesday.", 4),
        ("Breast implants for 3 years now.", 1095),
        ("I had botox 10days ago", 10),
        ("I've had implants since 2014.", 4526),
    ],
)
def test_time_in_words(kb: Knowledge, text: str, days: int) -> None:
    timing = reader_for(kb).read(text, TODAY).timing
    assert timing is not None and timing.days == days


def test_time_not_about_the_procedure_is_ignored(kb: Knowledge) -> None:
    text = "Two weeks ago I had a bad flu. My lips have lumps."
    assert reader_for(kb).read(text, TODAY).timing is None
