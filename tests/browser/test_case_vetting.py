"""Checking a provider in a real browser at phone width: axe, the error summary, the keyboard.

The form and the case overview with a provider checked are run through axe
(WCAG 2.2 AA) and the sideways-scroll check, normal and with mistakes; then
the form is filled in with the keyboard alone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageChecks, date_parts, screenshot
from tests.browser.test_case_pages import PROCEDURE, follow, heading, press_button
from tests.browser.test_journeys import assert_error_page
from tests.browser.test_keyboard import (
    assert_focus_visible,
    button,
    field,
    focused,
    press,
    tab_to,
)

pytestmark = pytest.mark.browser

OVERVIEW = re.compile(r"/cases/[^/?]+$")  # the fragment (#provider-check-...) may follow


def case_with_a_procedure(page: Page) -> str:
    """A new case with a filler, made through the app's own forms; return its address."""
    api = page.request
    made = api.post("/cases", max_redirects=0)
    assert made.status == 303, made.status
    case = made.headers["location"].split("?")[0]
    day, month, year = date_parts(10)
    added = api.post(
        case + "/procedures/new",
        form={
            "procedure": PROCEDURE,
            "performed_on-day": day,
            "performed_on-month": month,
            "performed_on-year": year,
        },
        max_redirects=0,
    )
    assert added.status == 303, added.text()[:500]
    return case


def test_checking_a_provider_at_phone_width(page: Page, checks: PageChecks) -> None:
    case = case_with_a_procedure(page)
    page.goto(case)
    checks(page)
    follow(page, "Check a provider", "**/provider-checks/new")
    heading(page, "Check a provider")
    group = page.get_by_role("group", name="Shots in a clinic, with a doctor in charge")
    expect(group.get_by_label("I have not checked yet")).to_be_checked()
    checks(page)
    screenshot(page, "case-vetting-form")

    # Sent without a name: the error summary, focused, links to the box; nothing is lost.
    group = page.get_by_role("group", name="An active license, with no discipline")
    group.get_by_label("I checked and I am worried").check()
    page.get_by_label(re.compile("^What you found for An active license")).fill(
        "A warning from 2021 on DocInfo"
    )
    page.get_by_label("Pressure to book or pay today").check()
    press_button(page, "Save")
    expect(page.locator(".error-summary")).to_contain_text("Enter the provider's name")
    assert_error_page(page, checks)
    expect(group.get_by_label("I checked and I am worried")).to_be_checked()
    expect(page.get_by_label("Pressure to book or pay today")).to_be_checked()
    screenshot(page, "case-vetting-form-errors")
    page.locator(".error-summary a").first.click()
    expect(page.locator("#provider_name")).to_be_focused()

    page.get_by_label("Provider's name").fill("Dr Sam Patel")
    press_button(page, "Save")
    page.wait_for_url(OVERVIEW)
    panel = page.locator("section.panel", has_text="Dr Sam Patel")
    expect(panel).to_contain_text("Checks done")
    expect(panel).to_contain_text("1 of 7")
    expect(panel).to_contain_text("An active license, with no discipline: A warning from 2021")
    expect(panel).to_contain_text("Pressure to book or pay today")
    expect(panel.locator(".inset")).to_contain_text("It is good that you spotted it.")
    expect(panel.locator(".inset")).to_contain_text("Take the price and the plan home")
    checks(page)
    panel.scroll_into_view_if_needed()
    screenshot(page, "case-vetting-overview")

    # Change it, then remove it: the Remove button does not ask first, like a provider seen.
    follow(page, "Change what you checked about Dr Sam Patel", "**/provider-checks/*")
    heading(page, "Change what you checked")
    checks(page)
    page.get_by_label("Pressure to book or pay today").uncheck()
    press_button(page, "Save")
    page.wait_for_url(OVERVIEW)
    expect(panel.locator(".inset")).to_have_count(0)
    page.get_by_role("button", name="Remove what you checked about Dr Sam Patel").click()
    page.wait_for_url(re.compile(r"#provider-checks$"))
    expect(page.locator("section.panel", has_text="Dr Sam Patel")).to_have_count(0)
    checks(page)


def test_the_form_with_the_keyboard_alone(page: Page, checks: PageChecks) -> None:
    case = case_with_a_procedure(page)
    page.goto(case + "/provider-checks/new")
    checks(page)
    tab_to(page, field("provider_name"), "the provider's name")
    page.keyboard.type("Dr Amira Khan")
    # Into the license group: focus lands on the choice already made, "not checked yet".
    tab_to(page, field("check-license"), "the license check")
    assert focused(page)["value"] == "not_checked"  # type: ignore[index]
    state = press(page, "ArrowUp")  # to "I checked and I am worried", choosing it
    assert state["value"] == "concern" and state["checked"], state
    tab_to(page, field("found-license"), "what you found about the license")
    page.keyboard.type("A warning from 2021")
    tab_to(page, field("red_flags", "no-photos"), "the no-photos warning sign")
    page.keyboard.press("Space")
    assert_focus_visible(page, focused(page))
    tab_to(page, field("note"), "the note")
    page.keyboard.type("Ask about the warning")
    tab_to(page, button("Save"), "the Save button")
    page.keyboard.press("Enter")
    page.wait_for_url(OVERVIEW)
    panel = page.locator("section.panel", has_text="Dr Amira Khan")
    expect(panel).to_contain_text("An active license, with no discipline: A warning from 2021")
    expect(panel).to_contain_text("No before-and-after photos")
    expect(panel).to_contain_text("Ask about the warning")
    checks(page)
