"""The guided journey in a real browser, once per urgency level, with axe on every page.

Each journey's words, procedure and date were chosen so the engine gives that
level; the test checks that first, so a knowledge change that moves a case
says "choose other words" instead of failing somewhere in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from reconsult import Case, assess
from reconsult.web.templating import long_date
from tests.browser.conftest import (
    DESKTOP_WIDTH,
    PHONE,
    PageChecks,
    answer_no_emergency,
    assert_loopback_only,
    date_parts,
    screenshot,
)
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Journey:
    """One way through the pages, and the level the answer must have."""

    level: str
    procedure: str
    days_ago: int | None  # None: press "I do not know the date"
    description: str
    signs: tuple[str, ...]  # ticked on the checklist, if it is asked ("none": None of these)
    asks_signs: bool  # False only when the words already show an emergency

    def case(self) -> Case:
        return Case(
            procedure=self.procedure,  # type: ignore[arg-type]
            days_since_procedure=self.days_ago,
            description=self.description,
            confirmed_signs=[s for s in self.signs if s != "none"],
        )


EMERGENCY = Journey(
    level="emergency",
    procedure="filler_hyaluronic_acid",
    days_ago=1,
    description="My lip filler area has gone white and blotchy and the pain is severe",
    signs=(),
    asks_signs=False,
)
URGENT = Journey(
    level="urgent",
    procedure="filler_hyaluronic_acid",
    days_ago=None,
    description="There is a hard lump in my lip with pus coming out and I have a fever",
    signs=("none",),
    asks_signs=True,
)
WAIT = Journey(
    level="wait",
    procedure="rhinoplasty",
    days_ago=10,
    description="My nose is still swollen and it looks a bit uneven",
    signs=("none",),
    asks_signs=True,
)
ROUTINE = Journey(
    level="routine",
    procedure="botulinum_toxin",
    days_ago=120,
    description="My forehead looks uneven and I am not happy with the result",
    signs=("none",),
    asks_signs=True,
)
JOURNEYS = [EMERGENCY, URGENT, WAIT, ROUTINE]


def test_each_journey_gives_its_level() -> None:
    """The chosen words still give the intended level (no browser needed)."""
    for journey in JOURNEYS:
        got = assess(journey.case(), TODAY).urgency
        assert got == journey.level, (
            f"{journey.description!r} now gives {got}, not {journey.level}: "
            "the knowledge changed; choose words that give the intended level"
        )


def walk(page: Page, journey: Journey, checks: PageChecks, *, accessibility: bool = True) -> None:
    """Answer every question with the mouse, running ``checks`` on each page, to the result."""
    page.goto("/")
    checks(page, accessibility=accessibility)
    page.get_by_role("button", name="Start now").click()

    page.wait_for_url("**/assessment/emergency-check")
    expect(page.get_by_role("heading", level=1)).to_have_text("Is any of this happening now?")
    checks(page, accessibility=accessibility)
    answer_no_emergency(page)

    page.wait_for_url("**/assessment/procedure")
    expect(page.get_by_role("heading", level=1)).to_have_text("What did you have done?")
    checks(page, accessibility=accessibility)
    page.locator(f'input[name="procedure"][value="{journey.procedure}"]').check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/assessment/when")
    expect(page.get_by_role("heading", level=1)).to_have_text("When did you have it?")
    checks(page, accessibility=accessibility)
    if journey.days_ago is None:
        page.get_by_role("button", name="I do not know the date").click()
    else:
        day, month, year = date_parts(journey.days_ago)
        page.get_by_label("Day").fill(day)
        page.get_by_label("Month").fill(month)
        page.get_by_label("Year").fill(year)
        page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/assessment/description")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What is happening? Tell us in your own words."
    )
    checks(page, accessibility=accessibility)
    page.get_by_label("What is happening?").fill(journey.description)
    page.get_by_role("button", name="Continue").click()

    if journey.level == "emergency":
        # The words alone show an emergency: straight to the answer, no checklist.
        page.wait_for_url("**/assessment/result")
        return
    if journey.asks_signs:
        page.wait_for_url("**/assessment/warning-signs")
        expect(page.get_by_role("heading", level=1)).to_have_text("Is any of this happening now?")
        checks(page, accessibility=accessibility)
        for sign in journey.signs:
            page.locator(f'input[name="signs"][value="{sign}"]').check()
        page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/assessment/check")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    checks(page, accessibility=accessibility)
    page.get_by_role("button", name="Get my answer").click()
    page.wait_for_url("**/assessment/result")


def assert_result(page: Page, journey: Journey) -> None:
    """The result page shows the care card (or none) that the level calls for."""
    main = page.locator("main")
    cards = main.locator(".care-card")
    if journey.level == "emergency":
        expect(main.locator(".care-card--emergency")).to_have_count(1)
        expect(cards).to_have_count(1)
        expect(page.locator(".care-card--emergency .care-card__heading")).to_be_visible()
    elif journey.level == "urgent":
        expect(main.locator(".care-card--urgent")).to_have_count(1)
        expect(cards).to_have_count(1)
    elif journey.level == "wait":
        assessment = assess(journey.case(), TODAY)
        assert assessment.reassess_on is not None
        expect(page.get_by_role("heading", level=1)).to_contain_text("too early to judge")
        expect(main).to_contain_text(f"Look again on {long_date(assessment.reassess_on)}")
        reminder = page.get_by_role("link", name="Add a reminder to your calendar")
        expect(reminder).to_have_attribute("href", "/assessment/result/reminder.ics")
        # Calm: no card; the warning signs are folded in a native <details>.
        expect(cards).to_have_count(0)
        expect(main.locator("details summary")).to_have_text("Warning signs to watch for")
    else:
        expect(cards).to_have_count(0)


def download_reminder(page: Page) -> str:
    """Click "Add a reminder to your calendar" and return the downloaded file's text."""
    with page.expect_download() as download:
        page.get_by_role("link", name="Add a reminder to your calendar").click()
    path = download.value.path()
    return Path(path).read_text(encoding="utf-8")


