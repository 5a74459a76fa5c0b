"""Issue 15 in the case pages: the note form asks what became of signs an earlier note left open.

Through the test client with real storage (a fresh SQLite file): the note form
shows each open finding that still holds, the person's words and their day,
and the question, before the note box; the answers close findings when the
note is saved; the overview lists what is open and the history says what
became of each sign, with dates; every note's answer is its own.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

from starlette.testclient import TestClient

from reconsult.casefile.repository import load_case
from reconsult.knowledge import load_knowledge
from reconsult.knowledge.schema import ClosingChoice
from tests.conftest import TODAY
from tests.web.pages import care_cards, error_links

EMERGENCY = (
    "I had lip filler 2 hours ago and now my upper lip is white and blotchy and really hurts"
)
BENIGN = "my lip is a bit swollen"
DAY = f"{TODAY.day} {TODAY:%B %Y}"
WORDS = load_knowledge().policy.open_findings


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _case_with_an_emergency_note(client: TestClient) -> tuple[str, str]:
    """A case with filler done today and a note that leaves white and blotchy skin open."""
    case = client.post("/cases").headers["location"].split("?")[0]
    added = client.post(
        f"{case}/procedures/new",
        data={
            "procedure": "filler_hyaluronic_acid",
            "performed_on-day": str(TODAY.day),
            "performed_on-month": str(TODAY.month),
            "performed_on-year": str(TODAY.year),
        },
    )
    procedure = added.headers["location"].split("#procedure-")[1]
    saved = client.post(f"{case}/journal/new", data={"procedure_id": procedure, "text": EMERGENCY})
    assert saved.status_code == 303
    return case, procedure


def _stored(client: TestClient, case: str) -> list[tuple[str, str | None]]:
    """Each kept note: its words and its urgency, as saved."""
    app: Any = client.app
    kept = load_case(app.state.reconsult.database, case.rsplit("/", 1)[1])
    assert kept is not None
    return [(e.text, e.urgency.value if e.urgency else None) for e in kept.journal]


def _history(html: str) -> list[str]:
    """The history's notes, newest first, as text."""
    items = re.split(r'<li class="history__item">', html.split('id="history"', 1)[1])[1:]
    return [_text(item.split("See the full answer")[0]) for item in items]


def test_the_note_form_asks_about_each_open_sign_before_the_note_box(client: TestClient) -> None:
    case, _ = _case_with_an_emergency_note(client)
    form = client.get(f"{case}/journal/new")
    assert form.status_code == 200
    html = form.text
    page = _text(html)
    assert f"On {DAY} you wrote: “lip is white”" in page
    assert f"On {DAY} you wrote: “blotchy”" in page
    # A fieldset per sign, the question as its legend, described by the words and the day.
    for code in ("skin_blanching", "skin_mottling"):
        fieldset = re.search(
            rf'<fieldset class="fieldset" aria-describedby="open-{code}-told">\s*'
            r'<legend class="legend legend--small">(.*?)</legend>',
            html,
        )
        assert fieldset is not None, code
        assert unescape(fieldset.group(1)) == WORDS.question
        # "Not yet, it is still there" is offered first, and chosen.
        first = re.search(rf'<input id="open-{code}-0" name="open-{code}"[^>]*>', html)
        assert first is not None and "checked" in first.group(0)
        assert 'value="open"' in first.group(0)
    for words in (WORDS.still_open, *WORDS.choices.values(), "Who treated it?", "When?"):
        assert words in page
    assert html.index('id="open-skin_blanching-0"') < html.index("<textarea")


def test_seen_and_gone_close_them_so_the_note_gets_its_own_answer(client: TestClient) -> None:
    case, procedure = _case_with_an_emergency_note(client)
    saved = client.post(
        f"{case}/journal/new",
        data={
            "open-skin_blanching": "seen",
            "treated_by-skin_blanching": "the clinic",
            "treated_on-skin_blanching-day": str(TODAY.day),
            "treated_on-skin_blanching-month": str(TODAY.month),
            "treated_on-skin_blanching-year": str(TODAY.year),
            "open-skin_mottling": "gone",
            "procedure_id": procedure,
            "text": BENIGN,
        },
    )
    assert saved.status_code == 303, saved.text
    assert _stored(client, case) == [(EMERGENCY, "emergency"), (BENIGN, "wait")]
    answer = client.get(saved.headers["location"]).text
    assert "emergency" not in care_cards(answer)
    assert "What you told us before still counts" not in answer

    overview = client.get(case).text
    assert "Still open" not in _text(overview)  # nothing holds the answers now
    newest, first = _history(overview)
    assert "Too early to judge" in newest and "because of what you wrote" not in newest
    assert "Emergency" in first
    assert (
        f"Skin turning white or pale near where you were treated: seen and treated by "
        f"the clinic on {DAY}, said on {DAY}." in first
    )
    assert f"{WORDS.closed[ClosingChoice.gone]}, said on {DAY}." in first
    # Nothing is asked on the next note.
    assert "open-skin_blanching" not in client.get(f"{case}/journal/new").text


