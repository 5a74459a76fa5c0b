"""The consultation packet: its facts, its pages, its photos, and that it fetches nothing.

PDFs are read back as a person (or a screen reader) meets them: pdftotext for
the words, page by page; pdftoppm for page images; pdfimages for the photos
inside; pdfinfo for the PDF/UA tagging. Poppler's tools are required (Debian
package poppler-utils, installed by .ci/run); these tests fail, never skip,
without them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageStat

from reconsult.casefile.photos import clean_photo
from reconsult.casefile.schema import CaseFileData
from reconsult.documents.packet import (
    PHOTO_MAX_SIDE,
    Packet,
    build_packet,
    packet_html,
    packet_pdf,
    packet_text,
    photo_url_fetcher,
)
from reconsult.documents.printing import render_pdf
from reconsult.knowledge import Knowledge, load_knowledge
from tests.conftest import TODAY
from tests.documents.poppler import flat, run, tool

FILLER_DAY = dt.date(2026, 9, 1)
IMPLANT_DAY = dt.date(2024, 3, 12)
CONCERN = "My top lip is lumpy on the left and it looks uneven when I smile."
LATEST_NOTE = "Still a hard lump in my top lip, on the left side."
GOAL = "Lips that look even when I smile."


# --- a case, as a person fills it in ----------------------------------------------------


def make_photo(
    *, photo_id: str, taken_on: dt.date, angle: str = "front", colour: tuple[int, int, int]
) -> dict[str, Any]:
    """A cleaned portrait photo: a coloured background, a face-like oval and stripes."""
    image = Image.new("RGB", (900, 1200), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((180, 250, 720, 950), fill=(225, 170, 140))
    for x in range(0, 900, 60):
        draw.rectangle((x, 1100, x + 30, 1200), fill=(20, 20, 20))
    raw = io.BytesIO()
    image.save(raw, "JPEG", quality=90)
    clean = clean_photo(raw.getvalue())
    return {
        "id": photo_id,
        "taken_on": taken_on,
        "angle": angle,
        "procedure_id": "lips",
        "media_type": clean.media_type,
        "width": clean.width,
        "height": clean.height,
        "sha256": clean.sha256,
        "image": clean.image,
        "thumbnail": clean.thumbnail,
    }


PHOTOS = [
    make_photo(photo_id="p1", taken_on=dt.date(2026, 9, 2), colour=(40, 90, 200)),
    {
        **make_photo(photo_id="p2", taken_on=dt.date(2026, 11, 3), colour=(200, 40, 60)),
        "note": "The lump is easier to see in daylight.",
    },
    make_photo(photo_id="p3", taken_on=dt.date(2026, 10, 1), colour=(40, 160, 70)),
    make_photo(photo_id="p4", taken_on=dt.date(2026, 9, 2), angle="left", colour=(150, 60, 160)),
]


def make_case(*, jurisdiction: str = "GB", **overrides: Any) -> CaseFileData:
    """A full case: filler with its lot, implants with serials, notes, photos, goals."""
    fields: dict[str, Any] = {
        "id": "case-1",
        "title": "My lips",
        "person_name": "Maria Lopez",
        "date_of_birth": dt.date(1988, 5, 2),
        "jurisdiction": jurisdiction,
        "goals": [GOAL, "To know whether the lump will go."],
        "concerns": [CONCERN, "The clinic has not answered my messages."],
        "procedures": [
            {
                "id": "lips",
                "procedure": "filler_hyaluronic_acid",
                "performed_on": FILLER_DAY,
                "provider_name": "Dr Ann Lee",
                "practice_name": "Bright Aesthetics",
                "products": [
                    {
                        "id": "syringe",
                        "brand": "Juvederm",
                        "product_name": "Volbella",
                        "material": "hyaluronic acid",
                        "lot": "V12345A",
                        "sites": [{"site": "upper lip", "amount": 0.5, "unit": "mL"}],
                    }
                ],
            },
            {
                "id": "breasts",
                "procedure": "breast_augmentation",
                "performed_on": IMPLANT_DAY,
                "provider_name": "Dr Sam Patel",
                "implants": [
                    {
                        "id": "left",
                        "side": "left",
                        "manufacturer": "Mentor",
                        "size_cc": 350,
                        "fill": "silicone",
                        "surface": "smooth",
                        "serial": "SN-998877",
                        "lot": "L-4455",
                    }
                ],
            },
        ],
        "journal": [
            # Out of order on purpose: the latest by date is the current urgency.
            {
                "id": "j2",
                "written_on": dt.date(2026, 11, 3),
                "procedure_id": "lips",
                "text": LATEST_NOTE,
                "urgency": "soon",
                "headline": "Ask your provider to look at this within about a week.",
                "reassess_on": dt.date(2026, 11, 10),
            },
            {
                "id": "j1",
                "written_on": dt.date(2026, 9, 5),
                "procedure_id": "lips",
                "text": "Swollen and bruised, a bit sore.",
                "urgency": "wait",
                "headline": "It is too early to judge.",
            },
        ],
        "photos": PHOTOS,
        "consultations": [
            {
                "id": "visit",
                "held_on": dt.date(2026, 10, 20),
                "provider_name": "Dr Kim",
                "specialty": "dermatologist",
                "what_they_said": "It may be a lump of filler. Come back in two weeks.",
            }
        ],
        "records_requests": [
            {
                "id": "request",
                "sent_on": dt.date(2026, 10, 21),
                "provider_name": "Bright Aesthetics",
                "follow_up_on": dt.date(2026, 11, 20),
            }
        ],
        "provider_checks": [
            {
                "id": "vetting",
                "provider_name": "Dr Ruth Osei",
                "npi": "1234567893",
                "procedure": "filler_hyaluronic_acid",
                "checked_on": dt.date(2026, 11, 4),
                "items": [
                    {"check": "board-certification", "result": "confirmed"},
                    {"check": "license", "result": "concern", "found": "A warning from 2021."},
                    {"check": "injector-setting"},
                ],
                "red_flags": ["pressure"],
                "note": "Ask about the warning.",
            }
        ],
    }
    fields.update(overrides)
    return CaseFileData.model_validate(fields)


EMPTY = CaseFileData(id="empty", title="My case")


# --- helpers: poppler -----------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A rendered packet and what poppler reads back from it."""

    pdf: bytes
    path: Path
    pages: list[str]  # pdftotext, one string per page, whitespace collapsed

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def page_with(self, words: str) -> int:
        """The 1-based number of the first page that says ``words``."""
        return next(n for n, page in enumerate(self.pages, start=1) if words in page)

    def image(self, page: int, dpi: int = 60) -> Image.Image:
        """Page ``page`` as a picture, as pdftoppm draws it."""
        prefix = self.path.with_name(f"{self.path.stem}-{page}")
        run(tool("pdftoppm"), "-f", str(page), "-l", str(page), "-r", str(dpi), "-png",
             "-singlefile", str(self.path), str(prefix))  # fmt: skip
        with Image.open(prefix.with_suffix(".png")) as image:
            return image.convert("RGB")


