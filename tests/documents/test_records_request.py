"""The records-request letter: its data, its input rules, and the PDF a person prints.

Rendered PDFs are read back the way a person or a screen reader would meet
them: pdftotext for the words, pdftoppm for the page image, pdfinfo for the
PDF/UA tagging, title and metadata. Poppler's tools are required (Debian
package poppler-utils, installed by .ci/run); these tests fail, never skip,
without them.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from pydantic import ValidationError

from reconsult.casefile.records_request_input import (
    RecordsFormat,
    RecordsRequestInput,
    ToMe,
    ToNewProvider,
)
from reconsult.documents.printing import refusing_url_fetcher, render_pdf
from reconsult.documents.records_access import (
    DATA_FILE,
    load_records_access,
    parse_records_access,
)
from reconsult.documents.records_request import (
    records_request_html,
    records_request_pdf,
    records_request_text,
)
from reconsult.errors import KnowledgeError
from reconsult.knowledge.schema import ProcedureCode
from tests.conftest import TODAY
from tests.documents.poppler import flat, run, tool

NEW_PROVIDER = ToNewProvider(name="Dr. Sam Patel", address="5 Oak Avenue\nPasadena, CA 91101")
FOLLOW_UP = TODAY + dt.timedelta(days=30)  # 2026-12-21


def make_input(
    *,
    jurisdiction: str = "US-CA",
    procedures: list[dict[str, Any]] | None = None,
    recipient: ToMe | ToNewProvider | None = None,
    preferred_format: RecordsFormat = RecordsFormat.electronic,
    **overrides: Any,
) -> RecordsRequestInput:
    """A complete, valid request; keyword arguments change one thing at a time."""
    fields: dict[str, Any] = {
        "full_name": "Maria Lopez",
        "former_names": ["Maria Garcia"],
        "date_of_birth": dt.date(1988, 5, 2),
        "address": "12 Elm Street\nLos Angeles, CA 90001",
        "phone": "(213) 555-0142",
        "email": "maria@example.org",
        "jurisdiction": jurisdiction,
        "provider_name": "Dr. Ann Lee",
        "practice_name": "Bright Aesthetics",
        "practice_address": "1 Main Street\nBeverly Hills, CA 90210",
        "procedures": [
            {"code": "breast_augmentation", "date": dt.date(2024, 3, 12)},
            {"code": "filler_hyaluronic_acid", "date": "date unknown"},
        ]
        if procedures is None
        else procedures,
        "recipient": recipient or ToMe(),
        "preferred_format": preferred_format,
    }
    fields.update(overrides)
    return RecordsRequestInput.model_validate(fields, context={"today": TODAY})


@dataclass(frozen=True)
class Expect:
    """What one jurisdiction's letter must say, and how its page looks."""

    code: str
    citations: tuple[str, ...]
    deadline: str
    extension: str
    language: str
    page_points: tuple[int, int]  # width, height in PDF points (1/72 inch)
    follow_up: str


LETTER = (612, 792)
A4 = (595, 842)
CASES = [
    Expect(
        "US-CA",
        ("Health and Safety Code section 123110", "45 CFR 164.524"),
        "within 15 days",
        "tell me in writing why",
        "en-US",
        LETTER,
        "December 21, 2026",
    ),
    Expect(
        "US",
        ("45 CFR 164.524", "applicable state law"),
        "no later than 30 days",
        "one extension of up to 30 days",
        "en-US",
        LETTER,
        "December 21, 2026",
    ),
    Expect(
        "US-TX",
        ("Texas Occupations Code section 159.006", "45 CFR 164.524"),
        "within 15 business days",
        "tell me in writing why",
        "en-US",
        LETTER,
        "December 21, 2026",
    ),
    Expect(
        "GB",
        ("UK GDPR", "Article 15"),
        "within one month",
        "extension of up to two months",
        "en-GB",
        A4,
        "21 December 2026",
    ),
    Expect(
        "EU",
        ("General Data Protection Regulation (EU) 2016/679", "Article 12(3)"),
        "within one month",
        "extension of up to two months",
        "en",
        A4,
        "21 December 2026",
    ),
]
CASE_IDS = [c.code for c in CASES]


