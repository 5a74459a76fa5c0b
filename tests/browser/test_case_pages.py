"""The case file in a real browser at phone width: a whole case, the keyboard, no JavaScript.

One person's case from start to delete, with the mouse, axe and the sideways
scroll check on every page (each kind of form is also sent empty once, so its
error page is checked too). Then the keyboard alone on the two busiest pages,
and the start of a case with JavaScript turned off.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from reconsult import Case, assess
from reconsult.web.templating import long_date
from tests.browser.conftest import (
    DESKTOP_WIDTH,
    PHONE,
    OpenPage,
    PageChecks,
    date_parts,
    page_overflows,
    screenshot,
)
from tests.browser.test_journeys import assert_error_page
from tests.browser.test_keyboard import MAX_TABS, Focused, assert_focus_visible, focused
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PROCEDURE = "filler_hyaluronic_acid"
PROCEDURE_NAME = "Hyaluronic acid filler"
DAYS_AGO = 10
EMERGENCY_NOTE = "my lip has gone white and it really hurts"
CALM_NOTE = "Still a bit swollen and bruised on the left, otherwise fine"
WIDTHS = (PHONE["width"], DESKTOP_WIDTH)
# GB: one month under UK GDPR, as tests/web/test_cases.py checks too.
GB_FOLLOW_UP = dt.date(TODAY.year + TODAY.month // 12, TODAY.month % 12 + 1, TODAY.day)


def test_the_notes_give_the_intended_levels() -> None:
    """The words used below still give an emergency and a calmer answer (no browser needed)."""
    for text, level in ((EMERGENCY_NOTE, "emergency"), (CALM_NOTE, "wait")):
        case = Case(procedure=PROCEDURE, days_since_procedure=DAYS_AGO, description=text)
        got = assess(case, TODAY).urgency
        assert got == level, f"{text!r} now gives {got}, not {level}: choose other words"


# --- helpers ------------------------------------------------------------------------


def jpeg(folder: Path, name: str, colour: tuple[int, int, int]) -> Path:
    """Write a small phone-like JPEG (portrait, 600 x 800) and return its path."""
    path = folder / name
    Image.new("RGB", (600, 800), colour).save(path, "JPEG")
    return path


def fill_date(page: Page, prefix: str, day: dt.date | None) -> None:
    """Type a date into the three boxes of a date field (None: empty them)."""
    parts = ("", "", "") if day is None else (str(day.day), str(day.month), str(day.year))
    for part, value in zip(("day", "month", "year"), parts, strict=True):
        page.locator(f"#{prefix}-{part}").fill(value)


def press_button(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def follow(page: Page, name: str | re.Pattern[str], url: str) -> None:
    """Click the one link with this name and wait for the page it opens."""
    page.get_by_role("link", name=name, exact=isinstance(name, str)).click()
    page.wait_for_url(url)


def go_back(page: Page, url: str | re.Pattern[str]) -> None:
    """Follow the back link at the top of the page."""
    page.locator("a.back-link").click()
    page.wait_for_url(url)


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def assert_images_loaded(page: Page, selector: str, count: int) -> None:
    """The images are there and decoded (a broken image has naturalWidth 0)."""
    images = page.locator(selector)
    expect(images).to_have_count(count)
    for image in images.all():
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        loaded = image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded, f"{image.get_attribute('src')} did not load"


def case_id(page: Page) -> str:
    match = re.search(r"/cases/([^/?#]+)", page.url)
    assert match, page.url
    return match.group(1)


def start_case(page: Page, checks: PageChecks, *, accessibility: bool = True) -> str:
    """From the list of case files, start a new one; return its id."""
    page.goto("/cases")
    heading(page, "Your case files")
    checks(page, accessibility=accessibility)
    press_button(page, "Start a new case file")
    page.wait_for_url(re.compile(r"/cases/[^/]+\?new$"))
    heading(page, "My case")
    expect(page.locator(".notification")).to_contain_text("Your case file is ready")
    checks(page, accessibility=accessibility)
    return case_id(page)


def add_procedure(page: Page, checks: PageChecks, *, accessibility: bool = True) -> None:
    """From the overview, add the filler procedure with a date, and who did it."""
    follow(page, "Add a procedure", "**/procedures/new")
    heading(page, "Add a procedure")
    checks(page, accessibility=accessibility)
    press_button(page, "Save")
    assert page.title().startswith("Error: "), page.title()
    expect(page.locator(".error-summary")).to_contain_text("Select what you had done")
    if accessibility:
        assert_error_page(page, checks)
    else:
        checks(page, accessibility=False)
    page.get_by_label("What you had done").select_option(PROCEDURE)
    fill_date(page, "performed_on", TODAY - dt.timedelta(days=DAYS_AGO))
    page.get_by_label("Who treated you").fill("Dr Amira Khan")
    page.get_by_label("The clinic or practice").fill("Riverside Aesthetics")
    press_button(page, "Save")
    page.wait_for_url(re.compile(r"/cases/[^/]+$"))  # the fragment is not part of page.url
    expect(page.locator("main")).to_contain_text(f"{long_date(TODAY - dt.timedelta(DAYS_AGO))}")
    expect(page.get_by_role("heading", level=3, name=PROCEDURE_NAME)).to_be_visible()
    checks(page, accessibility=accessibility)


def add_note(page: Page, checks: PageChecks, text: str, *, accessibility: bool = True) -> None:
    """From the overview, write a note (after sending it empty once); end on its answer."""
    follow(page, "Add how it is today", "**/journal/new")
    heading(page, "How is it today?")
    # One procedure: it is already chosen.
    expect(page.get_by_label(re.compile(f"^{PROCEDURE_NAME}"))).to_be_checked()
    checks(page, accessibility=accessibility)
    press_button(page, "Save and check it")
    expect(page.locator(".error-summary")).to_contain_text(
        "Write what you notice, in your own words"
    )
    if accessibility:
        assert_error_page(page, checks)
    else:
        checks(page, accessibility=False)
    page.get_by_label("What do you notice today?").fill(text)
    press_button(page, "Save and check it")
    page.wait_for_url(re.compile(r"/journal/[^/]+$"))
    expect(page.locator("main blockquote.quote").last).to_have_text(text)
    checks(page, accessibility=accessibility)


# --- 1. a whole case file, like a person ---------------------------------------------


def test_a_whole_case_file_at_phone_width(page: Page, checks: PageChecks, tmp_path: Path) -> None:
    start_case(page, checks)

    # About you: the name of the case is needed; the rest is kept as typed.
    follow(page, "Change the name of this case file or your details", "**/details")
    heading(page, "About you")
    checks(page)
    page.get_by_label("Name of this case file").fill("")
    fill_date(page, "date_of_birth", None)
    page.locator("#date_of_birth-day").fill("31")
    page.locator("#date_of_birth-month").fill("2")
    page.locator("#date_of_birth-year").fill("1990")
    press_button(page, "Save")
    expect(page.locator(".error-summary")).to_contain_text("Enter a name for this case file")
    expect(page.locator("#date_of_birth-day")).to_have_value("31")
    assert_error_page(page, checks)
    screenshot(page, "case-details-errors")
    page.get_by_label("Name of this case file").fill("Lips 2026")
    page.get_by_label("Your full name").fill("Jordan Lee")
    fill_date(page, "date_of_birth", dt.date(1990, 4, 3))
    page.get_by_label("Where you live").select_option("GB")
    press_button(page, "Save")
    page.wait_for_url(re.compile(r"/cases/[^/]+$"))
    heading(page, "Lips 2026")
    expect(page.locator("#details + .summary-list")).to_contain_text("United Kingdom")
    checks(page)

    add_procedure(page, checks)

    # A product and where it went, after sending the form empty once.
    follow(page, re.compile("^Add a product"), "**/products/new")
    heading(page, "Add a product")
    checks(page)
    press_button(page, "Save")
    expect(page.locator(".error-summary")).to_contain_text("Enter the brand")
    assert_error_page(page, checks)
    page.get_by_label("Brand").fill("Juvederm")
    page.get_by_label("Product name").fill("Volbella")
    page.get_by_label("Lot or batch number").fill("VB123")
    page.get_by_label("Where it went").fill("upper lip")
    page.get_by_label("How much").fill("0.5")
    page.get_by_label("mL (fillers)").check()
    press_button(page, "Save")
    page.wait_for_url(re.compile(r"/cases/[^/]+$"))
    procedure = page.locator("section.panel").first
    expect(procedure).to_contain_text("Juvederm Volbella, lot VB123: upper lip 0.5 mL")
    checks(page)

    # An implant, from its device card.
    follow(page, re.compile("^Add an implant"), "**/implants/new")
    heading(page, "Add an implant")
    checks(page)
    press_button(page, "Save")
    expect(page.locator(".error-summary")).to_contain_text("Select which side")
    assert_error_page(page, checks)
    screenshot(page, "case-implant-form-errors")
    page.get_by_label("Left", exact=True).check()
    page.get_by_label("Manufacturer").fill("Mentor")
    page.get_by_label("Size in cc").fill("350")
    page.get_by_label("Serial number").fill("SN-998")
    press_button(page, "Save")
    page.wait_for_url(re.compile(r"/cases/[^/]+$"))
    expect(procedure).to_contain_text("Left: Mentor, 350 cc")
    expect(procedure).to_contain_text("serial SN-998")
    checks(page)

    # A note in the person's words: an emergency shows the emergency care card at once.
    add_note(page, checks, EMERGENCY_NOTE)
    main = page.locator("main")
    expect(main.locator(".care-card--emergency")).to_have_count(1)
    expect(main.locator(".care-card--emergency .care-card__heading")).to_be_visible()
    screenshot(page, "case-note-emergency")
    # The answer is long on a phone: a way back at the end too.
    expect(main.locator("> p:last-child a")).to_have_text("Back to your case file")
    go_back(page, re.compile(r"/cases/[^/]+#history$"))
    history = page.locator(".history__item")
    expect(history).to_have_count(1)
    expect(history.first.locator(".tag.tag--red")).to_have_text("Emergency")
    expect(history.first).to_contain_text(f"{DAYS_AGO} days after")
    expect(page.locator(".inset--warning")).to_contain_text("get help now")
    checks(page)

    # Photos: the same angle on two days, each through the form; the first sent empty once.
    first_photo = jpeg(tmp_path, "before.jpg", (200, 120, 90))
    second_photo = jpeg(tmp_path, "after.jpg", (90, 120, 200))
    follow(page, "Add a photo", "**/photos/new")
    heading(page, "Add a photo")
    checks(page)
    fill_date(page, "taken_on", None)
    press_button(page, "Add photo")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Choose a photo to add")
    expect(summary).to_contain_text("Enter the date it was taken")
    expect(summary).to_contain_text("Select the angle")
    assert_error_page(page, checks)
    screenshot(page, "case-photo-form-errors", widths=WIDTHS)
    for path, days_ago in ((first_photo, 7), (second_photo, 0)):
        if days_ago == 0:
            follow(page, "Add a photo", "**/photos/new")
            checks(page)
        page.locator("#file").set_input_files(str(path))
        fill_date(page, "taken_on", TODAY - dt.timedelta(days=days_ago))
        page.get_by_label("Front", exact=True).check()
        page.get_by_label("Which procedure is it about?").select_option(index=1)
        press_button(page, "Add photo")
        page.wait_for_url(re.compile(r"/photos/[^/]+$"))
        heading(page, f"Photo from {long_date(TODAY - dt.timedelta(days=days_ago))}")
        assert_images_loaded(page, "main figure.photo img", 1)
        checks(page)
        screenshot(page, "case-photo")
        go_back(page, re.compile(r"#photos$"))
        checks(page)
    assert_images_loaded(page, "main .thumbnails img", 2)

    # Compare: the earliest and the latest of the same angle, each with its date.
    follow(page, "Compare two dates side by side", "**/photos/compare")
    heading(page, "Compare photos")
    figures = page.locator("figure.compare__item")
    expect(figures).to_have_count(2)
    for figure, days_ago in zip(figures.all(), (7, 0), strict=True):
        expect(figure.locator("figcaption strong")).to_have_text(
            long_date(TODAY - dt.timedelta(days=days_ago))
        )
        expect(figure.locator("figcaption")).to_contain_text(
            f"Front, {DAYS_AGO - days_ago} days after the procedure"
        )
    expect(page.locator("main .inset")).to_have_count(0)  # same angle: no warning
    assert_images_loaded(page, "main .compare img", 2)
    checks(page)
    screenshot(page, "case-compare", widths=WIDTHS)
    go_back(page, re.compile(r"#photos$"))

    # The records letter: first sent without addresses, then made; it says when to follow up.
    follow(page, "Ask for your records", "**/letters/new")
    heading(page, "Ask for your records")
    checks(page)
    page.get_by_label(re.compile(f"^{PROCEDURE_NAME}")).uncheck()
    press_button(page, "Make my letter")
    summary = page.locator(".error-summary")
    for message in (
        "Select at least one procedure",
        "Enter your postal address",
        "Enter the clinic's postal address",
    ):
        expect(summary).to_contain_text(message)
    assert_error_page(page, checks)
    screenshot(page, "case-letter-form-errors")
    page.get_by_label(re.compile(f"^{PROCEDURE_NAME}")).check()
    page.get_by_label("Your postal address").fill("1 High Street\nLondon N1 1AA")
    page.get_by_label("The clinic's postal address").fill("2 River Road\nLondon E1 2BB")
    press_button(page, "Make my letter")
    page.wait_for_url(re.compile(r"/letters/[^/]+$"))
    heading(page, "Your letter to Dr Amira Khan")
    expect(page.locator("main .inset strong")).to_have_text(long_date(GB_FOLLOW_UP))
    expect(page.locator(".letter-text")).to_contain_text("Jordan Lee")
    expect(page.locator(".letter-text")).to_contain_text("UK GDPR")
    checks(page)
    screenshot(page, "case-letter", widths=WIDTHS)
    with page.expect_download() as letter:
        page.get_by_role("link", name="Download as text, to paste into an email").click()
    assert "Jordan Lee" in Path(letter.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as printable:
        page.get_by_role("link", name="Download the letter to print (PDF)").click()
    assert Path(printable.value.path()).read_bytes().startswith(b"%PDF-")

    go_back(page, re.compile(r"#records$"))
    records = page.locator("#records ~ ul").first
    expect(records).to_contain_text(f"Follow up on {long_date(GB_FOLLOW_UP)}")
    checks(page)
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "case-overview", widths=WIDTHS)

    # Download everything: one JSON file that holds the whole case, photos included.
    with page.expect_download() as exported:
        page.get_by_role("link", name="Download everything").click()
    assert exported.value.suggested_filename == f"reconsult-case-{TODAY.isoformat()}.json"
    data: dict[str, Any] = json.loads(Path(exported.value.path()).read_text(encoding="utf-8"))
    case = data["case"]
    assert case["title"] == "Lips 2026"
    assert case["person_name"] == "Jordan Lee"
    assert len(case["procedures"]) == 1
    assert len(case["journal"]) == 1 and len(case["photos"]) == 2
    assert len(case["records_requests"]) == 1

    # Delete, after the confirmation page.
    follow(page, "Delete this case file", "**/delete")
    heading(page, "Are you sure you want to delete this case file?")
    checks(page)
    screenshot(page, "case-delete-confirm")
    press_button(page, "Yes, delete everything")
    page.wait_for_url("**/cases?deleted")
    expect(page.locator(".notification")).to_contain_text("Your case file was deleted")
    expect(page.locator("main")).to_contain_text("You do not have a case file yet.")
    checks(page)


# --- 2. the keyboard alone -----------------------------------------------------------

FOCUS_PLACE_JS = """() => {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  return {top: Math.round(r.top + scrollY), inMain: !!el.closest('main'),
          label: el.id || el.name || (el.innerText || '').trim().replace(/\\s+/g, ' ')};
}"""


def tab_through(page: Page) -> list[tuple[Focused, dict[str, Any]]]:
    """Tab from the top of the page to the end; check each stop; return them in order."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    stops: list[tuple[Focused, dict[str, Any]]] = []
    for _ in range(MAX_TABS * 2):
        page.keyboard.press("Tab")
        state = focused(page)
        if state is None or (stops and state == stops[0][0]):
            return stops  # past the last control: focus left the page or came round again
        assert_focus_visible(page, state)
        stops.append((state, page.evaluate(FOCUS_PLACE_JS)))
    pytest.fail(f"more than {MAX_TABS * 2} tab stops on {page.url}")


