"""Who may see or change a case: its owner, or a clinic its owner shared it with.

A person owns the cases they start or import. Clinic staff see a case only
while a share from its owner to their clinic is in force: made, not revoked,
not expired. Staff may read; only the owner may change, share or delete.
Clinics and their staff are set up by whoever runs the server
(``reconsult accounts clinic ...``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reconsult.accounts.tables import (
    CaseOwnerRow,
    CaseShareRow,
    ClinicMemberRow,
    ClinicRow,
    UserRow,
)
from reconsult.accounts.times import aware
from reconsult.accounts.users import AccountError, find_user, normalise_email
from reconsult.casefile.tables import CaseRow
from reconsult.i18n import gettext as _
from reconsult.storage import Database

__all__ = [
    "CaseAccess",
    "Clinic",
    "Role",
    "Share",
    "SharedCase",
    "add_staff",
    "case_access",
    "case_exists",
    "claim_case",
    "owned_by",
    "create_clinic",
    "list_clinics",
    "owned_cases",
    "remove_staff",
    "revoke_share",
    "share_case",
    "shared_cases",
    "shares_of",
]

MAX_SHARE_DAYS = 365


class Role(StrEnum):
    """How a person reaches a case."""

    owner = "owner"
    clinic = "clinic"


@dataclass(frozen=True)
class CaseAccess:
    """A person's access to one case: as owner, or as staff of the clinic it is shared with."""

    role: Role
    owner_id: str
    case_title: str
    clinic_name: str = ""
    until: dt.datetime | None = None


@dataclass(frozen=True)
class Clinic:
    """A clinic and how many staff it has."""

    id: str
    name: str
    staff: tuple[str, ...]  # email addresses


@dataclass(frozen=True)
class Share:
    """One share of a case with a clinic, in force or not."""

    id: str
    clinic_id: str
    clinic_name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None

    def in_force(self, now: dt.datetime) -> bool:
        """Whether clinic staff can see the case now."""
        return self.revoked_at is None and self.expires_at > now


@dataclass(frozen=True)
class SharedCase:
    """A case shared with one of the person's clinics: what staff see in their list."""

    case_id: str
    title: str
    owner_email: str
    clinic_name: str
    until: dt.datetime
    updated_at: dt.datetime


def claim_case(db: Database, case_id: str, user_id: str) -> None:
    """Record ``user_id`` as the owner of a stored case that has none."""
    with db.session() as session:
        session.add(CaseOwnerRow(case_id=case_id, user_id=user_id))


def owned_by(user_id: str) -> Callable[[Session, str], None]:
    """Return what records ``user_id`` as a new case's owner inside the case's own transaction.

    For ``create_case(..., also=owned_by(user))`` and ``import_case``: a worker
    that dies half-way then leaves neither the case nor its owner, never a
    case nobody can see. An imported case already owned (a replacement) keeps its owner.
    """

    def record(session: Session, case_id: str) -> None:
        if session.get(CaseOwnerRow, case_id) is None:
            session.add(CaseOwnerRow(case_id=case_id, user_id=user_id))

    return record


def case_exists(db: Database, case_id: str) -> bool:
    """Whether a case with this id is stored, whoever owns it."""
    with db.session() as session:
        return session.scalar(select(CaseRow.id).where(CaseRow.id == case_id)) is not None