# --- helpers: poppler ----------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF and what poppler reads back from it."""

    pdf: bytes
    path: Path
    pages: list[str]  # pdftotext, one string per page, whitespace collapsed

    @property
    def letter(self) -> str:
        """Every page but the last: the letter itself."""
        return " ".join(self.pages[:-1])

    @property
    def note(self) -> str:
        """The last page: the note for the person."""
        return self.pages[-1]


def _render(inp: RecordsRequestInput, path: Path) -> Rendered:
    pdf = records_request_pdf(inp, TODAY)
    path.write_bytes(pdf)
    text = run(tool("pdftotext"), "-enc", "UTF-8", str(path), "-")
    pages = [flat(page) for page in text.split("\f") if page.strip()]
    return Rendered(pdf=pdf, path=path, pages=pages)


def _inflated_streams(pdf: bytes) -> bytes:
    """Return every Flate stream of ``pdf`` decompressed (catalogs hide in object streams)."""
    out = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(out)


@pytest.fixture(scope="module", params=CASES, ids=CASE_IDS)
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Each jurisdiction's letter for breast augmentation and filler, to the person, as a PDF."""
    expect: Expect = request.param
    path = tmp_path_factory.mktemp("pdf") / f"{expect.code}.pdf"
    return expect, _render(make_input(jurisdiction=expect.code), path)


# --- the PDF: words ------------------------------------------------------------


def test_pdf_names_the_person_provider_and_law(case: tuple[Expect, Rendered]) -> None:
    expect, rendered = case
    letter = rendered.letter
    for fact in ("Maria Lopez", "Maria Garcia", "Dr. Ann Lee", "Bright Aesthetics"):
        assert fact in letter
    for citation in expect.citations:
        assert citation in letter, citation


def test_pdf_states_deadline_extension_and_fee_estimate(case: tuple[Expect, Rendered]) -> None:
    expect, rendered = case
    assert expect.deadline in rendered.letter
    assert expect.extension in rendered.letter
    assert "please tell me" in rendered.letter and "fee" in rendered.letter


def test_pdf_itemises_records_for_implants_and_filler(case: tuple[Expect, Rendered]) -> None:
    _, rendered = case
    letter = rendered.letter
    for item in (
        "operative report",
        "Patient Decision Checklist",
        "implant device card",
        "serial number and lot number",
        "lot number of each syringe",
        "volume in mL",
        "photographs",
        "consent forms",
        "follow-up visits",
    ):
        assert item in letter, item


def test_pdf_spelling_follows_the_jurisdiction(case: tuple[Expect, Rendered]) -> None:
    expect, rendered = case
    uk = expect.language != "en-US"
    assert ("anaesthesia record" if uk else "anesthesia record") in rendered.letter
    # The Patient Decision Checklist is an FDA rule: elsewhere it is asked for only if used.
    assert ("Patient Decision Checklist, if one was used" in rendered.letter) is uk


def test_pdf_follow_up_note_is_on_its_own_last_page(case: tuple[Expect, Rendered]) -> None:
    expect, rendered = case
    assert len(rendered.pages) >= 2
    assert "For you: keep this page, do not send it" in rendered.note
    assert f"follow up on {expect.follow_up}" in rendered.note
    assert expect.follow_up not in rendered.letter
    assert "Keep a copy" in rendered.note and "Keep a copy" not in rendered.letter


def test_pdf_has_no_third_party_paragraph_when_sent_to_the_person(
    case: tuple[Expect, Rendered],
) -> None:
    _, rendered = case
    assert "directly to" not in rendered.letter
    assert "Dr. Sam Patel" not in rendered.letter
    assert "Please send the records to me" in rendered.letter


def test_pdf_has_signature_and_date_lines(case: tuple[Expect, Rendered]) -> None:
    _, rendered = case
    assert "Signature:" in rendered.letter and "Date:" in rendered.letter


# --- the PDF: page image ---------------------------------------------------------


def test_first_page_is_not_blank_and_has_the_jurisdictions_paper_size(
    case: tuple[Expect, Rendered],
) -> None:
    expect, rendered = case
    prefix = rendered.path.with_suffix("")
    # -r 72: one pixel per PDF point, so the image size is the page size.
    run(tool("pdftoppm"), "-f", "1", "-l", "1", "-r", "72", "-png", "-singlefile",
         str(rendered.path), str(prefix))  # fmt: skip
    with Image.open(prefix.with_suffix(".png")) as image:
        width, height = image.size
        dark = sum(image.convert("L").histogram()[:128])  # pixels darker than mid-grey
    assert abs(width - expect.page_points[0]) <= 1 and abs(height - expect.page_points[1]) <= 1
    share = dark / (width * height)
    assert 0.005 < share < 0.25, f"{share:.3%} of page 1 is dark"


