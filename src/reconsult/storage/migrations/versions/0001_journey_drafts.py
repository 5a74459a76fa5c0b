"""Journey drafts: answers to the guided questions, kept between pages.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journey_drafts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_journey_drafts_updated_at", "journey_drafts", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_journey_drafts_updated_at", table_name="journey_drafts")
    op.drop_table("journey_drafts")
