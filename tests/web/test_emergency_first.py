"""Emergency first: the journey's first question, tap-to-call numbers, and the emergency answer.

Issue 14: a person with a white, painful lip after filler reaches "call now"
before any question about the procedure or the date; every emergency number
is a tel: link, the person's own number first.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from reconsult.knowledge import load_knowledge
from reconsult.settings import Settings
from reconsult.web import create_app
from reconsult.web.views.calls import region_from
from tests.conftest import BASE_URL, TODAY
from tests.web.pages import care_cards, error_links, walk


def _tel(html: str) -> list[str]:
    return re.findall(r'href="tel:(\d+)"', html)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_sign_on_the_first_question_goes_straight_to_the_emergency_answer(
    client: TestClient,
) -> None:
    assert client.post("/assessment/start").headers["location"] == "/assessment/emergency-check"
    page = client.get("/assessment/emergency-check")
    assert "skin_blanching" in page.text  # the filler sign is asked first of all
    answer = client.post("/assessment/emergency-check", data={"now": "skin_blanching"})
    assert answer.headers["location"] == "/assessment/result"
    result = client.get("/assessment/result")
    assert result.status_code == 200
    assert care_cards(result.text) == ["emergency"]
    assert _tel(result.text)[:3] == ["911", "999", "112"]
    text = _text(result.text)
    assert "What you see now: skin near a filler turns white, blotchy, blue-grey or dark" in text
    assert "hyaluronidase" in text  # the filler note, for the filler sign
    # No question about the procedure or the date came first.
    assert "What did you have done?" not in text


def test_sources_of_the_emergency_answer_are_those_behind_its_signs(client: TestClient) -> None:
    kb = load_knowledge()
    client.post("/assessment/start")
    client.post("/assessment/emergency-check", data={"now": "skin_blanching"})
    sources = _text(client.get("/assessment/result").text.split("Where this advice comes from")[1])
    assert kb.sources["ace-vo-2020"].title in sources
    assert kb.sources["vte-after-surgery"].title not in sources  # the DVT page
    assert kb.sources["hipaa-right-of-access"].title not in sources


def test_emergency_from_the_words_cites_only_the_rules_that_fired(client: TestClient) -> None:
    kb = load_knowledge()
    where = walk(
        client,
        procedure="filler_hyaluronic_acid",
        days_ago=0,
        description="I had lip filler 2 hours ago and now my upper lip is white and blotchy",
    )
    page = client.get(where).text
    assert care_cards(page) == ["emergency"]
    sources = _text(page.split("Where this advice comes from")[1])
    assert kb.sources["fda-filler-vessels-2015"].title in sources
    assert kb.sources["vte-after-surgery"].title not in sources
    assert kb.sources["hipaa-right-of-access"].title not in sources
    script = _text(page.split('<ul class="script">')[1].split("</ul>")[0])
    assert script.startswith("You had Hyaluronic acid filler")
    assert "today" in script
    assert "hyaluronidase" in _text(page)


def test_none_of_these_goes_on_to_the_procedure(client: TestClient) -> None:
    client.post("/assessment/start")
    answer = client.post("/assessment/emergency-check", data={"now": "none"})
    assert answer.headers["location"] == "/assessment/procedure"


@pytest.mark.parametrize(
    ("ticked", "message"),
    [
        ([], "Select any signs you have now, or select 'None of these'"),
        (["anaphylaxis", "none"], "but not both"),
    ],
    ids=["nothing", "both"],
)
def test_the_first_question_needs_a_clear_answer(
    client: TestClient, ticked: list[str], message: str
) -> None:
    client.post("/assessment/start")
    page = client.post("/assessment/emergency-check", data={"now": ticked})
    assert page.status_code == 400
    [shown] = error_links(page.text).values()
    assert message in shown


def test_the_first_question_offers_the_crisis_lines_to_tap(client: TestClient) -> None:
    client.post("/assessment/start")
    page = client.get("/assessment/emergency-check").text
    assert 'href="tel:988"' in page and 'href="sms:988"' in page
    assert 'href="tel:116123"' in page


def test_every_number_on_the_help_page_is_a_tap_to_call_link(client: TestClient) -> None:
    page = client.get("/help").text
    assert _tel(page)[:3] == ["911", "999", "112"]
    assert {"988", "116123"} <= set(_tel(page))
    body = page.split('<main class="main"', 1)[1].split("</main>", 1)[0]
    for number in ("911", "999", "112", "988", "116 123"):
        # every time a number is written, it is the text of a link
        for match in re.finditer(re.escape(number), _strip_links(body)):
            pytest.fail(f"{number} is shown outside a link: ...{body[match.start() - 40 :][:80]}")


def _strip_links(html: str) -> str:
    return re.sub(r"<a [^>]*>.*?</a>", "", re.sub(r"<[^a/][^>]*>", "", html), flags=re.S)


@pytest.mark.parametrize(
    ("language", "first"),
    [("en-GB,en;q=0.9", "999"), ("de-DE,de;q=0.8", "112"), ("en-US", "911"), ("en", "911")],
)
def test_the_local_number_comes_first_by_browser_language(
    client: TestClient, language: str, first: str
) -> None:
    page = client.get("/help", headers={"accept-language": language}).text
    assert _tel(page)[0] == first
    assert len(set(_tel(page)[:3])) == 3  # the others are still there


def test_the_region_setting_decides_before_the_browser(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, region="IE"), today=lambda: TODAY)
    with TestClient(app, base_url=BASE_URL) as client:
        page = client.get("/help", headers={"accept-language": "en-US"}).text
    assert _tel(page)[0] == "112"
    assert page.index('href="tel:116123"') < page.index('href="tel:988"')  # Samaritans first


@pytest.mark.parametrize(
    ("header", "region"),
    [
        ("fr-CA;q=0.4, en-GB;q=0.9", "GB"),
        ("en", None),
        ("", None),
        ("en-GB;q=0", None),
        ("zh-Hant-TW", "TW"),
        ("garbage;;q=x,,", None),
    ],
)
def test_region_from_the_browser_language(header: str, region: str | None) -> None:
    assert region_from(header, None) == region


def test_thoughts_of_ending_life_put_the_crisis_lines_first(client: TestClient) -> None:
    where = walk(
        client,
        procedure="rhinoplasty",
        days_ago=120,
        description="I hate my nose so much that I want to end my life",
    )
    page = client.get(where).text
    assert care_cards(page) == ["emergency"]
    card = page.split('class="care-card care-card--emergency"', 1)[1].split("What to tell them")[0]
    numbers = _tel(card)
    assert numbers.index("988") < numbers.index("911")
    assert 'href="sms:988"' in card
