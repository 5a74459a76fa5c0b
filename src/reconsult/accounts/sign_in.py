"""Sign in with limits that slow a stranger's guessing and never lock the account's owner out.

Only wrong passwords count (OWASP ASVS 4.0 V2.2.1; NIST SP 800-63B 5.2.2):
a right one deletes the account's count, so signing in often never stops
anyone. Each attempt is written down before the password is checked and
counted after, over sliding windows, so parallel guesses on many workers
are counted exactly as if they came one by one (see ``rate_limits``).

- **Per network address** (an IPv6 /64 as one): ``per_source`` wrong
  passwords in 15 minutes, over every email address; then that address is
  refused until the oldest of them is 15 minutes old. People behind one
  address who type their password right never use any of it.
- **Per account, slower and slower**: after ``FREE_FAILURES`` wrong passwords
  on one email address in an hour, each address must wait before trying it
  again: ``delay`` seconds, doubling with each further wrong password, at
  most ``MAX_DELAY``. An address that has not got it wrong yet does not
  wait, so the owner typing the right password elsewhere gets straight in.
- **Per account, a ceiling**: at most ``per_account`` wrong passwords in an
  hour from browsers the account has not signed in on before; then only
  those trusted browsers are let try, until the hour has passed.
- **Trusted browsers** (OWASP "device cookies"): each right password gives
  the browser or program a random token for that account. With it, only
  its own wrong passwords count (``per_source`` in 15 minutes, then it is
  trusted no more), so a stranger cannot lock the owner out of a browser
  they have used before.

The count is kept per email address as typed, whether it has an account or
not, so a refusal does not tell whether it has one. Refused attempts are
not counted and cost no password hash.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from reconsult.accounts.addresses import address_key
from reconsult.accounts.audit import AuditEntry, record_access
from reconsult.accounts.passwords import PasswordHasher
from reconsult.accounts.rate_limits import Limit, count_attempt, retry_after
from reconsult.accounts.tables import SignInFailureRow, TrustedDeviceRow, UserRow
from reconsult.accounts.times import aware
from reconsult.accounts.users import User, authenticate, find_user, normalise_email, token_hash
from reconsult.storage import Database

if TYPE_CHECKING:
    from reconsult.settings import Settings

__all__ = [
    "ACCOUNT_WINDOW",
    "DEVICE_DAYS",
    "FREE_FAILURES",
    "MAX_DELAY",
    "SOURCE_WINDOW",
    "Pressure",
    "Refusal",
    "SignInLimits",
    "SignInOutcome",
    "forget_devices",
    "pressure",
    "sign_in",
    "trust_device",
]

SOURCE_WINDOW = dt.timedelta(minutes=15)
ACCOUNT_WINDOW = dt.timedelta(hours=1)
FREE_FAILURES = 5
MAX_DELAY = dt.timedelta(minutes=5)
DEVICE_DAYS = 180

Reason = Literal["source", "account", "delay", "device"]


@dataclass(frozen=True)
class SignInLimits:
    """The limits, from the settings: see the module's description."""

    per_source: int
    per_account: int
    delay: float  # seconds: the first wait, once an account has had FREE_FAILURES

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInLimits:
        """The limits the ``RECONSULT_LIMIT_SIGN_IN*`` and ``SIGN_IN_DELAY`` settings give."""
        return cls(
            per_source=settings.limit_sign_in,
            per_account=settings.limit_sign_in_account,
            delay=settings.sign_in_delay,
        )

    def wait(self, failures: int) -> dt.timedelta:
        """How long an address waits to try again after ``failures`` wrong passwords in the hour."""
        if failures < FREE_FAILURES or self.delay <= 0:
            return dt.timedelta(0)
        doublings = min(failures - FREE_FAILURES, 32)
        return min(dt.timedelta(seconds=self.delay * 2**doublings), MAX_DELAY)


@dataclass(frozen=True)
class Refusal:
    """Why the attempt was not checked, and how many seconds until it may be tried again."""

    reason: Reason
    retry_after: int


