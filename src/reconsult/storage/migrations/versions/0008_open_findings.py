"""Journal notes keep the findings their answer left open, and what became of each.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

One new JSON column on case_journal; notes written before it hold an empty
list (their answers were never carried to the next note).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_journal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("raised", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("case_journal", schema=None) as batch_op:
        batch_op.drop_column("raised")
