"""One-time invitations to make an account: one address, once, for INVITATION_DAYS days."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import select, update

from reconsult.accounts.invitations import (
    INVITATION_DAYS,
    AlreadyHasAccount,
    InvitationGone,
    accept_invitation,
    invited_email,
    new_invitation_token,
)
from reconsult.accounts.tables import InvitationRow
from reconsult.accounts.users import AccountError, authenticate, find_user, token_hash
from reconsult.storage import Database
from tests.accounts import HASHER, NOW, PASSWORD, in_parallel, make_user


def test_an_invitation_is_for_one_address_and_stores_only_the_tokens_hash(db: Database) -> None:
    token = new_invitation_token(db, " Ana@Example.org ", now=NOW)
    assert invited_email(db, token, now=NOW) == "ana@example.org"
    with db.session() as session:
        rows = session.execute(select(InvitationRow.token_hash, InvitationRow.email)).all()
    assert [tuple(r) for r in rows] == [(token_hash(token), "ana@example.org")]
    user = accept_invitation(db, HASHER, token, PASSWORD, now=NOW)
    assert user.email == "ana@example.org"
    assert authenticate(db, HASHER, "ana@example.org", PASSWORD) == user


def test_an_invitation_works_once(db: Database) -> None:
    token = new_invitation_token(db, "ana@example.org", now=NOW)
    accept_invitation(db, HASHER, token, PASSWORD, now=NOW)
    assert invited_email(db, token, now=NOW) is None
    with pytest.raises(InvitationGone, match="expired or was already used"):
        accept_invitation(db, HASHER, token, "another long passphrase", now=NOW)
    assert authenticate(db, HASHER, "ana@example.org", PASSWORD) is not None


def test_an_invitation_expires_after_its_days(db: Database) -> None:
    token = new_invitation_token(db, "ana@example.org", now=NOW)
    last = NOW + dt.timedelta(days=INVITATION_DAYS) - dt.timedelta(seconds=1)
    assert invited_email(db, token, now=last) == "ana@example.org"
    over = NOW + dt.timedelta(days=INVITATION_DAYS)
    assert invited_email(db, token, now=over) is None
    with pytest.raises(InvitationGone):
        accept_invitation(db, HASHER, token, PASSWORD, now=over)
    assert find_user(db, "ana@example.org") is None


def test_made_up_tokens_are_refused_like_used_ones(db: Database) -> None:
    for token in ("", "made-up", "x" * 5000, "nul\x00byte"):
        assert invited_email(db, token, now=NOW) is None
        with pytest.raises(InvitationGone):
            accept_invitation(db, HASHER, token, PASSWORD, now=NOW)


def test_a_weak_password_does_not_use_up_the_invitation(db: Database) -> None:
    token = new_invitation_token(db, "ana@example.org", now=NOW)
    with pytest.raises(AccountError, match="at least 10 characters"):
        accept_invitation(db, HASHER, token, "tiny", now=NOW)
    assert invited_email(db, token, now=NOW) == "ana@example.org"
    accept_invitation(db, HASHER, token, PASSWORD, now=NOW)


def test_no_invitation_for_a_bad_address_or_one_that_has_an_account(db: Database) -> None:
    make_user(db, "ana@example.org")
    with pytest.raises(AlreadyHasAccount, match="ana@example.org already has an account"):
        new_invitation_token(db, "ANA@example.org", now=NOW)
    for bad in ("", "ana", "ana@example", "a b@example.org", "x" * 400 + "@example.org"):
        with pytest.raises(AccountError, match="is not an email address"):
            new_invitation_token(db, bad, now=NOW)
    with db.session() as session:
        assert session.scalars(select(InvitationRow)).all() == []


def test_an_account_made_meanwhile_keeps_the_invitation_unused(db: Database) -> None:
    token = new_invitation_token(db, "ana@example.org", now=NOW)
    make_user(db, "ana@example.org")  # e.g. through open sign-up, after the invitation
    with pytest.raises(AccountError, match="already an account"):
        accept_invitation(db, HASHER, token, "another long passphrase", now=NOW)
    with db.session() as session:
        assert session.scalar(select(InvitationRow.used_at)) is None


def test_a_link_used_between_the_check_and_the_claim_makes_no_second_account(
    db: Database,
) -> None:
    """The other tab wins while this one is hashing: the conditional UPDATE refuses this one."""
    token = new_invitation_token(db, "ana@example.org", now=NOW)

    class SlowHasher(PasswordHasher):
        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            with db.session() as session:  # the other tab uses the link meanwhile
                session.execute(
                    update(InvitationRow)
                    .where(InvitationRow.token_hash == token_hash(token))
                    .values(used_at=NOW)
                )
            return super().hash(password, salt=salt)

    slow = SlowHasher(
        time_cost=CHEAPEST.time_cost,
        memory_cost=CHEAPEST.memory_cost,
        parallelism=CHEAPEST.parallelism,
    )
    with pytest.raises(InvitationGone):
        accept_invitation(db, slow, token, PASSWORD, now=NOW)
    assert find_user(db, "ana@example.org") is None


def test_an_invitation_used_by_several_requests_at_once_works_for_one(db: Database) -> None:
    """Four workers race with one link: one makes the account, three are told it was used."""
    token = new_invitation_token(db, "ana@example.org", now=NOW)

    def use(worker: Database, index: int) -> str | None:
        try:
            accept_invitation(worker, HASHER, token, f"{PASSWORD} {index}", now=NOW)
        except InvitationGone:
            return None
        return f"{PASSWORD} {index}"

    chosen = [p for p in in_parallel(db, use, threads=4, engines=4) if p is not None]
    assert len(chosen) == 1
    assert authenticate(db, HASHER, "ana@example.org", chosen[0]) is not None
