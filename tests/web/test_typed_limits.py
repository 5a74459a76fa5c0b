"""Dates and words are checked where they are typed, with a plain message, never a dead end.

Issue 14: a procedure date before about 1926 was accepted and then failed on
every later page (or on the next note of a case file); a 5 MB description got
the general "problem with the service" page; the date boxes did not say which
order to type in; the description's length limit showed only after the box.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import re
from collections.abc import Iterator

import pytest
from starlette.requests import Request
from starlette.testclient import TestClient
from starlette.types import Message

from reconsult.casefile.procedure_dates import earliest_procedure_date
from reconsult.web.journey import forms
from reconsult.web.uploads import read_text_form
from tests.conftest import TODAY
from tests.web.pages import error_links, title

ORDER_HINT = "Day, then month, then year. For example, 27 3 2026 for 27 March 2026"
# 36,500 days (the assessment's limit) before TODAY, 21 November 2026.
TOO_EARLY = "The date must be 16 December 1926 or later. Check the year"
TOO_LONG = "Your description must be 10,000 characters or fewer"


def _date(day: dt.date, prefix: str = "") -> dict[str, str]:
    return {
        f"{prefix}day": str(day.day),
        f"{prefix}month": str(day.month),
        f"{prefix}year": str(day.year),
    }


def _to_when(client: TestClient) -> None:
    """Start, answer any question before the procedure, and say which procedure."""
    first = client.post("/assessment/start").headers["location"]
    if first != "/assessment/procedure":  # a screening question first: nothing is happening
        client.post(first, data={"now": "none"})
    client.post("/assessment/procedure", data={"procedure": "filler_hyaluronic_acid"})


def _to_description(client: TestClient) -> None:
    _to_when(client)
    assert client.post("/assessment/when", data={"action": "unknown"}).status_code == 303


def _hint(html: str, hint_id: str) -> str:
    found = re.search(rf'<(p|div) class="hint" id="{hint_id}">(.*?)</\1>', html, re.S)
    assert found, f"no hint {hint_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


# --- the date of the procedure ------------------------------------------------------


@pytest.mark.parametrize("year", ["1900", "1926"])
def test_a_date_too_long_ago_says_the_earliest_date_on_the_when_page(
    client: TestClient, year: str
) -> None:
    _to_when(client)
    page = client.post("/assessment/when", data={"day": "1", "month": "1", "year": year})
    assert page.status_code == 400
    assert title(page.text).startswith("Error: ")
    assert error_links(page.text) == {"year": TOO_EARLY}
    assert f'value="{year}"' in page.text  # what was typed is kept


def test_the_earliest_date_is_accepted_and_the_journey_goes_on(client: TestClient) -> None:
    earliest = earliest_procedure_date(TODAY)
    _to_when(client)
    day_before = client.post("/assessment/when", data=_date(earliest - dt.timedelta(days=1)))
    assert day_before.status_code == 400
    assert client.post("/assessment/when", data=_date(earliest)).status_code == 303
    words = client.post("/assessment/description", data={"description": "My lip is lumpy"})
    assert words.status_code == 303  # this was a 500 for dates the assessment cannot take
    assert client.get(words.headers["location"]).status_code == 200


def test_it_was_today_is_one_button_and_saves_today(client: TestClient) -> None:
    _to_when(client)
    page = client.get("/assessment/when").text
    assert re.search(
        r'<button class="button button--secondary" type="submit" name="action" value="today">'
        r"It was today</button>",
        page,
    )
    # "Continue" stays the first button: Enter in a date box sends the first one.
    assert page.index(">Continue</button>") < page.index(">It was today</button>")
    answer = client.post("/assessment/when", data={"action": "today", "day": "", "year": "x"})
    assert answer.status_code == 303
    again = client.get("/assessment/when").text
    for value in (TODAY.day, TODAY.month, TODAY.year):
        assert f'value="{value}"' in again


def test_the_date_boxes_say_the_order_and_bring_up_the_number_keys(client: TestClient) -> None:
    _to_when(client)
    page = client.get("/assessment/when").text
    assert _hint(page, "when-hint").startswith(ORDER_HINT)
    boxes = re.findall(r'<input class="input[^"]*" id="(day|month|year)"[^>]*>', page)
    assert boxes == ["day", "month", "year"]
    for box in re.findall(r'<input class="input[^"]*" id="(?:day|month|year)"[^>]*>', page):
        assert 'inputmode="numeric"' in box
    assert 'aria-describedby="when-hint"' in page  # the hint is read out with the boxes


# --- the case file's procedure ------------------------------------------------------


def _new_case(client: TestClient) -> str:
    return client.post("/cases").headers["location"].split("?")[0]


def test_a_case_procedure_too_long_ago_is_refused_and_notes_still_work(
    client: TestClient,
) -> None:
    case = _new_case(client)
    form = client.get(f"{case}/procedures/new").text
    assert _hint(form, "performed_on-hint").startswith(ORDER_HINT)
    for box in re.findall(r'<input[^>]* id="performed_on-(?:day|month|year)"[^>]*>', form):
        assert 'inputmode="numeric"' in box
    data = {"procedure": "filler_hyaluronic_acid", **_date(dt.date(1900, 1, 1), "performed_on-")}
    refused = client.post(f"{case}/procedures/new", data=data)
    assert refused.status_code == 400
    assert error_links(refused.text) == {"performed_on-year": TOO_EARLY}
    data |= _date(TODAY - dt.timedelta(days=3), "performed_on-")
    added = client.post(f"{case}/procedures/new", data=data)
    assert added.status_code == 303
    procedure = added.headers["location"].split("#procedure-")[1]
    note = client.post(
        f"{case}/journal/new", data={"procedure_id": procedure, "text": "My lip is lumpy"}
    )
    assert note.status_code == 303
    assert client.get(note.headers["location"]).status_code == 200


# --- the description --------------------------------------------------------------------


def test_the_description_limit_is_shown_before_the_box(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _to_description(client)
    page = client.get("/assessment/description").text
    hint = _hint(page, "description-hint")
    assert "You can write up to 10,000 characters." in hint
    assert page.index('id="description-hint"') < page.index("<textarea")
    monkeypatch.setattr(forms, "DESCRIPTION_MAX", 2_500)  # the page follows the code's limit
    assert "You can write up to 2,500 characters." in client.get("/assessment/description").text


def test_a_long_description_gets_the_length_message_with_the_words_kept(
    client: TestClient,
) -> None:
    _to_description(client)
    page = client.post("/assessment/description", data={"description": "a" * 12_000})
    assert page.status_code == 400
    assert error_links(page.text) == {"description": f"{TOO_LONG} (it is 12,000)"}
    assert "a" * 12_000 in page.text


def test_a_5_mb_description_gets_the_same_length_message_not_the_error_page(
    client: TestClient,
) -> None:
    _to_description(client)
    page = client.post("/assessment/description", data={"description": "a" * 5_000_000})
    assert page.status_code == 400
    assert "problem with the service" not in page.text
    assert title(page.text) == "Error: What is happening? Tell us in your own words - reconsult"
    assert error_links(page.text)["description"].startswith(TOO_LONG)
    assert "a" * 1000 not in page.text  # not read, so not sent back


def test_a_description_without_a_length_gets_the_length_message(client: TestClient) -> None:
    _to_description(client)

    def body() -> Iterator[bytes]:  # sent in pieces: no Content-Length to refuse it by
        yield b"description="
        yield from (b"a" * 100_000 for _ in range(30))

    page = client.post(
        "/assessment/description",
        content=body(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == 400
    assert error_links(page.text)["description"].startswith(TOO_LONG)


def test_a_form_without_a_length_is_read_only_up_to_the_limit() -> None:
    pulled = 0

    async def receive() -> Message:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"a" * 100_000, "more_body": pulled < 1000}

    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    request = Request({"type": "http", "method": "POST", "headers": headers}, receive)
    # Its own thread: an earlier browser test may leave an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as alone:
        read = alone.submit(asyncio.run, read_text_form(request, max_bytes=1_000_000))
    assert read.result() is None
    assert pulled == 11  # 1.1 MB of the 100 MB sent, then it stopped
