"""Signing up and in, changing a password, and resetting one with a one-time link."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import select

from reconsult.accounts.passwords import MAX_LENGTH, MIN_LENGTH, default_hasher, password_problem
from reconsult.accounts.sessions import signed_in, start_session
from reconsult.accounts.tables import UserRow
from reconsult.accounts.users import (
    RESET_LINK_HOURS,
    AccountError,
    authenticate,
    change_password,
    find_user,
    new_reset_link_token,
    reset_password,
    sign_up,
)
from reconsult.storage import Database
from tests.accounts import HASHER, NOW, PASSWORD, in_parallel, make_user

IDLE = dt.timedelta(days=7)
NEW_PASSWORD = "a brand new passphrase"


def _stored_hash(db: Database, email: str) -> str:
    with db.session() as session:
        return str(session.scalar(select(UserRow.password_hash).where(UserRow.email == email)))


def _alive(db: Database, token: str, *, at: dt.datetime = NOW) -> bool:
    return signed_in(db, token, now=at, idle=IDLE) is not None


# --- passwords and sign-up -------------------------------------------------------------


def test_the_real_default_hasher_stores_argon2id(db: Database) -> None:
    user = sign_up(db, default_hasher(), "ana@example.org", PASSWORD, now=NOW)
    stored = _stored_hash(db, user.email)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert authenticate(db, default_hasher(), "ana@example.org", PASSWORD) == user


def test_an_email_address_is_one_account_whatever_its_capitals(db: Database) -> None:
    user = make_user(db, "  Ana@Example.ORG ")
    assert user.email == "ana@example.org"
    assert find_user(db, "ANA@example.org") == user
    assert authenticate(db, HASHER, "aNa@eXample.org", PASSWORD) == user
    with pytest.raises(AccountError, match="already an account with this email address"):
        make_user(db, "ana@example.org", password="another good password")


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("   ", "Enter your email address"),
        ("ana", "like name@example.com"),
        ("ana@example", "like name@example.com"),
        ("ana @example.org", "like name@example.com"),
        ("a" * 320 + "@example.org", "like name@example.com"),
    ],
    ids=["empty", "spaces", "no-at", "no-dot", "space-inside", "too-long"],
)
def test_an_unusable_email_address_is_refused_plainly(
    db: Database, email: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        make_user(db, email)
    assert find_user(db, email) is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", f"at least {MIN_LENGTH} characters"),
        ("x" * (MAX_LENGTH + 1), f"at most {MAX_LENGTH} characters"),
        (" " * 12, "not only spaces"),
        ("Ana@Example.org", "not your email address"),
    ],
    ids=["too-short", "too-long", "only-spaces", "the-email"],
)
def test_a_weak_or_too_long_password_is_refused_plainly(
    db: Database, password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        make_user(db, "ana@example.org", password=password)
    assert find_user(db, "ana@example.org") is None


def test_passwords_at_the_length_limits_are_accepted(db: Database) -> None:
    shortest, longest = "é" * MIN_LENGTH, "ü" * MAX_LENGTH
    assert password_problem(shortest) is None
    make_user(db, "short@example.org", password=shortest)
    make_user(db, "long@example.org", password=longest)
    assert authenticate(db, HASHER, "short@example.org", shortest) is not None
    assert authenticate(db, HASHER, "long@example.org", longest) is not None


# --- signing in ------------------------------------------------------------------------


def test_a_wrong_password_and_an_unknown_address_both_give_none(db: Database) -> None:
    make_user(db)
    assert authenticate(db, HASHER, "ana@example.org", "not the password") is None
    assert authenticate(db, HASHER, "ana@example.org", PASSWORD.upper()) is None
    assert authenticate(db, HASHER, "nobody@example.org", PASSWORD) is None
    assert authenticate(db, HASHER, "ana@example.org", "") is None


class CountingHasher(PasswordHasher):
    """The cheap hasher, counting how many hashes and checks it runs."""

    def __init__(self) -> None:
        params = profiles.CHEAPEST
        super().__init__(
            time_cost=params.time_cost,
            memory_cost=params.memory_cost,
            parallelism=params.parallelism,
            hash_len=params.hash_len,
            salt_len=params.salt_len,
            type=params.type,
        )
        self.work: list[str] = []

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.work.append("hash")
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.work.append("verify")
        return super().verify(hash, password)


def test_an_unknown_address_costs_the_same_work_as_a_wrong_password(db: Database) -> None:
    """Timing must not tell whether an address has an account: one argon2 check either way."""
    hasher = CountingHasher()
    make_user(db)
    authenticate(db, hasher, "first@example.org", PASSWORD)  # makes its stand-in hash once
    hasher.work.clear()
    assert authenticate(db, hasher, "ana@example.org", "a wrong guess!") is None
    known = list(hasher.work)
    hasher.work.clear()
    assert authenticate(db, hasher, "nobody@example.org", "a wrong guess!") is None
    assert hasher.work == known == ["verify"]


def test_a_hash_made_with_older_settings_is_replaced_on_sign_in(db: Database) -> None:
    old = PasswordHasher.from_parameters(profiles.CHEAPEST)
    user = sign_up(db, old, "ana@example.org", PASSWORD, now=NOW)
    before = _stored_hash(db, user.email)
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1, hash_len=16)
    assert authenticate(db, stronger, "ana@example.org", PASSWORD) == user
    after = _stored_hash(db, user.email)
    assert after != before
    assert not stronger.check_needs_rehash(after)
    assert authenticate(db, stronger, "ana@example.org", PASSWORD) == user


# --- changing the password -------------------------------------------------------------


def test_changing_the_password_needs_the_current_one(db: Database) -> None:
    user = make_user(db)
    token = start_session(db, user.id, now=NOW, idle=IDLE)
    with pytest.raises(AccountError, match="current password is not right"):
        change_password(
            db, HASHER, user, "a wrong guess!", NEW_PASSWORD, keep_session=None, now=NOW
        )
    assert authenticate(db, HASHER, user.email, PASSWORD) == user
    assert authenticate(db, HASHER, user.email, NEW_PASSWORD) is None
    assert _alive(db, token)  # a failed change signs nobody out


def test_a_weak_new_password_is_refused_and_the_old_one_kept(db: Database) -> None:
    user = make_user(db)
    with pytest.raises(AccountError, match=f"at least {MIN_LENGTH} characters"):
        change_password(db, HASHER, user, PASSWORD, "tiny", keep_session=None, now=NOW)
    assert authenticate(db, HASHER, user.email, PASSWORD) == user


def test_changing_the_password_signs_out_other_browsers_but_not_this_one(db: Database) -> None:
    user = make_user(db)
    other_person = make_user(db, "bo@example.org")
    here = start_session(db, user.id, now=NOW, idle=IDLE)
    phone = start_session(db, user.id, now=NOW, idle=IDLE)
    theirs = start_session(db, other_person.id, now=NOW, idle=IDLE)
    this_one = signed_in(db, here, now=NOW, idle=IDLE)
    assert this_one is not None

    later = NOW + dt.timedelta(minutes=1)
    change_password(
        db, HASHER, user, PASSWORD, NEW_PASSWORD, keep_session=this_one.session_hash, now=later
    )

    assert _alive(db, here, at=later)
    assert not _alive(db, phone, at=later)
    assert _alive(db, theirs, at=later)
    assert authenticate(db, HASHER, user.email, PASSWORD) is None
    assert authenticate(db, HASHER, user.email, NEW_PASSWORD) == user


def test_changing_the_password_without_a_session_to_keep_signs_out_everywhere(
    db: Database,
) -> None:
    user = make_user(db)
    tokens = [start_session(db, user.id, now=NOW, idle=IDLE) for _ in range(2)]
    change_password(db, HASHER, user, PASSWORD, NEW_PASSWORD, keep_session=None, now=NOW)
    assert not any(_alive(db, t) for t in tokens)


# --- resetting the password with a one-time link ---------------------------------------


def test_a_reset_link_sets_a_new_password_and_signs_out_everywhere(db: Database) -> None:
    user = make_user(db)
    sessions = [start_session(db, user.id, now=NOW, idle=IDLE) for _ in range(2)]
    token = new_reset_link_token(db, "ANA@example.org", now=NOW)

    later = NOW + dt.timedelta(minutes=10)
    assert reset_password(db, HASHER, token, NEW_PASSWORD, now=later) == user

    assert authenticate(db, HASHER, user.email, NEW_PASSWORD) == user
    assert authenticate(db, HASHER, user.email, PASSWORD) is None
    assert not any(_alive(db, s, at=later) for s in sessions)


def test_a_reset_link_works_only_once(db: Database) -> None:
    make_user(db)
    token = new_reset_link_token(db, "ana@example.org", now=NOW)
    reset_password(db, HASHER, token, NEW_PASSWORD, now=NOW)
    with pytest.raises(AccountError, match="expired or was already used"):
        reset_password(db, HASHER, token, "yet another passphrase", now=NOW)
    assert authenticate(db, HASHER, "ana@example.org", NEW_PASSWORD) is not None


def test_a_reset_link_expires_after_its_hours(db: Database) -> None:
    make_user(db)
    lasts = dt.timedelta(hours=RESET_LINK_HOURS)
    late = new_reset_link_token(db, "ana@example.org", now=NOW)
    with pytest.raises(AccountError, match="expired or was already used"):
        reset_password(db, HASHER, late, NEW_PASSWORD, now=NOW + lasts)
    in_time = new_reset_link_token(db, "ana@example.org", now=NOW)
    reset_password(db, HASHER, in_time, NEW_PASSWORD, now=NOW + lasts - dt.timedelta(seconds=1))
    assert authenticate(db, HASHER, "ana@example.org", NEW_PASSWORD) is not None


def test_using_one_reset_link_stops_the_other_unused_ones(db: Database) -> None:
    make_user(db)
    bo = make_user(db, "bo@example.org")
    first = new_reset_link_token(db, "ana@example.org", now=NOW)
    second = new_reset_link_token(db, "ana@example.org", now=NOW + dt.timedelta(minutes=1))
    theirs = new_reset_link_token(db, "bo@example.org", now=NOW)
    reset_password(db, HASHER, second, NEW_PASSWORD, now=NOW + dt.timedelta(minutes=2))
    with pytest.raises(AccountError, match="expired or was already used"):
        reset_password(db, HASHER, first, "yet another passphrase", now=NOW)
    # Someone else's link is theirs alone and still works.
    assert reset_password(db, HASHER, theirs, NEW_PASSWORD, now=NOW) == bo


def test_a_reset_link_used_by_several_requests_at_once_works_for_one(db: Database) -> None:
    """Four workers race with one link: one sets its password, three are told it was used."""
    make_user(db)
    token = new_reset_link_token(db, "ana@example.org", now=NOW)

    def use(worker: Database, index: int) -> str | None:
        try:
            reset_password(worker, HASHER, token, f"{NEW_PASSWORD} {index}", now=NOW)
        except AccountError:
            return None
        return f"{NEW_PASSWORD} {index}"

    chosen = [p for p in in_parallel(db, use, threads=4, engines=4) if p is not None]
    assert len(chosen) == 1
    assert authenticate(db, HASHER, "ana@example.org", chosen[0]) is not None


def test_a_weak_password_does_not_use_up_the_reset_link(db: Database) -> None:
    make_user(db)
    token = new_reset_link_token(db, "ana@example.org", now=NOW)
    with pytest.raises(AccountError, match=f"at least {MIN_LENGTH} characters"):
        reset_password(db, HASHER, token, "tiny", now=NOW)
    reset_password(db, HASHER, token, NEW_PASSWORD, now=NOW)
    assert authenticate(db, HASHER, "ana@example.org", NEW_PASSWORD) is not None


def test_a_made_up_reset_token_or_unknown_address_is_refused(db: Database) -> None:
    make_user(db)
    with pytest.raises(AccountError, match="expired or was already used"):
        reset_password(db, HASHER, "not-a-real-token", NEW_PASSWORD, now=NOW)
    with pytest.raises(AccountError, match="no account with the email address nobody@example"):
        new_reset_link_token(db, "Nobody@example.org", now=NOW)
    assert authenticate(db, HASHER, "ana@example.org", PASSWORD) is not None
