"""The packet's history: everything in the case file with a date, oldest first.

Each note comes with what reconsult said and what became of the signs it
kept open (still open, past its time, or closed: how, by whom, when).
"""

from __future__ import annotations

import datetime as dt

from reconsult.casefile.open_findings import OpenFinding, open_findings
from reconsult.casefile.schema import CaseFileData, JournalEntry
from reconsult.documents.packet.model import Event
from reconsult.documents.packet.words import headline_of, say_date, sign_label
from reconsult.knowledge import Knowledge

__all__ = ["events"]


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
    told = say_date(entry.written_on, us)
    lines = []
    for raised in entry.raised:
        sign = sign_label(raised.finding, kb)
        closed = raised.closed
        if closed is None:
            still = found.get((entry.id, raised.finding))
            if still is None or still.holds_on(today):  # (None: a finding no longer known)
                lines.append(words.event_open.format(sign=sign, date=told))
                continue
            stale = policy.stale.format(date=say_date(still.holds_until, us))
            lines.append(words.event_open_stale.format(sign=sign, date=told, stale=stale))
            continue
        parts = [words.event_closed.format(sign=sign, date=told, how=policy.closed[closed.how])]
        if closed.treated_by.strip():
            parts.append(words.event_closed_by.format(who=closed.treated_by))
        if closed.treated_on is not None:
            parts.append(words.event_closed_on.format(date=say_date(closed.treated_on, us)))
        parts.append(words.event_closed_said.format(date=say_date(closed.said_on, us)))
        lines.append(" ".join(parts))
    return lines


def events(case: CaseFileData, today: dt.date, kb: Knowledge, us: bool) -> list[Event]:
    """Everything in the case file with a date, oldest first; undated things last."""
    words = kb.packet.wording
    still_open = {(f.entry.id, f.raised.finding): f for f in open_findings(kb, case)}
    dated: list[tuple[dt.date | None, int, Event]] = []

    def add(day: dt.date | None, order: int, event: Event) -> None:
        dated.append((day, order, event))

    def when(day: dt.date | None) -> str:
        return say_date(day, us) if day is not None else words.history_undated

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
        headline = headline_of(entry, kb)
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
            provider=request.provider_name, date=say_date(request.follow_up_on, us)
        )
        add(request.sent_on, 4, Event(date=when(request.sent_on), heading=sent))
        if request.received_on is not None:
            got = words.event_records_received.format(provider=request.provider_name)
            add(request.received_on, 5, Event(date=when(request.received_on), heading=got))
    dated.sort(key=lambda t: (t[0] is None, t[0] or dt.date.min, t[1]))
    return [event for _, _, event in dated]