def case_access(
    db: Database, case_id: str, *, user_id: str, clinics: tuple[str, ...], now: dt.datetime
) -> CaseAccess | None:
    """Return how this person reaches the case, or None if they may not see it at all.

    A case that does not exist and a case of someone else's give the same
    None, so guessing ids tells nothing.
    """
    with db.session() as session:
        owner = session.execute(
            select(CaseOwnerRow.user_id, CaseRow.title)
            .join(CaseRow, CaseRow.id == CaseOwnerRow.case_id)
            .where(CaseOwnerRow.case_id == case_id)
        ).one_or_none()
        if owner is None:
            return None
        if owner.user_id == user_id:
            return CaseAccess(role=Role.owner, owner_id=user_id, case_title=owner.title)
        if not clinics:
            return None
        share = session.execute(
            select(ClinicRow.name, CaseShareRow.expires_at)
            .join(ClinicRow, ClinicRow.id == CaseShareRow.clinic_id)
            .where(
                CaseShareRow.case_id == case_id,
                CaseShareRow.clinic_id.in_(clinics),
                CaseShareRow.revoked_at.is_(None),
                CaseShareRow.expires_at > now,
            )
            .order_by(CaseShareRow.expires_at.desc())
            .limit(1)
        ).one_or_none()
    if share is None:
        return None
    return CaseAccess(
        role=Role.clinic,
        owner_id=owner.user_id,
        case_title=owner.title,
        clinic_name=share.name,
        until=aware(share.expires_at),
    )


def owned_cases(db: Database, user_id: str) -> list[tuple[str, str, dt.datetime]]:
    """Return (id, title, last changed) of the person's own cases, newest change first."""
    with db.session() as session:
        rows = session.execute(
            select(CaseRow.id, CaseRow.title, CaseRow.updated_at)
            .join(CaseOwnerRow, CaseOwnerRow.case_id == CaseRow.id)
            .where(CaseOwnerRow.user_id == user_id)
            .order_by(CaseRow.updated_at.desc())
        )
        return [(r.id, r.title, aware(r.updated_at)) for r in rows]


def shared_cases(db: Database, clinics: tuple[str, ...], *, now: dt.datetime) -> list[SharedCase]:
    """Return the cases shared, and still in force, with any of these clinics."""
    if not clinics:
        return []
    with db.session() as session:
        rows = session.execute(
            select(
                CaseRow.id,
                CaseRow.title,
                CaseRow.updated_at,
                UserRow.email,
                ClinicRow.name,
                CaseShareRow.expires_at,
            )
            .join(CaseShareRow, CaseShareRow.case_id == CaseRow.id)
            .join(ClinicRow, ClinicRow.id == CaseShareRow.clinic_id)
            .join(CaseOwnerRow, CaseOwnerRow.case_id == CaseRow.id)
            .join(UserRow, UserRow.id == CaseOwnerRow.user_id)
            .where(
                CaseShareRow.clinic_id.in_(clinics),
                CaseShareRow.revoked_at.is_(None),
                CaseShareRow.expires_at > now,
            )
            .order_by(CaseRow.updated_at.desc())
        ).all()
    seen: dict[str, SharedCase] = {}
    for r in rows:
        seen.setdefault(
            r.id,
            SharedCase(
                case_id=r.id,
                title=r.title,
                owner_email=r.email,
                clinic_name=r.name,
                until=aware(r.expires_at),
                updated_at=aware(r.updated_at),
            ),
        )
    return list(seen.values())


# --- shares ----------------------------------------------------------------------------


def share_case(db: Database, case_id: str, clinic_id: str, *, days: int, now: dt.datetime) -> Share:
    """Let the staff of one clinic see a case for ``days`` days (1 to MAX_SHARE_DAYS)."""
    if not 1 <= days <= MAX_SHARE_DAYS:
        raise AccountError(
            _("Choose how many days the clinic can see it: 1 to %(most)s.")
            % {"most": MAX_SHARE_DAYS}
        )
    with db.session() as session:
        name = session.scalar(select(ClinicRow.name).where(ClinicRow.id == clinic_id))
        if name is None:
            raise AccountError(_("Choose one of the clinics in the list."))
        share = Share(
            id=secrets.token_urlsafe(16),
            clinic_id=clinic_id,
            clinic_name=name,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
            revoked_at=None,
        )
        session.add(
            CaseShareRow(
                id=share.id,
                case_id=case_id,
                clinic_id=clinic_id,
                created_at=now,
                expires_at=share.expires_at,
            )
        )
    return share


