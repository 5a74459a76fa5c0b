"""Smoke test: Playwright can drive Debian's Chromium and load the start page.

Playwright only promises to work with the Chromium build it bundles; we use
Debian's instead (research/ecosystem.md 2.14). If an upgrade of either one
breaks the pairing, this test says so first and plainly.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import CHROMIUM, axe_check

pytestmark = pytest.mark.browser


def test_debian_chromium_loads_the_start_page(browser: Browser, page: Page) -> None:
    pairing = f"Playwright {version('playwright')} with {CHROMIUM} {browser.version}"
    try:
        response = page.goto("/")
    except Exception as error:  # any driver/browser mismatch surfaces here
        pytest.fail(f"{pairing} could not load the start page: {error}", pytrace=False)
    assert response is not None and response.status == 200, pairing
    assert page.get_by_role("heading", level=1).count() == 1, pairing
    assert page.get_by_role("button", name="Start now").is_visible(), pairing


def test_the_accessibility_check_fails_on_a_page_with_violations(page: Page) -> None:
    """axe, as every browser test runs it, reports a planted WCAG failure with its place."""
    page.goto("/")
    page.evaluate(
        """() => {
          const field = document.createElement('input');
          field.id = 'planted-field';
          document.querySelector('main').append(field);
          document.documentElement.removeAttribute('lang');
        }"""
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page)
    message = str(failure.value)
    assert "html-has-lang" in message, message
    assert "label" in message and "#planted-field" in message, message
