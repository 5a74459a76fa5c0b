"""The provider directory: providers, their specialties, staging copies, imports, distance index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21

The distance index differs by database: SQLite gets an R*Tree virtual table
(compiled into CPython's sqlite3) with one entry per provider and kept
specialty, whose id also says which specialty (its bit in
``provider_code_bits``) and whether it is the main one, so a search reads
nothing else;
PostgreSQL a GiST index on ``point(longitude, latitude)`` (core PostgreSQL,
no extension needed).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _provider_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("npi", sa.String(10), primary_key=True),
        sa.Column("last_name", sa.Text(), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("middle_name", sa.Text()),
        sa.Column("prefix", sa.Text()),
        sa.Column("suffix", sa.Text()),
        sa.Column("credential", sa.Text()),
        sa.Column("address_line1", sa.Text(), nullable=False),
        sa.Column("address_line2", sa.Text()),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("postal_code", sa.String(5), nullable=False),
        sa.Column("phone", sa.Text()),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("enumerated_on", sa.Date()),
        sa.Column("updated_on", sa.Date()),
    ]


def _taxonomy_columns(parent: str | None) -> list[sa.Column[Any]]:
    npi: Any = (
        sa.Column(
            "npi",
            sa.String(10),
            sa.ForeignKey(f"{parent}.npi", ondelete="CASCADE"),
            primary_key=True,
        )
        if parent
        else sa.Column("npi", sa.String(10), primary_key=True)
    )
    return [
        npi,
        sa.Column("slot", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("license_number", sa.Text()),
        sa.Column("license_state", sa.Text()),
    ]


def upgrade() -> None:
    op.create_table("providers", *_provider_columns())
    op.create_table("provider_taxonomies", *_taxonomy_columns("providers"))
    op.create_index("ix_provider_taxonomies_code", "provider_taxonomies", ["code"])
    op.create_table("providers_staging", *_provider_columns())
    op.create_table("provider_taxonomies_staging", *_taxonomy_columns(None))
    op.create_table(
        "provider_imports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("file_date", sa.Date()),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("providers_kept", sa.Integer(), nullable=False),
        sa.Column("providers_removed", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("problem_count", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("directory_size", sa.Integer(), nullable=False),
    )
    op.create_table(
        "provider_code_bits",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("bit", sa.Integer(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE provider_locations "
            "USING rtree(id, min_lat, max_lat, min_lon, max_lon)"
        )
    else:
        op.execute(
            "CREATE INDEX ix_providers_location ON providers "
            "USING gist (point(longitude, latitude))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE provider_locations")
    else:
        op.execute("DROP INDEX ix_providers_location")
    op.drop_table("provider_code_bits")
    op.drop_table("provider_imports")
    op.drop_table("provider_taxonomies_staging")
    op.drop_table("providers_staging")
    op.drop_index("ix_provider_taxonomies_code", "provider_taxonomies")
    op.drop_table("provider_taxonomies")
    op.drop_table("providers")
