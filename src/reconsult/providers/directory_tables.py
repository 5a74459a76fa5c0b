"""The provider directory's tables: providers, their listed specialties, staging copies, imports.

A monthly import writes into the two ``*_staging`` tables with small commits
and then swaps them in with one short transaction, so the directory people
search is never half-replaced and an interrupted import changes nothing.
The distance index is not a table of these models: an SQLite R*Tree virtual
table (``provider_locations``) or a PostgreSQL GiST index on the point of
each provider, made by migration 0005 and kept in step by
:mod:`reconsult.providers.directory_store`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from reconsult.storage.models import Base

__all__ = [
    "code_bits",
    "imports",
    "providers",
    "providers_staging",
    "taxonomies",
    "taxonomies_staging",
]

SPATIAL_TABLE = "provider_locations"  # SQLite R*Tree; PostgreSQL uses an index instead


def _provider_columns() -> list[Column[Any]]:
    return [
        Column("npi", String(10), primary_key=True),
        Column("last_name", Text, nullable=False),
        Column("first_name", Text, nullable=False),
        Column("middle_name", Text),
        Column("prefix", Text),
        Column("suffix", Text),
        Column("credential", Text),
        Column("address_line1", Text, nullable=False),
        Column("address_line2", Text),
        Column("city", Text, nullable=False),
        Column("state", Text, nullable=False),
        Column("postal_code", String(5), nullable=False),
        Column("phone", Text),
        Column("latitude", Float, nullable=False),
        Column("longitude", Float, nullable=False),
        Column("enumerated_on", Date),
        Column("updated_on", Date),
    ]


def _taxonomy_columns(parent: str | None) -> list[Column[Any]]:
    npi: Any = (
        Column("npi", String(10), ForeignKey(f"{parent}.npi", ondelete="CASCADE"), primary_key=True)
        if parent
        else Column("npi", String(10), primary_key=True)
    )
    return [
        npi,
        Column("slot", Integer, primary_key=True),
        Column("code", String(10), nullable=False),
        Column("is_primary", Boolean, nullable=False),
        Column("license_number", Text),
        Column("license_state", Text),
    ]


providers = Table("providers", Base.metadata, *_provider_columns())
taxonomies = Table(
    "provider_taxonomies",
    Base.metadata,
    *_taxonomy_columns("providers"),
    Index("ix_provider_taxonomies_code", "code"),
)
providers_staging = Table("providers_staging", Base.metadata, *_provider_columns())
taxonomies_staging = Table("provider_taxonomies_staging", Base.metadata, *_taxonomy_columns(None))

# Which bit of the R*Tree's specialty masks stands for which taxonomy code.
code_bits = Table(
    "provider_code_bits",
    Base.metadata,
    Column("code", String(10), primary_key=True),
    Column("bit", Integer, nullable=False),
)

imports = Table(
    "provider_imports",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("kind", String(10), nullable=False),  # monthly | weekly
    Column("file_date", Date),  # the last day the file covers (from CMS's file name)
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("providers_kept", Integer, nullable=False),  # monthly: kept; weekly: added or updated
    Column("providers_removed", Integer, nullable=False),  # weekly: removed
    Column("skipped", JSON, nullable=False),  # reason -> count
    Column("problem_count", Integer, nullable=False),
    Column("problems", JSON, nullable=False),  # [[line, reason], ...], the first 1000
    Column("directory_size", Integer, nullable=False),  # providers in the directory afterwards
)
