"""The provider directory pages: search near a ZIP code, one provider's checklist, errors.

A small NPPES file with the real V2 header is imported for real, so the pages
show what a person would see after ``reconsult providers import``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import unescape
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from reconsult.casefile.repository import create_case
from reconsult.providers.nppes_import import import_nppes
from reconsult.providers.nppes_layout import PRACTICE, taxonomy_columns
from reconsult.storage import Database
from reconsult.web.views.providers import Phone, credential_text, phone, readable
from tests.web.pages import error_links, h1, title
from tools.nppes_synthetic import monthly_file_name, write_monthly_csv

FACIAL_PLASTIC = "207YS0123X"
PLASTIC = "208200000X"
DERMATOLOGY = "207N00000X"
NURSE_PRACTITIONER = "363L00000X"
FAMILY_MEDICINE = "207Q00000X"  # listed by some providers, not kept on its own

RIVERA = "1000000001"  # facial plastic surgeon, 1 mile from 10001
OBRIEN = "1000000002"  # plastic surgeon in 10001, licensed in NY and NJ
KIM = "1000000003"  # nurse practitioner, 1.3 miles
CHEN = "1000000004"  # dermatologist, 0.6 miles
MCDONALD = "1000000005"  # facial plastic surgeon in Stamford, CT: 30.4 miles


def listed(*specialties: tuple[str, str | None, str | None]) -> dict[str, str]:
    """Taxonomy columns for (code, licence number, licence state); the first is the main one."""
    row: dict[str, str] = {}
    for slot, (code, number, state) in enumerate(specialties, start=1):
        code_col, number_col, state_col, switch_col = taxonomy_columns(slot)
        row.update({code_col: code, switch_col: "Y" if slot == 1 else "N"})
        row.update({number_col: number or "", state_col: state or ""})
    return row


def provider(
    npi: str,
    first: str,
    last: str,
    credential: str,
    zip_code: str,
    specialties: Sequence[tuple[str, str | None, str | None]],
    *,
    city: str = "NEW YORK",
    state: str = "NY",
    phone: str = "2125550100",
) -> Mapping[str, str]:
    """One individual provider's NPPES row, in capitals as CMS writes them."""
    return {
        "NPI": npi,
        "Entity Type Code": "1",
        "Provider Last Name (Legal Name)": last,
        "Provider First Name": first,
        "Provider Credential Text": credential,
        PRACTICE["line1"]: "350 5TH AVE",
        PRACTICE["line2"]: "STE 200",
        PRACTICE["city"]: city,
        PRACTICE["state"]: state,
        PRACTICE["postal_code"]: zip_code + "1234",
        PRACTICE["phone"]: phone,
        "Provider Enumeration Date": "05/23/2010",
        "Last Update Date": "03/14/2025",
        **listed(*specialties),
    }


DIRECTORY = (
    provider(RIVERA, "MARIA", "RIVERA-LOPEZ", "M.D.", "10016", [(FACIAL_PLASTIC, "123456", "NY")]),
    provider(
        OBRIEN,
        "JAMES",
        "O'BRIEN",
        "MD",
        "10001",
        [(PLASTIC, "209876", "NY"), (PLASTIC, "25MA0555", "NJ"), (FAMILY_MEDICINE, None, None)],
    ),
    provider(KIM, "ANNA", "KIM", "NP", "10019", [(NURSE_PRACTITIONER, "F-1234", "NY")]),
    provider(CHEN, "DAVID", "CHEN", "M.D., F.A.A.D.", "10011", [(DERMATOLOGY, "301122", "NY")]),
    provider(
        MCDONALD,
        "SARAH",
        "MCDONALD",
        "MD",
        "06910",
        [(FACIAL_PLASTIC, "C-0042", "CT")],
        city="STAMFORD",
        state="CT",
        phone="12035550199",
    ),
)


def load_directory(db: Database, folder: Path) -> None:
    """Write the small directory as a monthly NPPES file and import it."""
    generated = write_monthly_csv(folder / monthly_file_name(), 0, providers=DIRECTORY)
    report = import_nppes(db, generated.path)
    assert report.directory_size == len(DIRECTORY)


@pytest.fixture
def directory(app: FastAPI, tmp_path: Path) -> Database:
    """The app's database with the small directory imported."""
    db: Database = app.state.reconsult.database
    load_directory(db, tmp_path)
    return db