def assert_reading_order(page: Page, stops: list[tuple[Focused, dict[str, Any]]]) -> None:
    """In the main content, each tab stop is on the same line as the last or below it."""
    inside = [place for _, place in stops if place["inMain"]]
    for before, after in zip(inside, inside[1:], strict=False):
        assert after["top"] >= before["top"] - 8, (
            f"Tab went up the page on {page.url}: from {before} to {after}"
        )


def build_case(page: Page, tmp_path: Path) -> str:
    """Make a case with something in every part, through the app's own forms; return its URL."""
    api = page.request
    made = api.post("/cases", max_redirects=0)
    assert made.status == 303, made.status
    case = made.headers["location"].split("?")[0]
    day, month, year = date_parts(DAYS_AGO)

    def post(path: str, form: dict[str, str | float | bool]) -> str:
        response = api.post(case + path, form=form, max_redirects=0)
        assert response.status == 303, (path, response.status, response.text()[:500])
        return response.headers["location"]

    post(
        "/details",
        {
            "title": "Lips 2026",
            "person_name": "Jordan Lee",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "1990",
            "jurisdiction": "GB",
        },
    )
    where = post(
        "/procedures/new",
        {
            "procedure": PROCEDURE,
            "performed_on-day": day,
            "performed_on-month": month,
            "performed_on-year": year,
            "provider_name": "Dr Amira Khan",
            "practice_name": "Riverside Aesthetics",
        },
    )
    procedure = where.split("#procedure-")[1]
    post(
        f"/procedures/{procedure}/products/new",
        {
            "brand": "Juvederm",
            "product_name": "Volbella",
            "lot": "VB123",
            "site": "upper lip",
            "amount": "0.5",
            "unit": "mL",
        },
    )
    post(f"/procedures/{procedure}/implants/new", {"side": "left", "manufacturer": "Mentor"})
    post("/journal/new", {"procedure_id": procedure, "text": CALM_NOTE})
    post("/journal/new", {"procedure_id": procedure, "text": EMERGENCY_NOTE})
    post("/words/goals/new", {"text": "I want my lips to look even again"})
    post("/words/concerns/new", {"text": "The lump has not gone down"})
    post(
        "/consultations/new",
        {"provider_name": "Dr Sam Patel", "specialty": "plastic surgeon", "what_they_said": "Wait"},
    )
    for days_ago, colour in ((7, (200, 120, 90)), (0, (90, 120, 200))):
        taken = TODAY - dt.timedelta(days=days_ago)
        photo = jpeg(tmp_path, f"photo-{days_ago}.jpg", colour)
        response = api.post(
            case + "/photos/new",
            multipart={
                "taken_on-day": str(taken.day),
                "taken_on-month": str(taken.month),
                "taken_on-year": str(taken.year),
                "angle": "front",
                "procedure_id": procedure,
                "file": {
                    "name": photo.name,
                    "mimeType": "image/jpeg",
                    "buffer": photo.read_bytes(),
                },
            },
            max_redirects=0,
        )
        assert response.status == 303, response.text()[:500]
    return case


