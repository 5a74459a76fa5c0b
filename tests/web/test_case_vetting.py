"""Checking a provider: fill in the checklist, see it on the case in words, change it, remove it.

The form page goes through the vetting checklist for the treatment and the
red flags; a provider from the directory has their name filled in; mistakes
come back with what was typed; the case shows each provider checked, with
worries and warning signs in words and what to do about them.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from fastapi import FastAPI
from sqlalchemy import insert
from starlette.testclient import TestClient

from reconsult.knowledge import Knowledge
from reconsult.providers.directory_tables import providers
from tests.conftest import TODAY
from tests.web.pages import error_links, h1, title
from tests.web.test_cases import _add_procedure, _date, _new_case

NPI = "1234567893"
FILLER = "filler_hyaluronic_acid"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, start: str, end: str) -> str:
    """The words of the page between two headings' ids."""
    match = re.search(f'id="{start}".*?id="{end}"', html, re.S)
    assert match, (start, end)
    return text_of(match.group(0))


def checked(html: str) -> set[str]:
    """The ids of the radios and checkboxes that are ticked."""
    return set(re.findall(r'<input id="([^"]+)"[^>]*\bchecked\b', html))


def flags_ticked(html: str) -> list[str]:
    """The red flags that are ticked, by id."""
    return re.findall(r'name="red_flags" type="checkbox" value="([^"]+)" checked', html)


def add_to_directory(app: FastAPI) -> None:
    """Put one provider in the directory, as an import would."""
    database = app.state.reconsult.database
    with database.engine.begin() as connection:
        connection.execute(
            insert(providers).values(
                npi=NPI,
                first_name="Amira",
                middle_name="J",
                last_name="Khan",
                credential="MD",
                address_line1="1 Main Street",
                city="New York",
                state="NY",
                postal_code="10001",
                latitude=40.75,
                longitude=-73.99,
            )
        )


def filled(**changes: str | list[str]) -> dict[str, str | list[str]]:
    """A whole form: one check fine, one worrying with what was found, two red flags."""
    form: dict[str, str | list[str]] = {
        "provider_name": "Dr Amira J Khan, MD",
        **_date("checked_on", TODAY - dt.timedelta(days=1)),
        "npi": NPI,
        "procedure": FILLER,
        "check-board-certification": "confirmed",
        "check-license": "concern",
        "found-license": "DocInfo shows a warning from 2021",
        "check-injector-setting": "not_checked",
        "red_flags": ["pressure", "no-photos"],
        "note": "Ask about the warning.",
    }
    return form | changes


def test_the_form_from_the_directory_asks_the_checks_for_the_treatment(
    client: TestClient, app: FastAPI, kb: Knowledge
) -> None:
    add_to_directory(app)
    case = _new_case(client)
    page = client.get(f"{case}/provider-checks/new", params={"npi": NPI, "procedure": FILLER})
    assert page.status_code == 200
    assert h1(page.text) == "Check a provider"
    assert 'value="Amira J. Khan, MD"' in page.text  # the directory's name, to change if need be
    assert f'<input type="hidden" name="npi" value="{NPI}">' in page.text
    assert f'value="{TODAY.day}"' in page.text  # checked today, unless they say otherwise
    words = text_of(page.text)
    for check in kb.checks_for(FILLER):
        assert check.title in words and " ".join(check.how.split()) in words
    assert "Allowed to do your operation in a hospital" not in words  # surgery only
    for flag in kb.red_flags_for(FILLER):
        assert flag.title in words and " ".join(flag.text.split()) in words
    assert "Did you notice any of these?" in words
    # Nothing is claimed before the person says so: every check starts as not checked.
    assert checked(page.text) == {f"check-{c.id}-2" for c in kb.checks_for(FILLER)}
    assert 'href="https://www.docinfo.org/"' in page.text  # where to check a license


def test_an_npi_not_in_the_directory_or_a_bad_address_still_gives_a_form(
    client: TestClient,
) -> None:
    case = _new_case(client)
    page = client.get(f"{case}/provider-checks/new", params={"npi": NPI, "procedure": "nope"})
    assert page.status_code == 200
    assert 'id="provider_name" name="provider_name" type="text" autocomplete="off" value=""' in (
        page.text
    )
    assert "NPI number 1234567893" in text_of(page.text)
    odd = client.get(f"{case}/provider-checks/new", params={"npi": "12<b>"})
    assert odd.status_code == 200 and "12<b>" not in odd.text
    # No treatment named and none in the case: the whole checklist.
    assert "Allowed to do your operation in a hospital" in text_of(odd.text)


def test_a_saved_check_shows_on_the_case_with_worries_and_warning_signs_in_words(
    client: TestClient, kb: Knowledge
) -> None:
    case = _new_case(client)
    saved = client.post(f"{case}/provider-checks/new", data=filled())
    assert saved.status_code == 303
    where = saved.headers["location"]
    assert where.startswith(f"{case}#provider-check-")
    overview = client.get(case).text
    shown = section(overview, "provider-checks", "records")
    assert "Dr Amira J Khan, MD" in shown
    assert f"When you checked {(TODAY - dt.timedelta(days=1)).day} November 2026" in shown
    assert "For Hyaluronic acid filler" in shown
    assert "Checks done 2 of 7" in shown
    assert "What worried you An active license, with no discipline: DocInfo shows a warning" in (
        shown
    )
    assert "Warning signs you noticed Pressure to book or pay today No before-and-after photos" in (
        shown
    )
    # A kind line about what to do, from each red flag's own words; never blaming.
    assert "It is good that you spotted them." in shown
    pressure = next(f for f in kb.providers.red_flags if f.id == "pressure")
    assert f"Pressure to book or pay today. {' '.join(pressure.text.split())}" in shown
    assert "Your note Ask about the warning." in shown
    assert 'href="#provider-checks">Providers you checked</a>' in overview
    record = where.split("#provider-check-")[1]
    assert f'id="provider-check-{record}"' in overview