def text(html: str) -> str:
    """The words of the page's main part, as a person reads them."""
    main = re.search(r"<main.*?</main>", html, re.S)
    assert main, "page has no <main>"
    inline = re.sub(r"</?(a|strong|span|code|em)\b[^>]*>", "", main.group(0))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def result_names(html: str) -> list[str]:
    """The names of the providers in the results list, in order."""
    found = re.search(r'<ol class="case-list">(.*?)</ol>', html, re.S)
    if found is None:
        return []
    return [unescape(name) for name in re.findall(r"<h3>(.*?)</h3>", found.group(1))]


def search(client: TestClient, **query: str) -> str:
    response = client.get("/providers", params=query)
    assert response.status_code == 200, text(response.text)
    return response.text


# --- the search page ----------------------------------------------------------------


def test_the_search_form_asks_for_zip_procedure_and_distance(
    client: TestClient, directory: Database
) -> None:
    response = client.get("/providers")
    assert response.status_code == 200
    html = response.text
    assert h1(html) == "Find a provider near you"
    assert title(html) == "Find a provider near you - reconsult"
    assert re.search(r'<form method="get" action="/providers"', html)
    zip_input = re.search(r'<input[^>]*id="zip"[^>]*>', html)
    assert zip_input
    assert 'inputmode="numeric"' in zip_input.group(0)
    assert 'autocomplete="postal-code"' in zip_input.group(0)
    assert ">Nose surgery (rhinoplasty, nose job)</option>" in html
    radii = re.findall(r'<option value="(\d+)"( selected)?>Up to', html)
    assert radii == [("10", ""), ("25", " selected"), ("50", ""), ("100", "")]
    assert '<a class="back-link" href="/">' in html


def test_facial_plastic_surgeons_come_before_plastic_surgeons_for_a_nose(
    client: TestClient, directory: Database
) -> None:
    html = search(client, zip="10001", procedure="rhinoplasty", radius="25")
    words = text(html)
    assert (
        "2 providers within 25 miles of New York, NY 10001 list a specialty that fits "
        "Nose surgery (rhinoplasty, nose job)." in words
    )
    # Rivera (facial plastic, 1 mile) before O'Brien (plastic, in the same ZIP);
    # the dermatologist's specialty does not fit a nose, so she is not listed.
    assert result_names(html) == ["Maria Rivera-Lopez, MD", "James O'Brien, MD"]
    assert "Main specialty: Facial plastic surgeon" in words
    assert "Facial plastic surgeons focus on the face and nose." in words
    assert "1.0 miles away" in words and "Less than 1 mile away" in words
    assert "350 5th Ave Ste 200 New York, NY 10016" in words
    assert '<a href="tel:+12125550100">(212) 555-0100</a>' in html
    assert f'href="/providers/{RIVERA}?procedure=rhinoplasty&amp;zip=10001&amp;radius=25"' in html
    assert title(html) == "Providers near New York, NY 10001 - reconsult"


def test_the_notes_come_before_the_list_and_say_nothing_is_paid(
    client: TestClient, directory: Database
) -> None:
    html = search(client, zip="10001", procedure="rhinoplasty")
    words = text(html)
    self_reported = words.index("No one checks it, and it does not mean they are board certified")
    assert self_reported < words.index("Maria Rivera-Lopez, MD")
    assert "No one pays to be listed here or to rank higher." in words
    assert "the best fit for your procedure first, then whether it is their main specialty" in words
    assert 'href="/guides/rhinoplasty">Read the guide to your procedure</a>' in html
    assert "Nothing is paid for." in words


def test_the_warning_signs_for_choosing_are_near_the_results(
    client: TestClient, directory: Database
) -> None:
    words = text(search(client, zip="10001", procedure="botulinum_toxin", radius="10"))
    flags = words.index("Be careful if you see any of these")
    assert "Treatment at a party or at home." in words[flags:]
    assert "A price that seems too good to be true." in words[flags:]
    # Moments other than choosing are for the provider page.
    assert "Blaming you, or getting upset when you ask" not in words


