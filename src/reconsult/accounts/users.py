"""Sign people up and in, change a password, and reset one with a one-time link.

Email addresses are stored in lower case so "Ana@Example.org" and
"ana@example.org" are one account. Passwords are kept only as argon2id hashes.
Signing in with an unknown address still runs one hash check, so the time an
answer takes does not tell whether an address has an account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reconsult.accounts.passwords import PasswordHasher, check_password, password_problem
from reconsult.accounts.tables import PasswordResetRow, SessionRow, TrustedDeviceRow, UserRow
from reconsult.accounts.times import aware
from reconsult.errors import CaseInputError
from reconsult.i18n import gettext as _
from reconsult.storage import Database

__all__ = [
    "AccountError",
    "User",
    "authenticate",
    "change_password",
    "email_problem",
    "find_user",
    "new_reset_link_token",
    "normalise_email",
    "reset_password",
    "sign_up",
]

RESET_LINK_HOURS = 2
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(CaseInputError):
    """Something about an account request we cannot do; the message says what, plainly."""


@dataclass(frozen=True)
class User:
    """A signed-up person: their id and email address."""

    id: str
    email: str


def normalise_email(email: str) -> str:
    """Return the address as stored: no surrounding spaces, lower case."""
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Return why ``email`` is not an address we can use, or None."""
    address = normalise_email(email)
    if not address:
        return _("Enter your email address")
    if len(address) > 320 or not _EMAIL.match(address) or not address.isprintable():
        return _("Enter an email address like name@example.com")
    return None


def _storable(email: str) -> bool:
    """Whether the address could be stored at all: PostgreSQL text cannot hold a NUL."""
    return "\x00" not in email and len(email) <= 320