def test_the_photo_form_with_the_keyboard(page: Page, checks: PageChecks, tmp_path: Path) -> None:
    """Every control of the upload form is reached in order, with focus that can be seen."""
    case = build_case(page, tmp_path)
    page.goto(case + "/photos/new")
    checks(page)
    stops = tab_through(page)
    names = [s["id"] or s["name"] or s["text"] for s, place in stops if place["inMain"]]
    angle = next(n for n in names if n.startswith("angle-"))
    assert names == [
        "file",
        "taken_on-day",
        "taken_on-month",
        "taken_on-year",
        angle,  # one stop for the radio group: the arrow keys move within it
        "procedure_id",
        "note",
        "Add photo",
        "Cancel",
    ], names
    assert_reading_order(page, stops)
    before = [s["text"] for s, place in stops if not place["inMain"]]
    assert before[:5] == [
        "Skip to main content",
        "reconsult home page",
        "Get help now",
        "Español",  # the language switch, after the way to help
        "Back",
    ]

    # And it can be filled in and sent from the keyboard: file chosen, Tab, type, Enter.
    page.locator("#file").set_input_files(str(jpeg(tmp_path, "keys.jpg", (10, 200, 10))))
    page.locator("#taken_on-day").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    state = focused(page)
    assert state is not None and state["name"] == "angle", state
    page.keyboard.press("ArrowDown")  # to "Left side", checking it
    expect(page.get_by_label("Left side", exact=True)).to_be_checked()
    page.locator("#note").focus()
    page.keyboard.type("in daylight")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/photos/[^/]+$"))
    expect(page.locator("figcaption")).to_have_text("Left side. in daylight")
    checks(page)


