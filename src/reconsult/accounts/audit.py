"""The audit log: every read and change of case data, for the case's owner to look through.

Each entry says when, who (their email address, and the clinic they reached
the case through), which case, what they opened or did, and whether it
worked. Entries keep the owner's id and the case's id and title as plain
values, so the owner can still see who looked at a case after deleting it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from reconsult.accounts.tables import AuditRow
from reconsult.accounts.times import aware
from reconsult.i18n import gettext as _
from reconsult.storage import Database

__all__ = ["AuditEntry", "audit_entries", "group_repeats", "record_access"]


@dataclass(frozen=True)
class AuditEntry:
    """One read or change of a case."""

    at: dt.datetime
    case_id: str
    case_title: str
    actor: str
    clinic: str
    action: str  # "read" or "change"
    what: str
    status: int

    @property
    def worked(self) -> bool:
        """Whether the request succeeded (anything below 400, redirects included)."""
        return self.status < 400

    @property
    def outcome(self) -> str:
        """How it ended, in words: "" when it worked, "refused", "not done" or "failed".

        In the current language (the words are shown on the activity page).
        """
        if self.status < 400:
            return ""
        if self.status == 403:
            return _("refused")
        return _("not done") if self.status < 500 else _("failed")


def record_access(db: Database, entry: AuditEntry, *, owner_id: str, actor_id: str | None) -> None:
    """Write one entry to the log."""
    with db.session() as session:
        session.add(
            AuditRow(
                at=entry.at,
                owner_id=owner_id,
                case_id=entry.case_id,
                case_title=entry.case_title[:500],
                actor_id=actor_id,
                actor=entry.actor[:320],
                clinic=entry.clinic[:200],
                action=entry.action,
                what=entry.what[:200],
                status=entry.status,
            )
        )


def audit_entries(
    db: Database, owner_id: str, *, case_id: str | None = None, limit: int = 200
) -> tuple[list[AuditEntry], int]:
    """Return the owner's newest entries (optionally for one case) and how many there are in all."""
    where = [AuditRow.owner_id == owner_id]
    if case_id is not None:
        where.append(AuditRow.case_id == case_id)
    with db.session() as session:
        total = int(session.scalar(select(func.count()).select_from(AuditRow).where(*where)) or 0)
        rows = session.scalars(
            select(AuditRow)
            .where(*where)
            .order_by(AuditRow.at.desc(), AuditRow.pk.desc())
            .limit(limit)
        ).all()
        entries = [
            AuditEntry(
                at=aware(r.at),
                case_id=r.case_id,
                case_title=r.case_title,
                actor=r.actor,
                clinic=r.clinic,
                action=r.action,
                what=r.what,
                status=r.status,
            )
            for r in rows
        ]
    return entries, total


def group_repeats(entries: list[AuditEntry]) -> list[tuple[AuditEntry, int]]:
    """Fold runs of the same thing done by the same person in the same minute into one line.

    Opening a case page loads every photo's thumbnail, and each is a read of
    case data, so each is logged; shown one per line they would bury what
    matters. Returns (the newest entry of each run, how many it stands for).
    """
    grouped: list[tuple[AuditEntry, int]] = []
    for entry in entries:
        if grouped:
            last, count = grouped[-1]
            same = (last.actor, last.clinic, last.case_id, last.what, last.outcome) == (
                entry.actor,
                entry.clinic,
                entry.case_id,
                entry.what,
                entry.outcome,
            )
            if same and last.at.replace(second=0, microsecond=0) == entry.at.replace(
                second=0, microsecond=0
            ):
                grouped[-1] = (last, count + 1)
                continue
        grouped.append((entry, 1))
    return grouped