# --- the PDF: PDF/UA, title, language ---------------------------------------------


def test_pdf_declares_pdf_ua_with_title_and_language(case: tuple[Expect, Rendered]) -> None:
    expect, rendered = case
    info = run(tool("pdfinfo"), str(rendered.path))
    assert re.search(
        r"^Title:\s+Request for a copy of my medical records: Maria Lopez$", info, re.M
    )
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^PDF version:\s+1\.7$", info, re.M)
    meta = run(tool("pdfinfo"), "-meta", str(rendered.path))
    assert 'pdfuaid:part="1"' in meta
    catalog = _inflated_streams(rendered.pdf)
    assert f"/Lang ({expect.language})".encode() in catalog
    assert b"/MarkInfo <</Marked true>>" in catalog
    assert b"/DisplayDocTitle true" in catalog
    assert b"/StructTreeRoot" in catalog


def test_pdf_structure_has_headings_and_lists(case: tuple[Expect, Rendered]) -> None:
    _, rendered = case
    tree = run(tool("pdfinfo"), "-struct", str(rendered.path))
    tags = {line.split()[0] for line in tree.splitlines() if line.strip()}
    assert {"Document", "H1", "H2", "H3", "P", "L", "LI"} <= tags


# --- recipients, formats, procedures ------------------------------------------------


@pytest.mark.parametrize("code", CASE_IDS)
def test_third_party_paragraph_only_for_a_new_provider(code: str, tmp_path: Path) -> None:
    rendered = _render(make_input(jurisdiction=code, recipient=NEW_PROVIDER), tmp_path / "l.pdf")
    assert "Please send the copy directly to" in rendered.letter
    assert "Dr. Sam Patel 5 Oak Avenue Pasadena, CA 91101" in rendered.letter
    assert "Please send the records to me" not in rendered.letter
    text = flat(records_request_text(make_input(jurisdiction=code, recipient=NEW_PROVIDER), TODAY))
    assert "Please send the copy directly to" in text and "Dr. Sam Patel" in text


def test_us_third_party_cites_the_signed_direction_rule() -> None:
    text = records_request_text(make_input(jurisdiction="US", recipient=NEW_PROVIDER), TODAY)
    assert "45 CFR 164.524(c)(3)(ii)" in text


def test_filler_only_letter_asks_for_lot_numbers_but_no_implant_records() -> None:
    inp = make_input(procedures=[{"code": "filler_hyaluronic_acid", "date": dt.date(2026, 9, 1)}])
    text = flat(records_request_text(inp, TODAY))
    assert "lot number" in text and "volume in mL" in text and "hyaluronidase" in text
    assert "Patient Decision Checklist" not in text
    assert "operative report" not in text
    assert "Hyaluronic acid filler injections, on September 1, 2026" in text


def test_toxin_letter_asks_for_brand_and_units() -> None:
    inp = make_input(procedures=[{"code": "botulinum_toxin", "date": "date unknown"}])
    text = flat(records_request_text(inp, TODAY))
    assert "brand name" in text and "units injected at each site" in text
    assert "I do not know the exact date" in text


def test_paper_format_asks_for_paper_copies() -> None:
    text = records_request_text(make_input(preferred_format=RecordsFormat.paper), TODAY)
    assert "paper copies by mail" in text and "original image format" not in text
    text = records_request_text(make_input(), TODAY)
    assert "original image format" in text


def test_every_procedure_code_gets_a_letter() -> None:
    for code in ProcedureCode:
        text = records_request_text(
            make_input(procedures=[{"code": code, "date": "date unknown"}]), TODAY
        )
        assert "consent forms" in text and "photographs" in text, code


# --- plain text ------------------------------------------------------------------------


@pytest.mark.parametrize("expect", CASES, ids=CASE_IDS)
def test_plain_text_has_the_same_key_facts(expect: Expect) -> None:
    text = records_request_text(make_input(jurisdiction=expect.code), TODAY)
    letter, rule, note = text.partition("-" * 60)
    assert rule, "the note for the person is set apart by a rule"
    letter, note = flat(letter), flat(note)
    for fact in (
        "Maria Lopez",
        "Dr. Ann Lee",
        *expect.citations,
        expect.deadline,
        expect.extension,
    ):
        assert fact in letter, fact
    for item in ("operative report", "lot number", "Patient Decision Checklist"):
        assert item in letter, item
    assert "Signature:" in letter
    assert "Please send the records to me" in letter and "directly to" not in letter
    assert f"follow up on {expect.follow_up}" in note and expect.follow_up not in letter


