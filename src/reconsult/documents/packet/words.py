"""Dates and words the packet's parts share: dates in words, shortened quotes, journal look-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from babel.dates import format_date

from reconsult import i18n
from reconsult.casefile.schema import CaseFileData, JournalEntry, ProcedureRecord
from reconsult.i18n import gettext as _
from reconsult.i18n import long_date
from reconsult.knowledge import Knowledge
from reconsult.knowledge.packet_content import PacketWording

__all__ = [
    "ago",
    "checked",
    "headline_of",
    "is_us",
    "language_of",
    "latest",
    "procedure_for",
    "say_date",
    "shorten",
    "sign_label",
]


def is_us(case: CaseFileData) -> bool:
    return case.jurisdiction.upper().startswith("US")


def language_of(case: CaseFileData) -> str:
    """The packet's language tag (``<html lang>``, the PDF's /Lang): the language it is in."""
    if i18n.current() != i18n.DEFAULT:
        return i18n.current()
    code = case.jurisdiction.upper()
    return "en-US" if code.startswith("US") else "en-GB" if code.startswith("GB") else "en"


def say_date(day: dt.date, us: bool) -> str:
    """Write a date in words: "November 3, 2026" in the US, "3 November 2026" elsewhere.

    In the current language (:func:`reconsult.i18n.long_date`); a language that writes
    dates one way everywhere translates the US pattern as its ordinary one.
    """
    if not us:
        return long_date(day)
    # Translators: a date as US documents write it, in Unicode CLDR form (d day, MMMM
    # month name, y year); a language without a US order writes its usual "d MMMM y" here.
    return format_date(day, _("MMMM d, y"), locale=i18n.current())


def ago(days: int, words: PacketWording) -> str:
    if days == 0:
        return words.done_today
    return words.one_day_ago if days == 1 else words.days_ago.format(days=days)


def shorten(text: str, limit: int) -> tuple[str, bool]:
    """Cut ``text`` at a word boundary to at most ``limit`` characters; say if it was cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat, False
    cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[:limit] else flat[:limit]
    return cut.rstrip(" ,.;:") + "…", True


def checked(entry: JournalEntry) -> bool:
    """Whether a journal entry carries an assessment."""
    return bool(entry.urgency or entry.headline)


def latest(journal: Iterable[JournalEntry], keep: Callable[[JournalEntry], object]) -> int | None:
    """Return the place in the journal of the latest entry ``keep`` accepts (ties: the later)."""
    kept = [(e.written_on, i) for i, e in enumerate(journal) if keep(e)]
    return max(kept)[1] if kept else None


def headline_of(entry: JournalEntry, kb: Knowledge) -> str:
    """What reconsult said in a journal entry: its stored headline, or its level's words now."""
    if entry.headline or entry.urgency is None:
        return entry.headline
    return next(u.headline for u in kb.policy.urgencies if u.level == entry.urgency)


def sign_label(code: str, kb: Knowledge) -> str:
    """A finding's plain label (its code, for one this knowledge base no longer knows)."""
    finding = kb.findings.get(code)
    return finding.label if finding is not None else code


def procedure_for(
    procedure_id: str | None, by_id: dict[str, ProcedureRecord], case: CaseFileData
) -> ProcedureRecord | None:
    """The procedure a photo or note is about: the one it names, or the only one there is."""
    if procedure_id is not None:
        return by_id.get(procedure_id)
    return case.procedures[0] if len(case.procedures) == 1 else None
