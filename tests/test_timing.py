"""Days since the procedure read from words, only where the words are about the procedure."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pytest

from reconsult import Case, assess
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
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


MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "days", "quoted"),
    [
        # Amounts, in words and in clinic shorthand.
        ("I had a rhinoplasty a fortnight ago and it is still blocked.", 14, "a fortnight ago"),
        ("It is 3 wks po after my facelift and the scar is red.", 21, "3 wks po"),
        ("I'm 10 days po from my rhinoplasty.", 10, "10 days po"),
        ("I am 2/52 post op after my facelift.", 14, "2/52 post op"),
        ("My breast implants were done a month and a half ago.", 46, "a month and a half ago"),
        ("I am 6 weeks post-op from my facelift.", 42, "6 weeks post-op"),
        ("Day 5 post blepharoplasty and my eyes are dry.", 5, "Day 5 post"),
        ("I had filler nearly two weeks ago and it's still tender.", 14, "nearly two weeks ago"),
        ("About 10 days after my nose job I noticed a bump.", 10, "About 10 days"),
        # Days named in words (TODAY is Saturday 21 November 2026).
        ("Tear trough filler the day before yesterday.", 2, "the day before yesterday"),
        ("I had my tummy tuck last thursday week.", 9, "last thursday week"),
        ("I had filler over the weekend and now my lip is white.", 7, "over the weekend"),
        ("Had Botox earlier this week and I have a headache.", 3, "earlier this week"),
        ("I had lip filler this morning and it is very swollen.", 0, "this morning"),
        ("Had filler the other day, small bruise.", 3, "the other day"),
        # Days that come every year: their last time up to today (Easter 2026 was 5 April).
        ("I had filler around Easter and it is lumpy.", 230, "Easter"),
        ("Lips done just after Christmas, still lumpy.", 331, "Christmas"),
        # "Years ago" is at least two years, when nothing says more.
        ("Years ago (about six) I had silicone injected in my cheeks.", 730, "Years ago"),
        # The date may sit in another clause of the sentence that names the procedure.
        ("Had filler, I think in March, and now a bump.", 250, "in March"),
        # Calendar dates: the latest such date up to today.
        ("I had my botox on the 3rd and I can't lift my brow.", 18, "on the 3rd"),
        ("I had Botox on 12 May and my eyelid droops.", 193, "on 12 May"),
        ("My nose job was May 12th and it still looks swollen.", 193, "May 12th"),
        ("I had filler on 25/05 and my lip is lumpy.", 180, "on 25/05"),
        # A month or season without a day: from its middle (16 March, 15 April 2026).
        ("I had my filler back in March, it's July now.", 250, "back in March"),
        ("Got filler in the spring and the lump has not gone.", 220, "in the spring"),
    ],
)
def test_time_phrases_people_use(kb: Knowledge, text: str, days: int, quoted: str) -> None:
    timing = reader_for(kb).read(text, TODAY).timing
    assert timing is not None
    assert (timing.days, text[timing.start : timing.end]) == (days, quoted)


def test_the_weekend_just_gone_on_a_monday(kb: Knowledge) -> None:
    timing = reader_for(kb).read("I had filler over the weekend.", MONDAY).timing
    assert timing is not None and (timing.days, timing.text) == (2, "over the weekend")


def test_the_writers_now_does_not_move_today(kb: Knowledge) -> None:
    # "it's July now" was true when written; the assessment counts to the day it is read.
    text = "I had my filler back in March, it's July now."
    timing = reader_for(kb).read(text, dt.date(2026, 7, 20)).timing
    assert timing is not None and timing.days == 126  # 16 March to 20 July
    timing = reader_for(kb).read(text, TODAY).timing
    assert timing is not None and timing.days == 250


@pytest.mark.parametrize(
    "text",
    [
        # Words that look like dates to a date parser but are not.
        "May I ask if this is normal after my filler?",
        "I march on with the pain since my tummy tuck.",
        "I'm in 2 minds about my nose job.",
        "I want a second opinion on my nose job.",
        "My sun damage got worse after the filler.",
        "This may be normal after filler.",
        "I burnt in the sun after my botox.",
        "I had a fall after my facelift.",
        "My pain is 8/10 since the filler.",
        "This is my 2nd filler and my 3rd botox.",
        "On the 1st day after my facelift I bled.",
        # Only "long ago": no guess, and not today either.
        "I had botox ages ago and today my eyelid droops.",
        "Filler a while ago, today there's a lump.",
        # 12/05 is 12 May or 5 December: not guessed, and not today either.
        "I had filler on 12/05 and today my lip is lumpy.",
        # A date still ahead, or one before anyone now alive had a procedure.
        "My filler was on 12 May 2027.",
        "My filler was on 12 May 1920.",
    ],
)
def test_words_that_do_not_date_the_procedure(kb: Knowledge, text: str) -> None:
    assert reader_for(kb).read(text, TODAY).timing is None


def test_tied_words_still_win_over_a_date(kb: Knowledge) -> None:
    text = "Day 3 after my filler, which I had on a Tuesday, on 18 November."
    timing = reader_for(kb).read(text, TODAY).timing
    assert timing is not None and (timing.days, timing.text) == (3, "Day 3")


def test_long_ago_does_not_hide_a_date_given_beside_it(kb: Knowledge) -> None:
    text = "I had my first filler years ago and the last filler 2 weeks ago."
    timing = reader_for(kb).read(text, TODAY).timing
    assert timing is not None and (timing.days, timing.text) == (14, "2 weeks ago")


def test_a_duration_with_a_hedge_is_still_a_duration(kb: Knowledge) -> None:
    # How long the swelling lasted is not when the filler was: "3 weeks ago" wins.
    text = "I was swollen for about 3 days after my filler 3 weeks ago."
    timing = reader_for(kb).read(text, TODAY).timing
    assert timing is not None and (timing.days, timing.text) == (21, "3 weeks ago")


def test_dates_do_not_depend_on_the_machines_time_zone(
    kb: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["I had Botox on 22 Nov.", "Filler back in November.", "Botox on 25/05/2025."]
    expected = [reader_for(kb).read(t, TODAY).timing for t in texts]
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        assert [reader_for(kb).read(t, TODAY).timing for t in texts] == expected
    monkeypatch.undo()
    time.tzset()
    assert [e.days if e else None for e in expected] == [364, 10, 545]


def test_importing_the_module_does_not_import_dateparser() -> None:
    # dateparser costs ~0.2 s on first use; a text without a calendar date never pays it.
    code = "import sys, reconsult.triage.timing; print('dateparser' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    "text", ["I had botox ² days ago", "it dropped ²/³ weeks ago", "botox on the ³rd", "٣ days ago"]
)
def test_superscript_and_other_digit_characters_never_crash(kb: Knowledge, text: str) -> None:
    """str.isdigit() accepts '²', which int() refuses: digits are read as decimals only."""
    assessment = assess(Case(procedure="botulinum_toxin", description=text), TODAY, kb)
    assert assessment.urgency in set(Urgency)