def revoke_share(db: Database, case_id: str, share_id: str, *, now: dt.datetime) -> bool:
    """Stop a share at once; return whether a share in force was stopped."""
    with db.session() as session:
        result = session.execute(
            update(CaseShareRow)
            .where(
                CaseShareRow.case_id == case_id,
                CaseShareRow.id == share_id,
                CaseShareRow.revoked_at.is_(None),
                CaseShareRow.expires_at > now,
            )
            .values(revoked_at=now)
        )
        return bool(getattr(result, "rowcount", 0))


def shares_of(db: Database, case_id: str) -> list[Share]:
    """Every share of a case, newest first, including revoked and expired ones."""
    with db.session() as session:
        rows = session.execute(
            select(CaseShareRow, ClinicRow.name)
            .join(ClinicRow, ClinicRow.id == CaseShareRow.clinic_id)
            .where(CaseShareRow.case_id == case_id)
            .order_by(CaseShareRow.created_at.desc())
        ).all()
    return [
        Share(
            id=s.id,
            clinic_id=s.clinic_id,
            clinic_name=name,
            created_at=aware(s.created_at),
            expires_at=aware(s.expires_at),
            revoked_at=None if s.revoked_at is None else aware(s.revoked_at),
        )
        for s, name in rows
    ]


# --- clinics ---------------------------------------------------------------------------


def create_clinic(db: Database, name: str, *, now: dt.datetime) -> Clinic:
    """Add a clinic that people can share their case with."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise AccountError(_("Give the clinic a name of 1 to 200 characters."))
    clinic = Clinic(id=secrets.token_urlsafe(12), name=name, staff=())
    try:
        with db.session() as session:
            session.add(ClinicRow(id=clinic.id, name=name, created_at=now))
    except IntegrityError as exc:
        raise AccountError(
            _("There is already a clinic called %(name)s.") % {"name": repr(name)}
        ) from exc
    return clinic


def _clinic_id(session: Session, name: str) -> str:
    clinic_id = session.scalar(select(ClinicRow.id).where(ClinicRow.name == " ".join(name.split())))
    if clinic_id is None:
        raise AccountError(_("There is no clinic called %(name)s.") % {"name": repr(name)})
    return str(clinic_id)


def add_staff(db: Database, clinic_name: str, email: str, *, now: dt.datetime) -> None:
    """Make the account with this email address a member of the clinic's staff."""
    user = find_user(db, email)
    if user is None:
        raise AccountError(
            _("There is no account with the email address %(email)s. Ask them to sign up first.")
            % {"email": normalise_email(email)}
        )
    try:
        with db.session() as session:
            clinic_id = _clinic_id(session, clinic_name)
            session.add(ClinicMemberRow(clinic_id=clinic_id, user_id=user.id, added_at=now))
    except IntegrityError as exc:
        raise AccountError(
            _("%(email)s is already on this clinic's staff.") % {"email": user.email}
        ) from exc


def remove_staff(db: Database, clinic_name: str, email: str) -> bool:
    """Take the account off the clinic's staff; return whether it was on it."""
    with db.session() as session:
        clinic_id = _clinic_id(session, clinic_name)
    user = find_user(db, email)
    if user is None:
        return False
    with db.session() as session:
        result = session.execute(
            delete(ClinicMemberRow).where(
                ClinicMemberRow.clinic_id == clinic_id, ClinicMemberRow.user_id == user.id
            )
        )
        return bool(getattr(result, "rowcount", 0))


def list_clinics(db: Database) -> list[Clinic]:
    """Every clinic with its staff's email addresses, by name."""
    with db.session() as session:
        clinics = session.execute(
            select(ClinicRow.id, ClinicRow.name).order_by(ClinicRow.name)
        ).all()
        staff = session.execute(
            select(ClinicMemberRow.clinic_id, UserRow.email)
            .join(UserRow, UserRow.id == ClinicMemberRow.user_id)
            .order_by(UserRow.email)
        ).all()
    return [
        Clinic(id=c.id, name=c.name, staff=tuple(s.email for s in staff if s.clinic_id == c.id))
        for c in clinics
    ]
