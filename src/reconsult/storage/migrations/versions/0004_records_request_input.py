"""Records-request letters keep what they were made from, so the PDF can be printed again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21

Requests logged before this revision have no stored input (NULL): their
plain-text letter is still kept, but no PDF can be made again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_records_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_records_requests", schema=None) as batch_op:
        batch_op.drop_column("request")
