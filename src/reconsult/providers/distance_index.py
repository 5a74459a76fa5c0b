"""The distance index of the provider directory: which provider, with which kept specialty, where.

PostgreSQL searches the providers table itself (its GiST index follows the
table). SQLite searches an R*Tree with one entry per provider and kept
specialty at the provider's point; the entry's id says which NPI, which
specialty and whether it is the main one (:func:`location_id`), so a search
reads only the R*Tree and keeps its two dimensions for distance alone. The
specialty bits are stored in ``provider_code_bits``. Everything here runs in
the caller's transaction, and does nothing on PostgreSQL except store the bits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import Connection, delete, insert, select, text

from reconsult.providers.directory_tables import SPATIAL_TABLE, code_bits, taxonomies
from reconsult.providers.models import ProviderTaxonomy

__all__ = [
    "MAX_CODE_BITS",
    "add_locations",
    "drop_locations",
    "index_codes",
    "location_id",
    "read_location_id",
    "rebuild_locations",
    "stored_bits",
]


MAX_CODE_BITS = 32  # five bits of an R*Tree entry's id


def location_id(npi: str, bit: int, is_main: bool) -> int:
    """The R*Tree id of one provider's kept specialty: NPI, specialty bit, main or not."""
    return int(npi) * 64 + bit * 2 + int(is_main)


def read_location_id(number: int) -> tuple[str, int, bool]:
    """NPI, specialty bit and main-or-not from an R*Tree id."""
    return str(number >> 6), (number >> 1) & 31, bool(number & 1)


def stored_bits(connection: Connection) -> dict[str, int]:
    """Which bit stands for which kept taxonomy code."""
    rows = connection.execute(select(code_bits.c.code, code_bits.c.bit))
    return {str(code): int(bit) for code, bit in rows}


def _location_ids(npi: str, listed: Iterable[ProviderTaxonomy], bits: dict[str, int]) -> set[int]:
    return {location_id(npi, bits[t.code], t.is_primary) for t in listed if t.code in bits}


def drop_locations(connection: Connection, npi: str, bits: dict[str, int]) -> None:
    """Take one provider's entries out of the SQLite R*Tree (before their specialties go)."""
    if connection.dialect.name != "sqlite":
        return
    stored = connection.execute(
        select(taxonomies.c.code, taxonomies.c.is_primary).where(taxonomies.c.npi == npi)
    )
    listed = [ProviderTaxonomy(code, bool(main), None, None) for code, main in stored]
    for number in _location_ids(npi, listed, bits):
        connection.execute(text(f"DELETE FROM {SPATIAL_TABLE} WHERE id = :id"), {"id": number})  # noqa: S608 (table names from our own metadata and integers; values are bound)


def add_locations(
    connection: Connection,
    npi: str,
    listed: Iterable[ProviderTaxonomy],
    point: tuple[float, float],
    bits: dict[str, int],
) -> None:
    """Put one provider in the SQLite R*Tree at ``point`` (latitude, longitude).

    PostgreSQL's index follows the table itself.
    """
    if connection.dialect.name != "sqlite":
        return
    lat, lon = point
    for number in _location_ids(npi, listed, bits):
        connection.execute(
            text(f"INSERT INTO {SPATIAL_TABLE} VALUES (:id, :lat, :lat, :lon, :lon)"),  # noqa: S608 (table names from our own metadata and integers; values are bound)
            {"id": number, "lat": lat, "lon": lon},
        )


def index_codes(connection: Connection, codes: Collection[str]) -> None:
    """Store a bit for each kept specialty code, then refill the SQLite R*Tree.

    PostgreSQL's GiST index needs nothing but the bits.
    """
    if len(codes) > MAX_CODE_BITS:
        raise ValueError(f"the directory can index at most {MAX_CODE_BITS} specialties")
    connection.execute(delete(code_bits))
    if codes:
        connection.execute(
            insert(code_bits), [{"code": c, "bit": i} for i, c in enumerate(sorted(codes))]
        )
    rebuild_locations(connection)


def rebuild_locations(connection: Connection) -> None:
    """Refill the SQLite R*Tree from the directory and its stored specialty bits.

    For when the directory's tables were written some other way than by an
    import (a restored backup). PostgreSQL's GiST index follows the table
    itself, so there it does nothing.
    """
    if connection.dialect.name != "sqlite":
        return
    connection.execute(text(f"DELETE FROM {SPATIAL_TABLE}"))  # noqa: S608 (table names from our own metadata and integers; values are bound)
    connection.execute(
        text(
            f"INSERT INTO {SPATIAL_TABLE} SELECT DISTINCT "  # noqa: S608 (table names from our own metadata and integers; values are bound)
            "CAST(p.npi AS INTEGER) * 64 + b.bit * 2 + CASE WHEN t.is_primary THEN 1 ELSE 0 END, "
            "p.latitude, p.latitude, p.longitude, p.longitude "
            "FROM provider_taxonomies t JOIN provider_code_bits b ON b.code = t.code "
            "JOIN providers p ON p.npi = t.npi"
        )
    )