def test_mistakes_keep_what_was_typed_and_point_at_each_box(client: TestClient) -> None:
    case = _new_case(client)
    tomorrow = TODAY + dt.timedelta(days=1)
    bad = client.post(
        f"{case}/provider-checks/new",
        data=filled(provider_name="", found_license="x", **_date("checked_on", tomorrow))
        | {"found-license": "y" * 501},
    )
    assert bad.status_code == 400
    assert title(bad.text).startswith("Error:")
    assert error_links(bad.text) == {
        "provider_name": "Enter the provider's name",
        "checked_on-day": "The date must be today or in the past",
        "found-license": "What you found for \u201cAn active license, with no discipline\u201d "
        "must be 500 characters or fewer (it is 501)",
    }
    assert 'class="error-summary"' in bad.text and "autofocus" in bad.text
    # Everything typed is still there, ticks included.
    assert {"check-board-certification-0", "check-license-1"} <= checked(bad.text)
    assert flags_ticked(bad.text) == ["pressure", "no-photos"]
    assert f'value="{tomorrow.day}"' in bad.text
    assert "Ask about the warning." in bad.text
    assert f'<input type="hidden" name="npi" value="{NPI}">' in bad.text
    # Each error sits next to its box, which the summary's link focuses.
    assert 'id="provider_name-error"' in bad.text and 'id="found-license-error"' in bad.text
    assert 'aria-describedby="found-license-hint found-license-error"' in bad.text
    stored = section(client.get(case).text, "provider-checks", "records")
    assert "Checks done" not in stored  # nothing saved


def test_a_check_is_changed_and_removed(client: TestClient) -> None:
    case = _new_case(client)
    where = client.post(f"{case}/provider-checks/new", data=filled()).headers["location"]
    record = where.split("#provider-check-")[1]
    form = client.get(f"{case}/provider-checks/{record}")
    assert h1(form.text) == "Change what you checked"
    assert 'value="DocInfo shows a warning from 2021"' in form.text
    assert "check-license-1" in checked(form.text)  # as saved
    assert flags_ticked(form.text) == ["pressure", "no-photos"]
    changed = filled() | {
        "check-license": "confirmed",
        "found-license": "The warning was closed in 2022",
        "check-injector-setting": "concern",
        "red_flags": [],
    }
    saved = client.post(f"{case}/provider-checks/{record}", data=changed)
    assert saved.status_code == 303 and saved.headers["location"] == where
    shown = section(client.get(case).text, "provider-checks", "records")
    assert "Checks done 3 of 7" in shown
    assert "What worried you Shots in a clinic, with a doctor in charge" in shown
    assert "Warning signs you noticed None" in shown
    assert "you spotted" not in shown  # no warning signs, no advice about them

    removed = client.post(f"{case}/provider-checks/{record}/remove")
    assert removed.status_code == 303
    assert removed.headers["location"] == f"{case}#provider-checks"
    shown = section(client.get(case).text, "provider-checks", "records")
    assert "Dr Amira J Khan" not in shown and "Check a provider" in shown
    assert client.post(f"{case}/provider-checks/{record}/remove").status_code == 404
    assert client.get(f"{case}/provider-checks/{record}").status_code == 404


def test_without_a_treatment_the_case_procedures_choose_the_checks(client: TestClient) -> None:
    case = _new_case(client)
    _add_procedure(client, case)  # a filler
    words = text_of(client.get(f"{case}/provider-checks/new").text)
    assert "These checks fit your treatment: Hyaluronic acid filler" in words
    assert "Shots in a clinic, with a doctor in charge" in words
    assert "Allowed to do your operation in a hospital" not in words
    data = filled(procedure="")
    del data["npi"]
    where = client.post(f"{case}/provider-checks/new", data=data).headers["location"]
    assert "#provider-check-" in where
    shown = section(client.get(case).text, "provider-checks", "records")
    assert "For Hyaluronic acid filler" in shown  # the case's one treatment
    assert "Checks done 2 of 7" in shown


def test_the_packet_and_the_download_carry_the_check(client: TestClient) -> None:
    case = _new_case(client)
    client.post(f"{case}/provider-checks/new", data=filled())
    packet = " ".join(client.get(f"{case}/download/packet.txt").text.split())
    assert "Providers I checked" in packet
    assert "Dr Amira J Khan, MD" in packet
    assert "An active license, with no discipline: I checked, and it worries me" in packet
    assert "> DocInfo shows a warning from 2021" in packet
    assert "Warning signs I noticed: - Pressure to book or pay today" in packet
    exported = client.get(f"{case}/download/case.json").json()
    [record] = exported["case"]["provider_checks"]
    assert record["npi"] == NPI and record["red_flags"] == ["pressure", "no-photos"]
