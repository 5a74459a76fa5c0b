"""Records-request letters kept with the case: the jurisdiction and the letter's text.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

Requests logged before this revision keep working: the server defaults give
them an empty jurisdiction and letter, which the code reads as "not kept".
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_records_requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("jurisdiction", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("letter_text", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("case_records_requests", schema=None) as batch_op:
        batch_op.drop_column("letter_text")
        batch_op.drop_column("jurisdiction")
