"""Browser tests: the real app on a live server, Debian's Chromium, and axe-core.

They need two things outside Python, and fail (never skip) without them, so
that CI cannot pass by silently testing nothing:

* Debian's Chromium at /usr/bin/chromium (``apt-get install chromium``).
  Never ``playwright install``: it downloads its own browser.
* axe-core at node_modules/axe-core (``npm ci``, or ``make test``, which runs it).

The app sends a strict Content-Security-Policy (no scripts at all), so every
browser context bypasses CSP: that is what lets axe be injected. Pages
themselves never need JavaScript; one test turns it off to prove it.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from reconsult.settings import Settings
from reconsult.web import create_app
from tests.conftest import TODAY

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "artifacts" / "screenshots"

# Measured in research/ecosystem.md 2.14. --no-sandbox because CI runs as root;
# the rest stop Chromium from calling home, so every request stays on 127.0.0.1.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 800}
DESKTOP_WIDTH = 1280

# WCAG 2.2 AA, as the NHS service manual requires (research/ecosystem.md 3.8).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Only violations are used: resultTypes spares axe the selectors of everything that passed
# (axe-core API.md, "Performance"), and only the violations come back to Python.
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
    "resultTypes: ['violations']}).then(results => results.violations)"
)

ACTION_TIMEOUT_MS = 10_000


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker here: pyproject runs pytest with --strict-markers."""
    config.addinivalue_line(
        "markers",
        "browser: drives Debian's Chromium through Playwright against a live server "
        "(needs /usr/bin/chromium and node_modules/axe-core)",
    )


# --- the live server -------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on a free 127.0.0.1 port in a background thread; yield its base URL.

    The socket is bound here and handed to uvicorn, so no other process can
    take the port between choosing and serving. 'today' is fixed to TODAY so
    the answers match what ``assess`` gives in the tests.
    """
    data_dir = tmp_path_factory.mktemp("browser-data")
    with serving(create_app(Settings(data_dir=data_dir), today=lambda: TODAY)) as base_url:
        yield base_url


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` on a free 127.0.0.1 port in a background thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        ws="none",  # no websockets: nothing to import, nothing to deprecate
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True
    )
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(base_url, server, thread)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        if thread.is_alive():
            pytest.fail("The live server did not stop within 10 seconds.")


def _wait_until_answering(base_url: str, server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 20
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail("The live server thread stopped before it answered; see the log above.")
        if server.started:
            try:
                with urllib.request.urlopen(base_url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError as error:
                last_error = error
        time.sleep(0.05)
    pytest.fail(f"The live server at {base_url} did not answer within 20 seconds: {last_error}")


# --- the browser -----------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """Start Playwright's driver once (its own Node, bundled in the Python wheel)."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Launch Debian's Chromium headless, once for the session."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests use Debian's Chromium. "
            "Install it with `apt-get install -y chromium` (.ci/run does this). "
            "Do not run `playwright install`.",
            pytrace=False,
        )
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS.relative_to(REPO)} is missing: the accessibility checks inject axe-core. "
            "Install it with `npm ci --no-audit --no-fund` in the repository root "
            "(`make test` does this; needs `apt-get install -y nodejs npm`).",
            pytrace=False,
        )
    launched = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield launched
    finally:
        launched.close()


OpenPage = Callable[..., Page]


@pytest.fixture
def request_log() -> list[str]:
    """Every URL any page of this test asked for, in order."""
    return []


@pytest.fixture
def open_page(browser: Browser, live_server: str, request_log: list[str]) -> Iterator[OpenPage]:
    """Open a page in a fresh browser context (its own cookies) on the live server.

    Keyword arguments go to ``browser.new_context``: for example
    ``java_script_enabled=False``. Every request is logged, and the test
    fails afterwards if one went anywhere but 127.0.0.1.
    """
    contexts: list[BrowserContext] = []

    def _open(**options: Any) -> Page:
        settings: dict[str, Any] = {"viewport": PHONE, "bypass_csp": True, "base_url": live_server}
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.on("request", lambda request: request_log.append(request.url))
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()
    assert_loopback_only(request_log)


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A page in a new context: a 360 x 800 phone viewport, JavaScript on, CSP bypassed."""
    return open_page()


def assert_loopback_only(urls: list[str]) -> None:
    """Fail if any request went to a host other than 127.0.0.1 (DESIGN: nothing leaves)."""
    local_schemes = {"data", "about", "blob"}
    outside = [
        url
        for url in urls
        if urlsplit(url).scheme not in local_schemes and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert not outside, "Requests left 127.0.0.1:\n" + "\n".join(outside)


# --- accessibility -----------------------------------------------------------------


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page at WCAG 2.2 AA and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN, AXE_TAGS)
    return violations


def format_violations(page: Page, violations: list[dict[str, Any]]) -> str:
    """Describe violations as: rule id, impact, help, then each failing element."""
    lines = [f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {target}: {summary}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


def axe_check(page: Page) -> None:
    """Fail the test, listing every violation, unless axe finds none at WCAG 2.2 AA."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(format_violations(page, violations), pytrace=False)


