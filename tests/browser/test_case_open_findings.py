"""Issue 15 on a 390 x 844 phone: the note form asks what became of a sign still open.

A case whose first note was a lip filler emergency (white, blotchy skin): the
next note's form shows each sign, the person's words and their day, and the
question, before the note box, with axe at 0 violations and 44 px tap targets.
"Who treated it?" and "When?" show once "seen" is chosen. A note with the signs
left open keeps the emergency and says why; the overview lists what is open
above the last note's urgency; closing them is shown in the history with dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from reconsult.knowledge import load_knowledge
from reconsult.knowledge.schema import ClosingChoice
from tests.browser.conftest import OpenPage, PageChecks, screenshot
from tests.browser.test_three_stories import PHONE_390, assert_tap_targets
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

EMERGENCY = (
    "I had lip filler 2 hours ago and now my upper lip is white and blotchy and really hurts"
)
BENIGN = "my lip is a bit swollen"
DAY = f"{TODAY.day} {TODAY:%B %Y}"
WORDS = load_knowledge().policy.open_findings
# Everything a finger presses on the note form.
TARGETS = (
    "main .radios__item label, main input[type=text], main textarea, main button, "
    "main a.link-button, .back-link, footer a"
)
SHOTS = Path("/tmp")


MADE: list[str] = []  # the cases this module made, deleted after each test


@pytest.fixture
def phone(open_page: OpenPage) -> Iterator[Page]:
    """A 390 x 844 phone. The cases made on it are deleted afterwards: the live server is
    shared, and later tests expect the list of case files to hold only theirs."""
    page = open_page(viewport=PHONE_390)
    yield page
    while MADE:
        page.request.post(MADE.pop() + "/delete", max_redirects=0)


def _case_with_an_emergency_note(page: Page) -> str:
    """Start a case, add filler done today and the emergency note; return the case's address."""
    page.goto("/cases")
    page.get_by_role("button", name="Start a new case file").click()
    page.wait_for_url(re.compile(r"/cases/[^/]+\?new$"))
    case = page.url.split("?")[0]
    MADE.append(case)
    day = {"day": str(TODAY.day), "month": str(TODAY.month), "year": str(TODAY.year)}
    added = page.request.post(
        case + "/procedures/new",
        form={
            "procedure": "filler_hyaluronic_acid",
            **{f"performed_on-{k}": v for k, v in day.items()},
        },
        max_redirects=0,
    )
    assert added.status == 303, added.text()
    procedure = added.headers["location"].split("#procedure-")[1]
    noted = page.request.post(
        case + "/journal/new",
        form={"procedure_id": procedure, "text": EMERGENCY},
        max_redirects=0,
    )
    assert noted.status == 303, noted.text()
    return case


def _shot(page: Page, name: str) -> None:
    """Save the whole page at 390 px under /tmp (to look at) and under artifacts/."""
    page.screenshot(path=str(SHOTS / f"issue15-{name}.png"), full_page=True)
    screenshot(page, f"issue15-{name}", widths=(PHONE_390["width"],))


def test_the_note_form_asks_about_an_open_sign_on_a_phone(phone: Page, checks: PageChecks) -> None:
    page = phone
    case = _case_with_an_emergency_note(page)
    page.goto(case + "/journal/new")
    checks(page)

    sign = page.locator("#open-finding-skin_blanching")
    expect(sign.locator("h3")).to_have_text(
        "Skin turning white or pale near where you were treated"
    )
    expect(sign).to_contain_text(f"On {DAY} you wrote: “lip is white”")
    group = page.get_by_role("group", name=WORDS.question).first
    expect(group).to_be_visible()
    still = sign.get_by_label(WORDS.still_open)
    expect(still).to_be_checked()
    # The question comes before the note box.
    question_box = sign.bounding_box()
    note_box = page.get_by_label("What do you notice today?").bounding_box()
    assert question_box is not None and note_box is not None
    assert question_box["y"] + question_box["height"] <= note_box["y"]
    # Who and when go with "seen": hidden until it is chosen.
    who = sign.get_by_label("Who treated it?")
    expect(who).to_be_hidden()
    assert_tap_targets(page, TARGETS)
    _shot(page, "note-form")

    sign.get_by_label(WORDS.choices[ClosingChoice.seen]).check()
    expect(who).to_be_visible()
    expect(sign.get_by_role("group", name="When?")).to_be_visible()
    checks(page)
    assert_tap_targets(page, TARGETS)
    _shot(page, "note-form-seen")

    # A wrong date: a plain error, and everything typed is still there.
    who.fill("the clinic")
    page.locator("#treated_on-skin_blanching-day").fill("31")
    page.locator("#treated_on-skin_blanching-month").fill("2")
    page.locator("#treated_on-skin_blanching-year").fill(str(TODAY.year))
    page.get_by_label("What do you notice today?").fill(BENIGN)
    page.get_by_role("button", name="Save and check it").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("The date must be a real date, for example 27 3 2026")
    expect(page.get_by_label("What do you notice today?")).to_have_value(BENIGN)
    expect(who).to_have_value("the clinic")
    checks(page)
    _shot(page, "note-form-error")

    # Left open: the note keeps the emergency, and the answer says which words hold it.
    sign.get_by_label(WORDS.still_open).check()
    page.get_by_role("button", name="Save and check it").click()
    page.wait_for_url(re.compile(r"/journal/[^/]+$"))
    held = page.locator("section.held")
    expect(held).to_contain_text("lip is white")
    expect(held).to_contain_text(WORDS.question)
    expect(page.locator(".care-card--emergency")).to_have_count(1)
    checks(page)
    _shot(page, "held-answer")

    # The overview: what is open, above how urgent the last note was.
    page.goto(case)
    still_open = page.locator("section[aria-labelledby=open-now-title]")
    expect(still_open).to_contain_text(f"On {DAY} you wrote: “lip is white”")
    open_box = still_open.bounding_box()
    last_box = page.locator(".inset--warning", has_text="In your last note").bounding_box()
    assert open_box is not None and last_box is not None and open_box["y"] < last_box["y"]
    checks(page)
    _shot(page, "overview-open")

    # Closed on the next note: the history shows what became of each, with its date.
    page.get_by_role("link", name="Tell us what happened").click()
    page.wait_for_url("**/journal/new#open-findings")
    sign = page.locator("#open-finding-skin_blanching")
    sign.get_by_label(WORDS.choices[ClosingChoice.seen]).check()
    sign.get_by_label("Who treated it?").fill("the clinic")
    for part, value in (("day", TODAY.day), ("month", TODAY.month), ("year", TODAY.year)):
        page.locator(f"#treated_on-skin_blanching-{part}").fill(str(value))
    page.locator("#open-finding-skin_mottling").get_by_label(
        WORDS.choices[ClosingChoice.gone]
    ).check()
    page.get_by_label("What do you notice today?").fill("my lip is a bit swollen, colour is back")
    page.get_by_role("button", name="Save and check it").click()
    page.wait_for_url(re.compile(r"/journal/[^/]+$"))
    expect(page.locator(".care-card--emergency")).to_have_count(0)
    page.goto(case)
    expect(page.locator("section[aria-labelledby=open-now-title]")).to_have_count(0)
    expect(page.locator(".history")).to_contain_text(
        f"seen and treated by the clinic on {DAY}, said on {DAY}"
    )
    checks(page)
    _shot(page, "overview-closed")
