"""The danger questions page of the guided journey: tailored, before every calm answer."""

from __future__ import annotations

import datetime as dt
import re

from starlette.testclient import TestClient

from reconsult.knowledge import Knowledge
from tests.conftest import TODAY
from tests.web.pages import care_cards, describe, h1, walk


def _to_the_signs_page(client: TestClient, procedure: str, days_ago: int | None, words: str) -> str:
    """Answer the first three questions; return where the description sent us."""
    return describe(client, procedure=procedure, days_ago=days_ago, description=words)


def _boxes(html: str) -> list[str]:
    return re.findall(r'name="signs" type="checkbox" value="([a-z_]+)"', html)


def _labels(html: str) -> list[str]:
    return re.findall(r'<label for="[a-z_]+">(.*?)</label>', html)


# --- the journey's page ------------------------------------------------------------------


def test_a_nose_at_four_months_is_not_asked_about_chest_pain_or_a_calf(
    client: TestClient,
) -> None:
    where = _to_the_signs_page(client, "rhinoplasty", 120, "My nose is still a bit crooked.")
    assert where == "/assessment/warning-signs"
    page = client.get(where)
    assert h1(page.text) == "Is any of this happening now?"
    boxes = _boxes(page.text)
    assert "chest_pain" not in boxes and "calf_swelling" not in boxes
    assert "suicidal_thoughts" in boxes and "anaphylaxis" in boxes
    assert boxes[-1] == "none"
    assert "None of these" in _labels(page.text)


def test_three_days_after_nose_surgery_the_page_asks_about_clots_in_plain_words(
    client: TestClient,
) -> None:
    _to_the_signs_page(client, "rhinoplasty", 3, "My nose is swollen and a bit sore.")
    page = client.get("/assessment/warning-signs")
    assert {"chest_pain", "calf_swelling", "heavy_bleeding"} <= set(_boxes(page.text))
    assert "You have chest pain, or you are coughing up blood" in _labels(page.text)


def test_an_unknown_date_asks_every_danger_question(client: TestClient, kb: Knowledge) -> None:
    _to_the_signs_page(client, "rhinoplasty", None, "My nose is still a bit crooked.")
    boxes = _boxes(client.get("/assessment/warning-signs").text)
    assert set(kb.procedures["rhinoplasty"].red_flags) <= set(boxes)


def test_the_page_comes_before_every_calm_answer(client: TestClient) -> None:
    for procedure, days, words in [
        ("botulinum_toxin", 120, "My forehead looks uneven and I am not happy with it"),
        ("breast_augmentation", 400, "One implant sits higher than the other"),
        ("rhinoplasty", 10, "My nose is still swollen"),
    ]:
        assert _to_the_signs_page(client, procedure, days, words) == "/assessment/warning-signs"


def test_a_ticked_sign_gives_emergency_and_unticked_ones_are_not_listed_as_noted(
    client: TestClient,
) -> None:
    where = walk(
        client,
        procedure="rhinoplasty",
        days_ago=3,
        description="My nose is swollen and a bit sore.",
        signs=["calf_swelling"],
    )
    page = client.get(where)
    assert care_cards(page.text) == ["emergency"]
    assert "Things you mentioned that we did not count as happening now" not in page.text


def test_none_of_these_is_shown_on_the_check_page(client: TestClient) -> None:
    walk(client, procedure="rhinoplasty", description="My nose is crooked.", confirm=False)
    page = client.get("/assessment/check")
    assert "Danger signs happening now" in page.text
    assert "None of these" in page.text


def test_an_earlier_date_brings_back_the_signs_it_adds(client: TestClient) -> None:
    """Answered at four months, then the date is changed to three days ago."""
    walk(client, procedure="rhinoplasty", days_ago=120, description="My nose is crooked.")
    day = TODAY - dt.timedelta(days=3)
    answer = client.post(
        "/assessment/when", data={"day": day.day, "month": day.month, "year": day.year}
    )
    assert answer.headers["location"] == "/assessment/warning-signs"
    page = client.get("/assessment/warning-signs")
    assert "chest_pain" in _boxes(page.text)
    assert "checked" not in page.text  # "None of these" was not an answer to the new signs
    assert client.get("/assessment/result").headers["location"] == "/assessment/warning-signs"


def test_a_later_date_keeps_the_answers(client: TestClient) -> None:
    walk(client, procedure="rhinoplasty", days_ago=3, description="My nose is crooked.")
    day = TODAY - dt.timedelta(days=120)
    answer = client.post(
        "/assessment/when", data={"day": day.day, "month": day.month, "year": day.year}
    )
    assert answer.headers["location"] == "/assessment/check"