@dataclass(frozen=True)
class SignInOutcome:
    """Signed in (``user``, with a new trusted-browser token), a wrong password, or refused."""

    user: User | None = None
    device_token: str | None = None
    refused: Refusal | None = None


def sign_in(
    db: Database,
    hasher: PasswordHasher,
    email: str,
    password: str,
    *,
    source: str,
    device_token: str | None,
    limits: SignInLimits,
    now: dt.datetime,
) -> SignInOutcome:
    """Check the password unless a limit stops the attempt first; count it if it is wrong.

    ``source`` is the client's network address, ``device_token`` the
    trusted-browser token it sent (or None).
    """
    account = normalise_email(email).replace("\x00", "\ufffd")[:320]
    where_from = address_key(source)
    device = _trusted_device(db, account, device_token, now=now)
    with db.session() as session:
        session.execute(delete(SignInFailureRow).where(SignInFailureRow.at <= now - ACCOUNT_WINDOW))
        row = SignInFailureRow(account=account, source=where_from, device=device, at=now)
        session.add(row)
        session.flush()
        mine = row.pk
    refusal = _refusal(db, account, where_from, device, mine, limits, now=now)
    if refusal is not None:
        with db.session() as session:
            session.execute(delete(SignInFailureRow).where(SignInFailureRow.pk == mine))
            if refusal.reason == "device":  # it guessed too: no longer trusted
                session.execute(
                    delete(TrustedDeviceRow).where(TrustedDeviceRow.token_hash == device)
                )
        _audit_refusal(db, account, where_from, now=now)
        return SignInOutcome(refused=refusal)
    user = authenticate(db, hasher, email, password)
    if user is None:
        return SignInOutcome()  # the row stays: it is the wrong password's count
    with db.session() as session:
        session.execute(delete(SignInFailureRow).where(SignInFailureRow.account == account))
    return SignInOutcome(
        user=user, device_token=trust_device(db, user.id, now=now, replaces=device)
    )


def trust_device(db: Database, user_id: str, *, now: dt.datetime, replaces: str = "") -> str:
    """Trust the browser that just gave this account's password; return its new token.

    ``replaces`` is the SHA-256 of the token it carried before, if any: each
    sign-in gives a new one.
    """
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        session.execute(delete(TrustedDeviceRow).where(TrustedDeviceRow.expires_at <= now))
        if replaces:
            session.execute(delete(TrustedDeviceRow).where(TrustedDeviceRow.token_hash == replaces))
        session.add(
            TrustedDeviceRow(
                token_hash=token_hash(token),
                user_id=user_id,
                created_at=now,
                expires_at=now + dt.timedelta(days=DEVICE_DAYS),
            )
        )
    return token


def _trusted_device(db: Database, account: str, token: str | None, *, now: dt.datetime) -> str:
    """The SHA-256 of ``token`` if it is a live trusted-browser token of this account, else ""."""
    if not token or len(token) > 200:
        return ""
    hashed = token_hash(token)
    with db.session() as session:
        found = session.scalar(
            select(TrustedDeviceRow.token_hash)
            .join(UserRow, UserRow.id == TrustedDeviceRow.user_id)
            .where(
                TrustedDeviceRow.token_hash == hashed,
                TrustedDeviceRow.expires_at > now,
                UserRow.email == account,
            )
        )
    return found or ""


def _refusal(
    db: Database,
    account: str,
    where_from: str,
    device: str,
    mine: int,
    limits: SignInLimits,
    *,
    now: dt.datetime,
) -> Refusal | None:
    """Which limit, if any, stops this attempt (whose row ``mine`` is already written)."""
    with db.session() as session:
        if device:
            return _over(
                session,
                "device",
                SignInFailureRow.device == device,
                limits.per_source,
                SOURCE_WINDOW,
                now,
            )
        untrusted = SignInFailureRow.device == ""
        by_source = _over(
            session,
            "source",
            untrusted & (SignInFailureRow.source == where_from),
            limits.per_source,
            SOURCE_WINDOW,
            now,
        )
        if by_source is not None:
            return by_source
        on_account = untrusted & (SignInFailureRow.account == account)
        by_account = _over(session, "account", on_account, limits.per_account, ACCOUNT_WINDOW, now)
        if by_account is not None:
            return by_account
        earlier = on_account & (SignInFailureRow.pk != mine)
        failures = _count(session, earlier & (SignInFailureRow.at > now - ACCOUNT_WINDOW))
        wait = limits.wait(failures)
        last = session.scalar(
            select(func.max(SignInFailureRow.at)).where(
                earlier, SignInFailureRow.source == where_from
            )
        )
        if last is not None and aware(last) + wait > now:
            return Refusal("delay", retry_after(aware(last) + wait, now))
    return None


