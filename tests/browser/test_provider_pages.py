"""The provider directory in a real browser at phone width: search, errors, one provider.

This module serves its own app with the small directory of
tests/web/test_providers.py imported (and another with none, for the
empty-directory page). Every page visited is checked with axe and for
sideways scrolling; then the keyboard alone, and the same search with
JavaScript turned off.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from reconsult.settings import Settings
from reconsult.web import create_app
from tests.browser.conftest import (
    DESKTOP_WIDTH,
    PHONE,
    OpenPage,
    PageChecks,
    _wait_until_answering,
    page_overflows,
    screenshot,
)
from tests.browser.test_journeys import assert_error_page
from tests.browser.test_keyboard import assert_focus_visible, focused, tab_to
from tests.conftest import TODAY
from tests.web.test_providers import RIVERA, load_directory

pytestmark = pytest.mark.browser

WIDTHS = (320, PHONE["width"], 768, DESKTOP_WIDTH)
RESULTS = re.compile(r"/providers\?zip=10001&procedure=rhinoplasty&radius=50$")


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` on a free 127.0.0.1 port in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        app, host="127.0.0.1", log_level="warning", access_log=False, lifespan="on", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        _wait_until_answering(base_url, server, thread)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's app, with the small directory imported (overrides the session server)."""
    data_dir = tmp_path_factory.mktemp("provider-pages")
    app = create_app(Settings(data_dir=data_dir), today=lambda: TODAY)
    load_directory(app.state.reconsult.database, Path(data_dir))
    with serve(app) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app whose provider directory has not been imported."""
    data_dir = tmp_path_factory.mktemp("no-directory")
    with serve(create_app(Settings(data_dir=data_dir), today=lambda: TODAY)) as base_url:
        yield base_url


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def assert_no_sideways_scroll(page: Page) -> None:
    size = page.viewport_size or PHONE
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": size["height"]})
        assert not page_overflows(page), f"{page.url} scrolls sideways at {width} px"
    page.set_viewport_size({"width": size["width"], "height": size["height"]})


def search(page: Page, zip_code: str, procedure: str, radius: str) -> None:
    """Fill in the search form the way a person does, and search."""
    page.get_by_label("Your ZIP code").fill(zip_code)
    page.get_by_label("What did you have done?").select_option(procedure)
    page.get_by_label("How far can you travel?").select_option(radius)
    page.get_by_role("button", name="Search", exact=True).click()


def test_search_and_check_a_provider(page: Page, checks: PageChecks) -> None:
    page.goto("/providers")
    heading(page, "Find a provider near you")
    checks(page)
    search(page, "10001", "rhinoplasty", "50")
    page.wait_for_url(RESULTS)
    expect(page.get_by_role("heading", level=2, name="3 providers found")).to_be_visible()
    names = page.locator("ol.case-list h3")
    expect(names).to_have_text(
        ["Maria Rivera-Lopez, MD", "Sarah McDonald, MD", "James O'Brien, MD"]
    )
    expect(page.locator(".inset").first).to_contain_text("No one checks it")
    expect(page.locator("#warning-signs")).to_contain_text("A price that seems too good to be true")
    checks(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "provider-results", (PHONE["width"], DESKTOP_WIDTH))

    page.get_by_role(
        "link", name=re.compile(r"^Check this provider\W+Maria Rivera-Lopez, MD$")
    ).click()
    page.wait_for_url(f"**/providers/{RIVERA}?procedure=rhinoplasty&zip=10001&radius=50")
    heading(page, "Maria Rivera-Lopez, MD")
    expect(
        page.get_by_role("link", name=re.compile(r"^American Board of Facial"))
    ).to_have_attribute("href", "https://www.abfprs.org/")
    expect(page.locator("#check-license")).to_contain_text("The license state they listed: NY.")
    checks(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "provider-page", (PHONE["width"], DESKTOP_WIDTH))
    page.locator("a.back-link").click()
    page.wait_for_url(RESULTS)


def test_a_mistake_shows_the_error_summary_and_keeps_what_was_typed(
    page: Page, checks: PageChecks
) -> None:
    page.goto("/providers")
    checks(page)
    search(page, "1000", "rhinoplasty", "25")
    page.wait_for_url("**/providers?zip=1000&procedure=rhinoplasty&radius=25")
    assert_error_page(page, checks)
    expect(page.locator("#zip-error")).to_contain_text("Enter a ZIP code with 5 numbers")
    expect(page.get_by_label("Your ZIP code")).to_have_value("1000")
    expect(page.get_by_label("What did you have done?")).to_have_value("rhinoplasty")
    page.locator(".error-summary a").click()
    expect(page.get_by_label("Your ZIP code")).to_be_focused()
    assert_no_sideways_scroll(page)
    screenshot(page, "provider-search-error")


def test_no_results_and_a_wider_search(page: Page, checks: PageChecks) -> None:
    page.goto("/providers?zip=90210&procedure=rhinoplasty&radius=25")
    expect(page.get_by_role("heading", level=2, name="No providers found")).to_be_visible()
    checks(page)
    page.get_by_role("link", name="Search up to 50 miles away").click()
    page.wait_for_url("**/providers?zip=90210&procedure=rhinoplasty&radius=50")
    expect(page.get_by_label("How far can you travel?")).to_have_value("50")


def test_an_empty_directory_still_shows_the_checks(
    open_page: OpenPage, empty_server: str, checks: PageChecks
) -> None:
    page = open_page(base_url=empty_server)
    page.goto("/providers")
    heading(page, "Find a provider near you")
    expect(page.locator("main")).to_contain_text("not set up on this computer yet")
    checks(page)
    page.get_by_label("What did you have done?").select_option("botulinum_toxin")
    page.get_by_role("button", name="Show the checks").click()
    page.wait_for_url("**/providers?procedure=botulinum_toxin")
    expect(page.locator("#check-injector-setting")).to_be_visible()
    checks(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "provider-empty-directory")


def test_the_keyboard_reaches_check_this_provider(page: Page, checks: PageChecks) -> None:
    page.goto("/providers?zip=10001&procedure=rhinoplasty&radius=50")
    checks(page)
    tab_to(
        page,
        lambda f: f["tag"] == "a" and f["text"].startswith("Check this provider"),
        'the first "Check this provider" link',
    )
    state = assert_focus_visible(page, focused(page))
    assert state["href"].startswith(f"/providers/{RIVERA}?"), state
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/providers/{RIVERA}?**")
    heading(page, "Maria Rivera-Lopez, MD")


def test_search_and_provider_page_without_javascript(
    open_page: OpenPage, checks: PageChecks
) -> None:
    page = open_page(java_script_enabled=False)
    page.goto("/providers")
    checks(page, accessibility=False)
    search(page, "10001", "botulinum_toxin", "10")
    page.wait_for_url("**/providers?zip=10001&procedure=botulinum_toxin&radius=10")
    expect(page.locator("ol.case-list h3")).to_have_count(4)
    checks(page, accessibility=False)
    page.get_by_role("link", name=re.compile(r"^Check this provider\W+Anna Kim, NP$")).click()
    page.wait_for_url("**/providers/1000000003?**")
    heading(page, "Anna Kim, NP")
    expect(page.locator("main")).to_contain_text("Ask which doctor supervises them")
    checks(page, accessibility=False)
