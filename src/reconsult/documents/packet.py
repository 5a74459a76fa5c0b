"""The consultation packet: what a person brings to a consultation about their result.

One page of summary first (what was done and when, what is wrong in the
person's own words, the worrying signs told in notes that are still open, how
urgent reconsult last said it was, beside the words of the note it said it
about, and what to do in an emergency), then the history (each note with
what became of the signs it kept open), the products and implants, photos side by
side, goals, the questions to ask, and a page on what to expect. All of it is
filled in from a :class:`~reconsult.casefile.schema.CaseFileData` and the
knowledge base: the questions, the realistic-expectations points, urgency
words, procedure names, timelines and the packet's own words live in
``knowledge/packet.yaml``, ``procedures.yaml`` and ``policy.yaml``, never
here. The packet informs; it never diagnoses.

:func:`build_packet` lays everything out as one :class:`Packet`;
:func:`packet_text`, :func:`packet_html` and :func:`packet_pdf` print that
same packet, so they always say the same things. The PDF is tagged PDF/UA-1,
printed by :func:`reconsult.documents.printing.render_pdf`.

Photos are printed from copies made here, about :data:`PHOTO_SIDE` pixels on
the longest side (never more than :data:`PHOTO_MAX_SIDE`), plenty for an
80 mm column, so a packet of phone photos stays small and quick to print
(bench/packet_bench.py: 10 photos of 12 MP in about 0.7 s). They are inlined
as ``data:`` URIs. Each photo's bytes are read when its copy is made
(:meth:`~reconsult.casefile.schema.CaseFileData.image_of`: from the case, or
from the database for a case read without them), so a case of 100 photos
never holds more than a few of them at once.
WeasyPrint 70 sends ``data:`` URIs through the URL fetcher like any other
URL, so the packet uses the letter's refusing fetcher with one exception: it
decodes ``data:image/jpeg;base64`` URIs itself (no urllib, no file, no
network) and refuses everything else, recording it, as the letter does.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import os
import re
import textwrap
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any, Final

from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile
from PIL.PngImagePlugin import PngImageFile
from pydantic import BaseModel, ConfigDict

from reconsult.casefile.open_findings import OpenFinding, open_findings
from reconsult.casefile.photos import PhotoLimits
from reconsult.casefile.schema import (
    Angle,
    CaseFileData,
    Implant,
    JournalEntry,
    Photo,
    ProcedureRecord,
    Product,
    ProviderCheck,
)
from reconsult.documents.printing import (
    environment,
    inline_stylesheet,
    refusing_url_fetcher,
    render_pdf,
)
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.packet_content import PacketWording
from reconsult.knowledge.schema import Procedure

__all__ = [
    "PHOTO_MAX_SIDE",
    "PHOTO_SIDE",
    "Event",
    "ExpectationGroup",
    "OpenSign",
    "Packet",
    "PhotoGroup",
    "PhotoTile",
    "ProductGroup",
    "Question",
    "QuestionGroup",
    "SummaryProcedure",
    "VettedProvider",
    "VettedCheck",
    "build_packet",
    "packet_html",
    "packet_pdf",
    "packet_text",
    "photo_url_fetcher",
]

PHOTO_SIDE: Final = 1000  # pixels, longest side wanted: ~300 dpi in a half-page column
# JPEG decoding scales by 1/2, 1/4 or 1/8; a result up to this size is kept as it is
# (a 12 MP photo decodes to 1008 x 756), saving a resample of every photo.
PHOTO_MAX_SIDE: Final = PHOTO_SIDE * 5 // 4
PHOTO_QUALITY: Final = 85
WORDS_ON_SUMMARY: Final = 4  # concerns quoted on page 1 at most; the rest follow in full
WORDS_LENGTH: Final = 320  # characters of each concern quoted on page 1
OPEN_ON_SUMMARY: Final = 3  # open signs listed on page 1 at most; the history lists them all
OPEN_WORDS_LENGTH: Final = 64  # characters of each open sign's words on page 1
NOTE_LENGTH: Final = 100  # characters of the note quoted beside the urgency
# Page 1 stays one page. Its parts that vary in length (the note beside the
# urgency, the open signs, the concerns or latest note) share an estimate of
# the lines it has left for them, in lines of 10 pt text of LINE_CHARS
# characters (a little fewer than a line holds, so the estimate errs short).
# Measured with pdftotext on the longest cases (tests/documents/
# test_packet_open_findings.py): each further procedure takes PROCEDURE_LINES.
SUMMARY_LINES: Final = {"A4": 25.0, "Letter": 21.5}  # with one procedure
PROCEDURE_LINES: Final = 3.6
LINE_CHARS: Final = 90
TEXT_WIDTH: Final = 78  # plain-text line length

_MONTHS: Final = (
    "January February March April May June July August September October November December"
).split()
_DATA_URI: Final = re.compile(r"data:image/jpeg;base64,([A-Za-z0-9+/]*={0,2})")


class Laid(BaseModel):
    """Base of the packet's parts: frozen, like the letter."""

    model_config = ConfigDict(frozen=True)


class SummaryProcedure(Laid):
    """One procedure on the summary page."""

    name: str
    when: str
    who: str


class Event(Laid):
    """One dated thing in the history: a procedure, a note, photos, a visit, a request."""

    date: str
    heading: str
    details: list[str] = []
    quote_label: str = ""
    quote: str = ""  # the person's (or a provider's) own words, kept as written
    raised_label: str = ""
    raised: list[str] = []  # a note's signs kept open: still open, or what became of each


class OpenSign(Laid):
    """A worrying sign told in a note that the person has not closed, as page 1 lists it."""

    sign: str  # the finding's plain label
    told: str  # the day it was told and the person's words
    status: str  # still counting until a day, or past its time
    level: str  # the urgency code it drove while it counts; "" once past its time


