"""The guided assessment, page by page, as a person on a phone would go through it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar
from starlette.testclient import TestClient

from tests.conftest import TODAY
from tests.web.pages import back_link, care_cards, error_links, h1, start, title, walk


def test_start_page_offers_start_and_help(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Start now" in page.text
    assert '<a class="header__help" href="/help">Get help now</a>' in page.text


def test_question_pages_have_one_question_and_a_back_link(client: TestClient) -> None:
    start(client)
    first = client.get("/assessment/emergency-check")
    assert h1(first.text) == "Is any of this happening now?"
    assert back_link(first.text) == "/"
    page = client.get("/assessment/procedure")
    assert h1(page.text) == "What did you have done?"
    assert back_link(page.text) == "/assessment/emergency-check"
    assert page.text.count('type="radio"') == 12


def test_empty_procedure_shows_error_summary_and_error_title(client: TestClient) -> None:
    start(client)
    page = client.post("/assessment/procedure", data={})
    assert page.status_code == 400
    assert title(page.text).startswith("Error: ")
    assert error_links(page.text) == {"procedure": "Select what you had done"}
    assert 'id="procedure"' in page.text  # the summary link has somewhere to go


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({}, "day", "Enter the date you had it, or select 'I do not know the date'"),
        ({"day": "3", "year": "2026"}, "month", "The date must include a month"),
        ({"day": "31", "month": "2", "year": "2026"}, "day", "The date must be a real date"),
        (
            {"day": "1", "month": "1", "year": "2027"},
            "day",
            "The date must be today or in the past",
        ),
        ({"day": "1", "month": "1", "year": "26"}, "year", "Year must include 4 numbers"),
    ],
    ids=["empty", "no-month", "not-real", "future", "two-digit-year"],
)
def test_bad_dates_are_explained_and_kept(
    client: TestClient, typed: dict[str, str], field: str, message: str
) -> None:
    start(client)
    client.post("/assessment/procedure", data={"procedure": "rhinoplasty"})
    page = client.post("/assessment/when", data=typed)
    assert page.status_code == 400
    assert title(page.text) == "Error: When did you have it? - reconsult"
    errors = error_links(page.text)
    assert list(errors) == [field]
    assert errors[field].startswith(message)
    for name, value in typed.items():  # what they typed is still there
        assert f'name="{name}" type="text"' in page.text
        assert f'value="{value}"' in page.text


def test_month_names_and_spaces_are_accepted(client: TestClient) -> None:
    start(client)
    client.post("/assessment/procedure", data={"procedure": "rhinoplasty"})
    answer = client.post("/assessment/when", data={"day": " 2 ", "month": "Nov", "year": "2026"})
    assert answer.headers["location"] == "/assessment/description"


def test_unknown_date_is_a_valid_answer(client: TestClient) -> None:
    start(client)
    client.post("/assessment/procedure", data={"procedure": "rhinoplasty"})
    answer = client.post("/assessment/when", data={"action": "unknown"})
    assert answer.headers["location"] == "/assessment/description"


def test_empty_description_is_an_error_and_long_text_is_kept(client: TestClient) -> None:
    start(client)
    client.post("/assessment/procedure", data={"procedure": "rhinoplasty"})
    client.post("/assessment/when", data={"action": "unknown"})
    empty = client.post("/assessment/description", data={"description": "   "})
    assert error_links(empty.text) == {
        "description": "Tell us what is happening, in your own words"
    }
    too_long = "my nose is crooked " * 600
    page = client.post("/assessment/description", data={"description": too_long})
    assert page.status_code == 400
    assert "must be 10,000 characters or fewer" in page.text
    assert "my nose is crooked my nose is crooked" in page.text


def test_emergency_words_go_straight_to_the_result(client: TestClient) -> None:
    where = walk(
        client,
        procedure="filler_hyaluronic_acid",
        days_ago=1,
        description="The skin on my top lip has gone white and blotchy and it really hurts",
    )
    assert where == "/assessment/result"
    page = client.get(where)
    assert care_cards(page.text) == ["emergency"]
    assert h1(page.text) == (
        "Immediate action required: "
        "Call your emergency number or go to the emergency department now"
    )
    assert title(page.text) == "Your answer: Get emergency help now - reconsult"
    assert re.findall(r'href="tel:(\d+)"', page.text)[:3] == ["911", "999", "112"]
    assert back_link(page.text) == "/assessment/description"


def test_checklist_asks_only_what_the_words_left_open(client: TestClient) -> None:
    start(client)
    client.post("/assessment/procedure", data={"procedure": "blepharoplasty"})
    client.post("/assessment/when", data={"action": "unknown"})
    answer = client.post(
        "/assessment/description",
        data={"description": "One eyelid droops more than the other. I have no fever."},
    )
    assert answer.headers["location"] == "/assessment/warning-signs"
    page = client.get("/assessment/warning-signs")
    assert h1(page.text) == "Is any of this happening now?"
    boxes = re.findall(r'name="signs" type="checkbox" value="([a-z_]+)"', page.text)
    assert "fever" not in boxes  # denied in the words
    assert "eyelid_droop" not in boxes  # reported in the words
    assert "orbital_haemorrhage" in boxes
    assert boxes[-1] == "none"


def test_a_ticked_warning_sign_changes_the_answer(client: TestClient) -> None:
    where = walk(
        client,
        procedure="blepharoplasty",
        days_ago=1,
        description="My eyelids look a bit uneven.",
        signs=["orbital_haemorrhage"],
    )
    page = client.get(where)
    assert care_cards(page.text) == ["emergency"]
    assert "You ticked:" in page.text


@pytest.mark.parametrize(
    ("ticked", "message"),
    [
        ([], "Select any signs you have now, or select 'None of these'"),
        (["none", "fever"], "Select the signs you have now, or select 'None of these', but not"),
    ],
    ids=["nothing", "none-and-a-sign"],
)
def test_checklist_errors(client: TestClient, ticked: list[str], message: str) -> None:
    start(client)
    client.post("/assessment/procedure", data={"procedure": "rhinoplasty"})
    client.post("/assessment/when", data={"action": "unknown"})
    client.post("/assessment/description", data={"description": "My nose is crooked."})
    page = client.post("/assessment/warning-signs", data={"signs": ticked})
    assert page.status_code == 400
    assert title(page.text).startswith("Error: ")
    [text] = error_links(page.text).values()
    assert text.startswith(message)


def test_check_your_answers_lists_everything_with_change_links(client: TestClient) -> None:
    where = walk(client, procedure="rhinoplasty", description="My nose is crooked.", confirm=False)
    assert where == "/assessment/check"
    page = client.get(where)
    assert h1(page.text) == "Check your answers"
    assert "Rhinoplasty" in page.text or "nose" in page.text.lower()
    assert "My nose is crooked." in page.text
    assert (TODAY - dt.timedelta(days=5)).strftime("%B %Y") in page.text
    for target in ("procedure", "when", "description", "warning-signs"):
        assert f'href="/assessment/{target}">Change' in page.text
    assert back_link(page.text) == "/assessment/warning-signs"


def test_changing_the_procedure_asks_the_checklist_again(client: TestClient) -> None:
    walk(client, procedure="rhinoplasty", description="My nose is crooked.", confirm=False)
    answer = client.post("/assessment/procedure", data={"procedure": "facelift"})
    assert answer.headers["location"] == "/assessment/warning-signs"


def test_changing_the_date_comes_back_to_check(client: TestClient) -> None:
    walk(client, procedure="rhinoplasty", description="My nose is crooked.", confirm=False)
    answer = client.post("/assessment/when", data={"action": "unknown"})
    assert answer.headers["location"] == "/assessment/check"


@pytest.mark.parametrize(
    "path",
    ["/assessment/when", "/assessment/description", "/assessment/check", "/assessment/result"],
)
def test_pages_opened_too_early_send_you_to_the_first_question(
    client: TestClient, path: str
) -> None:
    client.post("/assessment/start")  # pressed "Start now", answered nothing yet
    answer = client.get(path)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/assessment/emergency-check"


CASES = [
    ("filler_hyaluronic_acid", 3, "There is pus coming out where she injected", ["urgent"]),
    ("blepharoplasty", 30, "One eyelid droops a bit more than the other", ["non-urgent"]),
    ("breast_augmentation", 400, "One implant sits higher than the other", []),
    ("botulinum_toxin", 7, "My forehead feels heavy and one eyebrow is a bit lower", []),
]


@pytest.mark.parametrize(
    ("procedure", "days", "words", "cards"), CASES, ids=["urgent", "soon", "routine", "wait"]
)
def test_result_care_card_matches_urgency(
    client: TestClient, procedure: str, days: int, words: str, cards: list[str]
) -> None:
    page = client.get(walk(client, procedure=procedure, days_ago=days, description=words))
    assert page.status_code == 200
    assert care_cards(page.text) == cards
    assert "Where this advice comes from" in page.text
    assert "What you can do" in page.text
    assert '<figure class="timeline"' in page.text


def test_result_quotes_the_persons_own_words(client: TestClient) -> None:
    words = "There is pus coming out where she injected"
    page = client.get(
        walk(client, procedure="filler_hyaluronic_acid", days_ago=3, description=words)
    )
    quotes = re.findall(r'<blockquote class="quote">(.*?)</blockquote>', page.text, re.S)
    assert quotes
    assert all(q.strip().lower() in words.lower() for q in quotes)


def test_wait_result_has_safety_net_and_calendar_reminder(client: TestClient) -> None:
    page = client.get(
        walk(
            client,
            procedure="botulinum_toxin",
            days_ago=7,
            description="My forehead feels heavy and one eyebrow is a bit lower",
        )
    )
    assert "It is too early to judge" in h1(page.text)
    assert care_cards(page.text) == []  # calm: no red card
    folded = page.text.split('<details class="details">', 1)[1].split("</details>", 1)[0]
    assert "Warning signs to watch for" in folded
    assert "It is hard to swallow" in folded  # a Botox sign while it works
    assert 'class="button button--secondary" href="/assessment/result/reminder.ics"' in page.text
    ics = client.get("/assessment/result/reminder.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    reassess = event.decoded("dtstart")
    assert reassess > TODAY
    assert f"Look again on {reassess.day} {reassess:%B %Y}" in page.text


def test_no_reminder_without_a_reassess_date(client: TestClient) -> None:
    walk(client, procedure="filler_hyaluronic_acid", days_ago=3, description="Pus is coming out")
    assert client.get("/assessment/result/reminder.ics").status_code == 404


def test_start_again_deletes_the_answers(client: TestClient) -> None:
    walk(client, procedure="rhinoplasty", description="My nose is crooked.")
    assert client.get("/assessment/result").status_code == 200
    answer = client.post("/assessment/restart")
    assert answer.headers["location"] == "/"
    assert client.get("/assessment/result").headers["location"] == "/assessment/emergency-check"


def test_pages_are_not_cached_and_load_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get(walk(client, procedure="rhinoplasty", description="My nose is crooked."))
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    for tag in re.findall(r"<(?:link|script|img|iframe)[^>]*>", page.text):
        assert "http://" not in tag and "https://" not in tag, tag


@pytest.mark.parametrize("path", ["/", "/help", "/about", "/assessment/procedure", "/nowhere"])
def test_get_help_now_is_in_the_same_place_on_every_page(client: TestClient, path: str) -> None:
    start(client)
    page = client.get(path)
    header = page.text.split('<header class="header"', 1)[1].split("</header>", 1)[0]
    assert '<a class="header__help" href="/help">Get help now</a>' in header


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    page = client.get("/nowhere")
    assert page.status_code == 404
    assert h1(page.text) == "Page not found"


def test_help_page_lists_emergency_signs_and_crisis_lines(client: TestClient) -> None:
    page = client.get("/help")
    assert care_cards(page.text) == ["emergency"]
    assert "988" in page.text and "116 123" in page.text
    assert "What to say when you call" in page.text


def test_start_page_offers_to_continue_saved_answers(client: TestClient) -> None:
    walk(client, procedure="rhinoplasty", description="My nose is crooked.", confirm=False)
    page = client.get("/")
    assert 'href="/assessment/check">Continue where you left off</a>' in page.text
    assert "Start again (deletes your answers)" in page.text


def test_emergency_card_lists_only_what_made_it_an_emergency(client: TestClient) -> None:
    where = walk(
        client,
        procedure="filler_hyaluronic_acid",
        days_ago=1,
        description="My lip has gone white and it is a bit sore",
    )
    page = client.get(where).text
    card = page.split('class="care-card care-card--emergency"', 1)[1]
    script = card.split('<ul class="script">', 1)[1].split("</ul>", 1)[0]
    assert "What you see now: skin turning white or pale" in script
    assert "pain" not in script


@pytest.mark.parametrize("days", [0, 3, 20, 200, None])
def test_signs_shown_as_emergencies_are_the_ones_the_engine_treats_as_emergencies(
    days: int | None,
) -> None:
    """The watch-for lists and the answer come from the same rules: they never disagree."""
    from reconsult.knowledge import load_knowledge
    from reconsult.knowledge.schema import Urgency
    from reconsult.triage import assess
    from reconsult.triage.decide import sign_urgency
    from reconsult.triage.models import Case

    kb = load_knowledge()
    for code, procedure in kb.procedures.items():
        for sign in procedure.red_flags:
            case = Case(
                procedure=code,  # type: ignore[arg-type]
                days_since_procedure=days,
                description="Something feels off.",
                confirmed_signs=[sign],
            )
            answer = assess(case, TODAY, kb).urgency
            shown = sign_urgency(kb, sign, code, days)
            assert (shown is Urgency.emergency) == (answer is Urgency.emergency), (code, sign)
