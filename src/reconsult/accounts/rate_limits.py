"""Count attempts in the database over a sliding window, so a limit holds across every worker.

Each attempt is one row (``rate_limit_hits``), written and committed before
it is counted. The attempt is allowed if, counting itself, no more than the
limit of its key's rows are younger than the window; a refused attempt takes
its row back out, so refusals do not keep anyone waiting longer. Because
every attempt counts only after its own row is visible to everyone, the n-th
attempt to be written always counts at least n: across any number of workers
and threads no more than the limit get through (there is a test of it). The
window slides: there is no clock edge where a second burst fits.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from reconsult.accounts.tables import RateLimitHitRow
from reconsult.accounts.times import aware
from reconsult.storage import Database

__all__ = ["Limit", "RateDecision", "count_attempt", "retry_after"]


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` in any ``seconds``."""

    attempts: int
    seconds: int


@dataclass(frozen=True)
class RateDecision:
    """Whether the attempt may go ahead, and if not, how many seconds until it may."""

    allowed: bool
    retry_after: int


def retry_after(until: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds from ``now`` until ``until``, at least 1 (never "try again in 0 seconds")."""
    return max(1, math.ceil((until - now).total_seconds()))


def count_attempt(db: Database, key: str, limit: Limit, *, now: dt.datetime) -> RateDecision:
    """Count one attempt for ``key`` and say whether it is within ``limit``."""
    key = key.replace("\x00", "\ufffd")[:200]
    window = dt.timedelta(seconds=limit.seconds)
    with db.session() as session:
        session.execute(delete(RateLimitHitRow).where(RateLimitHitRow.expires_at <= now))
        row = RateLimitHitRow(key=key, at=now, expires_at=now + window)
        session.add(row)
        session.flush()
        mine = row.pk
    recent = (RateLimitHitRow.key == key, RateLimitHitRow.at > now - window)
    with db.session() as session:
        count = int(
            session.scalar(select(func.count()).select_from(RateLimitHitRow).where(*recent)) or 0
        )
        if count <= limit.attempts:
            return RateDecision(allowed=True, retry_after=0)
        session.execute(delete(RateLimitHitRow).where(RateLimitHitRow.pk == mine))
        # Allowed again once enough of the others are older than the window.
        leaving = session.scalar(
            select(RateLimitHitRow.at)
            .where(*recent)
            .order_by(RateLimitHitRow.at, RateLimitHitRow.pk)
            .offset(count - 1 - limit.attempts)
            .limit(1)
        )
    until = aware(leaving) + window if leaving is not None else now + window
    return RateDecision(allowed=False, retry_after=retry_after(until, now))
