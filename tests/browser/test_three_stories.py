"""Issue 14's three stories on a 390 x 844 phone, with axe on every page.

- A lip filler emergency reaches the emergency answer in at most two screens
  after the start page; the call link is visible without scrolling, and what to
  do, the call buttons, what to say and the filler note all end above 844 px.
- A toxin brow at day 5 and an unhappy nose at four months get calm answers:
  no red card, the look-again date with a reminder button, signs folded.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OpenPage, PageChecks, date_parts, screenshot

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def phone(open_page: OpenPage) -> Page:
    return open_page(viewport=PHONE_390)


def assert_tap_targets(page: Page, selector: str) -> None:
    """Every visible link or button matching ``selector`` is at least 44 x 44 px (WCAG 2.5.5)."""
    small = page.evaluate(
        """sel => [...document.querySelectorAll(sel)]
          .map(e => ({text: e.innerText.trim(), r: e.getBoundingClientRect()}))
          .filter(x => x.r.width > 0 && (x.r.height < 44 || x.r.width < 44))
          .map(x => `${x.text}: ${Math.round(x.r.width)} x ${Math.round(x.r.height)}`)""",
        selector,
    )
    assert not small, f"tap targets under 44 x 44 px on {page.url}: {small}"


def _bottom(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


def test_a_lip_filler_emergency_is_two_screens_from_the_start(
    phone: Page, checks: PageChecks
) -> None:
    page = phone
    page.goto("/")
    checks(page)
    page.get_by_role("button", name="Start now").click()

    # Screen 1: "Is any of this happening now?"
    page.wait_for_url("**/assessment/emergency-check")
    checks(page)
    page.get_by_label("Skin near a filler turns white, blotchy, blue-grey or dark").check()
    page.get_by_role("button", name="Continue").click()

    # Screen 2: the emergency answer.
    page.wait_for_url("**/assessment/result")
    checks(page)
    call = page.locator("a.call--first")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:911")
    assert page.evaluate("window.scrollY") == 0
    assert _bottom(page, "a.call--first") <= PHONE_390["height"]
    # The essentials: the action (h1), the calls, what to tell them, the filler note.
    card = page.locator(".care-card--emergency")
    expect(card.locator("h1")).to_contain_text("Call your emergency number")
    expect(card).to_contain_text("What to tell them")
    expect(card).to_contain_text("hyaluronidase")
    assert _bottom(page, ".care-card--emergency") <= PHONE_390["height"]
    assert_tap_targets(page, "a.call, footer a, .back-link")
    screenshot(page, "issue14-emergency", widths=(PHONE_390["width"],))


def test_an_emergency_told_in_words_fits_one_screen_too(phone: Page, checks: PageChecks) -> None:
    page = phone
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/assessment/emergency-check")
    page.get_by_label("None of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/procedure")
    page.locator('input[name="procedure"][value="filler_hyaluronic_acid"]').check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/when")
    page.get_by_role("button", name="It was today").click()
    page.wait_for_url("**/assessment/description")
    page.get_by_label("What is happening?").fill(
        "I had lip filler 2 hours ago and now my upper lip is white and blotchy and really hurts"
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/result")
    checks(page)
    expect(page.locator(".care-card--emergency")).to_contain_text("hyaluronidase")
    assert _bottom(page, ".care-card--emergency") <= PHONE_390["height"]
    screenshot(page, "issue14-emergency-words", widths=(PHONE_390["width"],))


@pytest.mark.parametrize(
    ("procedure", "days", "words", "name"),
    [
        ("botulinum_toxin", 5, "My eyebrows look too high and a bit surprised", "toxin-brow"),
        ("rhinoplasty", 120, "My nose is crooked and the tip looks bulbous", "nose"),
    ],
    ids=["toxin-brow-day-5", "nose-four-months"],
)
def test_a_calm_answer_shows_no_red_card(
    phone: Page, checks: PageChecks, procedure: str, days: int, words: str, name: str
) -> None:
    page = phone
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/assessment/emergency-check")
    page.get_by_label("None of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/procedure")
    page.locator(f'input[name="procedure"][value="{procedure}"]').check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/when")
    day, month, year = date_parts(days)
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/description")
    page.get_by_label("What is happening?").fill(words)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/warning-signs")
    page.get_by_label("None of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/check")
    assert_tap_targets(page, ".summary-list__actions a, .back-link")  # the "Change" links
    page.get_by_role("button", name="Get my answer").click()
    page.wait_for_url("**/assessment/result")
    checks(page)
    assert_tap_targets(page, "footer a, .back-link, main a.button, main summary")
    main = page.locator("main")
    expect(main.locator(".care-card")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text("too early to judge")
    reminder = page.get_by_role("link", name="Add a reminder to your calendar")
    expect(reminder).to_be_visible()
    box = reminder.bounding_box()
    assert box is not None and box["height"] >= 44
    folded = main.locator("details")
    expect(folded).not_to_have_attribute("open", "")
    folded.locator("summary").click()
    expect(folded).to_contain_text("Your throat feels tight")
    checks(page)
    screenshot(page, f"issue14-{name}", widths=(PHONE_390["width"],))
