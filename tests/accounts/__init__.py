"""Server mode's accounts: sign-up and sign-in, sessions, rate limits, access to cases, audit.

Shared helpers live here: a fixed "now", a fast argon2id hasher (argon2-cffi's
CHEAPEST profile; one test checks the real default), and factories with
keyword-only arguments for an account and an owned case.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher, profiles

from reconsult.accounts.access import claim_case
from reconsult.accounts.users import User, sign_up
from reconsult.casefile.repository import create_case
from reconsult.storage import Database, open_database

NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
PASSWORD = "plum tree by the gate"
HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)
T = TypeVar("T")


def make_user(
    db: Database,
    email: str = "ana@example.org",
    *,
    password: str = PASSWORD,
    now: dt.datetime = NOW,
) -> User:
    """Sign up an account (cheap hasher) and return it."""
    return sign_up(db, HASHER, email, password, now=now)


def make_owned_case(db: Database, owner: User, *, title: str = "My lips") -> str:
    """Start a case owned by ``owner`` and return its id."""
    case_id = create_case(db, title=title).id
    claim_case(db, case_id, owner.id)
    return case_id


def in_parallel(
    db: Database, work: Callable[[Database, int], T], *, threads: int, engines: int
) -> list[T]:
    """Run ``work(engine, index)`` in ``threads`` threads at once, as server workers would.

    The threads share ``engines`` new engines on ``db``'s database (each one a
    worker's connection pool) and start together at a barrier; the results
    come back in index order.
    """
    url = db.engine.url.render_as_string(hide_password=False)
    workers = [open_database(url, run_migrations=False) for _ in range(engines)]
    start = threading.Barrier(threads)

    def run(index: int) -> T:
        start.wait()
        return work(workers[index % engines], index)

    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            return list(pool.map(run, range(threads)))
    finally:
        for worker in workers:
            worker.close()
