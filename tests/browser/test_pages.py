"""The pages outside the journey: start, help, about, guides and 'page not found'.

Each gets axe at WCAG 2.2 AA and the consistent-help check, at phone width.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import PageChecks, page_overflows

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/help", "/about", "/guides"])
def test_plain_page_is_accessible(page: Page, checks: PageChecks, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1).count() == 1
    assert not page_overflows(page), f"{path} scrolls sideways at 360 px"
    checks(page)


def test_a_procedure_guide_is_accessible(page: Page, checks: PageChecks) -> None:
    page.goto("/guides")
    checks(page)
    first_guide = page.locator("main a[href^='/guides/']").first
    href = first_guide.get_attribute("href")
    first_guide.click()
    page.wait_for_url(f"**{href}")
    assert page.get_by_role("heading", level=1).count() == 1
    assert not page_overflows(page), f"{href} scrolls sideways at 360 px"
    checks(page)


def test_page_not_found_is_accessible(page: Page, checks: PageChecks) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).count() == 1
    checks(page)
