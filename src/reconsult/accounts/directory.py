"""The list of accounts for whoever runs the server: who signed up, their cases and clinics.

Read only, and only what ``reconsult accounts list`` shows: no password
hashes, no case contents. An account with wrong passwords in the last hour
carries how many, from how many addresses, and until when browsers new to
it are refused (:mod:`reconsult.accounts.sign_in`): an account under attack.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from reconsult.accounts.sign_in import Pressure, SignInLimits, pressure
from reconsult.accounts.tables import CaseOwnerRow, ClinicMemberRow, ClinicRow, UserRow
from reconsult.accounts.times import aware
from reconsult.storage import Database

__all__ = ["Account", "list_accounts"]


@dataclass(frozen=True)
class Account:
    """One account as the server's operator sees it."""

    email: str
    created_at: dt.datetime
    cases: int  # cases it owns
    clinics: tuple[str, ...]  # names of the clinics it is staff of
    wrong_passwords: Pressure | None = None  # in the last hour, if any


def list_accounts(db: Database, limits: SignInLimits, *, now: dt.datetime) -> list[Account]:
    """Every account by email address, with its cases, its clinics and recent wrong passwords."""
    with db.session() as session:
        users = session.execute(
            select(
                UserRow.id,
                UserRow.email,
                UserRow.created_at,
                func.count(CaseOwnerRow.case_id).label("cases"),
            )
            .outerjoin(CaseOwnerRow, CaseOwnerRow.user_id == UserRow.id)
            .group_by(UserRow.id, UserRow.email, UserRow.created_at)
            .order_by(UserRow.email)
        ).all()
        memberships = session.execute(
            select(ClinicMemberRow.user_id, ClinicRow.name)
            .join(ClinicRow, ClinicRow.id == ClinicMemberRow.clinic_id)
            .order_by(ClinicRow.name)
        ).all()
    under_attack = pressure(db, limits, now=now)
    clinics: dict[str, list[str]] = {}
    for m in memberships:
        clinics.setdefault(m.user_id, []).append(m.name)
    return [
        Account(
            email=u.email,
            created_at=aware(u.created_at),
            cases=int(u.cases),
            clinics=tuple(clinics.get(u.id, ())),
            wrong_passwords=under_attack.get(u.email),
        )
        for u in users
    ]