def test_the_case_overview_with_the_keyboard(
    page: Page, checks: PageChecks, tmp_path: Path
) -> None:
    """Tab reaches every link and button of a full case page, top to bottom, focus always seen."""
    case = build_case(page, tmp_path)
    page.goto(case)
    checks(page)
    stops = tab_through(page)
    assert_reading_order(page, stops)
    reached = [s for s, place in stops if place["inMain"]]
    controls = page.locator("main").locator("a[href], button, input, select, textarea")
    assert len(reached) == controls.count(), (
        f"Tab reached {len(reached)} of the {controls.count()} controls in main: "
        f"{[s['text'] for s in reached]}"
    )
    removes = [s for s in reached if s["tag"] == "button" and s["text"].startswith("Remove")]
    # A product, an implant, a hope, a worry and a provider seen: each has its own Remove.
    assert len(removes) == 5, removes
    for state in removes:
        assert "background" in state["indicator"], f"Remove has no focus background: {state}"
    texts = [s["text"] for s in reached]
    assert texts.index("Add how it is today") < texts.index("Add a photo")
    assert texts.index("Add a photo") < texts.index("Delete this case file")

    # A Remove button works from the keyboard, too: Enter on the hope's Remove.
    page.get_by_role("button", name="Remove this hope").focus()
    focus = assert_focus_visible(page, focused(page))
    assert focus["text"] == "Remove this hope"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#goals$"))
    expect(page.locator("main")).not_to_contain_text("I want my lips to look even again")
    checks(page)


