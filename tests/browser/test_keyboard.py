"""One whole journey with the keyboard only, checking that focus can always be seen.

No clicks and no ``fill``: Tab and Shift+Tab move, arrow keys choose within a
radio group (as they do for every keyboard user), Space ticks, Enter submits,
and text is typed into whatever has focus. JavaScript stays on only so the
test can read where focus is; the pages themselves use none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageChecks, date_parts
from tests.browser.test_journeys import WAIT, assert_result

pytestmark = pytest.mark.browser

Focused = dict[str, Any]

# What has focus, and whether focus changes how it looks: compared with the
# same element unfocused (blur, measure, focus again; :focus styles only).
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const look = e => {
    const s = getComputedStyle(e);
    const transparent = /rgba\\(.*,\\s*0\\)$/.test(s.outlineColor)
      || s.outlineColor === 'transparent';
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !transparent;
    return {outline: outline ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : '',
            shadow: s.boxShadow, background: s.backgroundColor};
  };
  const focused = look(el);
  el.blur();
  const resting = look(el);
  el.focus({preventScroll: true});
  const indicator = [];
  if (focused.outline && focused.outline !== resting.outline) indicator.push('outline');
  if (focused.shadow !== 'none' && focused.shadow !== resting.shadow) indicator.push('box-shadow');
  if (focused.background !== resting.background) indicator.push('background');
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), type: el.getAttribute('type') || '', name: el.name || '',
    value: el.value ?? '', id: el.id, href: el.getAttribute('href') || '',
    text: (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
    checked: !!el.checked, indicator: indicator,
    inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
            && r.top < innerHeight && r.left < innerWidth,
  };
}"""

MAX_TABS = 80


def focused(page: Page) -> Focused | None:
    """Describe the focused element (None when focus is on the page itself)."""
    state: Focused | None = page.evaluate(FOCUSED_JS)
    return state


def assert_focus_visible(page: Page, state: Focused | None) -> Focused:
    """Fail unless something has focus, it is on screen, and focus changes how it looks."""
    assert state is not None, f"focus was lost on {page.url}"
    assert state["indicator"], f"no visible focus indicator on {state} at {page.url}"
    assert state["inView"], f"the focused element is off screen: {state} at {page.url}"
    return state


def press(page: Page, key: str) -> Focused:
    """Press a key and check the focus it leaves."""
    page.keyboard.press(key)
    return assert_focus_visible(page, focused(page))


def tab_to(page: Page, wanted: Callable[[Focused], bool], what: str, *, back: bool = False) -> None:
    """Tab (or Shift+Tab) until ``wanted`` holds for the focused element."""
    key = "Shift+Tab" if back else "Tab"
    seen = []
    for _ in range(MAX_TABS):
        state = press(page, key)
        if wanted(state):
            return
        seen.append(state["text"] or state["name"] or state["tag"])
    pytest.fail(f"{what} not reached with {key} on {page.url}; focus went: {seen}")


def button(text: str) -> Callable[[Focused], bool]:
    return lambda f: f["tag"] == "button" and f["text"] == text


def field(name: str, value: str | None = None) -> Callable[[Focused], bool]:
    return lambda f: f["name"] == name and (value is None or f["value"] == value)


def submit(page: Page, text: str, next_url: str) -> None:
    """Tab to the button and press Enter; wait for the next page."""
    tab_to(page, button(text), f'the "{text}" button')
    page.keyboard.press("Enter")
    page.wait_for_url(next_url)


def test_keyboard_only_journey(page: Page, checks: PageChecks) -> None:
    journey = WAIT
    page.goto("/")
    checks(page)
    submit(page, "Start now", "**/assessment/emergency-check")

    # Is any of this happening now? Tab to "None of these" and tick it with Space.
    checks(page)
    tab_to(page, field("now", "none"), '"None of these"')
    press(page, "Space")
    expect(page.locator('input[name="now"][value="none"]')).to_be_checked()
    submit(page, "Continue", "**/assessment/procedure")

    # Procedure: Tab into the radio group, then arrow keys to the right one.
    checks(page)
    tab_to(page, field("procedure"), "the procedure radios")
    for _ in range(20):
        state = assert_focus_visible(page, focused(page))
        if state["value"] == journey.procedure:
            break
        press(page, "ArrowDown")
    state = assert_focus_visible(page, focused(page))
    if not state["checked"]:
        press(page, "Space")
    expect(page.locator(f'input[name="procedure"][value="{journey.procedure}"]')).to_be_checked()
    submit(page, "Continue", "**/assessment/when")

    # When: type into the three boxes in turn.
    checks(page)
    assert journey.days_ago is not None
    day, month, year = date_parts(journey.days_ago)
    tab_to(page, field("day"), "the Day box")
    page.keyboard.type(day)
    assert field("month")(press(page, "Tab")), "Tab from Day should reach Month"
    page.keyboard.type(month)
    assert field("year")(press(page, "Tab")), "Tab from Month should reach Year"
    page.keyboard.type(year)
    submit(page, "Continue", "**/assessment/description")

    # Description: type, go past the box to Continue and back with Shift+Tab.
    checks(page)
    tab_to(page, field("description"), "the description box")
    page.keyboard.type(journey.description)
    tab_to(page, button("Continue"), 'the "Continue" button')
    tab_to(page, field("description"), "the description box", back=True)
    expect(page.locator("textarea[name=description]")).to_have_value(journey.description)
    submit(page, "Continue", "**/assessment/warning-signs")

    # Warning signs: tick "None of these" with Space.
    checks(page)
    tab_to(page, field("signs", "none"), '"None of these"')
    press(page, "Space")
    expect(page.locator('input[name="signs"][value="none"]')).to_be_checked()
    submit(page, "Continue", "**/assessment/check")

    checks(page)
    submit(page, "Get my answer", "**/assessment/result")
    assert_result(page, journey)
    checks(page)

    # Every link and button on the result page shows focus, to the end of the page.
    first = press(page, "Tab")
    for _ in range(MAX_TABS):
        state = focused(page)
        page.keyboard.press("Tab")
        after = focused(page)
        if after is None or after == first or after == state:
            break
        assert_focus_visible(page, after)
    else:
        pytest.fail(f"more than {MAX_TABS} focusable elements on the result page")
