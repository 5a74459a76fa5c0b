"""The server mode's tables: people's accounts, their sessions, clinics, shares and the audit log.

Personal mode never writes to them: one person on their own computer needs no
account. In server mode every case has exactly one owner (``case_owners``);
clinic staff reach a case only through a share that its owner made, that
has not been revoked and has not expired. Every read and change of case data
is written to ``audit_log``, which keeps the owner's id and the case id as
plain strings so the log outlives a deleted case.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from reconsult.storage.models import Base

__all__ = [
    "AuditRow",
    "CaseOwnerRow",
    "CaseShareRow",
    "ClinicMemberRow",
    "ClinicRow",
    "InvitationRow",
    "PasswordResetRow",
    "RateLimitHitRow",
    "SessionRow",
    "SignInFailureRow",
    "TrustedDeviceRow",
    "UserRow",
]


def _user_fk(*, primary_key: bool = False) -> Mapped[str]:
    return mapped_column(
        String(64),
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=not primary_key,
        primary_key=primary_key,
    )


def _when(*, nullable: bool = False, index: bool = False) -> Mapped[dt.datetime]:
    return mapped_column(DateTime(timezone=True), nullable=nullable, index=index)


class UserRow(Base):
    """A person's account: an email address (stored in lower case) and an argon2id hash."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[dt.datetime] = _when()
    password_changed_at: Mapped[dt.datetime] = _when()


class SessionRow(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored.

    Deleting the row signs that browser out, whichever worker it talks to.
    """

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _user_fk()
    created_at: Mapped[dt.datetime] = _when()
    last_seen_at: Mapped[dt.datetime] = _when()
    expires_at: Mapped[dt.datetime] = _when(index=True)


class PasswordResetRow(Base):
    """A one-time link to choose a new password; only the token's SHA-256 is stored."""

    __tablename__ = "password_resets"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _user_fk()
    created_at: Mapped[dt.datetime] = _when()
    expires_at: Mapped[dt.datetime] = _when()
    used_at: Mapped[dt.datetime | None] = _when(nullable=True)


class InvitationRow(Base):
    """A one-time link to make an account for one address; only the token's SHA-256 is stored."""

    __tablename__ = "invitations"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False)
    created_at: Mapped[dt.datetime] = _when()
    expires_at: Mapped[dt.datetime] = _when()
    used_at: Mapped[dt.datetime | None] = _when(nullable=True)


class ClinicRow(Base):
    """A clinic or advocacy group whose staff can be given a view of a case."""

    __tablename__ = "clinics"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    created_at: Mapped[dt.datetime] = _when()


class ClinicMemberRow(Base):
    """One member of a clinic's staff."""

    __tablename__ = "clinic_members"

    clinic_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[dt.datetime] = _when()


class CaseOwnerRow(Base):
    """Whose case this is (server mode). Deleting the account deletes its cases' ownership."""

    __tablename__ = "case_owners"

    case_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("case_files.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = _user_fk()


class CaseShareRow(Base):
    """A view of one case given by its owner to one clinic, until it expires or is revoked."""

    __tablename__ = "case_shares"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("case_files.id", ondelete="CASCADE"), nullable=False, index=True
    )
    clinic_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[dt.datetime] = _when()
    expires_at: Mapped[dt.datetime] = _when()
    revoked_at: Mapped[dt.datetime | None] = _when(nullable=True)


class AuditRow(Base):
    """One read or change of case data: who, when, which case, what, and how it ended."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_owner_at", "owner_id", "at"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = _when()
    owner_id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_title: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(320), nullable=False, default="")
    clinic: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    what: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)


class RateLimitHitRow(Base):
    """One attempt counted against a limit: which key (an action and who did it) and when.

    A sliding window: an attempt is allowed while fewer than the limit of its
    key's rows are younger than the window. Each row is written before it is
    counted, so every worker and thread sees it (see ``rate_limits``).
    """

    __tablename__ = "rate_limit_hits"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    at: Mapped[dt.datetime] = _when()
    expires_at: Mapped[dt.datetime] = _when(index=True)


class SignInFailureRow(Base):
    """One sign-in that did not succeed (or is being checked): for which address, from where.

    ``account`` is the email address as typed (normalised), whether or not it
    has an account, so the limits treat every address alike. ``source`` is
    the network address it came from (an IPv6 /64 as one), and ``device`` the
    SHA-256 of a trusted-browser token it carried for this account, or "".
    A right password deletes the account's rows.
    """

    __tablename__ = "sign_in_failures"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(320), nullable=False, index=True)
    source: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    device: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    at: Mapped[dt.datetime] = _when(index=True)


class TrustedDeviceRow(Base):
    """A browser or program that signed in to an account with its password before.

    It carries a random token in a cookie; only its SHA-256 is stored. A
    trusted browser is not stopped by the limit on an account's wrong
    passwords, so a stranger guessing cannot lock its owner out.
    """

    __tablename__ = "trusted_devices"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _user_fk()
    created_at: Mapped[dt.datetime] = _when()
    expires_at: Mapped[dt.datetime] = _when(index=True)