def test_the_distance_decides_who_is_listed(client: TestClient, directory: Database) -> None:
    near = search(client, zip="10001", procedure="rhinoplasty", radius="25")
    wide = search(client, zip="10001", procedure="rhinoplasty", radius="50")
    assert "Sarah McDonald, MD" not in result_names(near)
    assert result_names(wide) == [
        "Maria Rivera-Lopez, MD",
        "Sarah McDonald, MD",
        "James O'Brien, MD",
    ]
    assert "30.4 miles away" in text(wide)
    assert '<a href="tel:+12035550199">(203) 555-0199</a>' in wide


def test_injectors_come_last_with_the_supervisor_note(
    client: TestClient, directory: Database
) -> None:
    html = search(client, zip="10001", procedure="botulinum_toxin", radius="10")
    names = result_names(html)
    assert names[0] == "James O'Brien, MD"  # plastic surgeon: the best fit for shots
    assert names[-1] == "Anna Kim, NP"
    words = text(html)
    kim = words.index("Anna Kim, NP")
    assert "Ask which doctor supervises them, and how to reach that doctor" in words[kim:]
    assert words.count("how to reach that doctor") == 1  # only under the injector
    assert "David Chen, MD, FAAD" in names


def test_show_more_asks_for_more_results(client: TestClient, directory: Database) -> None:
    html = search(client, zip="10001", procedure="botulinum_toxin", radius="10", limit="2")
    assert len(result_names(html)) == 2
    assert "Showing 2 of 4." in text(html)
    more = re.search(r'<a href="([^"]+)">Show more providers</a>', html)
    assert more
    assert unescape(more.group(1)).endswith("&limit=22")
    assert (
        len(
            result_names(
                search(client, zip="10001", procedure="botulinum_toxin", radius="10", limit="500")
            )
        )
        == 4
    )


def test_no_results_suggests_twice_the_distance(client: TestClient, directory: Database) -> None:
    html = search(client, zip="90210", procedure="rhinoplasty", radius="25")
    words = text(html)
    assert "No providers found" in words
    assert "No one within 25 miles of Beverly Hills, CA 90210 lists a specialty" in words
    wider = re.search(r'<a href="([^"]+)">Search up to 50 miles away</a>', html)
    assert wider
    assert unescape(wider.group(1)) == "/providers?zip=90210&procedure=rhinoplasty&radius=50"
    widest = search(client, zip="90210", procedure="rhinoplasty", radius="200")
    assert "Try the ZIP code of a larger city near you." in text(widest)
    assert '<option value="200" selected>Up to 200 miles</option>' in widest


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"zip": "", "procedure": "rhinoplasty"}, "zip", "Enter your ZIP code"),
        (
            {"zip": "1000", "procedure": "rhinoplasty"},
            "zip",
            "Enter a ZIP code with 5 numbers, like 10001",
        ),
        (
            {"zip": "00000", "procedure": "rhinoplasty"},
            "zip",
            "We cannot find where ZIP code 00000 is. Check the number, or try a ZIP code near it",
        ),
        ({"zip": "10001", "procedure": ""}, "procedure", "Select the procedure you had"),
        ({"zip": "10001", "procedure": "tattoo"}, "procedure", "Select the procedure you had"),
        (
            {"zip": "10001", "procedure": "rhinoplasty", "radius": "500"},
            "radius",
            "Choose a distance between 1 and 200 miles",
        ),
        (
            {"zip": "10001", "procedure": "rhinoplasty", "radius": "far"},
            "radius",
            "Choose a distance between 1 and 200 miles",
        ),
    ],
    ids=[
        "no-zip",
        "short-zip",
        "unknown-zip",
        "no-procedure",
        "unknown-procedure",
        "radius-too-far",
        "radius-not-a-number",
    ],
)
def test_a_search_that_cannot_run_says_what_to_fix(
    client: TestClient, directory: Database, query: dict[str, str], field: str, message: str
) -> None:
    response = client.get("/providers", params=query)
    assert response.status_code == 400
    html = response.text
    assert error_links(html) == {field: message}
    assert f'id="{field}-error"' in html and message in text(html)
    assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error', html)
    assert title(html) == "Error: Find a provider near you - reconsult"
    assert result_names(html) == []


def test_every_mistake_is_listed_at_once_and_what_was_typed_is_kept(
    client: TestClient, directory: Database
) -> None:
    response = client.get("/providers", params={"zip": "abc", "procedure": "", "radius": "0"})
    assert response.status_code == 400
    assert list(error_links(response.text)) == ["zip", "procedure", "radius"]
    assert 'value="abc"' in response.text
    kept = client.get("/providers", params={"zip": "1", "procedure": "facelift"}).text
    assert '<option value="facelift" selected>' in kept and 'value="1"' in kept