def _saturated_share(picture: Image.Image) -> float:
    """The share of a picture's pixels in strong colour (black, grey and white text are not)."""
    saturation = picture.convert("HSV").getchannel("S").histogram()
    return sum(saturation[100:]) / (picture.width * picture.height)


def _render(case: CaseFileData, path: Path, knowledge: Knowledge | None = None) -> Rendered:
    pdf = packet_pdf(case, TODAY, knowledge)
    path.write_bytes(pdf)
    text = run(tool("pdftotext"), "-enc", "UTF-8", str(path), "-")
    return Rendered(pdf=pdf, path=path, pages=[flat(page) for page in text.split("\f")[:-1]])


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _render(make_case(), tmp_path_factory.mktemp("packet") / "full.pdf")


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _render(EMPTY, tmp_path_factory.mktemp("packet") / "empty.pdf")


# --- the words in the PDF -----------------------------------------------------------------


def test_pdf_has_the_key_facts(full: Rendered, kb: Knowledge) -> None:
    text = full.text
    for fact in (
        kb.procedures["filler_hyaluronic_acid"].name,
        kb.procedures["breast_augmentation"].name,
        "1 September 2026",
        "12 March 2024",
        CONCERN,
        LATEST_NOTE,
        "On 3 November 2026 reconsult said: Ask your provider to look at this within about a week.",
        "V12345A",  # the filler's lot
        "SN-998877",  # the implant's serial
        GOAL,
        kb.packet.wording.expectations_heading,
        kb.packet.wording.questions_heading,
    ):
        assert flat(fact) in text, fact
    for question in kb.packet.questions.in_order():
        assert question.text in text


