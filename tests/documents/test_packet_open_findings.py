"""Issue 15 in the consultation packet: what is still open, and whose words each urgency is.

Page 1 lists the worrying signs told in notes and not closed, with their
words and dates, above "How urgent it is now"; the urgency on page 1 is shown
beside the words of the note it was about; the history says what became of
each sign. Cases are built as a person builds them, through storage (SQLite
and PostgreSQL, the ``db`` fixture), and the PDF is read back with pdftotext.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from reconsult.casefile.open_findings import open_findings
from reconsult.casefile.repository import add_journal_entry, close_findings, load_case, save_case
from reconsult.casefile.schema import CaseFileData, Closing, ProcedureRecord
from reconsult.documents.fhir import case_bundle
from reconsult.documents.packet import build_packet, packet_pdf, packet_text
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ClosingChoice, ProcedureCode, Urgency
from reconsult.storage import Database
from tests.documents.poppler import flat, run, tool

DAY = dt.date(2026, 12, 7)  # the filler, and the first two notes
WHITE_LIP = (
    "I had lip filler 2 hours ago and now my upper lip is white and blotchy and really hurts"
)
BENIGN = "my lip is a bit swollen"
LUMP = "Still a hard lump in my top lip, on the left side, and it aches when I smile."
SIGNS = ("skin_blanching", "skin_mottling")


@dataclass(frozen=True)
class Rendered:
    """A packet as a person reads it: page 1 of the PDF, the whole PDF, and the text format."""

    pages: list[str]  # pdftotext, one string per page, whitespace collapsed
    text: str  # the text format, whitespace collapsed


def render(case: CaseFileData, today: dt.date, path: Path, kb: Knowledge | None = None) -> Rendered:
    path.write_bytes(packet_pdf(case, today, kb))
    pdf = run(tool("pdftotext"), "-enc", "UTF-8", str(path), "-")
    pages = [flat(page) for page in pdf.split("\f")[:-1]]
    return Rendered(pages=pages, text=flat(packet_text(case, today, kb)))


def lip_case(db: Database, *, concerns: list[str] | None = None, jurisdiction: str = "GB") -> None:
    save_case(
        db,
        CaseFileData(
            id="c",
            title="My lips",
            person_name="Maria Lopez",
            jurisdiction=jurisdiction,
            concerns=concerns or [],
            procedures=[
                ProcedureRecord(
                    id="p",
                    procedure=ProcedureCode.filler_hyaluronic_acid,
                    performed_on=DAY,
                    provider_name="Dr Ann Lee",
                )
            ],
        ),
    )


def note(db: Database, text: str, on: dt.date = DAY, procedure: str | None = "p") -> Urgency | None:
    return add_journal_entry(db, "c", text=text, written_on=on, procedure_id=procedure).urgency


def stored(db: Database) -> CaseFileData:
    case = load_case(db, "c")
    assert case is not None
    return case


def white_lip_then_benign(db: Database) -> CaseFileData:
    """The issue's case: the white, blotchy lip, then a benign note held at emergency."""
    lip_case(db)
    assert note(db, WHITE_LIP) is Urgency.emergency
    assert note(db, BENIGN) is Urgency.emergency
    return stored(db)


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


# --- page 1: what is open, above the urgency ----------------------------------------------


def test_page_one_lists_each_open_sign_with_its_words_and_date_above_the_urgency(
    db: Database, kb: Knowledge, tmp_path: Path
) -> None:
    case = white_lip_then_benign(db)
    words = kb.packet.wording
    rendered = render(case, DAY, tmp_path / "open.pdf")
    [first] = [e for e in case.journal if e.text == WHITE_LIP]
    for layout in (rendered.pages[0], rendered.text):
        open_part = between(layout, words.open_heading, words.urgency_heading)
        for raised in first.raised:
            assert kb.findings[raised.finding].label in open_part
            assert raised.words in WHITE_LIP  # the person's own words, quoted with the day
            assert f"On 7 December 2026 I wrote: “{raised.words}”." in open_part
        # White or blotchy skin counts three days after the day it was told.
        assert open_part.count("Still counts until 10 December 2026.") == 2
        # Below what is wrong, above how urgent it is now, above the emergency box.
        order = [
            layout.index(words.words_heading),
            layout.index(words.open_heading),
            layout.index(words.urgency_heading),
            layout.index(words.emergency_heading),
        ]
        assert order == sorted(order)
    # Still one page: the history starts page 2.
    assert rendered.pages[1].startswith(words.history_heading)
    assert {f.raised.finding for f in open_findings(kb, case)} == set(SIGNS)


def test_a_sign_past_its_time_is_still_listed_and_says_it_no_longer_counts(
    db: Database, kb: Knowledge, tmp_path: Path
) -> None:
    case = white_lip_then_benign(db)
    later = DAY + dt.timedelta(days=5)
    rendered = render(case, later, tmp_path / "stale.pdf")
    stale = kb.policy.open_findings.stale.format(date="10 December 2026")
    for layout in (rendered.pages[0], rendered.text):
        open_part = between(layout, kb.packet.wording.open_heading, "How urgent it is now")
        assert open_part.count(f"Past its time: {stale}.") == 2
        assert "Still counts" not in open_part


