"""Signed-in browsers: kept in the database, ended by idleness or by signing out."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select

from reconsult.accounts.access import add_staff, create_clinic
from reconsult.accounts.sessions import (
    TOUCH_EVERY,
    end_all_sessions,
    end_other_sessions,
    end_session,
    signed_in,
    start_session,
)
from reconsult.accounts.tables import SessionRow
from reconsult.accounts.times import aware
from reconsult.storage import Database
from tests.accounts import NOW, make_user

IDLE = dt.timedelta(hours=8)
SECOND = dt.timedelta(seconds=1)


def _row(db: Database, token: str) -> SessionRow | None:
    hashed = hashlib.sha256(token.encode()).hexdigest()
    with db.session() as session:
        return session.get(SessionRow, hashed)


def _count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(SessionRow)) or 0)


def test_a_new_session_says_who_is_signed_in(db: Database) -> None:
    user = make_user(db)
    token = start_session(db, user.id, now=NOW, idle=IDLE)
    who = signed_in(db, token, now=NOW, idle=IDLE)
    assert who is not None
    assert (who.user_id, who.email) == (user.id, "ana@example.org")
    assert who.session_hash == hashlib.sha256(token.encode()).hexdigest()
    assert who.clinics == () and who.clinic_names == ()


def test_the_database_keeps_only_a_hash_of_the_token(db: Database) -> None:
    user = make_user(db)
    token = start_session(db, user.id, now=NOW, idle=IDLE)
    assert len(token) >= 43  # 256 random bits, URL-safe base64
    with db.session() as session:
        stored = session.scalars(select(SessionRow.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in stored


def test_an_unknown_token_is_nobody(db: Database) -> None:
    user = make_user(db)
    start_session(db, user.id, now=NOW, idle=IDLE)
    assert signed_in(db, "made-up", now=NOW, idle=IDLE) is None
    assert signed_in(db, "", now=NOW, idle=IDLE) is None


def test_a_session_ends_after_the_idle_time(db: Database) -> None:
    user = make_user(db)
    token = start_session(db, user.id, now=NOW, idle=IDLE)
    assert signed_in(db, token, now=NOW + IDLE - SECOND, idle=IDLE) is not None
    token = start_session(db, user.id, now=NOW, idle=IDLE)
    assert signed_in(db, token, now=NOW + IDLE, idle=IDLE) is None


def test_using_a_session_keeps_it_alive(db: Database) -> None:
    user = make_user(db)
    token = start_session(db, user.id, now=NOW, idle=IDLE)
    used = NOW + IDLE - dt.timedelta(minutes=30)
    assert signed_in(db, token, now=used, idle=IDLE) is not None
    # Past the first end, but within the idle time of the last use.
    assert signed_in(db, token, now=used + IDLE - SECOND, idle=IDLE) is not None
    row = _row(db, token)
    assert row is not None
    assert aware(row.expires_at) > NOW + IDLE


def test_a_session_is_written_at_most_every_few_minutes(db: Database) -> None:
    user = make_user(db)
    token = start_session(db, user.id, now=NOW, idle=IDLE)

    soon = NOW + TOUCH_EVERY - SECOND
    assert signed_in(db, token, now=soon, idle=IDLE) is not None
    row = _row(db, token)
    assert row is not None
    assert aware(row.last_seen_at) == NOW  # not written: too soon after the last write
    assert aware(row.expires_at) == NOW + IDLE

    later = NOW + TOUCH_EVERY
    assert signed_in(db, token, now=later, idle=IDLE) is not None
    row = _row(db, token)
    assert row is not None
    assert aware(row.last_seen_at) == later
    assert aware(row.expires_at) == later + IDLE


def test_signing_out_ends_this_browser_only(db: Database) -> None:
    user = make_user(db)
    laptop = start_session(db, user.id, now=NOW, idle=IDLE)
    phone = start_session(db, user.id, now=NOW, idle=IDLE)
    end_session(db, laptop)
    assert signed_in(db, laptop, now=NOW, idle=IDLE) is None
    assert signed_in(db, phone, now=NOW, idle=IDLE) is not None
    end_session(db, laptop)  # twice is harmless


def test_signing_out_everywhere_ends_every_session_of_that_account(db: Database) -> None:
    user = make_user(db)
    other = make_user(db, "bo@example.org")
    mine = [start_session(db, user.id, now=NOW, idle=IDLE) for _ in range(3)]
    theirs = start_session(db, other.id, now=NOW, idle=IDLE)
    assert end_all_sessions(db, user.id) == 3
    assert all(signed_in(db, t, now=NOW, idle=IDLE) is None for t in mine)
    assert signed_in(db, theirs, now=NOW, idle=IDLE) is not None
    assert end_all_sessions(db, user.id) == 0


def test_signing_out_other_browsers_keeps_this_one(db: Database) -> None:
    user = make_user(db)
    other = make_user(db, "bo@example.org")
    here = start_session(db, user.id, now=NOW, idle=IDLE)
    elsewhere = [start_session(db, user.id, now=NOW, idle=IDLE) for _ in range(2)]
    theirs = start_session(db, other.id, now=NOW, idle=IDLE)
    who = signed_in(db, here, now=NOW, idle=IDLE)
    assert who is not None
    assert end_other_sessions(db, user.id, who.session_hash) == 2
    assert signed_in(db, here, now=NOW, idle=IDLE) is not None
    assert all(signed_in(db, t, now=NOW, idle=IDLE) is None for t in elsewhere)
    assert signed_in(db, theirs, now=NOW, idle=IDLE) is not None
    assert end_other_sessions(db, user.id, who.session_hash) == 0


def test_ended_sessions_are_cleared_away_when_a_new_one_starts(db: Database) -> None:
    user = make_user(db)
    start_session(db, user.id, now=NOW, idle=IDLE)
    start_session(db, user.id, now=NOW + IDLE - SECOND, idle=IDLE)
    assert _count(db) == 2
    start_session(db, user.id, now=NOW + IDLE, idle=IDLE)  # the first one has ended by now
    assert _count(db) == 2


def test_a_session_names_the_clinics_its_account_works_for(db: Database) -> None:
    user = make_user(db)
    for name in ("Zinnia Clinic", "Aster Clinic"):
        clinic = create_clinic(db, name, now=NOW)
        add_staff(db, name, user.email, now=NOW)
        if name == "Aster Clinic":
            aster = clinic.id
    create_clinic(db, "Not Theirs", now=NOW)
    token = start_session(db, user.id, now=NOW, idle=IDLE)
    who = signed_in(db, token, now=NOW, idle=IDLE)
    assert who is not None
    assert who.clinic_names == ("Aster Clinic", "Zinnia Clinic")
    assert who.clinics[0] == aster and len(who.clinics) == 2