def test_an_empty_directory_says_what_you_can_do_now_and_shows_the_checks(
    client: TestClient,
) -> None:
    html = search(client, procedure="rhinoplasty")
    words = text(html)
    assert "The list of providers is not set up on this computer yet" in words
    assert "how to look them up on their specialty board's own website" in words
    # How to load the directory is for whoever runs reconsult (docs/providers.md), not here.
    assert "reconsult providers import" not in html and "<code>" not in html
    assert "NPPES" not in html and "CMS" not in words
    assert 'id="zip"' not in html  # no search that cannot run
    assert "What to check before you choose a provider" in words
    assert "These are the checks for: Nose surgery (rhinoplasty, nose job)." in words
    assert "Board certification, and in what" in words
    assert "An accredited place for surgery" in words
    assert "Shots in a clinic, with a doctor in charge" not in words  # injections only
    assert 'href="https://abplasticsurgery.org/ModDefault.aspx?section=PubFind"' in html
    assert 'href="https://www.abfprs.org/"' in html
    assert "The search is on the board's home page." in words
    assert "Be careful if you see any of these" in words
    assert '<option value="rhinoplasty" selected>' in html
    everything = text(search(client))
    assert "These are the checks for every procedure." in everything
    assert "Shots in a clinic, with a doctor in charge" in everything


def test_how_to_load_the_directory_is_in_the_docs() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "providers.md").read_text(encoding="utf-8")
    assert "reconsult providers import" in guide
    assert "https://download.cms.gov/nppes/NPI_Files.html" in guide


# --- one provider -------------------------------------------------------------------


def test_a_provider_page_shows_what_they_listed_and_how_to_check_it(
    client: TestClient, directory: Database
) -> None:
    response = client.get(f"/providers/{OBRIEN}", params={"procedure": "rhinoplasty"})
    assert response.status_code == 200
    html = response.text
    assert h1(html) == "James O'Brien, MD"
    assert title(html) == "Check James O'Brien, MD - reconsult"
    words = text(html)
    assert "350 5th Ave Ste 200 New York, NY 10001" in words
    assert '<a href="tel:+12125550100">(212) 555-0100</a>' in html
    assert OBRIEN in words
    assert "Plastic surgeon (main specialty) Official name: Plastic Surgery Physician" in words
    assert "License number 209876 in NY" in words
    assert "Plastic surgeon (also listed)" in words and "License number 25MA0555 in NJ" in words
    assert "A specialty reconsult does not describe (also listed)" in words
    assert "NPPES last updated 14 March 2025." in words
    assert "No one checks it, and it does not mean they are board certified" in words
    assert "How this fits Nose surgery (rhinoplasty, nose job): Plastic surgeons train" in words
    # The plastic surgery board's own lookup, and the license states to check.
    abps = re.search(
        r'<a href="https://abplasticsurgery.org/ModDefault.aspx\?section=PubFind"[^>]*>'
        r"American Board of Plastic Surgery \(another website\)</a>",
        html,
    )
    assert abps
    assert "The license states they listed: NY, NJ." in words
    assert 'href="https://www.docinfo.org/"' in html
    assert "An accredited place for surgery" in words
    assert '<a class="back-link" href="/providers">' in html


def test_the_provider_page_has_the_visit_warning_signs(
    client: TestClient, directory: Database
) -> None:
    words = text(client.get(f"/providers/{RIVERA}?procedure=rhinoplasty").text)
    flags = words.index("Be careful at a visit if you see any of these")
    after = words[flags:]
    assert "Putting down the person who treated you." in after  # second opinion
    assert "Pressure to book or pay today." in after  # consultation
    assert "Blaming you, or getting upset when you ask" not in words  # returning only
    assert "The first provider may have done everything right." in after


def test_from_the_results_back_goes_to_the_same_search(
    client: TestClient, directory: Database
) -> None:
    html = client.get(f"/providers/{RIVERA}?procedure=rhinoplasty&zip=10001&radius=50").text
    back = re.search(r'<a class="back-link" href="([^"]+)">Back to your search</a>', html)
    assert back
    assert unescape(back.group(1)) == "/providers?zip=10001&procedure=rhinoplasty&radius=50"


