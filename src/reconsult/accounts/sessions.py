"""Signed-in browsers, kept in the database so every worker sees them and sign-out revokes them.

The browser's cookie holds a random 256-bit token; the database keeps only
its SHA-256, so a copy of the database cannot be used to sign in. A session
ends after ``idle`` without use; each use (at most once every few minutes,
to spare the database a write per page) pushes the end further.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from reconsult.accounts.tables import ClinicMemberRow, ClinicRow, SessionRow, UserRow
from reconsult.accounts.times import aware
from reconsult.accounts.users import token_hash
from reconsult.storage import Database

__all__ = [
    "SignedIn",
    "end_all_sessions",
    "end_other_sessions",
    "end_session",
    "signed_in",
    "start_session",
]

TOUCH_EVERY = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class SignedIn:
    """Who a request comes from: the account, its session, and the clinics it works for."""

    user_id: str
    email: str
    session_hash: str
    clinics: tuple[str, ...]  # clinic ids
    clinic_names: tuple[str, ...]


def start_session(db: Database, user_id: str, *, now: dt.datetime, idle: dt.timedelta) -> str:
    """Store a new session for ``user_id`` and return the token for the browser's cookie."""
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
        session.add(
            SessionRow(
                token_hash=token_hash(token),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + idle,
            )
        )
    return token


def signed_in(db: Database, token: str, *, now: dt.datetime, idle: dt.timedelta) -> SignedIn | None:
    """Return who holds this session token, or None if it is unknown, ended or expired."""
    hashed = token_hash(token)
    with db.session() as session:
        row = session.execute(
            select(
                SessionRow.user_id, SessionRow.last_seen_at, SessionRow.expires_at, UserRow.email
            )
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(SessionRow.token_hash == hashed)
        ).one_or_none()
        if row is None or aware(row.expires_at) <= now:
            return None
        if now - aware(row.last_seen_at) >= TOUCH_EVERY:
            session.execute(
                update(SessionRow)
                .where(SessionRow.token_hash == hashed)
                .values(last_seen_at=now, expires_at=now + idle)
            )
        clinics = session.execute(
            select(ClinicRow.id, ClinicRow.name)
            .join(ClinicMemberRow, ClinicMemberRow.clinic_id == ClinicRow.id)
            .where(ClinicMemberRow.user_id == row.user_id)
            .order_by(ClinicRow.name)
        ).all()
    return SignedIn(
        user_id=row.user_id,
        email=row.email,
        session_hash=hashed,
        clinics=tuple(c.id for c in clinics),
        clinic_names=tuple(c.name for c in clinics),
    )


def end_session(db: Database, token: str) -> None:
    """Sign this browser out: its token stops working on every worker at once."""
    with db.session() as session:
        session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))


def end_all_sessions(db: Database, user_id: str) -> int:
    """Sign the account out everywhere; return how many sessions ended."""
    with db.session() as session:
        result = session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
        return int(getattr(result, "rowcount", 0) or 0)


def end_other_sessions(db: Database, user_id: str, keep: str) -> int:
    """Sign the account out everywhere but the session whose SHA-256 is ``keep``."""
    with db.session() as session:
        result = session.execute(
            delete(SessionRow).where(SessionRow.user_id == user_id, SessionRow.token_hash != keep)
        )
        return int(getattr(result, "rowcount", 0) or 0)
