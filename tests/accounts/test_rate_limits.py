"""Rate limits counted in the database: one count for every worker and connection."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from reconsult.accounts.rate_limits import Limit, count_attempt
from reconsult.accounts.tables import RateLimitRow
from reconsult.storage import Database, open_database
from tests.accounts import NOW

# NOW is 09:30:00 UTC: a whole minute, so a 60-second window starts there.
MINUTE = Limit(attempts=3, seconds=60)


def _at(seconds: float) -> dt.datetime:
    return NOW + dt.timedelta(seconds=seconds)


def _rows(db: Database) -> list[tuple[str, int]]:
    with db.session() as session:
        return [
            (r.key, r.hits)
            for r in session.execute(
                select(RateLimitRow.key, RateLimitRow.hits).order_by(RateLimitRow.key)
            )
        ]


def test_the_attempt_after_the_limit_is_refused_until_the_window_ends(db: Database) -> None:
    decisions = [count_attempt(db, "sign-in:ip:203.0.113.9", MINUTE, now=_at(10)) for _ in range(3)]
    assert all(d.allowed and d.retry_after == 0 for d in decisions)
    refused = count_attempt(db, "sign-in:ip:203.0.113.9", MINUTE, now=_at(10))
    assert not refused.allowed
    assert refused.retry_after == 50  # the window ends at 09:31:00
    late = count_attempt(db, "sign-in:ip:203.0.113.9", MINUTE, now=_at(59.5))
    assert not late.allowed and late.retry_after == 1  # never "retry after 0 seconds"


def test_retry_after_rounds_up_to_a_whole_second(db: Database) -> None:
    for _ in range(3):
        count_attempt(db, "k", MINUTE, now=_at(10.25))
    assert count_attempt(db, "k", MINUTE, now=_at(10.25)).retry_after == 50


def test_a_new_window_allows_again(db: Database) -> None:
    for _ in range(4):
        count_attempt(db, "k", MINUTE, now=_at(30))
    assert not count_attempt(db, "k", MINUTE, now=_at(59)).allowed
    assert count_attempt(db, "k", MINUTE, now=_at(60)).allowed


def test_keys_are_counted_apart(db: Database) -> None:
    for _ in range(4):
        count_attempt(db, "sign-in:email:ana@example.org", MINUTE, now=NOW)
    assert not count_attempt(db, "sign-in:email:ana@example.org", MINUTE, now=NOW).allowed
    assert count_attempt(db, "sign-in:email:bo@example.org", MINUTE, now=NOW).allowed
    assert count_attempt(db, "sign-up:ip:203.0.113.9", MINUTE, now=NOW).allowed


def test_different_limits_on_one_key_use_their_own_windows(db: Database) -> None:
    hour = Limit(attempts=100, seconds=3600)
    for _ in range(4):
        count_attempt(db, "k", MINUTE, now=_at(5))
    assert count_attempt(db, "k-hourly", hour, now=_at(5)).allowed


def test_ended_windows_are_cleared_away(db: Database) -> None:
    for key in ("a", "b"):
        count_attempt(db, key, MINUTE, now=_at(1))
        count_attempt(db, key, MINUTE, now=_at(2))
    assert _rows(db) == [("a", 2), ("b", 2)]
    count_attempt(db, "c", MINUTE, now=_at(61))  # a new window: the old ones have ended
    assert _rows(db) == [("c", 1)]


def test_a_long_key_is_cut_to_fit(db: Database) -> None:
    key = "sign-in:email:" + "x" * 400
    for _ in range(3):
        assert count_attempt(db, key, MINUTE, now=NOW).allowed
    assert not count_attempt(db, key, MINUTE, now=NOW).allowed


def test_the_count_is_shared_by_every_worker_and_thread(db: Database) -> None:
    """8 threads over 4 engines (as 4 server workers) try 25 times each; exactly 100 pass."""
    url = db.engine.url.render_as_string(hide_password=False)
    workers = [open_database(url, run_migrations=False) for _ in range(4)]
    limit = Limit(attempts=100, seconds=3600)
    start = threading.Barrier(8)

    def attempts(thread: int) -> int:
        worker = workers[thread % len(workers)]
        start.wait()
        return sum(
            count_attempt(worker, "sign-in:ip:198.51.100.7", limit, now=NOW).allowed
            for _ in range(25)
        )

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            allowed = list(pool.map(attempts, range(8)))
    finally:
        for worker in workers:
            worker.close()
    assert sum(allowed) == 100
    assert _rows(db) == [("sign-in:ip:198.51.100.7", 200)]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(RateLimitRow)) == 1
