"""A case's open findings: worrying signs told in its notes that the person has not closed.

Each journal note keeps the findings its answer left open (``JournalEntry.raised``).
They stay open until the person says what became of them (:func:`close_finding`):
seen and treated, gone by itself, or written by mistake. Until then, and until
each is stale (the knowledge base says after how long), the next note's answer
is at least as urgent (:func:`holding_for`, given to the assessment as
``Case.earlier``). Closing is kept with its date, so the history shows both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reconsult.casefile.schema import CaseFileData, Closing, JournalEntry, RaisedFinding
from reconsult.errors import CaseFileError
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ClosingChoice, OpenFindings
from reconsult.triage.models import EarlierFinding
from reconsult.triage.open_findings import stale_after

__all__ = [
    "OpenFinding",
    "apply_closings",
    "close_finding",
    "closing_text",
    "holding_for",
    "open_findings",
    "raised_from",
]


@dataclass(frozen=True)
class OpenFinding:
    """A finding a note left open, with the note it came from and until when it holds."""

    entry: JournalEntry
    raised: RaisedFinding
    holds_until: dt.date  # the last day it holds the answer

    @property
    def earlier(self) -> EarlierFinding:
        """The finding as the assessment takes it."""
        return _earlier(self.entry, self.raised)

    def holds_on(self, day: dt.date) -> bool:
        """Whether it still holds the answer on ``day`` (not yet stale)."""
        return day <= self.holds_until


def _earlier(entry: JournalEntry, raised: RaisedFinding) -> EarlierFinding:
    return EarlierFinding(
        finding=raised.finding, urgency=raised.urgency, said_on=entry.written_on, words=raised.words
    )


def open_findings(kb: Knowledge, case: CaseFileData) -> list[OpenFinding]:
    """Return every finding the case's notes left open and no one closed, oldest first.

    Findings the knowledge base no longer knows are skipped (a case imported from
    another version); each carries the last day it holds an answer.
    """
    found = []
    for entry in case.journal:
        for raised in entry.raised:
            if raised.closed is None and raised.finding in kb.findings:
                holds = stale_after(kb, _earlier(entry, raised))
                found.append(OpenFinding(entry=entry, raised=raised, holds_until=holds))
    return found


def holding_for(kb: Knowledge, case: CaseFileData, day: dt.date) -> list[OpenFinding]:
    """Return the open findings that still hold the answer on ``day``, one per finding code.

    Of several notes telling the same finding, the latest is shown (its words
    and date); the assessment is given them all and keeps the most urgent.
    """
    latest: dict[str, OpenFinding] = {}
    for found in open_findings(kb, case):
        if found.holds_on(day):
            latest[found.raised.finding] = found
    return list(latest.values())


def raised_from(earlier: list[EarlierFinding], after: list[EarlierFinding]) -> list[RaisedFinding]:
    """Return what an answer newly left open: its ``open_findings`` less those it was given."""
    return [
        RaisedFinding(finding=e.finding, urgency=e.urgency, words=e.words)
        for e in after
        if e not in earlier
    ]


def apply_closings(
    case: CaseFileData, closings: dict[str, Closing], *, require_open: bool = True
) -> CaseFileData:
    """Return the case with each finding code in ``closings`` closed in every note left open.

    ``require_open``: a code with nothing open to close raises CaseFileError
    (a mistyped code must not pass silently).
    """
    closed: set[str] = set()
    journal = []
    for entry in case.journal:
        raised = []
        for r in entry.raised:
            closing = closings.get(r.finding)
            if r.closed is None and closing is not None:
                r = r.model_copy(update={"closed": closing})
                closed.add(r.finding)
            raised.append(r)
        journal.append(entry.model_copy(update={"raised": raised}))
    missing = sorted(set(closings) - closed)
    if missing and require_open:
        raise CaseFileError(
            _("Nothing open to close for: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    return case.model_copy(update={"journal": journal})


def close_finding(
    case: CaseFileData,
    finding: str,
    how: ClosingChoice,
    said_on: dt.date,
    *,
    treated_by: str = "",
    treated_on: dt.date | None = None,
) -> CaseFileData:
    """Return the case with one finding closed as the person said; CaseFileError if not open."""
    if treated_on is not None and treated_on > said_on:
        raise CaseFileError(_("The day it was treated cannot be after today."))
    closing = Closing(how=how, said_on=said_on, treated_by=treated_by, treated_on=treated_on)
    return apply_closings(case, {finding: closing})


def closing_text(words: OpenFindings, closed: Closing, *, teller: str = "") -> str:
    """Say, with ISO dates, what became of a sign: how, by whom, when, and when it was said.

    For the terminal and the FHIR export; ``teller`` names who said it ("the person").
    The pages and the packet say it in their own words (templates, packet.yaml).
    """
    how = words.closed[closed.how]
    who = closed.treated_by
    when = closed.treated_on.isoformat() if closed.treated_on is not None else ""
    if who and when:
        said = _("%(how)s by %(who)s on %(date)s") % {"how": how, "who": who, "date": when}
    elif who:
        said = _("%(how)s by %(who)s") % {"how": how, "who": who}
    elif when:
        said = _("%(how)s on %(date)s") % {"how": how, "date": when}
    else:
        said = how
    day = closed.said_on.isoformat()
    if teller:
        return _("%(what)s (said by %(teller)s on %(date)s)") % {
            "what": said,
            "teller": teller,
            "date": day,
        }
    return _("%(what)s (said on %(date)s)") % {"what": said, "date": day}
