"""What the provider directory holds and what a search returns, as plain frozen data.

These are the shapes the web pages, the CLI and the JSON output read; the
importer and the search fill them. Everything about a provider comes from
what they reported to CMS (NPPES), which nobody checks: a taxonomy is a
self-chosen specialty, not a board certification.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "DirectoryStatus",
    "Provider",
    "ProviderTaxonomy",
    "SearchHit",
    "SearchResult",
]


@dataclass(frozen=True)
class ProviderTaxonomy:
    """One of the up to 15 specialties a provider listed with CMS."""

    code: str  # NUCC code, e.g. 208200000X
    is_primary: bool
    license_number: str | None
    license_state: str | None


@dataclass(frozen=True)
class Provider:
    """One individual provider in the directory (an NPPES type 1 NPI)."""

    npi: str
    last_name: str
    first_name: str
    middle_name: str | None
    prefix: str | None
    suffix: str | None
    credential: str | None
    address_line1: str
    address_line2: str | None
    city: str
    state: str
    postal_code: str  # 5 digits (ZIP+4 is shortened on import)
    phone: str | None  # digits only, as CMS writes it
    latitude: float | None
    longitude: float | None
    enumerated_on: dt.date | None
    updated_on: dt.date | None  # NPPES "Last Update Date"
    taxonomies: tuple[ProviderTaxonomy, ...] = field(default_factory=tuple)

    @property
    def primary_taxonomy(self) -> ProviderTaxonomy | None:
        """The specialty the provider marked as primary, if any."""
        return next((t for t in self.taxonomies if t.is_primary), None)


@dataclass(frozen=True)
class SearchHit:
    """One provider found near a ZIP code, with why they fit the procedure."""

    provider: Provider
    distance_miles: float
    taxonomy: ProviderTaxonomy  # the listed specialty that fits best
    fit_level: int  # 1 fits best; higher numbers fit less well
    fit_reason: str  # plain words from the knowledge base
    needs_supervisor: bool  # a nurse or PA injector: confirm the supervising physician


@dataclass(frozen=True)
class SearchResult:
    """A search and its hits, ranked by fit, then primary specialty, then distance."""

    zip_code: str
    place: str  # "New York, NY"
    procedure: str
    radius_miles: float
    hits: tuple[SearchHit, ...]
    total: int  # hits within the radius before the limit was applied


@dataclass(frozen=True)
class DirectoryStatus:
    """Whether a directory has been imported, from what, and how many providers it holds."""

    providers: int
    last_file: str | None
    last_import_on: dt.datetime | None
    file_kind: str | None  # "monthly" or "weekly"