def test_text_html_and_pdf_come_from_one_letter(tmp_path: Path) -> None:
    inp = make_input(jurisdiction="GB", recipient=NEW_PROVIDER)
    text = flat(records_request_text(inp, TODAY))
    html = records_request_html(inp, TODAY)
    assert '<html lang="en-GB">' in html
    assert "@page { size: A4; }" in html
    pdf_text = " ".join(_render(inp, tmp_path / "gb.pdf").pages)
    for paragraph in (
        load_records_access()
        .jurisdiction("GB")
        .model_dump(include={"basis", "deadline_text", "extension_text", "fees", "third_party"})
        .values()
    ):
        assert flat(paragraph) in text
        assert flat(paragraph) in pdf_text


def test_user_text_is_escaped_in_html() -> None:
    inp = make_input(full_name='Maria <img src="http://example.com/x.png">')
    html = records_request_html(inp, TODAY)
    assert "<img" not in html and "&lt;img" in html


# --- bad input ---------------------------------------------------------------------------


def _error(**overrides: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as raised:
        make_input(**overrides)
    errors = raised.value.errors()
    assert len(errors) == 1, errors
    return dict(errors[0])


def test_unknown_jurisdiction_names_the_allowed_codes() -> None:
    error = _error(jurisdiction="FR")
    assert error["loc"] == ("jurisdiction",)
    assert "unknown jurisdiction 'FR'; choose one of: EU, GB, US, US-CA, US-TX" in error["msg"]


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_refused(name: str) -> None:
    error = _error(full_name=name)
    assert error["loc"] == ("full_name",) and error["type"] == "string_too_short"


def test_date_of_birth_in_the_future_is_refused() -> None:
    error = _error(date_of_birth=TODAY + dt.timedelta(days=1))
    assert error["loc"] == ("date_of_birth",)
    assert "in the future" in error["msg"]


def test_procedure_date_in_the_future_is_refused() -> None:
    error = _error(procedures=[{"code": "facelift", "date": dt.date(2027, 1, 5)}])
    assert error["loc"] == ("procedures", 0, "date")
    assert "the procedure date 2027-01-05 is in the future" in error["msg"]


def test_procedure_before_birth_is_refused() -> None:
    error = _error(procedures=[{"code": "facelift", "date": dt.date(1980, 1, 5)}])
    assert "before the date of birth" in error["msg"]


def test_rendering_checks_dates_against_the_given_today() -> None:
    inp = make_input(procedures=[{"code": "facelift", "date": TODAY}])
    with pytest.raises(ValidationError, match="in the future"):
        records_request_text(inp, TODAY - dt.timedelta(days=1))


BAD_INPUT = {
    "unknown-key": ({"nickname": "M"}, ("nickname",), "extra_forbidden"),
    "no-procedure": ({"procedures": []}, ("procedures",), "too_short"),
    "unknown-procedure": (
        {"procedures": [{"code": "tattoo", "date": "date unknown"}]},
        ("procedures", 0, "code"),
        "enum",
    ),
    "vague-date": (
        {"procedures": [{"code": "facelift", "date": "last spring"}]},
        ("procedures", 0, "date", "literal['date unknown']"),
        "literal_error",
    ),
    "email": ({"email": "not an email"}, ("email",), "string_pattern_mismatch"),
    "provider-address": (
        {"recipient": {"kind": "new_provider", "name": "Dr. X"}},
        ("recipient", "new_provider", "address"),
        "missing",
    ),
    "name-newline": ({"full_name": "Maria\nLopez"}, ("full_name",), "string_pattern_mismatch"),
}


@pytest.mark.parametrize(
    ("overrides", "loc", "kind"), list(BAD_INPUT.values()), ids=list(BAD_INPUT)
)
def test_other_bad_input_names_the_field(
    overrides: dict[str, Any], loc: tuple[Any, ...], kind: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        make_input(**overrides)
    assert any(e["loc"] == loc and e["type"] == kind for e in raised.value.errors()), raised.value


# --- no network: the URL fetcher ------------------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="http://example.com/pixel.png" alt="">',
        '<link rel="stylesheet" href="https://example.com/style.css">',
        '<img src="file:///etc/hostname" alt="">',
        '<p style="background: url(http://example.com/bg.png)">x</p>',
    ],
    ids=["http-image", "https-stylesheet", "local-file", "css-url"],
)
def test_fetcher_refuses_every_url_and_stops_the_render(markup: str, no_sockets: list[Any]) -> None:
    from weasyprint.urls import FatalURLFetchingError  # type: ignore[import-untyped]

    url = re.search(r"(?:src=|href=|url\()\"?([^\")]+)", markup)
    assert url
    fetcher = refusing_url_fetcher()
    html = f'<html lang="en"><head><title>t</title></head><body>{markup}</body></html>'
    with pytest.raises(FatalURLFetchingError) as raised:
        render_pdf(html, url_fetcher=fetcher)
    assert fetcher.refused == [url.group(1)]
    assert isinstance(raised.value.__cause__, PermissionError)
    assert no_sockets == []


