"""Sign-in limits that no stranger can use to lock someone out; sliding-window rate limits.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

``rate_limits`` (a count per clock-aligned window) becomes ``rate_limit_hits``
(one row per attempt, counted over a sliding window). ``sign_in_failures``
keeps each wrong password with the address it was for and where it came from;
``trusted_devices`` the browsers that signed in to an account before. The old
counters are not carried over: they last an hour at most.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _when(name: str) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.drop_table("rate_limits")
    op.create_table(
        "rate_limit_hits",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        _when("at"),
        _when("expires_at"),
        sa.PrimaryKeyConstraint("pk"),
    )
    _index("rate_limit_hits", "key", "expires_at")
    op.create_table(
        "sign_in_failures",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("pk"),
    )
    _index("sign_in_failures", "account", "source", "at")
    op.create_table(
        "trusted_devices",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        _when("created_at"),
        _when("expires_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    _index("trusted_devices", "expires_at", "user_id")


def downgrade() -> None:
    for table in ("trusted_devices", "sign_in_failures", "rate_limit_hits"):
        op.drop_table(table)
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        _when("expires_at"),
        sa.PrimaryKeyConstraint("key", "window"),
    )
    _index("rate_limits", "expires_at")