class ProductGroup(Laid):
    """The products and implants of one procedure."""

    heading: str
    items: list[tuple[str, list[tuple[str, str]]]]  # (heading, [(label, value)])


class PhotoTile(Laid):
    """One photo as printed, with its caption; ``src`` is empty if it cannot be shown."""

    caption: str
    day: str
    alt: str
    note: str = ""  # the person's note on the photo
    src: str = ""  # a data: URI of the print copy


class PhotoGroup(Laid):
    """Photos from one angle (of one procedure): earliest and latest first, then the rest."""

    heading: str
    rows: list[list[PhotoTile]]
    note: str = ""


class Question(Laid):
    """A question to ask, with why it is worth asking."""

    text: str
    hint: str = ""


class QuestionGroup(Laid):
    """Questions under one heading; the first group (no heading) is the four standard ones."""

    heading: str
    questions: list[Question]


class VettedCheck(Laid):
    """One check of the vetting checklist, as the person left it."""

    title: str
    result: str  # in words: fine, worrying, not checked yet
    found: str = ""  # what they found, in their words


class VettedProvider(Laid):
    """What the person checked about one provider, and the warning signs they noticed."""

    heading: str  # the provider's name
    details: list[str]  # when, NPI, which treatment, how many checks done
    checks: list[VettedCheck]
    flags: list[str]  # titles of the warning signs noticed
    note: str = ""


class ExpectationGroup(Laid):
    """What to expect after one procedure."""

    heading: str
    judge: str
    reversible: str
    points: list[str]


class Packet(Laid):
    """The filled-in packet, ready to lay out as text, HTML or PDF."""

    title: str
    language: str
    page_size: str
    heading: str
    made_on: str
    informs: str
    person: list[tuple[str, str]]
    procedures_heading: str
    date_label: str
    who_label: str
    procedures: list[SummaryProcedure]
    no_procedures: str
    words_heading: str
    words_intro: str
    words: list[str]
    words_more: str  # says the words go on later; empty when all are on page 1
    no_words: str
    open_heading: str
    open_intro: str
    open_signs: list[OpenSign]  # empty: the part is left out
    open_more: str  # says more are open than page 1 lists; empty when all are listed
    urgency_heading: str
    urgency_level: str  # the level's code, or "" when no check has been made
    urgency: list[str]  # what reconsult said, and when
    urgency_note: str  # the note it was about, quoted, when its words are not quoted above
    urgency_more: list[str]  # a later note not checked, when to look again, check again
    emergency_heading: str
    emergency_intro: str
    emergency_signs: list[str]
    emergency_numbers: str
    history_heading: str
    history_intro: str
    events: list[Event]
    history_empty: str
    concerns_heading: str
    concerns: list[str]  # in full, only when page 1 had to shorten them
    products_heading: str
    products_intro: str
    products: list[ProductGroup]
    products_none: str
    not_recorded: str
    photos_heading: str
    photos_intro: str
    photo_groups: list[PhotoGroup]
    photos_none: str
    photo_unreadable: str
    goals_heading: str
    goals: list[str]
    goals_none: str
    vetting_heading: str
    vetting_intro: str
    vetting: list[VettedProvider]  # empty: the section is left out
    vetting_flags: str
    vetting_no_flags: str
    vetting_note: str
    questions_heading: str
    questions_intro: str
    question_groups: list[QuestionGroup]
    expectations_heading: str
    expectations_intro: str
    expectation_points: list[str]  # for every procedure in the case
    expectation_groups: list[ExpectationGroup]
    judge_label: str
    reversible_label: str
    sources_heading: str
    sources: list[str]


# --- dates and words ----------------------------------------------------------------


def _is_us(case: CaseFileData) -> bool:
    return case.jurisdiction.upper().startswith("US")


def _language(case: CaseFileData) -> str:
    code = case.jurisdiction.upper()
    return "en-US" if code.startswith("US") else "en-GB" if code.startswith("GB") else "en"


def _date(day: dt.date, us: bool) -> str:
    """Write a date in words: "November 3, 2026" in the US, "3 November 2026" elsewhere."""
    month = _MONTHS[day.month - 1]
    return f"{month} {day.day}, {day.year}" if us else f"{day.day} {month} {day.year}"


def _ago(days: int, words: PacketWording) -> str:
    if days == 0:
        return words.done_today
    return words.one_day_ago if days == 1 else words.days_ago.format(days=days)


def _shorten(text: str, limit: int) -> tuple[str, bool]:
    """Cut ``text`` at a word boundary to at most ``limit`` characters; say if it was cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat, False
    cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[:limit] else flat[:limit]
    return cut.rstrip(" ,.;:") + "…", True


def _checked(entry: JournalEntry) -> bool:
    """Whether a journal entry carries an assessment."""
    return bool(entry.urgency or entry.headline)


def _latest(journal: Iterable[JournalEntry], keep: Callable[[JournalEntry], object]) -> int | None:
    """Return the place in the journal of the latest entry ``keep`` accepts (ties: the later)."""
    kept = [(e.written_on, i) for i, e in enumerate(journal) if keep(e)]
    return max(kept)[1] if kept else None


def _headline(entry: JournalEntry, kb: Knowledge) -> str:
    """What reconsult said in a journal entry: its stored headline, or its level's words now."""
    if entry.headline or entry.urgency is None:
        return entry.headline
    return next(u.headline for u in kb.policy.urgencies if u.level == entry.urgency)


def _sign(code: str, kb: Knowledge) -> str:
    """A finding's plain label (its code, for one this knowledge base no longer knows)."""
    finding = kb.findings.get(code)
    return finding.label if finding is not None else code


