"""Shape a case file for its pages: products in words, urgency over time, signs still open,
photos by angle, providers checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reconsult.casefile.open_findings import OpenFinding, holding_for
from reconsult.casefile.procedure_dates import days_since_procedure
from reconsult.casefile.schema import (
    CaseFileData,
    Closing,
    JournalEntry,
    Photo,
    Product,
    ProviderCheck,
)
from reconsult.i18n import N_
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage.models import EarlierFinding
from reconsult.triage.open_findings import stale_after
from reconsult.web.case.fields.records import ANGLE_GUIDE, angle_label
from reconsult.web.case.open_findings import held_by

__all__ = [
    "HeldBy",
    "HistoryItem",
    "OpenItem",
    "SignView",
    "PhotoGroup",
    "ProviderCheckView",
    "history",
    "open_now",
    "photo_groups",
    "product_line",
    "provider_check_views",
    "urgency_tag",
]

# The tag of a note not about a procedure in the case: its words (translated where shown), colour.
NOT_ASSESSED = (N_("Not assessed"), "grey")


def urgency_tag(kb: Knowledge, level: Urgency) -> tuple[str, str]:
    """Return the words and colour of the tag that marks ``level`` (policy.yaml's)."""
    words = kb.policy.urgency(level)
    return words.label, words.colour.value


@dataclass(frozen=True)
class SignView:
    """A worrying sign a note told, and what became of it: closed, still open, or stale."""

    label: str
    closed: Closing | None
    holds_until: dt.date  # the last day it holds an answer
    holding: bool  # not closed, and still holding today


@dataclass(frozen=True)
class HeldBy:
    """An earlier note whose signs, still open, kept a later note's answer at its level."""

    entry: JournalEntry
    words: list[str]  # the person's words of each sign that held it


@dataclass(frozen=True)
class HistoryItem:
    """One journal entry as the urgency history shows it."""

    entry: JournalEntry
    tag: str
    colour: str
    days_since: int | None
    held_by: list[HeldBy] = field(default_factory=list)  # [] when the answer is its own
    signs: list[SignView] = field(default_factory=list)  # what it left open, and what became of it


@dataclass(frozen=True)
class OpenItem:
    """A sign still holding the answers today, as the overview lists it."""

    label: str
    tag: str
    colour: str
    found: OpenFinding


def history(kb: Knowledge, case: CaseFileData, today: dt.date) -> list[HistoryItem]:
    """Return the journal newest first, each with its urgency tag and days since its procedure.

    Each note's tag is its own answer's; when signs an earlier note left open held
    it at that level, the note says which. Notes of one day: the last written first.
    """
    procedures = {p.id: p for p in case.procedures}
    items = []
    order = sorted(enumerate(case.journal), key=lambda n: (n[1].written_on, n[0]), reverse=True)
    for _position, entry in order:
        procedure = procedures.get(entry.procedure_id or "")
        days = days_after(procedure.performed_on if procedure else None, entry.written_on)
        if entry.urgency:
            tag, colour = urgency_tag(kb, entry.urgency)
        else:
            tag, colour = _(NOT_ASSESSED[0]), NOT_ASSESSED[1]
        items.append(
            HistoryItem(
                entry, tag, colour, days, _held_by(kb, case, entry), _signs(kb, entry, today)
            )
        )
    return items


def _held_by(kb: Knowledge, case: CaseFileData, entry: JournalEntry) -> list[HeldBy]:
    by_note: dict[str, HeldBy] = {}
    for held in held_by(kb, case, entry):
        note = by_note.setdefault(held.entry.id, HeldBy(held.entry, []))
        if held.finding.words not in note.words:
            note.words.append(held.finding.words)
    return list(by_note.values())


def _signs(kb: Knowledge, entry: JournalEntry, today: dt.date) -> list[SignView]:
    signs = []
    for raised in entry.raised:
        if raised.finding not in kb.findings:
            continue  # a case from another version of the knowledge
        told = EarlierFinding(
            finding=raised.finding,
            urgency=raised.urgency,
            said_on=entry.written_on,
            words=raised.words,
        )
        until = stale_after(kb, told)
        holding = raised.closed is None and today <= until
        signs.append(SignView(kb.findings[raised.finding].label, raised.closed, until, holding))
    return signs


def open_now(kb: Knowledge, case: CaseFileData, today: dt.date) -> list[OpenItem]:
    """Return the signs still holding the answers today, one per finding, with their tags."""
    items = []
    for found in holding_for(kb, case, today):
        tag, colour = urgency_tag(kb, found.raised.urgency)
        items.append(OpenItem(kb.findings[found.raised.finding].label, tag, colour, found))
    return items


def product_line(product: Product) -> str:
    """Return a product in one line: 'Juvederm Volbella, lot AB12: upper lip 0.5 mL'."""
    name = " ".join(part for part in (product.brand, product.product_name) if part)
    if product.material:
        name += f" ({product.material})"
    if product.lot:
        name = _("%(product)s, lot %(lot)s") % {"product": name, "lot": product.lot}
    units = _("units")  # "mL" is the same in every language
    sites = "; ".join(
        f"{s.site} {s.amount:g} {units if s.unit == 'units' else s.unit}" for s in product.sites
    )
    return f"{name}: {sites}" if sites else name


@dataclass(frozen=True)
class PhotoGroup:
    """The photos taken from one angle, oldest first."""

    angle: str
    label: str
    photos: list[Photo]


def photo_groups(case: CaseFileData) -> list[PhotoGroup]:
    """Return the case's photos grouped by angle in the guide's order, oldest first in each."""
    groups = []
    for angle in ANGLE_GUIDE:
        photos = sorted(
            (p for p in case.photos if p.angle.value == angle), key=lambda p: p.taken_on
        )
        if photos:
            groups.append(PhotoGroup(angle, angle_label(angle), photos))
    return groups


def days_after(procedure_date: dt.date | None, day: dt.date) -> int | None:
    """Return how many days after the procedure ``day`` is (None if either is unknown)."""
    return days_since_procedure(procedure_date, day)


@dataclass(frozen=True)
class ProviderCheckView:
    """One provider check as the overview shows it, every id in words."""

    record: ProviderCheck
    procedure: str  # the treatment's name, or "" when the record names none
    done: int  # checks done (fine or worrying)
    total: int
    worries: list[tuple[str, str]]  # (check title, what they found)
    flags: list[tuple[str, str]]  # (red flag title, what to do)


def _title(known: dict[str, str], item_id: str) -> str:
    """A check's or red flag's title; an id the knowledge base no longer has, made readable."""
    return known.get(item_id) or item_id.replace("-", " ").capitalize()


def provider_check_views(case: CaseFileData, kb: Knowledge) -> list[ProviderCheckView]:
    """Return the case's provider checks, newest check first, ready to show."""
    checks = {c.id: c.title for c in kb.providers.checks}
    flags = {f.id: f for f in kb.providers.red_flags}
    titles = {i: f.title for i, f in flags.items()}
    views = []
    for record in sorted(case.provider_checks, key=lambda r: r.checked_on, reverse=True):
        procedure = kb.procedures[record.procedure.value].name if record.procedure else ""
        views.append(
            ProviderCheckView(
                record=record,
                procedure=procedure,
                done=len(record.done),
                total=len(record.items),
                worries=[(_title(checks, i.check), i.found) for i in record.concerns],
                flags=[
                    (_title(titles, f), flags[f].text if f in flags else "")
                    for f in record.red_flags
                ],
            )
        )
    return views
