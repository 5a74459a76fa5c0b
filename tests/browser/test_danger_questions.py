"""The danger questions page in a real browser at phone width: tailored, accessible, acted on."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, PageChecks, describe, page_overflows, screenshot

pytestmark = pytest.mark.browser

WORDS = "My nose is swollen and a bit sore."


def to_the_questions(page: Page, checks: PageChecks, days_ago: int) -> None:
    """Answer the first three questions for a nose operation ``days_ago`` days ago."""
    describe(page, "rhinoplasty", days_ago, WORDS)
    page.wait_for_url("**/assessment/warning-signs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Is any of this happening now?")
    assert page.viewport_size == PHONE
    assert not page_overflows(page), "the danger questions scroll sideways at 360 px"
    checks(page)  # axe: 0 WCAG 2.2 AA violations, help link in place


def test_early_after_surgery_a_ticked_clot_sign_gives_emergency(
    page: Page, checks: PageChecks
) -> None:
    to_the_questions(page, checks, days_ago=3)
    chest = page.get_by_label("You have chest pain, or you are coughing up blood")
    expect(chest).to_be_visible()
    expect(page.get_by_label("A calf or leg is swollen, warm or painful")).to_be_visible()
    expect(page.get_by_label("None of these")).to_be_visible()
    screenshot(page, "danger-questions-nose-day-3")
    chest.check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/check")
    expect(page.locator("main")).to_contain_text("You have chest pain")
    checks(page)
    page.get_by_role("button", name="Get my answer").click()
    page.wait_for_url("**/assessment/result")
    expect(page.locator("main .care-card--emergency")).to_have_count(1)
    checks(page)


def test_four_months_after_surgery_the_clot_signs_are_not_asked(
    page: Page, checks: PageChecks
) -> None:
    to_the_questions(page, checks, days_ago=120)
    main = page.locator("main")
    expect(main).not_to_contain_text("chest pain")
    expect(main).not_to_contain_text("calf")
    expect(
        page.get_by_label("You are having thoughts of ending your life or hurting yourself")
    ).to_be_visible()
    screenshot(page, "danger-questions-nose-day-120")
    page.get_by_label("None of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/check")
