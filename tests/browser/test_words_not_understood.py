"""Words close to a danger sign, in a real browser at phone width: named, quoted, never calm."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageChecks, describe, screenshot

pytestmark = pytest.mark.browser

WORDS = "My nose is a bit swollen. My speech sounds strange to me."


def test_words_close_to_a_danger_sign_get_a_same_day_answer_that_quotes_them(
    page: Page, checks: PageChecks
) -> None:
    describe(page, "rhinoplasty", 3, WORDS)
    page.wait_for_url("**/assessment/warning-signs")
    page.get_by_label("None of these").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/check")
    page.get_by_role("button", name="Get my answer").click()
    page.wait_for_url("**/assessment/result")
    expect(page.locator("main .care-card--urgent")).to_have_count(1)
    main = page.locator("main")
    expect(main).to_contain_text("slurred speech or trouble speaking")
    said = main.locator(".why", has_text="slurred speech or trouble speaking")
    expect(said.locator("blockquote")).to_have_text("My speech sounds strange to me.")
    checks(page)  # axe: 0 WCAG 2.2 AA violations, help link in place
    screenshot(page, "result-words-close-to-a-danger-sign")
