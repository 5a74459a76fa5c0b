"""Server mode: one-time invitations to make an account, for one email address each.

Sign-up is by invitation unless the ``open_sign_up`` setting is on, so the
sign-up page cannot be used to learn whether someone has an account. Whoever
runs the service makes a link with ``reconsult accounts invite EMAIL``; the
link works once, for INVITATION_DAYS days, and only makes an account for the
address it was made for (the address comes from the invitation, never from
the form). Only the SHA-256 of the token is stored, as for password resets.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reconsult.accounts.passwords import PasswordHasher
from reconsult.accounts.tables import InvitationRow
from reconsult.accounts.times import aware
from reconsult.accounts.users import (
    AccountError,
    User,
    email_problem,
    find_user,
    normalise_email,
    sign_up,
    token_hash,
)
from reconsult.i18n import N_
from reconsult.i18n import gettext as _
from reconsult.storage import Database

__all__ = [
    "INVITATION_DAYS",
    "INVITATION_GONE",
    "AlreadyHasAccount",
    "InvitationGone",
    "accept_invitation",
    "invited_email",
    "new_invitation_token",
]

INVITATION_DAYS = 7
# In English: say _(INVITATION_GONE).
INVITATION_GONE = N_(
    "This invitation link has expired or was already used. "
    "Ask the clinic or group that sent it for a new one."
)
_LONGEST_TOKEN = 200  # a real token is 43 characters; anything much longer is not one


class AlreadyHasAccount(AccountError):
    """The address already has an account: it needs no invitation."""


class InvitationGone(AccountError):
    """The invitation is expired, used or unknown (all three look the same)."""


def new_invitation_token(db: Database, email: str, *, now: dt.datetime) -> str:
    """Make a one-time token to make an account for ``email``, valid for INVITATION_DAYS.

    Raises AccountError if the address is not usable, and AlreadyHasAccount if
    it already has an account (whoever runs the service may know that). The
    token is shown once; the database keeps only its SHA-256.
    """
    if email_problem(email):
        raise AccountError(
            _("%(typed)s is not an email address. Give one like name@example.com.")
            % {"typed": repr(email.strip())}
        )
    address = normalise_email(email)
    if find_user(db, address) is not None:
        raise AlreadyHasAccount(_("%(email)s already has an account.") % {"email": address})
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        session.add(
            InvitationRow(
                token_hash=token_hash(token),
                email=address,
                created_at=now,
                expires_at=now + dt.timedelta(days=INVITATION_DAYS),
            )
        )
    return token


def invited_email(db: Database, token: str, *, now: dt.datetime) -> str | None:
    """Return the address a valid invitation is for; None when expired, used or unknown."""
    if not token or len(token) > _LONGEST_TOKEN or "\x00" in token:
        return None
    with db.session() as session:
        row = session.execute(
            select(InvitationRow.email, InvitationRow.expires_at, InvitationRow.used_at).where(
                InvitationRow.token_hash == token_hash(token)
            )
        ).one_or_none()
    if row is None or row.used_at is not None or aware(row.expires_at) <= now:
        return None
    return str(row.email)


def accept_invitation(
    db: Database, hasher: PasswordHasher, token: str, password: str, *, now: dt.datetime
) -> User:
    """Make the account the invitation is for, with this password; the invitation is used up.

    Raises InvitationGone (an AccountError) when the invitation is expired,
    used or unknown, or with what is wrong with the password (the invitation
    then still works). Using it up and making the account are one transaction:
    of two tabs sending the same link, one makes the account and the other is
    told the link was already used.
    """
    email = invited_email(db, token, now=now)
    if email is None:
        raise InvitationGone(_(INVITATION_GONE))

    def use_up(session: Session) -> None:
        # One conditional UPDATE claims the invitation: a second request with the same
        # token finds used_at already set and changes no row (as reset_password does).
        claimed = session.execute(
            update(InvitationRow)
            .where(
                InvitationRow.token_hash == token_hash(token),
                InvitationRow.used_at.is_(None),
                InvitationRow.expires_at > now,
            )
            .values(used_at=now)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            raise InvitationGone(_(INVITATION_GONE))

    return sign_up(db, hasher, email, password, now=now, also=use_up)
