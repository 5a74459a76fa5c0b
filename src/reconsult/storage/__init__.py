"""Persistence: the database engine, its schema (Alembic migrations) and repositories.

SQLite in the user's data directory by default, PostgreSQL when the settings
say so; the same models and migrations serve both.
"""

from __future__ import annotations

from reconsult.storage.database import Database, open_database

__all__ = ["Database", "open_database"]
