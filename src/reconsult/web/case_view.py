"""Shape a case file for its pages: products in words, urgency over time, photos by angle,
providers checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reconsult.casefile.procedure_dates import days_since_procedure
from reconsult.casefile.schema import CaseFileData, JournalEntry, Photo, Product, ProviderCheck
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.web.case_form_specs import ANGLE_GUIDE

__all__ = [
    "HistoryItem",
    "PhotoGroup",
    "ProviderCheckView",
    "URGENCY_TAGS",
    "history",
    "photo_groups",
    "product_line",
    "provider_check_views",
]

# The words and colour of the tag that marks each urgency in the history.
URGENCY_TAGS: dict[Urgency, tuple[str, str]] = {
    Urgency.emergency: ("Emergency", "red"),
    Urgency.urgent: ("Urgent", "orange"),
    Urgency.soon: ("Soon", "yellow"),
    Urgency.routine: ("Routine", "green"),
    Urgency.wait: ("Too early to judge", "blue"),
}
NOT_ASSESSED = ("Not assessed", "grey")  # a note not about a procedure in the case


@dataclass(frozen=True)
class HistoryItem:
    """One journal entry as the urgency history shows it."""

    entry: JournalEntry
    tag: str
    colour: str
    days_since: int | None


def history(case: CaseFileData) -> list[HistoryItem]:
    """Return the journal newest first, each with its urgency tag and days since its procedure."""
    procedures = {p.id: p for p in case.procedures}
    items = []
    for entry in sorted(case.journal, key=lambda e: e.written_on, reverse=True):
        procedure = procedures.get(entry.procedure_id or "")
        days = days_after(procedure.performed_on if procedure else None, entry.written_on)
        tag, colour = URGENCY_TAGS[entry.urgency] if entry.urgency else NOT_ASSESSED
        items.append(HistoryItem(entry, tag, colour, days))
    return items


def product_line(product: Product) -> str:
    """Return a product in one line: 'Juvederm Volbella, lot AB12: upper lip 0.5 mL'."""
    name = " ".join(part for part in (product.brand, product.product_name) if part)
    if product.material:
        name += f" ({product.material})"
    if product.lot:
        name += f", lot {product.lot}"
    sites = "; ".join(f"{s.site} {s.amount:g} {s.unit}" for s in product.sites)
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
    for angle, (label, _hint) in ANGLE_GUIDE.items():
        photos = sorted(
            (p for p in case.photos if p.angle.value == angle), key=lambda p: p.taken_on
        )
        if photos:
            groups.append(PhotoGroup(angle, label, photos))
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