def test_page_one_is_the_summary(full: Rendered, kb: Knowledge) -> None:
    words = kb.packet.wording
    page = full.pages[0]
    assert page.startswith(words.title)
    for fact in (
        "Maria Lopez",
        kb.procedures["filler_hyaluronic_acid"].name,
        "Date: 1 September 2026 (81 days ago)",
        "Who and where: Dr Ann Lee, Bright Aesthetics",
        CONCERN,
        "On 3 November 2026 reconsult said:",
        "That was 18 days ago.",
        "It suggested looking again on 10 November 2026.",
        words.emergency_heading,
        flat(kb.policy.help_now.heading),
        flat(kb.policy.emergency_numbers),
    ):
        assert flat(fact) in page, fact
    # The detail comes later: no lot numbers, questions or history on page 1.
    assert "V12345A" not in page and words.history_heading not in page
    assert kb.packet.questions.why.text not in page


def test_sections_come_in_the_issue_order(full: Rendered, kb: Knowledge) -> None:
    words = kb.packet.wording
    order = [
        full.page_with(words.history_heading),
        full.page_with("V12345A"),
        full.page_with(words.photos_heading),
        full.page_with(words.goals_heading),
        full.page_with(words.vetting_heading),
        full.page_with(kb.packet.questions.why.text),
        full.page_with(words.expectations_heading),
    ]
    assert order == sorted(order) and order[0] == 2


def test_history_is_oldest_first_with_what_reconsult_said(full: Rendered) -> None:
    text = full.text
    dates = ["12 March 2024", "1 September 2026", "5 September 2026", "20 October 2026",
             "21 October 2026", "3 November 2026"]  # fmt: skip
    history = text[text.index("History") :]
    positions = [history.index(d) for d in dates]
    assert positions == sorted(positions)
    assert "reconsult said: It is too early to judge." in history
    assert "I saw Dr Kim (dermatologist)" in history
    assert "Follow up on 20 November 2026" in history


def test_us_case_is_letter_size_with_us_dates(tmp_path: Path) -> None:
    rendered = _render(make_case(jurisdiction="US-CA"), tmp_path / "us.pdf")
    assert "Date: September 1, 2026 (81 days ago)" in rendered.pages[0]
    info = run(tool("pdfinfo"), str(rendered.path))
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)", info, re.M)
    html = packet_html(make_case(jurisdiction="US-CA"), TODAY)
    assert '<html lang="en-US">' in html and "@page { size: Letter; }" in html


def test_other_cases_are_a4(full: Rendered) -> None:
    info = run(tool("pdfinfo"), str(full.path))
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)


# --- photos ------------------------------------------------------------------------------


def test_photos_pair_earliest_with_latest_then_the_rest_by_date() -> None:
    packet = build_packet(make_case(), TODAY)
    front, left = packet.photo_groups
    assert front.heading == "Photos from the front" and left.heading == "Photos from the left side"
    captions = [[tile.caption for tile in row] for row in front.rows]
    assert captions == [
        ["2 September 2026, from the front", "3 November 2026, from the front"],
        ["1 October 2026, from the front"],
    ]
    assert [tile.day for row in front.rows for tile in row] == [
        "Day 1 after the procedure",
        "Day 63 after the procedure",
        "Day 30 after the procedure",
    ]
    assert left.note and len(left.rows) == 1


