"""The packet as plain text: :func:`packet_text`, in the same order and words as the PDF.

The text form lists each photo by its caption, day and note; it never reads
a photo's bytes (the packet is built without print copies).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Final

from reconsult.casefile.schema import CaseFileData
from reconsult.documents.packet.build import build_packet
from reconsult.documents.packet.model import Packet
from reconsult.knowledge import Knowledge
from reconsult.knowledge.packet_content import PacketWording

__all__ = ["TEXT_WIDTH", "packet_text"]

TEXT_WIDTH: Final = 78  # plain-text line length


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
    p = build_packet(case, today, knowledge, photos=False)
    out = [line for part in _SECTIONS for line in part(p, p.wording)]
    return "\n".join(out) + "\n"


def _first_page(p: Packet, w: PacketWording) -> list[str]:
    """Page 1: who, what was done, their words, what is open, how urgent, emergency."""
    out: list[str] = _heading(w.title, "#")[1:] + _wrap(p.made_on) + _wrap(w.informs)
    out += [""] + [f"{label}: {value}" for label, value in p.person]
    out += _heading(w.procedures_heading, "-")
    for row in p.procedures:
        out += _wrap(row.name, "  ", "- ")
        out += _wrap(f"{w.date_label}: {row.when}", "  ") + _wrap(f"{w.who_label}: {row.who}", "  ")
    if not p.procedures:
        out += _wrap(w.no_procedures)
    out += _heading(w.words_heading, "-")
    if p.words_intro:
        out += _wrap(p.words_intro)
    for paragraph in p.words:
        out += _wrap(paragraph, "  ", "> ")
    if p.words_more:
        out += _wrap(p.words_more)
    if not p.words:
        out += _wrap(w.no_words)
    if p.open_signs:
        out += _heading(w.open_heading, "-") + _wrap(w.open_intro)
        for open_sign in p.open_signs:
            out += _wrap(open_sign.sign, "  ", "- ")
            out += _wrap(f"{open_sign.told} {open_sign.status}", "  ")
        if p.open_more:
            out += _wrap(p.open_more)
    out += _heading(w.urgency_heading, "-")
    for line in p.urgency:
        out += _wrap(line)
    if p.urgency_note:
        out += _wrap(p.urgency_note)
    for line in p.urgency_more:
        out += _wrap(line)
    out += _heading(w.emergency_heading, "-") + _wrap(p.emergency_intro)
    for sign in p.emergency_signs:
        out += _wrap(sign, "  ", "- ")
    out += _wrap(p.emergency_numbers)
    return out


def _history(p: Packet, w: PacketWording) -> list[str]:
    """The history of the case, note by note."""
    out: list[str] = []
    out += _heading(w.history_heading, "=") + _wrap(w.history_intro)
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
        out += _wrap(w.history_empty)
    if p.concerns:
        out += _heading(w.concerns_heading, "-")
        for concern in p.concerns:
            out += _wrap(concern, "  ", "- ")
    return out


def _products(p: Packet, w: PacketWording) -> list[str]:
    """Products and implants used."""
    out: list[str] = []
    out += _heading(w.products_heading, "=") + _wrap(w.products_intro)
    for group in p.products:
        out += _heading(group.heading, "-")
        for heading, rows in group.items:
            out += ["", heading] + [f"  {label}: {value}" for label, value in rows]
    if not p.products:
        out += _wrap(w.products_none)
    return out


def _photos(p: Packet, w: PacketWording) -> list[str]:
    """The photos, listed by caption and day (the text form shows none)."""
    out: list[str] = []
    out += _heading(w.photos_heading, "=") + _wrap(w.photos_intro)
    for photo_group in p.photo_groups:
        out += _heading(photo_group.heading, "-")
        for tiles in photo_group.rows:
            for tile in tiles:
                out += _wrap(tile.caption, "  ", "- ") + _wrap(tile.day, "  ")
                if tile.note:
                    out += _wrap(tile.note, "  > ")
        if photo_group.note:
            out += _wrap(photo_group.note)
    if not p.photo_groups:
        out += _wrap(w.photos_none)
    return out


def _goals(p: Packet, w: PacketWording) -> list[str]:
    """What the person hopes for."""
    out: list[str] = []
    out += _heading(w.goals_heading, "=")
    out += [line for goal in p.goals for line in _wrap(goal, "  ", "- ")] or _wrap(w.goals_none)
    return out


def _vetting(p: Packet, w: PacketWording) -> list[str]:
    """The providers the person checked, and what they found."""
    out: list[str] = []
    if p.vetting:
        out += _heading(w.vetting_heading, "=") + _wrap(w.vetting_intro)
        for vetted in p.vetting:
            out += _heading(vetted.heading, "-")
            for detail in vetted.details:
                out += _wrap(detail)
            for check in vetted.checks:
                out += _wrap(f"{check.title}: {check.result}", "  ", "- ")
                if check.found:
                    out += _wrap(check.found, "    > ")
            if vetted.flags:
                out += _wrap(w.vetting_flags)
                for flag in vetted.flags:
                    out += _wrap(flag, "  ", "- ")
            else:
                out += _wrap(w.vetting_no_flags)
            if vetted.note:
                out += _wrap(w.vetting_note) + _wrap(vetted.note, "  > ")
    return out


def _questions(p: Packet, w: PacketWording) -> list[str]:
    """Questions to ask at the consultation."""
    out: list[str] = []
    out += _heading(w.questions_heading, "=") + _wrap(w.questions_intro)
    for questions in p.question_groups:
        if questions.heading:
            out += _heading(questions.heading, "-")
        for number, question in enumerate(questions.questions, start=1):
            out += ["", *_wrap(question.text, "   ", f"{number}. ")]
            if question.hint:
                out += _wrap(question.hint, "   ")
    return out


def _expectations(p: Packet, w: PacketWording) -> list[str]:
    """Realistic expectations, per procedure."""
    out: list[str] = []
    out += _heading(w.expectations_heading, "=") + _wrap(w.expectations_intro)
    for point in p.expectation_points:
        out += _wrap(point, "  ", "- ")
    for expectation in p.expectation_groups:
        out += _heading(expectation.heading, "-")
        out += _wrap(f"{w.judge_label}: {expectation.judge}")
        out += _wrap(f"{w.reversible_label}: {expectation.reversible}")
        for point in expectation.points:
            out += _wrap(point, "  ", "- ")
    return out


def _sources(p: Packet, w: PacketWording) -> list[str]:
    """The sources behind what the packet says."""
    out: list[str] = []
    out += _heading(w.sources_heading, "-")
    for source in p.sources:
        out += _wrap(source, "  ", "- ")
    return out


_SECTIONS = (
    _first_page,
    _history,
    _products,
    _photos,
    _goals,
    _vetting,
    _questions,
    _expectations,
    _sources,
)
