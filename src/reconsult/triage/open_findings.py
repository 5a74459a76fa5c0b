"""Open findings: a worrying sign told in one note is not forgotten by the next (issue 15).

A finding that drove an answer at one of the policy's ``open_findings.levels``
stays open until the person says what became of it (a case file closes it),
or until it is stale: ``stays_open.days`` whole days after the day it was told,
from the finding's own entry or else the policy's default for the level it
drove. While it holds, a later answer is at least that urgent, quotes the
earlier words with their date, and asks what happened. Pure: ``today`` is
passed in.
"""

from __future__ import annotations

import datetime as dt

from reconsult.errors import CaseInputError
from reconsult.i18n import long_date
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import StaysOpen, Urgency
from reconsult.triage.models import OPEN_FINDING_RULE, EarlierFinding, Reason

__all__ = [
    "check_earlier",
    "holding",
    "open_reasons",
    "raised",
    "stale_after",
    "stays_open",
    "told_on",
]


def told_on(day: dt.date) -> str:
    """Return a day as the person reads it, in the current language: 7 December 2026."""
    return long_date(day)


def stays_open(kb: Knowledge, finding: str, level: Urgency) -> StaysOpen | None:
    """Return how long a finding that drove ``level`` stays open; None if the level leaves none."""
    policy = kb.policy.open_findings
    if level not in policy.levels:
        return None
    own = kb.findings[finding].stays_open if finding in kb.findings else None
    return own or policy.stays_open[level]


def stale_after(kb: Knowledge, earlier: EarlierFinding) -> dt.date:
    """Return the last day an earlier finding holds the answer."""
    stays = stays_open(kb, earlier.finding, earlier.urgency)
    return earlier.said_on + dt.timedelta(days=stays.days if stays is not None else -1)


def check_earlier(kb: Knowledge, earlier: list[EarlierFinding], today: dt.date) -> None:
    """Refuse earlier findings the engine cannot use, naming the first problem.

    A ``said_on`` after ``today`` is not refused: a client a time zone ahead may
    send tomorrow's date, and the finding then holds as if told today.
    """
    levels = kb.policy.open_findings.levels
    for number, e in enumerate(earlier):
        where = f"earlier[{number}]"
        if e.finding not in kb.findings:
            raise CaseInputError(f"{where}.finding: unknown finding code {e.finding!r}")
        if e.urgency not in levels:
            raise CaseInputError(
                f"{where}.urgency: only {', '.join(u.value for u in levels)} findings stay open"
            )


def holding(kb: Knowledge, earlier: list[EarlierFinding], today: dt.date) -> list[EarlierFinding]:
    """Return the earlier findings not yet stale on ``today``, one per finding.

    Of several for one finding, the most urgent holds, and of those the latest told.
    """
    latest: dict[str, EarlierFinding] = {}
    for e in earlier:
        if today <= stale_after(kb, e):
            kept = latest.get(e.finding)
            if kept is None or (e.urgency.rank, -e.said_on.toordinal()) < (
                kept.urgency.rank,
                -kept.said_on.toordinal(),
            ):
                latest[e.finding] = e
    return list(latest.values())


def open_reasons(kb: Knowledge, held: list[EarlierFinding], now: list[Reason]) -> list[Reason]:
    """Return a reason for each held finding the answer's own reasons do not already match.

    A finding told again now at the same level or higher needs no reminder of the
    earlier note; told again lower, or not at all, the earlier words hold.
    """
    policy = kb.policy.open_findings
    reasons = []
    for e in held:
        again = [
            r.urgency
            for r in now
            if r.finding == e.finding and r.urgency is not None and r.urgency.rank <= e.urgency.rank
        ]
        if again:
            continue
        stays = stays_open(kb, e.finding, e.urgency)
        told = policy.reason.format(sign=kb.findings[e.finding].label, date=told_on(e.said_on))
        reasons.append(
            Reason(
                text=f"{told} {policy.question}",
                finding=e.finding,
                quote=e.words,
                rule=OPEN_FINDING_RULE,
                urgency=e.urgency,
                sources=list(stays.sources) if stays is not None else [],
            )
        )
    return reasons


def raised(
    kb: Knowledge, reasons: list[Reason], held: list[EarlierFinding], today: dt.date
) -> list[EarlierFinding]:
    """Return what stays open after an answer: its own findings at an open level, then the held.

    One per finding from this answer (its most urgent reason). A held finding told
    again now at the same level or higher is replaced by the new words; told again
    lower, both stay, each with its own date and level.
    """
    levels = kb.policy.open_findings.levels
    new: dict[str, EarlierFinding] = {}
    for r in reasons:
        if r.rule == OPEN_FINDING_RULE or r.finding is None or r.urgency not in levels:
            continue
        kept = new.get(r.finding)
        if kept is None or r.urgency.rank < kept.urgency.rank:
            words = r.quote or kb.findings[r.finding].label
            new[r.finding] = EarlierFinding(
                finding=r.finding, urgency=r.urgency, said_on=today, words=words
            )
    still = [
        e for e in held if e.finding not in new or e.urgency.rank < new[e.finding].urgency.rank
    ]
    return [*new.values(), *still]