def test_photos_really_appear_on_the_photo_pages(full: Rendered, kb: Knowledge) -> None:
    listing = run(tool("pdfimages"), "-list", str(full.path)).splitlines()[2:]
    images = [line.split() for line in listing]
    assert len(images) == len(PHOTOS)
    for image in images:  # page num type width height color comp bpc enc ...
        assert image[2] == "image" and image[8] == "jpeg"
        assert max(int(image[3]), int(image[4])) <= PHOTO_MAX_SIDE
    page = full.page_with(kb.packet.wording.photos_heading)
    picture = full.image(page)
    # Text on white barely varies; two big coloured photos do.
    assert max(ImageStat.Stat(picture).stddev) > 40
    assert _saturated_share(picture) > 0.15


def test_the_photo_page_of_a_case_without_photos_is_blank_but_for_words(
    empty: Rendered, kb: Knowledge
) -> None:
    page = empty.page_with(kb.packet.wording.photos_heading)
    assert _saturated_share(empty.image(page)) == 0
    assert flat(kb.packet.wording.photos_none) in empty.pages[page - 1]


def test_unreadable_photo_says_so_instead_of_failing(tmp_path: Path, kb: Knowledge) -> None:
    broken = {**PHOTOS[0], "id": "broken", "image": b"\xff\xd8\xff\xe0 not really a jpeg"}
    progressive = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(progressive, "JPEG", progressive=True)
    slow = {**PHOTOS[1], "id": "slow", "image": progressive.getvalue()}
    case = make_case(photos=[broken, slow])
    tiles = [tile for group in build_packet(case, TODAY).photo_groups for r in group.rows
             for tile in r]  # fmt: skip
    assert [tile.src for tile in tiles] == ["", ""]
    unreadable = kb.packet.wording.photo_unreadable
    assert _render(case, tmp_path / "broken.pdf").text.count(unreadable) == 2
    # The text never reads a photo (issue 17), so it lists both and says nothing of their bytes.
    text = flat(packet_text(case, TODAY))
    assert unreadable not in text
    assert all(flat(tile.caption) in text for tile in tiles)


def test_the_text_never_reads_a_photo() -> None:
    # Photos read without their bytes, and nowhere to read them from: image_of
    # raises, so the text would fail if it touched one.
    bare = [{k: v for k, v in photo.items() if k not in ("image", "thumbnail")} for photo in PHOTOS]
    case = make_case(photos=bare)
    with pytest.raises(LookupError):
        case.image_of(case.photos[0])
    assert packet_text(case, TODAY) == packet_text(make_case(), TODAY)
    tiles = [tile for group in build_packet(case, TODAY, photos=False).photo_groups
             for r in group.rows for tile in r]  # fmt: skip
    assert len(tiles) == 4 and all(tile.src is None for tile in tiles)


# --- an empty case ------------------------------------------------------------------------


def test_a_case_with_only_a_title_says_plainly_what_is_missing(
    empty: Rendered, kb: Knowledge
) -> None:
    words = kb.packet.wording
    text = flat(packet_text(EMPTY, TODAY))
    for missing in (
        words.no_procedures,
        words.no_words,
        words.urgency_none,
        words.history_empty,
        words.products_none,
        words.photos_none,
        words.goals_none,
    ):
        assert flat(missing) in text, missing
        assert flat(missing) in empty.text, missing
    assert flat(words.urgency_none) in empty.pages[0]
    for question in kb.packet.questions.in_order():
        assert question.text in empty.text
    # The points for every procedure still stand; no procedure's own section does.
    assert build_packet(EMPTY, TODAY).expectation_points
    assert build_packet(EMPTY, TODAY).expectation_groups == []
    info = run(tool("pdfinfo"), str(empty.path))
    assert re.search(r"^Title:\s+Consultation packet: My case$", info, re.M)


def test_no_check_yet_when_no_note_was_assessed(kb: Knowledge) -> None:
    case = make_case(
        journal=[{"id": "n", "written_on": dt.date(2026, 11, 1), "text": "Just a note."}]
    )
    packet = build_packet(case, TODAY)
    assert packet.urgency == [kb.packet.wording.urgency_none] and packet.urgency_level == ""
    assert packet.words == [CONCERN, "The clinic has not answered my messages."]