# --- consistent help (WCAG 2.2 3.2.6) ----------------------------------------------

HELP_POSITION_JS = """() => {
  const interactive = [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]')];
  const help = document.querySelector('header a.header__help');
  if (!help) return null;
  return {index: interactive.indexOf(help), href: help.getAttribute('href')};
}"""


def help_link_position(page: Page) -> dict[str, Any] | None:
    """Where the header's "Get help now" link is among the interactive elements, if present."""
    position: dict[str, Any] | None = page.evaluate(HELP_POSITION_JS)
    return position


# --- every page visited ------------------------------------------------------------


class PageChecks:
    """Checks run on every page a test visits.

    "Get help now" is in the header at the same place in the DOM order as on
    the first page (WCAG 2.2 3.2.6 Consistent Help); with JavaScript on, the
    page also does not scroll sideways and axe finds no WCAG 2.2 AA violation.
    """

    def __init__(self) -> None:
        self.visited: list[tuple[str, dict[str, Any] | None]] = []

    def __call__(self, page: Page, *, accessibility: bool = True) -> None:
        """Check the page now showing; ``accessibility=False`` when JavaScript is off."""
        position = help_link_position(page) if accessibility else _help_link_static(page)
        self.visited.append((page.url, position))
        assert position is not None, f'No "Get help now" link in the header of {page.url}'
        assert position["href"] == "/help", f'"Get help now" goes to {position["href"]}'
        first = self.visited[0]
        assert position == first[1], (
            f'"Get help now" moved: {position} on {page.url}, {first[1]} on {first[0]}'
        )
        if accessibility:
            assert not page_overflows(page), f"{page.url} scrolls sideways"
            axe_check(page)


def _help_link_static(page: Page) -> dict[str, Any] | None:
    """The help link's position without running page JavaScript (for JS-disabled pages)."""
    interactive = page.locator("a[href], button, input, select, textarea, summary, [tabindex]")
    for index in range(interactive.count()):
        element = interactive.nth(index)
        in_header = element.locator("xpath=ancestor::header").count() > 0
        if in_header and element.inner_text().strip() == "Get help now":
            return {"index": index, "href": element.get_attribute("href")}
    return None


@pytest.fixture
def checks() -> PageChecks:
    """Run on every page visited: ``checks(page)``."""
    return PageChecks()


# --- screenshots -------------------------------------------------------------------


def screenshot(page: Page, name: str, widths: tuple[int, ...] = (PHONE["width"],)) -> list[Path]:
    """Save full-page PNGs as artifacts/screenshots/<name>-<width>.png (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or PHONE
    saved = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": original["height"]})
        path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_.-]+', '-', name.lower())}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    page.set_viewport_size(original)
    return saved


def page_overflows(page: Page) -> bool:
    """Whether the page scrolls sideways (content wider than the viewport)."""
    overflows: bool = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    return overflows


def date_parts(days_ago: int) -> tuple[str, str, str]:
    """The day, month and year TODAY minus ``days_ago``, as typed into the date fields."""
    day = TODAY - dt.timedelta(days=days_ago)
    return str(day.day), str(day.month), str(day.year)


def answer_no_emergency(page: Page) -> None:
    """Answer the first question, "Is any of this happening now?", with "None of these"."""
    page.wait_for_url("**/assessment/emergency-check")
    page.locator('input[name="now"][value="none"]').check()
    page.get_by_role("button", name="Continue").click()


def describe(page: Page, procedure: str, days_ago: int, words: str) -> None:
    """Answer the first three questions of the journey: procedure, date and words."""
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    answer_no_emergency(page)
    page.wait_for_url("**/assessment/procedure")
    page.locator(f'input[name="procedure"][value="{procedure}"]').check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/when")
    day, month, year = date_parts(days_ago)
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/assessment/description")
    page.get_by_label("What is happening?").fill(words)
    page.get_by_role("button", name="Continue").click()
