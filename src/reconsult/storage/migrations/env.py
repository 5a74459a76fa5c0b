"""Alembic environment: run migrations on the connection reconsult hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import reconsult.accounts.tables  # registers the server mode's tables
import reconsult.casefile.tables  # noqa: F401  (registers the case file tables)
from reconsult.storage.models import Base


def run_migrations(connection: Connection) -> None:
    """Run the migrations in one transaction; batch mode because SQLite barely supports ALTER."""
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