def _procedure_for(
    procedure_id: str | None, by_id: dict[str, ProcedureRecord], case: CaseFileData
) -> ProcedureRecord | None:
    """The procedure a photo or note is about: the one it names, or the only one there is."""
    if procedure_id is not None:
        return by_id.get(procedure_id)
    return case.procedures[0] if len(case.procedures) == 1 else None


# --- the parts of the packet -------------------------------------------------------------


def _summary_procedures(
    case: CaseFileData, today: dt.date, kb: Knowledge, us: bool
) -> list[SummaryProcedure]:
    words = kb.packet.wording
    rows = []
    for record in case.procedures:
        if record.performed_on is None:
            when = words.date_not_recorded
        else:
            when = _date(record.performed_on, us)
            days = (today - record.performed_on).days
            if days >= 0:
                when += f" ({_ago(days, words)})"
        who = ", ".join(x for x in (record.provider_name, record.practice_name) if x)
        rows.append(
            SummaryProcedure(
                name=kb.procedures[record.procedure].name, when=when, who=who or words.not_recorded
            )
        )
    return rows


class _Lines:
    """What is left of page 1 for its parts that vary, in estimated lines (SUMMARY_LINES)."""

    def __init__(self, case: CaseFileData, us: bool) -> None:
        extra = max(0, len(case.procedures) - 1) * PROCEDURE_LINES
        self.left = SUMMARY_LINES["Letter" if us else "A4"] - extra

    @staticmethod
    def of(text: str, after: float = 0.6, size: float = 1.0) -> float:
        """The lines a paragraph takes (``size``: its font size against 10 pt)."""
        return (math.ceil(len(text) * size / LINE_CHARS) + after) * size if text else 0.0

    def take(self, lines: float) -> None:
        """Count ``lines`` as used."""
        self.left -= lines

    def chars(self, keep: float, most: int, least: int = 40) -> int:
        """How many characters a paragraph may have, leaving ``keep`` lines."""
        return max(least, min(most, int((self.left - keep - 0.6) * LINE_CHARS)))


def _quoted_note(case: CaseFileData) -> int | None:
    """The note page 1 quotes under what is wrong: the latest, when there are no concerns."""
    return None if case.concerns else _latest(case.journal, lambda e: e.text.strip())


def _least_words(case: CaseFileData, kb: Knowledge) -> float:
    """The lines the person's words take at their shortest: one line, and a line saying so."""
    intro = 0.0 if case.concerns else 1.3  # "From my note of ..."
    return intro + 1.6 + _Lines.of(kb.packet.wording.words_shortened, 0.3, 0.9)


class _Words(Laid):
    """What is wrong in the person's words for page 1."""

    intro: str
    paragraphs: list[str]
    shortened: bool


def _words(case: CaseFileData, kb: Knowledge, us: bool, page: _Lines) -> _Words:
    """The concerns that fit on page 1, or else the latest note, shortened to fit.

    Concerns are quoted in order while they fit (at most WORDS_ON_SUMMARY, each
    at most WORDS_LENGTH characters); the first is always quoted, shortened to
    the room left. Whatever is shortened or left out follows in full.
    """
    words = kb.packet.wording
    more = page.of(words.words_shortened, 0.3, 0.9)
    if case.concerns:
        quoted: list[str] = []
        for concern in case.concerns[:WORDS_ON_SUMMARY]:
            text = _shorten(concern, WORDS_LENGTH)[0]
            if page.of(text) > page.left - more:
                if quoted:
                    break
                text = _shorten(concern, page.chars(more, WORDS_LENGTH))[0]
            page.take(page.of(text))
            quoted.append(text)
        shortened = len(case.concerns) > len(quoted) or any(
            text != " ".join(c.split()) for text, c in zip(quoted, case.concerns, strict=False)
        )
        return _Words(intro="", paragraphs=quoted, shortened=shortened)
    index = _quoted_note(case)
    if index is None:
        return _Words(intro="", paragraphs=[], shortened=False)
    entry = case.journal[index]
    intro = words.words_from_note.format(date=_date(entry.written_on, us))
    page.take(page.of(intro, 0.3))
    text, shortened = _shorten(entry.text, page.chars(more, WORDS_LENGTH * 2))
    page.take(page.of(text))
    return _Words(intro=intro, paragraphs=[text], shortened=shortened)


class _Urgency(Laid):
    """How urgent reconsult last said it was, and the note it said it about."""

    level: str  # the level's code, or "" when no check has been made
    lines: list[str]  # what it said, and when
    about: int | None = None  # the note it was about, when page 1 does not already quote it
    more: list[str] = []  # what follows the note's words


def _urgency(case: CaseFileData, today: dt.date, kb: Knowledge, us: bool) -> _Urgency:
    """The latest answer, dated, beside the words of its own note (issue 15).

    Page 1 quotes the concerns or the latest note; the latest answer can be
    about an earlier note (a later one was never checked). An answer is never
    shown beside another note's words alone: unless its own note is the one
    quoted above, its words are quoted with it (:func:`_urgency_note`), and a
    later note without an answer is named as not checked.
    """
    words = kb.packet.wording
    index = _latest(case.journal, _checked)
    if index is None:
        return _Urgency(level="", lines=[words.urgency_none])
    entry = case.journal[index]
    said = words.urgency_said.format(
        date=_date(entry.written_on, us), headline=_headline(entry, kb)
    )
    lines = [said]
    days = (today - entry.written_on).days
    if days >= 0:
        lines.append(words.urgency_ago.format(ago=_ago(days, words)))
    more = []
    later = _latest(case.journal, lambda e: e.text.strip() and not _checked(e))
    if later is not None:
        day = case.journal[later].written_on
        if (day, later) > (entry.written_on, index):
            more.append(words.urgency_unchecked.format(date=_date(day, us)))
    if entry.reassess_on is not None:
        more.append(words.urgency_look_again.format(date=_date(entry.reassess_on, us)))
    more.append(words.urgency_recheck)
    level = entry.urgency.value if entry.urgency else ""
    about = None if _quoted_note(case) == index else index
    return _Urgency(level=level, lines=lines, about=about, more=more)


