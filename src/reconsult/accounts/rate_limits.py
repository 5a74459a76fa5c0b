"""Count attempts in the database, so a limit holds across every worker of a server.

A fixed window per key (for example ``sign-in:ip:203.0.113.9``): one
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` adds the attempt and reads
the count in one statement on PostgreSQL and SQLite alike. A fixed window lets
a burst through at a window's edge (at most twice the limit); that is enough
to stop password guessing and floods, which is what it is for.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from reconsult.accounts.tables import RateLimitRow
from reconsult.storage import Database

__all__ = ["Limit", "RateDecision", "count_attempt"]


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` in every ``seconds``."""

    attempts: int
    seconds: int


@dataclass(frozen=True)
class RateDecision:
    """Whether the attempt may go ahead, and if not, how many seconds until it may."""

    allowed: bool
    retry_after: int


def count_attempt(db: Database, key: str, limit: Limit, *, now: dt.datetime) -> RateDecision:
    """Count one attempt for ``key`` and say whether it is within ``limit``."""
    stamp = now.timestamp()
    window = int(stamp // limit.seconds)
    window_end = (window + 1) * limit.seconds
    expires = dt.datetime.fromtimestamp(window_end, dt.UTC)
    dialect = db.engine.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(RateLimitRow).values(
        key=key.replace("\x00", "\ufffd")[:200], window=window, hits=1, expires_at=expires
    )
    counted = statement.on_conflict_do_update(
        index_elements=[RateLimitRow.key, RateLimitRow.window],
        set_={"hits": RateLimitRow.hits + 1},
    ).returning(RateLimitRow.hits)
    with db.session() as session:
        hits = int(session.execute(counted).scalar_one())
        if hits == 1:  # a new window: forget windows that have ended
            session.execute(delete(RateLimitRow).where(RateLimitRow.expires_at <= now))
    if hits <= limit.attempts:
        return RateDecision(allowed=True, retry_after=0)
    return RateDecision(allowed=False, retry_after=max(1, math.ceil(window_end - stamp)))
