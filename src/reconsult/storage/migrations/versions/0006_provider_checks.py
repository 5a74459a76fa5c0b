"""Case files keep what the person checked about a provider, and the red flags they noticed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21

One new table; no existing row changes. The checklist items and red flags
are JSON lists (the knowledge base decides which ids exist).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_provider_checks",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("provider_name", sa.String(length=500), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("procedure", sa.String(length=64), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("case_id", "id"),
    )
    with op.batch_alter_table("case_provider_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_provider_checks_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_provider_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_provider_checks_case_id"))

    op.drop_table("case_provider_checks")
