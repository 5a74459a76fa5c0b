"""Rate limits counted in the database over a sliding window: one count for every worker."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from reconsult.accounts.rate_limits import Limit, count_attempt
from reconsult.accounts.tables import RateLimitHitRow
from reconsult.storage import Database
from tests.accounts import NOW, in_parallel

MINUTE = Limit(attempts=3, seconds=60)


def _at(seconds: float) -> dt.datetime:
    return NOW + dt.timedelta(seconds=seconds)


def _keys(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(RateLimitHitRow.key).order_by(RateLimitHitRow.pk)))


def test_the_attempt_after_the_limit_waits_until_the_oldest_is_a_window_old(db: Database) -> None:
    for second in (10, 20, 30):
        assert count_attempt(db, "sign-up:ip:203.0.113.9", MINUTE, now=_at(second)).allowed
    refused = count_attempt(db, "sign-up:ip:203.0.113.9", MINUTE, now=_at(40))
    assert not refused.allowed
    assert refused.retry_after == 30  # the attempt at 10 s is a minute old at 70 s
    assert not count_attempt(db, "sign-up:ip:203.0.113.9", MINUTE, now=_at(69.5)).allowed
    assert count_attempt(db, "sign-up:ip:203.0.113.9", MINUTE, now=_at(70.5)).allowed


def test_no_clock_edge_lets_a_second_burst_through(db: Database) -> None:
    """A fixed window let 3 attempts at 59 s and 3 more at 61 s; a sliding one does not."""
    burst = [count_attempt(db, "k", MINUTE, now=_at(59)).allowed for _ in range(3)]
    after_the_minute = [count_attempt(db, "k", MINUTE, now=_at(61)).allowed for _ in range(3)]
    assert burst == [True, True, True]
    assert after_the_minute == [False, False, False]
    assert count_attempt(db, "k", MINUTE, now=_at(119.5)).allowed


def test_refused_attempts_do_not_make_the_wait_longer(db: Database) -> None:
    for _ in range(3):
        count_attempt(db, "k", MINUTE, now=_at(0))
    for second in range(1, 60, 5):
        assert not count_attempt(db, "k", MINUTE, now=_at(second)).allowed
    assert count_attempt(db, "k", MINUTE, now=_at(60.5)).allowed


def test_retry_after_is_a_whole_second_and_never_zero(db: Database) -> None:
    for _ in range(3):
        count_attempt(db, "k", MINUTE, now=_at(10.25))
    assert count_attempt(db, "k", MINUTE, now=_at(10.25)).retry_after == 60
    assert count_attempt(db, "k", MINUTE, now=_at(70.2)).retry_after == 1


def test_keys_are_counted_apart(db: Database) -> None:
    for _ in range(3):
        count_attempt(db, "sign-up:ip:203.0.113.9", MINUTE, now=NOW)
    assert not count_attempt(db, "sign-up:ip:203.0.113.9", MINUTE, now=NOW).allowed
    assert count_attempt(db, "sign-up:ip:203.0.113.10", MINUTE, now=NOW).allowed
    assert count_attempt(db, "uploads:user:ana", MINUTE, now=NOW).allowed


def test_old_attempts_are_cleared_away(db: Database) -> None:
    for key in ("a", "b"):
        count_attempt(db, key, MINUTE, now=_at(1))
    count_attempt(db, "c", MINUTE, now=_at(61))
    assert _keys(db) == ["c"]


def test_a_long_key_is_cut_to_fit(db: Database) -> None:
    key = "sign-up:ip:" + "x" * 400
    for _ in range(3):
        assert count_attempt(db, key, MINUTE, now=NOW).allowed
    assert not count_attempt(db, key, MINUTE, now=NOW).allowed


def test_the_count_is_shared_by_every_worker_and_thread(db: Database) -> None:
    """8 threads over 4 engines (as 4 server workers) try 25 times each; at most 100 pass.

    Attempts that count at the same moment can each see the others and all be
    refused, so a few fewer than 100 may pass; never more.
    """
    limit = Limit(attempts=100, seconds=3600)

    def attempts(worker: Database, _thread: int) -> int:
        return sum(
            count_attempt(worker, "uploads:ip:198.51.100.7", limit, now=NOW).allowed
            for _ in range(25)
        )

    allowed = in_parallel(db, attempts, threads=8, engines=4)
    assert 90 <= sum(allowed) <= 100
    assert len(_keys(db)) == sum(allowed)  # the refused ones took their rows back out
