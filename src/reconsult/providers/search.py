"""Find providers near a ZIP code whose listed specialty fits a procedure.

Ranked by how well the specialty fits (knowledge base, level 1 first), then
by whether it is the provider's main specialty, then by distance, then by
NPI so the order never changes between runs. Nothing paid or opaque takes
part in the ranking: there is nothing else in the directory to rank by.

The distance index narrows the search to a box around the ZIP first (SQLite
R*Tree, or PostgreSQL's GiST index on each provider's point); the exact
great-circle distance then decides who is within the radius.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator

from sqlalchemy import Connection, bindparam, select, text

from reconsult.errors import ReconsultError
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.provider_content import ProviderKind
from reconsult.providers.directory_tables import (
    SPATIAL_TABLE,
    code_bits,
    providers,
    taxonomies,
)
from reconsult.providers.distance_index import read_location_id
from reconsult.providers.geocode import ZipPlace, distances_from, find_place, zip5
from reconsult.providers.models import Provider, ProviderTaxonomy, SearchHit, SearchResult
from reconsult.storage import Database

__all__ = ["MAX_LIMIT", "MAX_RADIUS_MILES", "SearchError", "find_provider", "search_providers"]

MAX_RADIUS_MILES = 200.0
MAX_LIMIT = 200
_MILES_PER_DEGREE = 69.0


class SearchError(ReconsultError):
    """A search that cannot be run as asked; the message says what to change."""


def _place(zip_code: str) -> ZipPlace:
    """The place of the ZIP the person typed, or a SearchError saying what is wrong."""
    if zip5(zip_code) is None:
        if not zip_code.strip():
            raise SearchError(_("That is not a US ZIP code. Type 5 digits, like 10001."))
        raise SearchError(
            _("%(zip)s is not a US ZIP code. Type 5 digits, like 10001.")
            % {"zip": zip_code.strip()}
        )
    place = find_place(zip_code)
    if place is None:
        raise SearchError(
            _(
                "We do not know where ZIP code %(zip)s is. Check the number, or try a "
                "ZIP code near it."
            )
            % {"zip": zip5(zip_code)}
        )
    return place


def _box(place: ZipPlace, radius: float) -> dict[str, float]:
    """A latitude/longitude box that holds every point within ``radius`` miles."""
    dlat = radius / _MILES_PER_DEGREE
    dlon = radius / (_MILES_PER_DEGREE * max(math.cos(math.radians(place.latitude)), 0.01))
    return {
        "south": place.latitude - dlat,
        "north": place.latitude + dlat,
        "west": place.longitude - dlon,
        "east": place.longitude + dlon,
    }


def _candidates(
    connection: Connection, box: dict[str, float], codes: Collection[str]
) -> Iterator[tuple[str, float, float, str, bool]]:
    """Providers in the box who list one of ``codes``: (npi, latitude, longitude, code, primary).

    SQLite reads only the R*Tree, one entry per provider and kept specialty
    (:func:`~reconsult.providers.distance_index.location_id`); PostgreSQL
    uses the GiST index on the providers' points.
    """
    if connection.dialect.name == "sqlite":
        bits = {str(code): int(bit) for code, bit in connection.execute(select(code_bits))}
        code_of = {bit: code for code, bit in bits.items() if code in codes}
        if not code_of:
            return
        rows = connection.exec_driver_sql(
            f"SELECT id, min_lat, min_lon FROM {SPATIAL_TABLE} "  # noqa: S608 (table names from our own metadata and integers; values are bound)
            "WHERE min_lat >= ? AND max_lat <= ? AND min_lon >= ? AND max_lon <= ? "
            f"AND ((id >> 1) & 31) IN ({', '.join(str(bit) for bit in sorted(code_of))})",
            (box["south"], box["north"], box["west"], box["east"]),
        ).cursor
        assert rows is not None
        for number, latitude, longitude in rows.fetchall():  # thousands at most
            npi, bit, is_main = read_location_id(number)
            yield npi, latitude, longitude, code_of[bit], is_main
        return
    query = text(
        "SELECT p.npi, p.latitude, p.longitude, t.code, t.is_primary "
        "FROM providers p JOIN provider_taxonomies t ON t.npi = p.npi "
        "WHERE point(p.longitude, p.latitude) "
        "<@ box(point(:west, :south), point(:east, :north)) "
        "AND t.code IN :codes"
    ).bindparams(bindparam("codes", expanding=True))
    for npi, latitude, longitude, code, is_primary in connection.execute(
        query, {**box, "codes": sorted(codes)}
    ):
        yield npi, latitude, longitude, code, bool(is_primary)


def _providers(connection: Connection, npis: Iterable[str]) -> dict[str, Provider]:
    """Load whole providers, with every specialty they listed, by NPI."""
    wanted = list(npis)
    if not wanted:
        return {}
    listed: dict[str, list[ProviderTaxonomy]] = {npi: [] for npi in wanted}
    for row in connection.execute(
        select(taxonomies)
        .where(taxonomies.c.npi.in_(wanted))
        .order_by(taxonomies.c.npi, taxonomies.c.slot)
    ):
        listed[row.npi].append(
            ProviderTaxonomy(row.code, bool(row.is_primary), row.license_number, row.license_state)
        )
    found = {}
    for row in connection.execute(select(providers).where(providers.c.npi.in_(wanted))):
        values = row._asdict()
        found[row.npi] = Provider(
            npi=values["npi"],
            last_name=values["last_name"],
            first_name=values["first_name"],
            middle_name=values["middle_name"],
            prefix=values["prefix"],
            suffix=values["suffix"],
            credential=values["credential"],
            address_line1=values["address_line1"],
            address_line2=values["address_line2"],
            city=values["city"],
            state=values["state"],
            postal_code=values["postal_code"],
            phone=values["phone"],
            latitude=values["latitude"],
            longitude=values["longitude"],
            enumerated_on=values["enumerated_on"],
            updated_on=values["updated_on"],
            taxonomies=tuple(listed[row.npi]),
        )
    return found


def find_provider(db: Database, npi: str) -> Provider | None:
    """One provider in the directory, with every specialty they listed; None if not there."""
    with db.engine.connect() as connection:
        return _providers(connection, [npi]).get(npi)


def search_providers(
    db: Database,
    *,
    zip_code: str,
    procedure: str,
    radius_miles: float,
    limit: int = 50,
    knowledge: Knowledge | None = None,
) -> SearchResult:
    """Providers within ``radius_miles`` of ``zip_code`` whose listed specialty fits ``procedure``.

    Raises SearchError, with words a person can act on, for an unknown ZIP
    code or procedure, or a radius or limit out of range.
    """
    kb = knowledge or load_knowledge()
    if procedure not in kb.procedures:
        raise SearchError(
            _("Choose a procedure from the list (not %(procedure)s).")
            % {"procedure": repr(procedure)}
        )
    if not 0 < radius_miles <= MAX_RADIUS_MILES:
        raise SearchError(
            _("Choose a distance between 1 and %(most)s miles.")
            % {"most": f"{MAX_RADIUS_MILES:.0f}"}
        )
    if not 0 < limit <= MAX_LIMIT:
        raise SearchError(_("Ask for between 1 and %(most)d results.") % {"most": MAX_LIMIT})
    place = _place(zip_code)
    fit_of: dict[str, tuple[int, str]] = {}  # taxonomy code -> (level, fit id)
    fits = {fit.id: fit for fit in kb.specialty_fits(procedure)}
    for fit in fits.values():
        for code in fit.taxonomies:
            if code not in fit_of or fit.level < fit_of[code][0]:
                fit_of[code] = (fit.level, fit.id)
    best: dict[str, tuple[tuple[int, int, float, str], str, float]] = {}
    distance_to = distances_from(place.latitude, place.longitude)
    with db.engine.connect() as connection:
        for npi, latitude, longitude, code, is_primary in _candidates(
            connection, _box(place, radius_miles), fit_of.keys()
        ):
            distance = distance_to(latitude, longitude)
            if distance > radius_miles:
                continue
            rank = (fit_of[code][0], 0 if is_primary else 1, round(distance, 3), npi)
            if npi not in best or rank < best[npi][0]:
                best[npi] = (rank, code, distance)
        ranked = sorted(best.values())[:limit]
        found = _providers(connection, (rank[3] for rank, _code, _distance in ranked))
    hits = []
    for rank, code, distance in ranked:
        provider = found[rank[3]]
        listed = next(t for t in provider.taxonomies if t.code == code)
        fit = fits[fit_of[code][1]]
        taxonomy = kb.providers.taxonomy(code)
        hits.append(
            SearchHit(
                provider=provider,
                distance_miles=distance,
                taxonomy=listed,
                fit_level=fit.level,
                fit_reason=fit.reason,
                needs_supervisor=taxonomy is not None and taxonomy.kind is ProviderKind.injector,
            )
        )
    return SearchResult(
        zip_code=place.zip_code,
        place=f"{place.city}, {place.state}",
        procedure=procedure,
        radius_miles=radius_miles,
        hits=tuple(hits),
        total=len(best),
    )