def test_still_there_keeps_the_emergency_and_says_which_note_holds_it(client: TestClient) -> None:
    case, procedure = _case_with_an_emergency_note(client)
    saved = client.post(
        f"{case}/journal/new",
        data={
            "open-skin_blanching": "open",
            "open-skin_mottling": "open",
            "procedure_id": procedure,
            "text": BENIGN,
        },
    )
    assert saved.status_code == 303
    assert _stored(client, case)[-1] == (BENIGN, "emergency")
    answer = client.get(saved.headers["location"]).text
    assert care_cards(answer)[0] == "emergency"
    held = _text(answer.split('id="held-title"', 1)[1].split("</section>", 1)[0])
    assert "lip is white" in held and "blotchy" in held
    assert f"On {DAY} you wrote about skin turning white or pale" in held
    assert WORDS.question in held
    assert f'href="{case}/journal/new">Tell us what happened' in answer

    overview = client.get(case).text
    still = _text(overview.split('id="open-now-title"', 1)[1].split("</section>", 1)[0])
    assert f"On {DAY} you wrote: “lip is white”" in still
    assert "We count it until 24 November 2026" in still  # three days for white skin
    # Above the summary of the last note's urgency.
    assert overview.index('id="open-now-title"') < overview.index("In your last note")
    newest, first = _history(overview)
    assert "Emergency" in newest
    assert f"Emergency because of what you wrote on {DAY} : “lip is white”, “blotchy”" in newest
    assert "because of what you wrote" not in first  # its own answer
    assert "still open, counted until 24 November 2026" in first


def test_a_sign_left_open_without_an_answer_stays_open(client: TestClient) -> None:
    """A form sent without the question (an old page, another tab) closes nothing."""
    case, procedure = _case_with_an_emergency_note(client)
    saved = client.post(f"{case}/journal/new", data={"procedure_id": procedure, "text": BENIGN})
    assert saved.status_code == 303
    assert _stored(client, case)[-1] == (BENIGN, "emergency")


def test_a_bad_when_date_gets_a_plain_error_and_keeps_everything_typed(
    client: TestClient,
) -> None:
    case, procedure = _case_with_an_emergency_note(client)
    sent = client.post(
        f"{case}/journal/new",
        data={
            "open-skin_blanching": "seen",
            "treated_by-skin_blanching": "Dr Amira Khan",
            "treated_on-skin_blanching-day": "31",
            "treated_on-skin_blanching-month": "2",
            "treated_on-skin_blanching-year": str(TODAY.year),
            "open-skin_mottling": "mistake",
            "procedure_id": procedure,
            "text": BENIGN,
        },
    )
    assert sent.status_code == 400
    assert error_links(sent.text) == {
        "treated_on-skin_blanching-day": "The date must be a real date, for example 27 3 2026"
    }
    html = sent.text
    assert f">{BENIGN}</textarea>" in html
    assert 'value="Dr Amira Khan"' in html
    assert 'id="treated_on-skin_blanching-day" name="treated_on-skin_blanching-day"' in html
    assert re.search(r'id="treated_on-skin_blanching-day"[^>]*value="31"', html)
    for code, value in (("skin_blanching", "seen"), ("skin_mottling", "mistake")):
        picked = re.search(
            rf'<input[^>]*name="open-{code}" type="radio" value="{value}"[^>]*>', html
        )
        assert picked is not None and "checked" in picked.group(0)
    assert _stored(client, case) == [(EMERGENCY, "emergency")]  # nothing kept, nothing closed

    future = TODAY + dt.timedelta(days=1)
    later = client.post(
        f"{case}/journal/new",
        data={
            "open-skin_blanching": "seen",
            "treated_on-skin_blanching-day": str(future.day),
            "treated_on-skin_blanching-month": str(future.month),
            "treated_on-skin_blanching-year": str(future.year),
            "procedure_id": procedure,
            "text": BENIGN,
        },
    )
    assert error_links(later.text) == {
        "treated_on-skin_blanching-day": "The date must be today or in the past"
    }


def test_who_and_when_go_with_seen_only(client: TestClient) -> None:
    """A date typed under "seen" and then left for "gone" is not checked or kept."""
    case, procedure = _case_with_an_emergency_note(client)
    saved = client.post(
        f"{case}/journal/new",
        data={
            "open-skin_blanching": "gone",
            "treated_by-skin_blanching": "someone",
            "treated_on-skin_blanching-day": "99",
            "open-skin_mottling": "gone",
            "procedure_id": procedure,
            "text": BENIGN,
        },
    )
    assert saved.status_code == 303, error_links(saved.text)
    history = _history(client.get(case).text)
    assert "someone" not in history[1]
    assert f"went away by itself, said on {DAY}" in history[1]


def test_each_note_keeps_its_own_answer_after_the_signs_are_closed(client: TestClient) -> None:
    """Emergency, then held at emergency, then closed: each page shows that note's answer."""
    case, procedure = _case_with_an_emergency_note(client)
    held = client.post(f"{case}/journal/new", data={"procedure_id": procedure, "text": BENIGN})
    closed = client.post(
        f"{case}/journal/new",
        data={
            "open-skin_blanching": "gone",
            "open-skin_mottling": "gone",
            "procedure_id": procedure,
            "text": "my lip is a bit swollen, the colour is back",
        },
    )
    assert [u for _, u in _stored(client, case)] == ["emergency", "emergency", "wait"]
    held_page = client.get(held.headers["location"]).text
    assert care_cards(held_page)[0] == "emergency"
    assert "What you told us before still counts" in held_page
    assert "Tell us what happened" not in held_page  # closed since: nothing to ask
    assert "emergency" not in care_cards(client.get(closed.headers["location"]).text)
    tags = [item.split(")", 1)[1].split()[0] for item in _history(client.get(case).text)]
    assert tags == ["Too", "Emergency", "Emergency"]  # newest first, same day: last written first
    overview = client.get(case).text
    assert "In your last note" not in overview  # the last note, not the first of the day
