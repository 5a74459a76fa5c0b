"""The case file in the browser: fill it in, notes, photos, letters, downloads, delete."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from html import unescape

import pytest
from PIL import Image
from starlette.testclient import TestClient

from tests.conftest import TODAY
from tests.web.pages import care_cards, error_links, h1, title


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


def _new_case(client: TestClient) -> str:
    response = client.post("/cases")
    assert response.status_code == 303
    return response.headers["location"].split("?")[0]


def _add_procedure(client: TestClient, case: str, **extra: str) -> str:
    data = {
        "procedure": "filler_hyaluronic_acid",
        **_date("performed_on", TODAY - dt.timedelta(days=10)),
        "provider_name": "Dr Amira Khan",
        "practice_name": "Riverside Aesthetics",
        **extra,
    }
    response = client.post(f"{case}/procedures/new", data=data)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("#procedure-")[1]


def _fill_details(client: TestClient, case: str) -> None:
    data = {
        "title": "Lips 2026",
        "person_name": "Jordan Lee",
        **_date("date_of_birth", dt.date(1990, 4, 3)),
        "jurisdiction": "GB",
    }
    assert client.post(f"{case}/details", data=data).status_code == 303


def _jpeg(colour: tuple[int, int, int] = (200, 120, 90), *, gps: bool = False) -> bytes:
    image = Image.new("RGB", (640, 480), colour)
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _upload(
    client: TestClient, case: str, data: bytes, *, on: dt.date = TODAY, angle: str = "front"
) -> str:
    response = client.post(
        f"{case}/photos/new",
        data={**_date("taken_on", on), "angle": angle},
        files={"file": ("photo.jpg", data, "image/jpeg")},
    )
    return response.headers.get("location", "") if response.status_code == 303 else response.text


def test_a_new_case_file_is_listed_and_opens_on_its_overview(client: TestClient) -> None:
    case = _new_case(client)
    overview = client.get(case + "?new")
    assert h1(overview.text) == "My case"
    assert "Your case file is ready" in overview.text
    listing = client.get("/cases").text
    assert f'href="{case}"' in listing


def test_details_are_checked_and_kept_and_shown_again_to_change(client: TestClient) -> None:
    case = _new_case(client)
    bad = client.post(
        f"{case}/details",
        data={
            "title": "",
            "date_of_birth-day": "31",
            "date_of_birth-month": "2",
            "date_of_birth-year": "1990",
        },
    )
    assert bad.status_code == 400
    assert title(bad.text).startswith("Error:")
    assert error_links(bad.text) == {
        "title": "Enter a name for this case file",
        "date_of_birth-day": "The date must be a real date, for example 27 3 2026",
    }
    assert 'value="31"' in bad.text  # what was typed is kept
    _fill_details(client, case)
    form = client.get(f"{case}/details").text
    assert 'value="Jordan Lee"' in form and 'value="1990"' in form
    assert '<option value="GB" selected>' in form
    assert "United Kingdom" in _text(client.get(case).text)


def test_a_procedure_with_products_and_implants_reads_back_on_the_overview(
    client: TestClient,
) -> None:
    case = _new_case(client)
    procedure = _add_procedure(client, case)
    half = client.post(
        f"{case}/procedures/{procedure}/products/new",
        data={"brand": "Juvederm", "site": "upper lip"},
    )
    assert half.status_code == 400
    assert error_links(half.text) == {"amount": "Enter how much, or leave all three empty"}
    product = client.post(
        f"{case}/procedures/{procedure}/products/new",
        data={
            "brand": "Juvederm",
            "product_name": "Volbella",
            "lot": "VB123",
            "site": "upper lip",
            "amount": "0,5",
            "unit": "mL",
        },
    )
    assert product.status_code == 303
    implant = client.post(
        f"{case}/procedures/{procedure}/implants/new",
        data={
            "side": "left",
            "manufacturer": "Mentor",
            "size_cc": "350",
            "fill": "silicone",
            "surface": "smooth",
            "serial": "SN-998",
        },
    )
    assert implant.status_code == 303
    page = _text(client.get(case).text)
    assert "Juvederm Volbella, lot VB123: upper lip 0.5 mL" in page
    assert "Left: Mentor, 350 cc, silicone, smooth, serial SN-998" in page
    assert "Dr Amira Khan" in page and "Riverside Aesthetics" in page


def test_removing_a_procedure_asks_first_and_keeps_notes_about_it(client: TestClient) -> None:
    case = _new_case(client)
    procedure = _add_procedure(client, case)
    client.post(
        f"{case}/journal/new", data={"procedure_id": procedure, "text": "A bit swollen still"}
    )
    ask = client.get(f"{case}/procedures/{procedure}/remove")
    assert h1(ask.text).startswith("Remove Hyaluronic acid filler")
    assert client.post(f"{case}/procedures/{procedure}/remove").status_code == 303
    page = _text(client.get(case).text)
    assert "No procedures yet." in page
    assert "A bit swollen still" in page


def test_a_note_gets_an_answer_and_an_emergency_shows_at_once(client: TestClient) -> None:
    case = _new_case(client)
    procedure = _add_procedure(client, case)
    empty = client.post(f"{case}/journal/new", data={"procedure_id": procedure, "text": "  "})
    assert error_links(empty.text) == {"text": "Write what you notice, in your own words"}
    saved = client.post(
        f"{case}/journal/new",
        data={"procedure_id": procedure, "text": "My lip has gone white and is very painful"},
    )
    assert saved.status_code == 303
    answer = client.get(saved.headers["location"]).text
    assert care_cards(answer)[0] == "emergency"
    assert "My lip has gone white and is very painful" in answer
    overview = client.get(case).text
    assert "tag--red" in overview and "Emergency" in overview
    assert 'href="/help">get help now' in overview  # the last note was an emergency


def test_the_history_shows_each_note_with_the_urgency_of_its_day(client: TestClient) -> None:
    case = _new_case(client)
    procedure = _add_procedure(client, case)
    client.post(
        f"{case}/journal/new",
        data={"procedure_id": procedure, "text": "Some bruising, otherwise fine"},
    )
    client.post(
        f"{case}/journal/new",
        data={"procedure_id": procedure, "text": "The skin over my lip is turning dusky blue"},
    )
    items = re.findall(r'<li class="history__item">(.*?)</li>', client.get(case).text, re.S)
    assert len(items) == 2
    assert all("10 days after" in _text(i) for i in items)
    tags = [re.search(r'class="tag tag--(\w+)"', i).group(1) for i in items]  # type: ignore[union-attr]
    assert "red" in tags and len(set(tags)) == 2


def test_a_photo_is_kept_without_its_location_and_photos_compare_side_by_side(
    client: TestClient,
) -> None:
    case = _new_case(client)
    first = _upload(client, case, _jpeg(gps=True), on=TODAY - dt.timedelta(days=7))
    assert first.startswith(f"{case}/photos/")
    photo_id = first.rsplit("/", 1)[1]
    stored = client.get(f"{first}/image.jpg")
    assert stored.headers["content-type"] == "image/jpeg"
    kept = Image.open(io.BytesIO(stored.content))
    assert not kept.getexif()
    assert b"PhoneMaker" not in stored.content
    assert client.get(f"{first}/thumbnail.jpg").status_code == 200
    _upload(client, case, _jpeg((90, 120, 200)), on=TODAY)
    compare = client.get(f"{case}/photos/compare").text
    figures = re.findall(r'<figure class="compare__item">(.*?)</figure>', compare, re.S)
    assert [_text(f).split(" Front")[0] for f in figures] == [
        f"{(TODAY - dt.timedelta(days=7)).day} November 2026",
        "21 November 2026",
    ]
    assert photo_id in figures[0]


def test_a_photo_that_cannot_be_kept_says_why_and_keeps_nothing(client: TestClient) -> None:
    case = _new_case(client)
    broken = _upload(client, case, b"this is not a photo at all")
    assert "There is a problem" in broken
    none = client.post(f"{case}/photos/new", data={**_date("taken_on", TODAY), "angle": "front"})
    assert error_links(none.text)["file"] == "Choose a photo to add"
    future = _upload(client, case, _jpeg(), on=TODAY + dt.timedelta(days=1))
    assert "The date must be today or in the past" in future
    assert "No photos yet." in client.get(case).text


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    case = _new_case(client)
    response = client.post(
        f"{case}/photos/new",
        content=b"x" * 100,
        headers={
            "content-type": "multipart/form-data; boundary=b",
            "content-length": str(40_000_000),
        },
    )
    assert response.status_code == 400
    assert "The photo must be smaller than 15 MB" in unescape(response.text)


def test_removing_a_photo_asks_first_then_it_is_gone(client: TestClient) -> None:
    case = _new_case(client)
    photo = _upload(client, case, _jpeg())
    assert "Remove this photo?" in client.get(f"{photo}/remove").text
    assert client.post(f"{photo}/remove").status_code == 303
    assert client.get(f"{photo}/image.jpg").status_code == 404


def test_a_records_letter_needs_your_details_then_is_kept_with_a_follow_up(
    client: TestClient,
) -> None:
    case = _new_case(client)
    first = client.get(f"{case}/letters/new").text
    assert h1(first) == "Before you make your letter"
    assert "your full name, your date of birth, where you live" in first
    _fill_details(client, case)
    procedure = _add_procedure(client, case)
    empty = client.post(
        f"{case}/letters/new", data={"send_to": "new_provider", "preferred_format": "paper"}
    )
    assert set(error_links(empty.text)) == {"procedure_ids-0", "address", "practice_address"}
    made = client.post(
        f"{case}/letters/new",
        data={
            "procedure_ids": procedure,
            "address": "1 High Street\nLondon N1 1AA",
            "practice_address": "2 River Road\nLondon E1 2BB",
            "preferred_format": "electronic",
            "send_to": "self",
        },
    )
    assert made.status_code == 303
    page = _text(client.get(made.headers["location"]).text)
    assert "Your letter to Dr Amira Khan" in page
    assert "21 December 2026" in page  # one month under UK GDPR
    assert "UK GDPR" in page
    letter = client.get(made.headers["location"] + "/letter.txt")
    assert "attachment" in letter.headers["content-disposition"]
    assert "Jordan Lee" in letter.text
    printed = client.get(made.headers["location"] + "/letter.pdf")
    assert printed.headers["content-type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF-")
    reminders = client.get(f"{case}/download/reminders.ics").text
    assert "DTSTART;VALUE=DATE:20261221" in reminders


def test_everything_downloads_and_imports_back_the_same(client: TestClient) -> None:
    case = _new_case(client)
    _fill_details(client, case)
    procedure = _add_procedure(client, case)
    client.post(
        f"{case}/journal/new", data={"procedure_id": procedure, "text": "Lumpy on the left"}
    )
    _upload(client, case, _jpeg())
    exported = client.get(f"{case}/download/case.json")
    assert "attachment" in exported.headers["content-disposition"]
    fhir = client.get(f"{case}/download/fhir.json").json()
    assert fhir["resourceType"] == "Bundle"
    kinds = {e["resource"]["resourceType"] for e in fhir["entry"]}
    assert {"Patient", "Procedure", "DocumentReference", "Observation"} <= kinds
    same = client.post(
        "/cases/import", files={"file": ("case.json", exported.content, "application/json")}
    )
    assert same.status_code == 400
    assert "You already have this case" in unescape(same.text)
    assert client.post(f"{case}/delete").status_code == 303
    back = client.post(
        "/cases/import", files={"file": ("case.json", exported.content, "application/json")}
    )
    assert back.headers["location"] == case
    again = client.get(f"{case}/download/case.json").json()
    assert again["case"] == json.loads(exported.content)["case"]


def test_a_file_that_is_not_a_case_file_is_refused_and_nothing_is_added(client: TestClient) -> None:
    refused = client.post(
        "/cases/import", files={"file": ("x.json", b'{"format": "other"}', "application/json")}
    )
    assert refused.status_code == 400
    assert "Nothing was imported" in unescape(refused.text)
    assert "You do not have a case file yet." in client.get("/cases").text


def test_deleting_a_case_asks_first_then_removes_everything(client: TestClient) -> None:
    case = _new_case(client)
    photo = _upload(client, case, _jpeg())
    ask = client.get(f"{case}/delete")
    assert h1(ask.text) == "Are you sure you want to delete this case file?"
    done = client.post(f"{case}/delete")
    assert done.headers["location"] == "/cases?deleted"
    assert "Your case file was deleted" in client.get("/cases?deleted").text
    assert client.get(case).status_code == 404
    assert client.get(f"{photo}/image.jpg").status_code == 404


@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}],
    ids=["origin", "sec-fetch-site"],
)
def test_another_website_cannot_change_or_delete_a_case(
    client: TestClient, headers: dict[str, str]
) -> None:
    case = _new_case(client)
    refused = client.post(f"{case}/delete", headers=headers)
    assert refused.status_code == 403
    assert "came from another website" in refused.text
    assert client.get(case).status_code == 200


def test_our_own_pages_may_post(client: TestClient) -> None:
    same = client.post(
        "/cases", headers={"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"}
    )
    assert same.status_code == 303


def test_a_page_reached_under_another_host_name_is_refused(client: TestClient) -> None:
    case = _new_case(client)
    rebound = client.get(case, headers={"host": "attacker.example"})
    assert rebound.status_code == 400
    assert "Lips" not in rebound.text


def test_an_unknown_case_is_not_found(client: TestClient) -> None:
    assert client.get("/cases/no-such-case").status_code == 404
    assert client.post("/cases/no-such-case/journal/new", data={"text": "x"}).status_code == 404


def test_the_consultation_summary_downloads_as_pdf_and_text(client: TestClient) -> None:
    case = _new_case(client)
    _fill_details(client, case)
    procedure = _add_procedure(client, case)
    client.post(
        f"{case}/journal/new", data={"procedure_id": procedure, "text": "Lumpy on the left"}
    )
    pdf = client.get(f"{case}/download/packet.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    text = client.get(f"{case}/download/packet.txt").text
    assert "Jordan Lee" in text and "Lumpy on the left" in text