def _urgency_note(
    case: CaseFileData, about: int | None, kb: Knowledge, us: bool, page: _Lines, keep: float
) -> str:
    """The words of the note the urgency was about, as much as fits leaving ``keep`` lines."""
    if about is None:
        return ""
    entry = case.journal[about]
    told = kb.packet.wording.urgency_note.format(date=_date(entry.written_on, us), words="")
    room = page.chars(keep, NOTE_LENGTH + len(told), least=0) - len(told)
    words = _shorten(entry.text, max(NOTE_LENGTH // 4, room))[0]
    note = kb.packet.wording.urgency_note.format(date=_date(entry.written_on, us), words=words)
    page.take(page.of(note, 0.5))
    return note


def _open_status(found: OpenFinding, today: dt.date, kb: Knowledge, us: bool) -> str:
    """Whether an open sign still holds the answer on ``today``, or is past its time."""
    words = kb.packet.wording
    until = _date(found.holds_until, us)
    if found.holds_on(today):
        return words.open_holds.format(date=until)
    return words.open_stale.format(stale=kb.policy.open_findings.stale.format(date=until))


def _open_sign(
    found: OpenFinding, length: int, today: dt.date, kb: Knowledge, us: bool
) -> OpenSign:
    """One open sign for page 1, its words cut to ``length`` characters."""
    said = _shorten(found.raised.words, length)[0]
    return OpenSign(
        sign=_sign(found.raised.finding, kb),
        told=kb.packet.wording.open_told.format(date=_date(found.entry.written_on, us), words=said),
        status=_open_status(found, today, kb, us),
        level=found.raised.urgency.value if found.holds_on(today) else "",
    )


def _open_signs(
    case: CaseFileData, today: dt.date, kb: Knowledge, us: bool, page: _Lines, keep: float
) -> tuple[list[OpenSign], bool]:
    """The signs still open for page 1: those that count first, then those past their time.

    At most OPEN_ON_SUMMARY, as many as fit leaving ``keep`` lines, but always
    the first (its words shortened further if need be); and whether more are
    open (the history lists them all).
    """
    words = kb.packet.wording
    found = open_findings(kb, case)
    counting = [f for f in found if f.holds_on(today)]
    past = [f for f in reversed(found) if not f.holds_on(today)]  # latest first
    ordered = counting + past
    if not ordered:
        return [], False
    page.take(2.2 + page.of(words.open_intro, 0.3, 0.9))  # the heading and the intro
    more = page.of(words.open_more, 0.3, 0.9) if len(ordered) > 1 else 0.0
    signs: list[OpenSign] = []
    for f in ordered[:OPEN_ON_SUMMARY]:
        sign = _open_sign(f, OPEN_WORDS_LENGTH, today, kb, us)
        lines = 1 + page.of(f"{sign.told} {sign.status}", 0.3)
        if lines > page.left - keep - more:
            if signs:
                break
            sign = _open_sign(f, OPEN_WORDS_LENGTH // 2, today, kb, us)
            lines = 1 + page.of(f"{sign.told} {sign.status}", 0.3)
        page.take(lines)
        signs.append(sign)
    cut = len(ordered) > len(signs)
    page.take(more if cut else 0.0)
    return signs, cut


def _raised(
    entry: JournalEntry,
    found: dict[tuple[str, str], OpenFinding],
    today: dt.date,
    kb: Knowledge,
    us: bool,
) -> list[str]:
    """A note's signs kept open, each with what became of it, for the history."""
    words = kb.packet.wording
    policy = kb.policy.open_findings
    told = _date(entry.written_on, us)
    lines = []
    for raised in entry.raised:
        sign = _sign(raised.finding, kb)
        closed = raised.closed
        if closed is None:
            still = found.get((entry.id, raised.finding))
            if still is None or still.holds_on(today):  # (None: a finding no longer known)
                lines.append(words.event_open.format(sign=sign, date=told))
                continue
            stale = policy.stale.format(date=_date(still.holds_until, us))
            lines.append(words.event_open_stale.format(sign=sign, date=told, stale=stale))
            continue
        parts = [words.event_closed.format(sign=sign, date=told, how=policy.closed[closed.how])]
        if closed.treated_by.strip():
            parts.append(words.event_closed_by.format(who=closed.treated_by))
        if closed.treated_on is not None:
            parts.append(words.event_closed_on.format(date=_date(closed.treated_on, us)))
        parts.append(words.event_closed_said.format(date=_date(closed.said_on, us)))
        lines.append(" ".join(parts))
    return lines


def _events(case: CaseFileData, today: dt.date, kb: Knowledge, us: bool) -> list[Event]:
    """Everything in the case file with a date, oldest first; undated things last."""
    words = kb.packet.wording
    still_open = {(f.entry.id, f.raised.finding): f for f in open_findings(kb, case)}
    dated: list[tuple[dt.date | None, int, Event]] = []

    def add(day: dt.date | None, order: int, event: Event) -> None:
        dated.append((day, order, event))

    def when(day: dt.date | None) -> str:
        return _date(day, us) if day is not None else words.history_undated

    for record in case.procedures:
        details = []
        if record.provider_name:
            details.append(words.event_by.format(provider=record.provider_name))
        if record.practice_name:
            details.append(words.event_at.format(practice=record.practice_name))
        name = kb.procedures[record.procedure].name
        add(
            record.performed_on,
            0,
            Event(
                date=when(record.performed_on),
                heading=words.event_procedure.format(name=name),
                details=details,
                quote_label=words.event_note if record.notes else "",
                quote=record.notes,
            ),
        )
    for entry in case.journal:
        headline = _headline(entry, kb)
        said = [words.event_said.format(headline=headline)] if headline else []
        raised = _raised(entry, still_open, today, kb, us)
        add(
            entry.written_on,
            1,
            Event(
                date=when(entry.written_on),
                heading=words.event_journal,
                details=said,
                quote=entry.text,
                raised_label=words.event_raised if raised else "",
                raised=raised,
            ),
        )
    by_day: dict[dt.date, list[str]] = {}
    for photo in sorted(case.photos, key=lambda p: p.taken_on):
        angles = by_day.setdefault(photo.taken_on, [])
        label = words.label("angle", photo.angle.value)
        if label not in angles:
            angles.append(label)
    for day, angles in by_day.items():
        heading = words.event_photos.format(angles=", ".join(angles))
        add(day, 2, Event(date=when(day), heading=heading))
    for visit in case.consultations:
        who = visit.provider_name + (f" ({visit.specialty})" if visit.specialty else "")
        add(
            visit.held_on,
            3,
            Event(
                date=when(visit.held_on),
                heading=words.event_consultation.format(provider=who),
                quote_label=words.event_consultation_said if visit.what_they_said else "",
                quote=visit.what_they_said,
            ),
        )
    for request in case.records_requests:
        sent = words.event_records_sent.format(
            provider=request.provider_name, date=_date(request.follow_up_on, us)
        )
        add(request.sent_on, 4, Event(date=when(request.sent_on), heading=sent))
        if request.received_on is not None:
            got = words.event_records_received.format(provider=request.provider_name)
            add(request.received_on, 5, Event(date=when(request.received_on), heading=got))
    dated.sort(key=lambda t: (t[0] is None, t[0] or dt.date.min, t[1]))
    return [event for _, _, event in dated]


def _product_rows(product: Product, words: PacketWording, us: bool) -> list[tuple[str, str]]:
    missing = words.not_recorded
    sites = "; ".join(f"{s.site}: {s.amount:g} {s.unit}" for s in product.sites)
    rows = [
        (words.product_name, product.product_name or missing),
        (words.material, product.material or missing),
        (words.lot, product.lot or missing),
        (words.expiry, _date(product.expiry, us) if product.expiry else missing),
        (words.sites, sites or missing),
    ]
    return rows


def _implant_rows(implant: Implant, words: PacketWording) -> list[tuple[str, str]]:
    missing = words.not_recorded
    size = f"{implant.size_cc:g} cc" if implant.size_cc is not None else missing
    return [
        (words.manufacturer, implant.manufacturer or missing),
        (words.style, implant.style or missing),
        (words.size, size),
        (words.fill, words.label("fill", implant.fill.value)),
        (words.surface, words.label("surface", implant.surface.value)),
        (words.shape, implant.shape or missing),
        (words.serial, implant.serial or missing),
        (words.lot, implant.lot or missing),
        (words.udi, implant.udi or missing),
    ]


def _products(case: CaseFileData, kb: Knowledge, us: bool) -> list[ProductGroup]:
    words = kb.packet.wording
    groups = []
    for record in case.procedures:
        items = [
            (words.product_heading.format(brand=p.brand), _product_rows(p, words, us))
            for p in record.products
        ]
        items += [
            (
                words.implant_heading.format(side=words.label("side", i.side.value)),
                _implant_rows(i, words),
            )
            for i in record.implants
        ]
        if items:
            name = kb.procedures[record.procedure].name
            if record.performed_on is not None:
                name += f", {_date(record.performed_on, us)}"
            groups.append(ProductGroup(heading=words.products_for.format(name=name), items=items))
    return groups


def _print_copy(case: CaseFileData, photo: Photo) -> str:
    """Return a small JPEG of ``photo`` for printing as a data: URI, or "" if it cannot be read.

    Photos were cleaned when added (reconsult.casefile.photos), but a case file
    can be imported, so the bytes are opened with the one Pillow plugin their
    media type names, the pixel count is checked before decoding, and only
    baseline JPEG is decoded (clean_photo writes nothing else; a progressive
    scan can be made to take seconds to decode).
    """
    data = case.image_of(photo)
    if data is None:  # removed or replaced since the case was read
        return ""
    plugin = JpegImageFile if photo.media_type == "image/jpeg" else PngImageFile
    try:
        with plugin(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > PhotoLimits().max_pixels or image.info.get("progressive"):
                return ""
            # Draft mode: libjpeg decodes at 1/2, 1/4 or 1/8 scale, just above the
            # size wanted, so a 12 MP photo is never decoded in full (27 ms, not 150).
            scale = PHOTO_SIDE / max(width, height)
            image.draft("RGB", (round(width * scale), round(height * scale)))
            if max(image.size) > PHOTO_MAX_SIDE:  # PNG, or no scale came close enough
                image.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            pixels = image.convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return ""
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=PHOTO_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _print_copies(case: CaseFileData) -> list[str]:
    """Make every photo's print copy, several at once (Pillow decodes without the GIL).

    Each worker reads its photo's bytes itself and lets them go with the
    copy made, so only as many photos as workers are in memory at once.
    """
    photos = case.photos
    if len(photos) < 2:
        return [_print_copy(case, photo) for photo in photos]
    with ThreadPoolExecutor(max_workers=min(len(photos), os.cpu_count() or 1, 4)) as pool:
        return list(pool.map(lambda photo: _print_copy(case, photo), photos))


def _tile(
    photo: Photo, src: str, procedure: ProcedureRecord | None, words: PacketWording, us: bool
) -> PhotoTile:
    angle = words.label("angle", photo.angle.value)
    date = _date(photo.taken_on, us)
    day = words.photo_day_unknown
    if procedure is not None and procedure.performed_on is not None:
        days = (photo.taken_on - procedure.performed_on).days
        day = words.photo_before if days < 0 else words.photo_day.format(days=days)
    return PhotoTile(
        caption=words.photo_caption.format(date=date, angle=angle),
        day=day,
        alt=words.photo_alt.format(angle=angle, date=date),
        note=photo.note,
        src=src,
    )


def _photo_groups(case: CaseFileData, kb: Knowledge, us: bool) -> list[PhotoGroup]:
    """Photos of the same angle (and procedure), earliest beside latest, then the rest by date."""
    words = kb.packet.wording
    by_id = {p.id: p for p in case.procedures}
    groups: dict[tuple[str, str], list[int]] = {}
    for index, photo in enumerate(case.photos):
        procedure = _procedure_for(photo.procedure_id, by_id, case)
        groups.setdefault((procedure.id if procedure else "", photo.angle.value), []).append(index)
    angle_order = [a.value for a in Angle]
    procedure_order = {p.id: i for i, p in enumerate(case.procedures)}
    several = len({procedure for procedure, _ in groups}) > 1
    sources = _print_copies(case)
    out = []
    for procedure_id, angle in sorted(
        groups, key=lambda k: (procedure_order.get(k[0], -1), angle_order.index(k[1]))
    ):
        dated = sorted(groups[(procedure_id, angle)], key=lambda i: (case.photos[i].taken_on, i))
        ordered = [dated[0], dated[-1], *dated[1:-1]] if len(dated) > 1 else dated
        procedure = by_id.get(procedure_id)
        tiles = [_tile(case.photos[i], sources[i], procedure, words, us) for i in ordered]
        label = words.label("angle", angle)
        if several and procedure is not None:
            heading = words.photos_group_for.format(
                angle=label, name=kb.procedures[procedure.procedure].name
            )
        else:
            heading = words.photos_group.format(angle=label)
        out.append(
            PhotoGroup(
                heading=heading,
                rows=[tiles[i : i + 2] for i in range(0, len(tiles), 2)],
                note=words.photo_only_one if len(tiles) == 1 else "",
            )
        )
    return out


def _vetted(record: ProviderCheck, kb: Knowledge, us: bool) -> VettedProvider:
    words = kb.packet.wording
    checks = {c.id: c.title for c in kb.providers.checks}
    flags = {f.id: f.title for f in kb.providers.red_flags}
    details = [words.vetting_checked_on.format(date=_date(record.checked_on, us))]
    if record.npi:
        details.append(words.vetting_npi.format(npi=record.npi))
    if record.procedure is not None:
        details.append(words.vetting_for.format(name=kb.procedures[record.procedure].name))
    if record.items:
        details.append(words.vetting_count.format(done=len(record.done), total=len(record.items)))
    return VettedProvider(
        heading=record.provider_name,
        details=details,
        checks=[
            VettedCheck(
                title=checks.get(item.check, item.check),
                result=words.label("vetting", item.result.value),
                found=item.found,
            )
            for item in record.items
        ],
        flags=[flags.get(f, f) for f in record.red_flags],
        note=record.note,
    )


def _vetting(case: CaseFileData, kb: Knowledge, us: bool) -> list[VettedProvider]:
    """Every provider checked, earliest check first."""
    ordered = sorted(case.provider_checks, key=lambda r: r.checked_on)
    return [_vetted(record, kb, us) for record in ordered]


def _procedures_in(case: CaseFileData, kb: Knowledge) -> list[Procedure]:
    """The knowledge of each procedure in the case, each once, in the case's order."""
    codes = dict.fromkeys(record.procedure.value for record in case.procedures)
    return [kb.procedures[code] for code in codes]


def _questions(procedures: list[Procedure], kb: Knowledge) -> list[QuestionGroup]:
    words = kb.packet.wording
    standard = [Question(text=q.text, hint=q.hint or "") for q in kb.packet.questions.in_order()]
    groups = [QuestionGroup(heading="", questions=standard)]
    for procedure in procedures:
        if procedure.questions:
            groups.append(
                QuestionGroup(
                    heading=words.questions_for.format(name=procedure.name),
                    questions=[Question(text=q) for q in procedure.questions],
                )
            )
    return groups


def _expectations(
    procedures: list[Procedure], kb: Knowledge
) -> tuple[list[str], list[ExpectationGroup], list[str]]:
    """Points for every procedure in the case, then each procedure's own; and their sources."""
    codes = {p.code for p in procedures}
    applies = {e.id: kb.expand(e.procedures) for e in kb.packet.expectations}
    everywhere = set(kb.procedures)
    common = [
        e
        for e in kb.packet.expectations
        if (codes <= applies[e.id] if codes else applies[e.id] == everywhere)
    ]
    cited = [s for e in common for s in e.sources]
    groups = []
    for procedure in procedures:
        own = [
            e for e in kb.packet.expectations if procedure.code in applies[e.id] and e not in common
        ]
        cited += [s for e in own for s in e.sources] + procedure.timeline.sources
        groups.append(
            ExpectationGroup(
                heading=procedure.name,
                judge=procedure.timeline.summary,
                reversible=procedure.reversible,
                points=[e.text for e in own],
            )
        )
    return [e.text for e in common], groups, cited


def _source_line(kb: Knowledge, source_id: str) -> str:
    s = kb.sources[source_id]
    title = s.title if s.title[-1] in ".?!" else f"{s.title}."
    return f"{title} {s.publisher}, {s.year}." + (f" {s.url}" if s.url else "")


def build_packet(case: CaseFileData, today: dt.date, knowledge: Knowledge | None = None) -> Packet:
    """Fill in the consultation packet for ``case``, as of ``today``."""
    kb = knowledge or load_knowledge()
    words = kb.packet.wording
    us = _is_us(case)
    procedures = _procedures_in(case, kb)
    # Page 1 gives room first to what reconsult said, then to the open signs,
    # then to the words of the note it said it about, then to the concerns or
    # latest note; each leaves room for the shortest of those after it.
    page = _Lines(case, us)
    urgency = _urgency(case, today, kb, us)
    page.take(sum(page.of(line, 0.5) for line in [*urgency.lines, *urgency.more]))
    least = _least_words(case, kb)
    least_note = 1.5 if urgency.about is not None else 0.0
    open_signs, more_open = _open_signs(case, today, kb, us, page, least + least_note)
    urgency_note = _urgency_note(case, urgency.about, kb, us, page, least)
    said = _words(case, kb, us, page)
    shortened = said.shortened
    points, groups, expectation_sources = _expectations(procedures, kb)
    help_now = kb.policy.help_now
    person = [(words.name, case.person_name)] if case.person_name else []
    if case.date_of_birth is not None:
        person.append((words.date_of_birth, _date(case.date_of_birth, us)))
    cited = [s for q in kb.packet.questions.in_order() for s in q.sources]
    cited += expectation_sources + help_now.sources
    return Packet(
        title=f"{words.title}: {case.person_name or case.title}",
        language=_language(case),
        page_size="Letter" if us else "A4",
        heading=words.title,
        made_on=words.made_on.format(date=_date(today, us)),
        informs=words.informs,
        person=person,
        procedures_heading=words.procedures_heading,
        date_label=words.date_label,
        who_label=words.who_label,
        procedures=_summary_procedures(case, today, kb, us),
        no_procedures=words.no_procedures,
        words_heading=words.words_heading,
        words_intro=said.intro,
        words=said.paragraphs,
        words_more=words.words_shortened if shortened else "",
        no_words=words.no_words,
        open_heading=words.open_heading,
        open_intro=words.open_intro,
        open_signs=open_signs,
        open_more=words.open_more if more_open else "",
        urgency_heading=words.urgency_heading,
        urgency_level=urgency.level,
        urgency=urgency.lines,
        urgency_note=urgency_note,
        urgency_more=urgency.more,
        emergency_heading=words.emergency_heading,
        emergency_intro=help_now.heading,
        emergency_signs=[sign.text for sign in help_now.signs],
        emergency_numbers=kb.policy.emergency_numbers,
        history_heading=words.history_heading,
        history_intro=words.history_intro,
        events=_events(case, today, kb, us),
        history_empty=words.history_empty,
        concerns_heading=words.concerns_heading,
        concerns=list(case.concerns) if shortened and case.concerns else [],
        products_heading=words.products_heading,
        products_intro=words.products_intro,
        products=_products(case, kb, us),
        products_none=words.products_none,
        not_recorded=words.not_recorded,
        photos_heading=words.photos_heading,
        photos_intro=words.photos_intro,
        photo_groups=_photo_groups(case, kb, us),
        photos_none=words.photos_none,
        photo_unreadable=words.photo_unreadable,
        goals_heading=words.goals_heading,
        goals=list(case.goals),
        goals_none=words.goals_none,
        vetting_heading=words.vetting_heading,
        vetting_intro=words.vetting_intro,
        vetting=_vetting(case, kb, us),
        vetting_flags=words.vetting_flags,
        vetting_no_flags=words.vetting_no_flags,
        vetting_note=words.vetting_note,
        questions_heading=words.questions_heading,
        questions_intro=words.questions_intro,
        question_groups=_questions(procedures, kb),
        expectations_heading=words.expectations_heading,
        expectations_intro=words.expectations_intro,
        expectation_points=points,
        expectation_groups=groups,
        judge_label=words.judge_label,
        reversible_label=words.reversible_label,
        sources_heading=words.sources_heading,
        sources=[_source_line(kb, s) for s in dict.fromkeys(cited)],
    )


# --- plain text ----------------------------------------------------------------------------


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    """Wrap each line of ``text`` at TEXT_WIDTH; long words stay whole (nothing is lost)."""
    out: list[str] = []
    for number, line in enumerate(text.split("\n")):
        lead = first if first is not None and number == 0 else indent
        out += textwrap.wrap(
            line,
            TEXT_WIDTH,
            initial_indent=lead,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [lead.rstrip()]
    return out


def _heading(text: str, rule: str) -> list[str]:
    return ["", text, rule * len(text)]


def packet_text(case: CaseFileData, today: dt.date, knowledge: Knowledge | None = None) -> str:
    """Return the packet as plain text, in the same order and words as the PDF."""
    p = build_packet(case, today, knowledge)
    out = _heading(p.heading, "#")[1:] + _wrap(p.made_on) + _wrap(p.informs)
    out += [""] + [f"{label}: {value}" for label, value in p.person]
    out += _heading(p.procedures_heading, "-")
    for row in p.procedures:
        out += _wrap(row.name, "  ", "- ")
        out += _wrap(f"{p.date_label}: {row.when}", "  ") + _wrap(f"{p.who_label}: {row.who}", "  ")
    if not p.procedures:
        out += _wrap(p.no_procedures)
    out += _heading(p.words_heading, "-")
    if p.words_intro:
        out += _wrap(p.words_intro)
    for paragraph in p.words:
        out += _wrap(paragraph, "  ", "> ")
    if p.words_more:
        out += _wrap(p.words_more)
    if not p.words:
        out += _wrap(p.no_words)
    if p.open_signs:
        out += _heading(p.open_heading, "-") + _wrap(p.open_intro)
        for open_sign in p.open_signs:
            out += _wrap(open_sign.sign, "  ", "- ")
            out += _wrap(f"{open_sign.told} {open_sign.status}", "  ")
        if p.open_more:
            out += _wrap(p.open_more)
    out += _heading(p.urgency_heading, "-")
    for line in p.urgency:
        out += _wrap(line)
    if p.urgency_note:
        out += _wrap(p.urgency_note)
    for line in p.urgency_more:
        out += _wrap(line)
    out += _heading(p.emergency_heading, "-") + _wrap(p.emergency_intro)
    for sign in p.emergency_signs:
        out += _wrap(sign, "  ", "- ")
    out += _wrap(p.emergency_numbers)

    out += _heading(p.history_heading, "=") + _wrap(p.history_intro)
    for event in p.events:
        out += ["", *_wrap(f"{event.date}: {event.heading}")]
        for detail in event.details:
            out += _wrap(detail, "  ")
        if event.quote_label:
            out += _wrap(event.quote_label, "  ")
        if event.quote:
            out += _wrap(event.quote, "  > ")
        if event.raised_label:
            out += _wrap(event.raised_label, "  ")
        for line in event.raised:
            out += _wrap(line, "    ", "  - ")
    if not p.events:
        out += _wrap(p.history_empty)
    if p.concerns:
        out += _heading(p.concerns_heading, "-")
        for concern in p.concerns:
            out += _wrap(concern, "  ", "- ")

    out += _heading(p.products_heading, "=") + _wrap(p.products_intro)
    for group in p.products:
        out += _heading(group.heading, "-")
        for heading, rows in group.items:
            out += ["", heading] + [f"  {label}: {value}" for label, value in rows]
    if not p.products:
        out += _wrap(p.products_none)

    out += _heading(p.photos_heading, "=") + _wrap(p.photos_intro)
    for photo_group in p.photo_groups:
        out += _heading(photo_group.heading, "-")
        for tiles in photo_group.rows:
            for tile in tiles:
                out += _wrap(tile.caption, "  ", "- ") + _wrap(tile.day, "  ")
                if tile.note:
                    out += _wrap(tile.note, "  > ")
                if not tile.src:
                    out += _wrap(p.photo_unreadable, "  ")
        if photo_group.note:
            out += _wrap(photo_group.note)
    if not p.photo_groups:
        out += _wrap(p.photos_none)

    out += _heading(p.goals_heading, "=")
    out += [line for goal in p.goals for line in _wrap(goal, "  ", "- ")] or _wrap(p.goals_none)

    if p.vetting:
        out += _heading(p.vetting_heading, "=") + _wrap(p.vetting_intro)
        for vetted in p.vetting:
            out += _heading(vetted.heading, "-")
            for detail in vetted.details:
                out += _wrap(detail)
            for check in vetted.checks:
                out += _wrap(f"{check.title}: {check.result}", "  ", "- ")
                if check.found:
                    out += _wrap(check.found, "    > ")
            if vetted.flags:
                out += _wrap(p.vetting_flags)
                for flag in vetted.flags:
                    out += _wrap(flag, "  ", "- ")
            else:
                out += _wrap(p.vetting_no_flags)
            if vetted.note:
                out += _wrap(p.vetting_note) + _wrap(vetted.note, "  > ")

    out += _heading(p.questions_heading, "=") + _wrap(p.questions_intro)
    for questions in p.question_groups:
        if questions.heading:
            out += _heading(questions.heading, "-")
        for number, question in enumerate(questions.questions, start=1):
            out += ["", *_wrap(question.text, "   ", f"{number}. ")]
            if question.hint:
                out += _wrap(question.hint, "   ")

    out += _heading(p.expectations_heading, "=") + _wrap(p.expectations_intro)
    for point in p.expectation_points:
        out += _wrap(point, "  ", "- ")
    for expectation in p.expectation_groups:
        out += _heading(expectation.heading, "-")
        out += _wrap(f"{p.judge_label}: {expectation.judge}")
        out += _wrap(f"{p.reversible_label}: {expectation.reversible}")
        for point in expectation.points:
            out += _wrap(point, "  ", "- ")

    out += _heading(p.sources_heading, "-")
    for source in p.sources:
        out += _wrap(source, "  ", "- ")
    return "\n".join(out) + "\n"


# --- HTML and PDF -------------------------------------------------------------------------


def packet_html(case: CaseFileData, today: dt.date, knowledge: Knowledge | None = None) -> str:
    """Return the packet as a standalone HTML page (styles and photos inline, nothing to fetch)."""
    packet = build_packet(case, today, knowledge)
    template = environment().get_template("packet.html")
    return template.render(packet=packet, stylesheet=inline_stylesheet("packet.css"))


@lru_cache(maxsize=1)
def _fetcher_class() -> type[Any]:
    """Build the packet's fetcher class: the letter's refusing fetcher, plus inline photos."""
    refusing = type(refusing_url_fetcher())  # also imports WeasyPrint, or explains what is missing
    from weasyprint.urls import URLFetcherResponse  # type: ignore[import-untyped]

    class InlinePhotoFetcher(refusing):  # type: ignore[misc, valid-type]
        """Refuse every URL except a base64 JPEG ``data:`` URI, decoded here."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            match = _DATA_URI.fullmatch(url)
            if match is None:
                return super().fetch(url, headers)
            body = base64.b64decode(match[1], validate=True)
            return URLFetcherResponse(url, body, {"Content-Type": "image/jpeg"})

    return InlinePhotoFetcher


def photo_url_fetcher() -> Any:
    """Return a fetcher that refuses every URL but inline JPEG photos (``refused`` lists them)."""
    return _fetcher_class()()


def packet_pdf(case: CaseFileData, today: dt.date, knowledge: Knowledge | None = None) -> bytes:
    """Return the packet as a tagged PDF/UA-1 file: US Letter for US cases, A4 otherwise."""
    return render_pdf(packet_html(case, today, knowledge), url_fetcher=photo_url_fetcher())