def test_current_urgency_without_a_stored_headline_uses_the_knowledge_base(kb: Knowledge) -> None:
    entry = {
        "id": "n",
        "written_on": dt.date(2026, 11, 20),
        "text": "It hurts.",
        "urgency": "urgent",
    }
    packet = build_packet(make_case(journal=[entry]), TODAY)
    urgent = next(u for u in kb.policy.urgencies if u.level == "urgent")
    assert packet.urgency[0] == f"On 20 November 2026 reconsult said: {urgent.headline}"
    assert packet.urgency[1] == "That was 1 day ago." and packet.urgency_level == "urgent"


def test_without_concerns_page_one_quotes_the_latest_note() -> None:
    packet = build_packet(make_case(concerns=[]), TODAY)
    assert packet.words_intro == "From my note of 3 November 2026:"
    assert packet.words == [LATEST_NOTE]


# --- long text ---------------------------------------------------------------------------


def test_long_words_are_shortened_on_page_one_and_given_in_full_later(tmp_path: Path) -> None:
    long_concern = " ".join(["My lip feels hard and sore and uneven."] * 40)
    packet = build_packet(make_case(concerns=[long_concern]), TODAY)
    assert packet.words[0].endswith("…") and len(packet.words[0]) < 400
    assert packet.words_more and packet.concerns == [long_concern]
    assert flat(long_concern) in flat(packet_text(make_case(concerns=[long_concern]), TODAY))


