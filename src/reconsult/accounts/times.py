"""Read stored times back as UTC: SQLite returns naive datetimes for timezone-aware columns."""

from __future__ import annotations

import datetime as dt

__all__ = ["aware"]


def aware(when: dt.datetime) -> dt.datetime:
    """Return ``when`` with its time zone; a naive value was stored in UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
