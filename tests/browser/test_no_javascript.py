"""The whole journey works with JavaScript turned off (DESIGN: pages work without it)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage, PageChecks, assert_loopback_only
from tests.browser.test_journeys import URGENT, assert_result, walk

pytestmark = pytest.mark.browser


def test_journey_without_javascript(
    open_page: OpenPage, checks: PageChecks, request_log: list[str]
) -> None:
    page = open_page(java_script_enabled=False)
    walk(page, URGENT, checks, accessibility=False)  # axe needs JavaScript
    assert_result(page, URGENT)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The check really ran with scripts off: a <noscript> fallback would render as text.
    page.set_content("<noscript><p id=off>scripts are off</p></noscript>")
    expect(page.locator("#off")).to_be_visible()
    assert_loopback_only(request_log)