def test_a_case_with_nothing_open_has_no_open_part(db: Database, kb: Knowledge) -> None:
    lip_case(db)
    note(db, BENIGN)
    packet = build_packet(stored(db), DAY)
    assert packet.open_signs == [] and packet.open_more == ""
    assert kb.packet.wording.open_heading not in packet_text(stored(db), DAY)


# --- page 1: each urgency beside its own note's words ----------------------------------------


def test_an_unchecked_later_note_is_never_shown_beside_an_older_answer(
    db: Database, kb: Knowledge, tmp_path: Path
) -> None:
    # The bug: "my upper lip is white and blotchy..." beside "within about a week".
    # An earlier note got an answer; the later one was kept without its procedure,
    # so it has none.
    lip_case(db)
    earlier = note(db, LUMP, on=DAY + dt.timedelta(days=20))
    note(db, WHITE_LIP, on=DAY + dt.timedelta(days=30), procedure=None)
    case = stored(db)
    assert earlier is not None and case.journal[-1].urgency is None
    headline = case.journal[0].headline
    rendered = render(case, DAY + dt.timedelta(days=30), tmp_path / "unchecked.pdf")
    for layout in (rendered.pages[0], rendered.text):
        what_is_wrong = between(layout, "What is wrong", "How urgent it is now")
        assert "From my note of 6 January 2027:" in what_is_wrong and WHITE_LIP in what_is_wrong
        urgency = between(layout, "How urgent it is now", "In an emergency")
        assert f"On 27 December 2026 reconsult said: {headline}" in urgency
        # The answer names its own note and quotes it...
        assert f"It said this about my note of 27 December 2026: “{LUMP[:60]}" in urgency
        # ...and says the later note was not checked.
        assert "My later note of 6 January 2027 has not been checked." in urgency
        assert WHITE_LIP not in urgency


def test_a_later_note_with_its_own_answer_is_shown_with_that_answer(
    db: Database, kb: Knowledge, tmp_path: Path
) -> None:
    # The emergency note, then days later (past its time) a benign note: page 1
    # quotes the benign note beside its own answer, never the emergency's.
    lip_case(db)
    note(db, WHITE_LIP)
    later = DAY + dt.timedelta(days=4)
    own = note(db, BENIGN, on=later)
    assert own is not None and own is not Urgency.emergency
    case = stored(db)
    benign_headline = case.journal[1].headline
    emergency_headline = case.journal[0].headline
    assert benign_headline != emergency_headline
    packet = build_packet(case, later)
    assert packet.words == [BENIGN] and packet.words_intro == "From my note of 11 December 2026:"
    assert packet.urgency[0] == f"On 11 December 2026 reconsult said: {benign_headline}"
    assert packet.urgency_level == own.value
    assert packet.urgency_note == ""  # its note is the one quoted just above
    page = render(case, later, tmp_path / "later.pdf").pages[0]
    urgency = between(page, "How urgent it is now", "In an emergency")
    assert emergency_headline not in urgency


def test_with_concerns_on_page_one_the_urgency_quotes_its_own_note(
    db: Database, tmp_path: Path
) -> None:
    lip_case(db, concerns=["My lips look uneven and I am worried."])
    note(db, WHITE_LIP)
    note(db, BENIGN)
    case = stored(db)
    page = render(case, DAY, tmp_path / "concerns.pdf").pages[0]
    assert "My lips look uneven and I am worried." in page
    urgency = between(page, "How urgent it is now", "In an emergency")
    assert "On 7 December 2026 reconsult said: Get emergency help now." in urgency
    assert f"It said this about my note of 7 December 2026: “{BENIGN}”" in urgency


# --- the history: what became of each sign ------------------------------------------------


@pytest.mark.parametrize("how", list(ClosingChoice))
def test_a_closed_sign_shows_in_the_history_with_its_date_and_how(
    db: Database, kb: Knowledge, tmp_path: Path, how: ClosingChoice
) -> None:
    white_lip_then_benign(db)
    seen = how is ClosingChoice.seen
    closing = Closing(
        how=how,
        said_on=DAY + dt.timedelta(days=1),
        treated_by="the clinic, with hyaluronidase" if seen else "",
        treated_on=DAY if seen else None,
    )
    close_findings(db, "c", {"skin_blanching": closing})
    case = stored(db)
    rendered = render(case, DAY + dt.timedelta(days=1), tmp_path / "closed.pdf")
    label = kb.findings["skin_blanching"].label
    said = kb.policy.open_findings.closed[how]
    expected = {
        ClosingChoice.seen: f"{label} (7 December 2026): {said} by the clinic, with "
        "hyaluronidase on 7 December 2026 (I said so on 8 December 2026)",
        ClosingChoice.gone: f"{label} (7 December 2026): {said} (I said so on 8 December 2026)",
        ClosingChoice.mistake: f"{label} (7 December 2026): {said} (I said so on 8 December 2026)",
    }[how]
    mottling = kb.findings["skin_mottling"].label
    for layout in (" ".join(rendered.pages[1:]), rendered.text):
        history = layout[layout.index(kb.packet.wording.history_heading) :]
        assert expected in history
        assert f"{mottling} (7 December 2026): still open" in history
    # Page 1 lists only what is still open.
    open_part = between(rendered.pages[0], kb.packet.wording.open_heading, "How urgent")
    assert label not in open_part and mottling in open_part