def test_long_text_wraps_inside_the_page(tmp_path: Path) -> None:
    # Letters no other text uses, so each long "word" can be counted back.
    case = make_case(
        person_name="Maria " + "Lopez" * 30,
        concerns=["ю" * 1500, "short"],
        goals=["б" * 800],
        procedures=[
            {
                "id": "lips",
                "procedure": "filler_hyaluronic_acid",
                "performed_on": FILLER_DAY,
                "practice_name": "ц" * 300,
                "notes": "ж" * 3000,
                "products": [{"id": "x", "brand": "э" * 400, "lot": "щ" * 400}],
            }
        ],
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(packet_pdf(case, TODAY))
    bbox = run(tool("pdftotext"), "-bbox", str(path), "-")
    width = float(re.search(r'<page width="([\d.]+)"', bbox)[1])  # type: ignore[index]
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', bbox)
    assert words
    right = max(float(x_max) for _, x_max in words)
    assert right <= width - 30, f"text runs to {right:.0f} of {width:.0f} points"
    assert min(float(x_min) for x_min, _ in words) >= 30
    # Wrapped, not cut: every letter is there, as often as in the plain text.
    pdf_text = run(tool("pdftotext"), "-enc", "UTF-8", str(path), "-")
    text = packet_text(case, TODAY)
    for letter in "юбцжэщ":
        assert pdf_text.count(letter) == text.count(letter) > 0, letter


# --- text, HTML and PDF say the same -----------------------------------------------------


def _shown(packet: Packet) -> list[str]:
    """Words every layout must show for this packet (a full case: nothing is missing)."""
    words = packet.wording
    out = [words.title, packet.made_on, words.informs, *(v for _, v in packet.person)]
    out += [r.name for r in packet.procedures] + [r.when for r in packet.procedures]
    out += [*packet.words, *packet.urgency, packet.emergency_intro, *packet.emergency_signs]
    out += [packet.emergency_numbers, words.history_intro]
    for event in packet.events:
        out += [event.date, event.heading, *event.details, event.quote]
    for group in packet.products:
        out += [group.heading] + [h for h, _ in group.items]
        out += [f"{label} {value}" for _, rows in group.items for label, value in rows]
    for photo_group in packet.photo_groups:
        out += [photo_group.heading, photo_group.note]
        out += [f"{t.caption} {t.day} {t.note}" for row in photo_group.rows for t in row]
    out += packet.goals
    out += [words.vetting_heading, words.vetting_intro]
    for vetted in packet.vetting:
        out += [vetted.heading, *vetted.details, *vetted.flags, vetted.note]
        out += [f"{c.title}: {c.result} {c.found}" for c in vetted.checks]
    for questions in packet.question_groups:
        out += [questions.heading] + [f"{q.text} {q.hint}" for q in questions.questions]
    out += packet.expectation_points
    for expectation in packet.expectation_groups:
        out += [expectation.heading, expectation.judge, expectation.reversible, *expectation.points]
    out += packet.sources
    return [flat(s) for s in out if s.strip()]


def _bare(text: str) -> str:
    return "".join(text.replace(":", "").replace("-", "").split())


def test_text_and_pdf_say_the_same_things(full: Rendered) -> None:
    text = flat(packet_text(make_case(), TODAY).replace("> ", " ")).replace(":", "")
    # "Label: value" in text is a table row in the PDF; a URL may break at a "/",
    # where pdftotext reads a space; and pdftotext drops a hyphen that ends a
    # line: compare the PDF without colons, spaces or hyphens.
    pdf = _bare(full.text)
    shown = _shown(build_packet(make_case(), TODAY))
    assert len(shown) > 100
    for phrase in shown:
        assert phrase.replace(":", "") in text, phrase
        assert _bare(phrase) in pdf, phrase


def test_words_come_from_the_knowledge_base(tmp_path: Path, kb: Knowledge) -> None:
    questions = kb.packet.questions.model_copy(
        update={"why": kb.packet.questions.why.model_copy(update={"text": "Why, truly?"})}
    )
    wording = kb.packet.wording.model_copy(update={"urgency_none": "Nobody has looked yet."})
    packet = kb.packet.model_copy(update={"questions": questions, "wording": wording})
    changed = dataclasses.replace(kb, packet=packet)
    text = packet_text(EMPTY, TODAY, changed)
    assert "Why, truly?" in text and "Nobody has looked yet." in text
    assert kb.packet.questions.why.text not in text


# --- HTML ----------------------------------------------------------------------------------


def test_user_text_is_escaped_in_html() -> None:
    case = make_case(
        person_name="<script>alert(1)</script>",
        concerns=['<img src="http://example.com/x.png">'],
    )
    html = packet_html(case, TODAY)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<img src="http' not in html and "&lt;img src=" in html
    assert "<title>Consultation packet: &lt;script&gt;" in html


# --- PDF/UA and fetching nothing -------------------------------------------------------------


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


def test_pdf_is_tagged_pdf_ua_with_title_language_and_photo_alt_text(full: Rendered) -> None:
    info = run(tool("pdfinfo"), str(full.path))
    assert re.search(r"^Title:\s+Consultation packet: Maria Lopez$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert 'pdfuaid:part="1"' in run(tool("pdfinfo"), "-meta", str(full.path))
    catalog = _inflated_streams(full.pdf)
    assert b"/Lang (en-GB)" in catalog and b"/DisplayDocTitle true" in catalog
    assert b"/Alt (Photo from the front, taken on 2 September 2026)" in catalog
    tree = run(tool("pdfinfo"), "-struct", str(full.path))
    tags = {line.split()[0].rstrip(":") for line in tree.splitlines() if line.strip()}
    assert {"Document", "H1", "H2", "P", "L", "LI", "Table", "TH", "TD", "Figure"} <= tags


def test_the_packet_fetches_nothing_but_its_own_photos(
    no_sockets: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    fetcher = photo_url_fetcher()
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = render_pdf(packet_html(make_case(), TODAY), url_fetcher=fetcher)
    assert pdf.startswith(b"%PDF-1.7")
    assert fetcher.refused == [] and no_sockets == []
    assert not caplog.records, [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/pixel.png",
        "file:///etc/hostname",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        "data:text/html,<p>hi</p>",
        "data:image/jpeg,not-base64",
    ],
    ids=["http", "file", "svg-data", "html-data", "jpeg-not-base64"],
)
def test_the_packet_fetcher_refuses_everything_else(url: str, no_sockets: list[Any]) -> None:
    from weasyprint.urls import FatalURLFetchingError  # type: ignore[import-untyped]

    fetcher = photo_url_fetcher()
    html = f'<html lang="en"><head><title>t</title></head><body><img src="{url}" alt=""></body>'
    with pytest.raises(FatalURLFetchingError):
        render_pdf(html, url_fetcher=fetcher)
    assert fetcher.refused == [url] and no_sockets == []


def test_same_case_and_knowledge_give_the_same_packet() -> None:
    assert build_packet(EMPTY, TODAY, load_knowledge()) == build_packet(EMPTY, TODAY)