def test_an_injector_page_asks_who_supervises_and_has_no_board(
    client: TestClient, directory: Database
) -> None:
    words = text(client.get(f"/providers/{KIM}?procedure=botulinum_toxin").text)
    assert "Nurse practitioner (NP) (main specialty)" in words
    assert "Ask which doctor supervises them, and how to reach that doctor" in words
    assert "The specialties they listed have no board we can link to." in words
    assert "Shots in a clinic, with a doctor in charge" in words
    assert "The license state they listed: NY." in words


def test_an_unknown_procedure_shows_every_check(client: TestClient, directory: Database) -> None:
    words = text(client.get(f"/providers/{RIVERA}?procedure=tattoo").text)
    assert "You did not choose a procedure, so these are the checks for every procedure." in words
    assert "Shots in a clinic, with a doctor in charge" in words
    assert "An accredited place for surgery" in words
    assert "How this fits" not in words


def test_keep_a_record_links_to_each_case_or_to_start_one(
    client: TestClient, app: FastAPI, directory: Database
) -> None:
    words = text(client.get(f"/providers/{RIVERA}?procedure=rhinoplasty").text)
    assert "You do not have a case file yet. Start a case file" in words
    case = create_case(directory)
    html = client.get(f"/providers/{RIVERA}?procedure=rhinoplasty").text
    link = f'href="/cases/{case.id}/provider-checks/new?npi={RIVERA}&amp;procedure=rhinoplasty"'
    assert link in html
    assert f'Record your checks in "{case.title}"' in unescape(html)


@pytest.mark.parametrize("npi", ["1999999999", "12345", "not-an-npi"])
def test_an_unknown_npi_is_not_found(client: TestClient, directory: Database, npi: str) -> None:
    response = client.get(f"/providers/{npi}?procedure=rhinoplasty")
    assert response.status_code == 404
    assert h1(response.text) == "Page not found"


# --- links ----------------------------------------------------------------------------


def test_every_link_that_leaves_reconsult_is_https_and_says_so(
    client: TestClient, directory: Database
) -> None:
    pages = [
        client.get(f"/providers/{npi}?procedure={procedure}").text
        for npi in (RIVERA, OBRIEN, KIM, CHEN, MCDONALD)
        for procedure in ("rhinoplasty", "botulinum_toxin", "none")
    ]
    pages.append(search(client, zip="10001", procedure="botulinum_toxin", radius="50"))
    outside = 0
    for html in pages:
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, re.S):
            if href.startswith(("/", "#", "tel:")):
                continue
            outside += 1
            assert href.startswith("https://"), href
            assert label.endswith("(another website)"), label
    assert outside > 0


def test_the_footer_and_start_page_link_to_the_search(client: TestClient) -> None:
    start = client.get("/").text
    assert '<a href="/providers">Find a provider</a>' in start  # footer
    assert re.search(r'<a href="/providers">Find doctors near you', start)


# --- words in readable case ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cms", "shown"),
    [
        ("RIVERA-LOPEZ", "Rivera-Lopez"),
        ("O'BRIEN", "O'Brien"),
        ("MCDONALD", "McDonald"),
        ("MUÑOZ", "Muñoz"),
        ("DE LA CRUZ", "De La Cruz"),
        ("350 5TH AVE NW", "350 5th Ave NW"),
        ("PO BOX 12", "PO Box 12"),
        ("SUITE 100A", "Suite 100A"),
        ("van der Berg", "van der Berg"),  # written in mixed case: left alone
    ],
)
def test_capitals_from_cms_are_shown_in_ordinary_case(cms: str, shown: str) -> None:
    assert readable(cms) == shown


@pytest.mark.parametrize(
    ("cms", "shown"),
    [("M.D.", "MD"), ("M.D., F.A.C.S.", "MD, FACS"), ("MD PHD", "MD, PhD"), ("NP-C", "NP-C")],
)
def test_credentials_lose_their_dots(cms: str, shown: str) -> None:
    assert credential_text(cms) == shown


def test_phone_numbers_are_grouped_and_dialable() -> None:
    assert phone("2125550100") == Phone("(212) 555-0100", "tel:+12125550100")
    assert phone("12125550100") == Phone("(212) 555-0100", "tel:+12125550100")
    assert phone("5550100") == Phone("5550100", "tel:5550100")
    assert phone(None) is None