# --- the words come from the knowledge base ------------------------------------------------


def test_the_open_part_and_the_closings_take_their_words_from_the_knowledge_base(
    db: Database, kb: Knowledge
) -> None:
    white_lip_then_benign(db)
    close_findings(db, "c", {"skin_mottling": Closing(how=ClosingChoice.gone, said_on=DAY)})
    wording = kb.packet.wording.model_copy(
        update={"open_heading": "Not closed yet", "event_closed_said": "[told {date}]"}
    )
    open_policy = kb.policy.open_findings.model_copy(
        update={"closed": {**kb.policy.open_findings.closed, ClosingChoice.gone: "faded away"}}
    )
    changed = dataclasses.replace(
        kb,
        packet=kb.packet.model_copy(update={"wording": wording}),
        policy=kb.policy.model_copy(update={"open_findings": open_policy}),
    )
    text = flat(packet_text(stored(db), DAY, changed))
    assert "Not closed yet" in text and kb.packet.wording.open_heading not in text
    assert "(7 December 2026): faded away [told 7 December 2026]" in text


# --- page 1 stays one page ---------------------------------------------------------------


@pytest.mark.parametrize("jurisdiction", ["GB", "US-CA"])
def test_a_crowded_page_one_still_fits_with_its_emergency_box(
    db: Database, kb: Knowledge, tmp_path: Path, jurisdiction: str
) -> None:
    # Four long concerns, five signs open with long words, an answer about an
    # earlier note and a later note never checked: page 1 gives way in the
    # concerns (in full later), never in the emergency box or the open signs.
    long = "My top lip is lumpy on the left and it looks uneven when I smile. " * 6
    lip_case(db, concerns=[long] * 4, jurisdiction=jurisdiction)
    note(db, WHITE_LIP)
    case = stored(db)
    [entry] = case.journal
    raised = [
        entry.raised[0].model_copy(update={"finding": code, "words": long})
        for code in ("skin_blanching", "skin_mottling", "skin_darkening", "cold_skin")
    ]
    unchecked = entry.model_copy(
        update={"id": "later", "text": long, "urgency": None, "headline": "", "raised": []}
    )
    case = case.model_copy(
        update={"journal": [entry.model_copy(update={"raised": raised}), unchecked]}
    )
    rendered = render(case, DAY, tmp_path / "crowded.pdf")
    words = kb.packet.wording
    page = rendered.pages[0]
    assert rendered.pages[1].startswith(words.history_heading)
    for part in (words.open_heading, words.urgency_heading, words.emergency_heading):
        assert part in page
    assert flat(kb.policy.emergency_numbers) in page
    assert words.open_more in page and words.words_shortened in page
    assert "has not been checked" in page
    # What page 1 left out or shortened is in full later.
    assert rendered.text.count(flat(long)) >= 4


# --- the FHIR export, from storage -----------------------------------------------------------


def test_the_fhir_export_of_a_stored_case_has_each_sign_with_its_status(
    db: Database, kb: Knowledge
) -> None:
    white_lip_then_benign(db)
    seen = Closing(
        how=ClosingChoice.seen,
        said_on=DAY + dt.timedelta(days=1),
        treated_by="the clinic, with hyaluronidase",
        treated_on=DAY,
    )
    close_findings(db, "c", {"skin_blanching": seen})
    bundle = case_bundle(
        stored(db), generated_at=dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC), knowledge=kb
    )
    document = json.loads(bundle.model_dump_json())
    Bundle.model_validate(document)
    signs = {
        o["code"]["coding"][0]["code"]: o
        for o in (e["resource"] for e in document["entry"])
        if o["resourceType"] == "Observation"
        and o["code"].get("coding", [{}])[0].get("system") == "urn:reconsult:finding"
    }
    assert set(signs) == set(SIGNS)
    registered = {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                  "entered-in-error", "unknown"}  # fmt: skip
    assert {o["status"] for o in signs.values()} <= registered
    treated, mottled = signs["skin_blanching"], signs["skin_mottling"]
    assert treated["status"] == "final" and mottled["status"] == "preliminary"
    assert treated["effectiveDateTime"] == mottled["effectiveDateTime"] == "2026-12-07"
    [note_text] = [n["text"] for n in treated["note"]]
    assert "the clinic, with hyaluronidase" in note_text and "2026-12-08" in note_text
    assert mottled["note"][0]["text"].startswith("Still open since 2026-12-07")
