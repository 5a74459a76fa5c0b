"""Server mode in a real browser at phone width: sign up, share a case, see who opened it.

The live server runs in server mode on SQLite (one worker is enough for a
browser). Every page visited goes through axe (WCAG 2.2 AA), the
sideways-scroll check and the "Get help now" position check, signed in or not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from playwright.sync_api import Browser, Page, expect

from reconsult.accounts.access import add_staff, create_clinic
from reconsult.accounts.users import sign_up
from reconsult.settings import Settings
from reconsult.web import create_app
from tests.browser.conftest import PHONE, PageChecks, screenshot, serving
from tests.browser.test_case_pages import follow, heading, press_button
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
CHEAP = PasswordHasher.from_parameters(CHEAPEST)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server in server mode, with one clinic whose staff member has an account."""
    data_dir: Path = tmp_path_factory.mktemp("server-browser")
    app = create_app(
        Settings(mode="server", data_dir=data_dir, open_sign_up=True),
        hasher=CHEAP,
        today=lambda: TODAY,
    )
    state = app.state.reconsult
    create_clinic(state.database, "Northside Revision Clinic", now=state.now())
    sign_up(state.database, CHEAP, "dr.lee@northside.example", PASSWORD, now=state.now())
    add_staff(
        state.database, "Northside Revision Clinic", "dr.lee@northside.example", now=state.now()
    )
    with serving(app) as url:
        yield url


def _page(browser: Browser, url: str) -> Page:
    context = browser.new_context(viewport=PHONE, bypass_csp=True, base_url=url)
    context.set_default_timeout(10_000)
    return context.new_page()


def _fill(page: Page, values: dict[str, str]) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_sign_up_share_a_case_and_see_who_opened_it(
    browser: Browser, server_url: str, checks: PageChecks
) -> None:
    ana = _page(browser, server_url)
    ana.goto("/cases")
    ana.wait_for_url("**/account/sign-in?next=/cases")
    heading(ana, "Sign in")
    checks(ana)
    follow(ana, "Create an account", "**/account/sign-up")
    _fill(
        ana,
        {
            "Email address": "ana@example.org",
            "New password": "short",
            "Type the new password again": "short",
        },
    )
    press_button(ana, "Create account")
    expect(ana).to_have_title("Error: Create an account - reconsult")
    expect(ana.get_by_role("alert")).to_contain_text("at least 10 characters")
    checks(ana)
    screenshot(ana, "server-sign-up-error")
    _fill(ana, {"New password": PASSWORD, "Type the new password again": PASSWORD})
    press_button(ana, "Create account")
    ana.wait_for_url("**/cases")
    heading(ana, "Your case files")
    checks(ana)
    press_button(ana, "Start a new case file")
    ana.wait_for_url("**/cases/*?new")
    checks(ana)
    case_url = ana.url.split("?")[0]
    follow(ana, "Share with a clinic", "**/sharing")
    heading(ana, "Share this case with a clinic")
    checks(ana)
    press_button(ana, "Share this case")
    expect(ana).to_have_title("Error: Share this case with a clinic - reconsult")
    checks(ana)
    ana.get_by_label("Clinic").select_option(label="Northside Revision Clinic")
    ana.get_by_label("30 days").check()
    press_button(ana, "Share this case")
    expect(ana.get_by_role("status")).to_contain_text("Your case is shared")
    checks(ana)
    screenshot(ana, "server-sharing")

    lee = _page(browser, server_url)
    lee.goto("/account/sign-in")
    _fill(lee, {"Email address": "dr.lee@northside.example", "Password": PASSWORD})
    press_button(lee, "Sign in")
    lee.wait_for_url("**/cases")
    expect(lee.get_by_role("heading", name="Shared with your clinic")).to_be_visible()
    checks(lee)
    lee.get_by_role("link", name="My case").click()
    lee.wait_for_url(case_url)
    expect(lee.locator(".inset").first).to_contain_text("shared it with Northside Revision Clinic")
    for owners_only in ("Delete this case file", "Add how it is today", "Add a photo"):
        expect(lee.get_by_role("link", name=owners_only)).to_have_count(0)
    expect(lee.get_by_role("link", name="Share with a clinic")).to_have_count(0)
    checks(lee)
    screenshot(lee, "server-staff-view")
    lee.goto(case_url + "/details")
    heading(lee, "Only the person whose case this is can do this")
    checks(lee)

    ana.goto(case_url)
    follow(ana, "Who opened this case", "**/activity")
    heading(ana, "Who opened or changed this case")
    table = ana.get_by_role("table")
    expect(table).to_contain_text("dr.lee@northside.example (Northside Revision Clinic)")
    expect(table).to_contain_text("(refused)")
    checks(ana)
    screenshot(ana, "server-activity")
    ana.goto(case_url + "/sharing")
    press_button(ana, "Stop sharing with Northside Revision Clinic")
    expect(ana.get_by_role("status")).to_contain_text("You stopped sharing")
    lee.goto(case_url)
    heading(lee, "Page not found")

    follow(ana, "Your account", "**/account")
    heading(ana, "Your account")
    checks(ana)
    screenshot(ana, "server-account")
    press_button(ana, "Sign out")
    ana.wait_for_url("**/account/sign-in?signed-out")
    expect(ana.get_by_role("status")).to_contain_text("You are signed out")
    checks(ana)