def _count(session: Session, where: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(SignInFailureRow).where(where)
    return int(session.scalar(query) or 0)


def _over(
    session: Session,
    reason: Reason,
    where: ColumnElement[bool],
    allowed: int,
    window: dt.timedelta,
    now: dt.datetime,
) -> Refusal | None:
    """A refusal if more than ``allowed`` rows (this attempt's included) are in the window."""
    recent = where & (SignInFailureRow.at > now - window)
    count = _count(session, recent)
    if count <= allowed:
        return None
    # This attempt's row goes; the next is allowed once enough of the others are old.
    leaving = session.scalar(
        select(SignInFailureRow.at)
        .where(recent)
        .order_by(SignInFailureRow.at, SignInFailureRow.pk)
        .offset(count - 1 - allowed)
        .limit(1)
    )
    until = aware(leaving) + window if leaving is not None else now + window
    return Refusal(reason, retry_after(until, now))


def _audit_refusal(db: Database, account: str, where_from: str, *, now: dt.datetime) -> None:
    """Write a refused sign-in into the account's activity, at most once a minute per account."""
    if not count_attempt(db, f"audit:sign-in:{account}", Limit(1, 60), now=now).allowed:
        return
    user = find_user(db, account)
    if user is None:
        return
    entry = AuditEntry(
        at=now,
        case_id="",
        case_title="",
        actor=where_from,
        clinic="",
        action="sign-in",
        what="Sign-in paused after many wrong passwords",
        status=429,
    )
    record_access(db, entry, owner_id=user.id, actor_id=None)


def forget_devices(db: Database, user_id: str) -> int:
    """Trust no browser of this account any more (a reset password, a lost phone)."""
    with db.session() as session:
        result = session.execute(
            delete(TrustedDeviceRow).where(TrustedDeviceRow.user_id == user_id)
        )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Pressure:
    """Wrong passwords on one email address in the last hour, for the server's operator."""

    failures: int
    sources: int  # how many network addresses they came from
    last_at: dt.datetime
    new_browsers_refused_until: dt.datetime | None


def pressure(db: Database, limits: SignInLimits, *, now: dt.datetime) -> dict[str, Pressure]:
    """Every email address with wrong passwords in the last hour, from untrusted browsers."""
    recent = (SignInFailureRow.device == "", SignInFailureRow.at > now - ACCOUNT_WINDOW)
    with db.session() as session:
        rows = session.execute(
            select(
                SignInFailureRow.account,
                func.count().label("failures"),
                func.count(SignInFailureRow.source.distinct()).label("sources"),
                func.max(SignInFailureRow.at).label("last_at"),
            )
            .where(*recent)
            .group_by(SignInFailureRow.account)
        ).all()
        found: dict[str, Pressure] = {}
        for r in rows:
            refused_until = None
            if r.failures >= limits.per_account:
                oldest = session.scalar(
                    select(SignInFailureRow.at)
                    .where(*recent, SignInFailureRow.account == r.account)
                    .order_by(SignInFailureRow.at, SignInFailureRow.pk)
                    .offset(r.failures - limits.per_account)
                    .limit(1)
                )
                if oldest is not None:
                    refused_until = aware(oldest) + ACCOUNT_WINDOW
            found[r.account] = Pressure(
                failures=int(r.failures),
                sources=int(r.sources),
                last_at=aware(r.last_at),
                new_browsers_refused_until=refused_until,
            )
    return found