def token_hash(token: str) -> str:
    """Return the SHA-256 (hex) of a random token: what the database keeps instead of it."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign_up(
    db: Database,
    hasher: PasswordHasher,
    email: str,
    password: str,
    *,
    now: dt.datetime,
    also: Callable[[Session], None] | None = None,
) -> User:
    """Create an account; AccountError for a bad address, a weak password or a taken one.

    ``also`` runs in the same transaction before the account is added (an
    invitation is used up there); whatever it raises, nothing is made.
    """
    problem = email_problem(email) or password_problem(password, email=email)
    if problem:
        raise AccountError(problem)
    user = User(id=secrets.token_urlsafe(16), email=normalise_email(email))
    hashed = hasher.hash(password)
    try:
        with db.session() as session:
            if also is not None:
                also(session)
            session.add(
                UserRow(
                    id=user.id,
                    email=user.email,
                    password_hash=hashed,
                    created_at=now,
                    password_changed_at=now,
                )
            )
    except IntegrityError as exc:
        raise AccountError(
            _("There is already an account with this email address. Sign in instead.")
        ) from exc
    return user


def find_user(db: Database, email: str) -> User | None:
    """Return the account with this email address, or None."""
    if not _storable(email):
        return None
    with db.session() as session:
        row = session.execute(
            select(UserRow.id, UserRow.email).where(UserRow.email == normalise_email(email))
        ).one_or_none()
    return None if row is None else User(id=row.id, email=row.email)


# A real hash of a random password, checked when the address is unknown (equal timing).
_UNKNOWN: dict[int, str] = {}


def authenticate(db: Database, hasher: PasswordHasher, email: str, password: str) -> User | None:
    """Return the account if the address and password match, else None.

    A hash made with older settings is replaced by one with the current ones.
    """
    row = None
    if _storable(email):
        with db.session() as session:
            row = session.execute(
                select(UserRow.id, UserRow.email, UserRow.password_hash).where(
                    UserRow.email == normalise_email(email)
                )
            ).one_or_none()
    if row is None:
        dummy = _UNKNOWN.get(id(hasher))
        if dummy is None:  # once per hasher: hashing on every call would double the time
            dummy = _UNKNOWN[id(hasher)] = hasher.hash(secrets.token_urlsafe(16))
        check_password(hasher, dummy, password)
        return None
    if not check_password(hasher, row.password_hash, password):
        return None
    if hasher.check_needs_rehash(row.password_hash):
        with db.session() as session:
            session.execute(
                update(UserRow)
                .where(UserRow.id == row.id)
                .values(password_hash=hasher.hash(password))
            )
    return User(id=row.id, email=row.email)


def change_password(
    db: Database,
    hasher: PasswordHasher,
    user: User,
    current: str,
    new: str,
    *,
    keep_session: str | None,
    now: dt.datetime,
) -> None:
    """Change the password after checking the current one; sign out every other browser.

    ``keep_session`` is the SHA-256 of the session that asked, which stays signed in.
    """
    with db.session() as session:
        stored = session.scalar(select(UserRow.password_hash).where(UserRow.id == user.id))
    if stored is None or not check_password(hasher, stored, current):
        raise AccountError(_("Your current password is not right. Try again."))
    problem = password_problem(new, email=user.email)
    if problem:
        raise AccountError(problem)
    hashed = hasher.hash(new)
    with db.session() as session:
        session.execute(
            update(UserRow)
            .where(UserRow.id == user.id)
            .values(password_hash=hashed, password_changed_at=now)
        )
        others = delete(SessionRow).where(SessionRow.user_id == user.id)
        if keep_session is not None:
            others = others.where(SessionRow.token_hash != keep_session)
        session.execute(others)


def new_reset_link_token(db: Database, email: str, *, now: dt.datetime) -> str:
    """Make a one-time token to choose a new password, valid for RESET_LINK_HOURS.

    Raises AccountError if there is no account with this address. The token is
    shown once; the database keeps only its SHA-256.
    """
    user = find_user(db, email)
    if user is None:
        raise AccountError(
            _("There is no account with the email address %(email)s.")
            % {"email": normalise_email(email)}
        )
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        session.add(
            PasswordResetRow(
                token_hash=token_hash(token),
                user_id=user.id,
                created_at=now,
                expires_at=now + dt.timedelta(hours=RESET_LINK_HOURS),
            )
        )
    return token


def reset_password(
    db: Database, hasher: PasswordHasher, token: str, new: str, *, now: dt.datetime
) -> User:
    """Set a new password with a reset token; the token is then used up.

    Every browser signed in to the account is signed out, and every other
    unused reset link for it stops working.
    """
    gone = _(
        "This link to choose a new password has expired or was already used. Ask for a new one."
    )
    with db.session() as session:
        row = session.execute(
            select(PasswordResetRow, UserRow.email)
            .join(UserRow, UserRow.id == PasswordResetRow.user_id)
            .where(PasswordResetRow.token_hash == token_hash(token))
            .with_for_update(of=PasswordResetRow)
        ).one_or_none()
        if row is None or row[0].used_at is not None or aware(row[0].expires_at) <= now:
            raise AccountError(gone)
        user = User(id=row[0].user_id, email=row[1])
        problem = password_problem(new, email=user.email)
        if problem:
            raise AccountError(problem)
        hashed = hasher.hash(new)
        # Use the link up with one conditional UPDATE first: SQLite runs the SELECT above
        # without a lock, so two requests with the same link could both get this far.
        claimed = session.execute(
            update(PasswordResetRow)
            .where(
                PasswordResetRow.token_hash == token_hash(token),
                PasswordResetRow.used_at.is_(None),
            )
            .values(used_at=now)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            raise AccountError(gone)
        session.execute(
            update(UserRow)
            .where(UserRow.id == user.id)
            .values(password_hash=hashed, password_changed_at=now)
        )
        session.execute(
            update(PasswordResetRow)
            .where(PasswordResetRow.user_id == user.id, PasswordResetRow.used_at.is_(None))
            .values(used_at=now)
        )
        session.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
        # A reset may follow a stolen password: no browser stays trusted by the sign-in limits.
        session.execute(delete(TrustedDeviceRow).where(TrustedDeviceRow.user_id == user.id))
    return user