def test_the_letter_template_fetches_nothing(
    no_sockets: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    fetcher = refusing_url_fetcher()
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = render_pdf(records_request_html(make_input(), TODAY), url_fetcher=fetcher)
    assert pdf.startswith(b"%PDF-1.7")
    assert fetcher.refused == [] and no_sockets == []
    assert not caplog.records, [r.getMessage() for r in caplog.records]


# --- the data file -------------------------------------------------------------------------


def _packaged() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        files("reconsult.knowledge").joinpath(DATA_FILE).read_text(encoding="utf-8")
    )
    return data


def _parse(data: dict[str, Any]) -> None:
    parse_records_access(yaml.safe_dump(data, sort_keys=False))


def test_packaged_data_loads_and_covers_every_procedure() -> None:
    data = load_records_access()
    assert {p.code for p in data.procedures} == set(ProcedureCode)
    assert data.follow_up_days == 30
    assert set(data.jurisdiction_codes) == {"US", "US-CA", "US-TX", "GB", "EU"}
    for jurisdiction in data.jurisdictions:
        cited = [data.source(s) for s in jurisdiction.sources]
        assert any(s.url for s in cited), jurisdiction.code
    implants = {s.id for s in data.record_sets_for([ProcedureCode.breast_augmentation])}
    assert "breast_implants" in implants
    assert "breast_implants" not in {
        s.id for s in data.record_sets_for([ProcedureCode.filler_hyaluronic_acid])
    }


def test_unknown_key_in_data_is_an_error() -> None:
    data = _packaged()
    data["jurisdictions"][0]["deadline_days"] = 10
    with pytest.raises(
        KnowledgeError, match=r"records_access.yaml: jurisdictions.0.deadline_days: unknown key"
    ):
        _parse(data)


def test_jurisdiction_without_sources_is_an_error() -> None:
    data = _packaged()
    data["jurisdictions"][0]["sources"] = []
    with pytest.raises(KnowledgeError, match=r"jurisdictions.0.sources"):
        _parse(data)
    data["jurisdictions"][0]["sources"] = ["no-such-source"]
    with pytest.raises(KnowledgeError, match=r"unknown sources \['no-such-source'\]"):
        _parse(data)


def test_deadline_text_must_agree_with_the_deadline() -> None:
    data = _packaged()
    data["jurisdictions"][0]["deadline"] = {"amount": 20, "unit": "days"}
    with pytest.raises(KnowledgeError, match=r"deadline_text does not say the deadline '20 days'"):
        _parse(data)


def test_every_procedure_needs_record_sets() -> None:
    data = _packaged()
    data["procedures"] = [p for p in data["procedures"] if p["code"] != "facelift"]
    with pytest.raises(KnowledgeError, match=r"procedures without record sets: \['facelift'\]"):
        _parse(data)


def test_source_without_url_must_say_why() -> None:
    data = _packaged()
    del data["sources"][0]["url"]
    with pytest.raises(KnowledgeError, match=r"URL is not verified"):
        _parse(data)


def test_wording_placeholders_are_checked() -> None:
    data = _packaged()
    data["wording"]["note_follow_up"] = "Follow up on {when}."
    with pytest.raises(KnowledgeError, match=r"note_follow_up: placeholders \['when'\]"):
        _parse(data)
