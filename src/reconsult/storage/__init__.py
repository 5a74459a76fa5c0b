"""Persistence: the database engine, its sessions and the Alembic migrations; journey drafts.

SQLite in the user's data directory by default, PostgreSQL when the settings
say so; the same migrations serve both. It knows no capability: each package
declares its own tables on :class:`~reconsult.storage.models.Base`, and
:mod:`reconsult.backup` is the one place that gathers them all.
"""

from __future__ import annotations

from reconsult.storage.database import Database, open_database

__all__ = ["Database", "open_database"]
