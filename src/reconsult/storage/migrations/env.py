"""Alembic environment: run migrations on the connection reconsult hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from reconsult.storage.models import Base


def run_migrations(connection: Connection) -> None:
    """Run the migrations in one transaction; batch mode because SQLite barely supports ALTER.

    Each migration says what it changes, so running them needs no table
    module; ``Base.metadata`` holds whichever tables are imported (for
    autogenerate, import :mod:`reconsult.backup.tables` first).
    """
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - reconsult always passes its own connection
    raise RuntimeError("Run migrations through reconsult.storage.database.migrate().")
run_migrations(connection)