# --- 3. without JavaScript -------------------------------------------------------------


def test_a_case_file_without_javascript(open_page: OpenPage, checks: PageChecks) -> None:
    """Start a case, add a procedure and a note with JavaScript turned off."""
    page = open_page(java_script_enabled=False)
    start_case(page, checks, accessibility=False)
    add_procedure(page, checks, accessibility=False)
    add_note(page, checks, CALM_NOTE, accessibility=False)
    main = page.locator("main")
    expect(main.locator(".care-card--emergency")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text("too early to judge")
    go_back(page, re.compile(r"#history$"))
    expect(page.locator(".history__item .tag")).to_have_count(1)
    checks(page, accessibility=False)


# --- 4. the pages do not scroll sideways at any width between phone and desktop -------------


@pytest.mark.parametrize("width", [320, 360, 480, 768, DESKTOP_WIDTH])
def test_full_case_pages_fit_the_screen(page: Page, tmp_path: Path, width: int) -> None:
    """A full case's pages fit from a small phone (320 px, WCAG 1.4.10 reflow) to a desktop."""
    case = build_case(page, tmp_path)
    page.set_viewport_size({"width": width, "height": PHONE["height"]})
    for path in ("", "/photos/compare", "/photos/new", "/letters/new", "/details"):
        page.goto(case + path)
        assert not page_overflows(page), f"{page.url} scrolls sideways at {width} px"
    # Side by side even on a small phone: each photo big enough to see, its date never cut off.
    page.goto(case + "/photos/compare")
    for figure in page.locator("figure.compare__item").all():
        box = figure.bounding_box()
        assert box is not None and box["width"] >= 130, f"photo only {box} wide at {width} px"
        cut: bool = figure.evaluate(
            "f => [...f.querySelectorAll('figcaption, figcaption *')]"
            ".some(e => e.scrollWidth > e.clientWidth + 1)"
        )
        assert not cut, f"a compare caption is cut off at {width} px"