@pytest.mark.parametrize("journey", JOURNEYS, ids=[j.level for j in JOURNEYS])
def test_journey_to_the_answer(
    page: Page, checks: PageChecks, request_log: list[str], journey: Journey
) -> None:
    walk(page, journey, checks)
    assert_result(page, journey)
    checks(page)
    screenshot(page, f"result-{journey.level}", widths=(PHONE["width"], DESKTOP_WIDTH))
    if journey.level == "wait":
        ics = download_reminder(page)
        reassess_on = assess(journey.case(), TODAY).reassess_on
        assert reassess_on is not None
        assert "BEGIN:VCALENDAR" in ics
        assert f"DTSTART;VALUE=DATE:{reassess_on:%Y%m%d}" in ics
    assert request_log, "no requests were recorded"
    assert_loopback_only(request_log)


def assert_error_page(page: Page, checks: PageChecks) -> None:
    """GOV.UK error pattern: 'Error: ' title, the summary first, each link to a real field."""
    assert page.title().startswith("Error: "), page.title()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    # Focus moves to the summary (autofocus), so screen readers announce it first.
    expect(summary).to_be_focused()
    for link in summary.locator("a").all():
        target = link.get_attribute("href")
        assert target and target.startswith("#"), target
        expect(page.locator(target)).to_have_count(1)
    checks(page)


def test_empty_answers_show_the_error_summary(page: Page, checks: PageChecks) -> None:
    """Continue with nothing answered on every question page, then recover."""
    page.goto("/")
    checks(page)
    page.get_by_role("button", name="Start now").click()

    page.wait_for_url("**/assessment/emergency-check")
    page.get_by_role("button", name="Continue").click()
    assert_error_page(page, checks)
    answer_no_emergency(page)

    page.wait_for_url("**/assessment/procedure")
    page.get_by_role("button", name="Continue").click()
    assert_error_page(page, checks)
    page.locator('input[name="procedure"][value="rhinoplasty"]').check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/assessment/when")
    page.get_by_role("button", name="Continue").click()
    assert_error_page(page, checks)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill(str(TODAY.year))
    page.get_by_role("button", name="Continue").click()
    assert_error_page(page, checks)  # not a real date
    day, month, year = date_parts(WAIT.days_ago or 0)
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/assessment/description")
    page.get_by_role("button", name="Continue").click()
    assert_error_page(page, checks)
    page.get_by_label("What is happening?").fill(WAIT.description)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/assessment/warning-signs")
    page.get_by_role("button", name="Continue").click()
    assert_error_page(page, checks)
    page.locator('input[name="signs"][value="none"]').check()
    page.get_by_role("button", name="Continue").click()

    # Check your answers: "Change" goes back to the question, filled in, and returns here.
    page.wait_for_url("**/assessment/check")
    checks(page)
    page.get_by_role("link", name="Change when you had it").click()
    page.wait_for_url("**/assessment/when")
    expect(page.get_by_label("Day")).to_have_value(day)
    checks(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/check")
    page.get_by_role("button", name="Get my answer").click()
    page.wait_for_url("**/assessment/result")
    assert_result(page, WAIT)


def test_back_links_on_question_pages(page: Page) -> None:
    """Every question page has a back link to the page before it."""
    walk(page, ROUTINE, PageChecks(), accessibility=False)
    expected = {
        "/assessment/emergency-check": "/",
        "/assessment/procedure": "/assessment/emergency-check",
        "/assessment/when": "/assessment/procedure",
        "/assessment/description": "/assessment/when",
        "/assessment/warning-signs": "/assessment/description",
        "/assessment/check": "/assessment/warning-signs",
    }
    for path, back in expected.items():
        page.goto(path)
        link = page.locator("a.back-link")
        expect(link).to_have_count(1)
        expect(link).to_have_attribute("href", back)
