"""US ZIP code to place and coordinates, offline, from the ``zipcodes`` package.

``zipcodes`` ships its ZIP list (USPS ZIPs with GeoNames coordinates, CC BY
4.0) inside the wheel, so nothing is fetched at run time (research
``providers_records.md`` s.6; ``docs/decisions.md``). About 240 of its 42,789
ZIPs have no coordinates; those, and ZIPs it does not know, cannot anchor a
distance search, and the caller says so in plain words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

__all__ = [
    "ATTRIBUTION",
    "ZipPlace",
    "distance_miles",
    "distances_from",
    "find_place",
    "zip5",
    "zip_places",
]

ATTRIBUTION = "ZIP code locations: GeoNames (CC BY 4.0) via the zipcodes package."
EARTH_RADIUS_MILES = 3958.8
_ZIP_TEXT = re.compile(r"^\s*(\d{5})(?:-?\d{4})?\s*$")


@dataclass(frozen=True)
class ZipPlace:
    """Where a ZIP code is: its main city and state, and a point inside it."""

    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        """'New York, NY 10001'."""
        return f"{self.city}, {self.state} {self.zip_code}"


def zip5(text: str | None) -> str | None:
    """Return the 5-digit ZIP in ``text`` ('10001', '10001-1234', '100011234'), else None."""
    if not text:
        return None
    match = _ZIP_TEXT.match(text)
    return match.group(1) if match else None


@lru_cache(maxsize=1)
def zip_places() -> dict[str, ZipPlace]:
    """Every ZIP with coordinates, keyed by its 5 digits (read once, about half a second)."""
    places: dict[str, ZipPlace] = {}
    for entry in zipcodes.list_all():  # type: ignore[no-untyped-call]
        try:
            latitude, longitude = float(entry["lat"]), float(entry["long"])
        except (TypeError, ValueError):
            continue
        places[entry["zip_code"]] = ZipPlace(
            zip_code=entry["zip_code"],
            city=entry["city"],
            state=entry["state"],
            latitude=latitude,
            longitude=longitude,
        )
    return places


def find_place(text: str | None) -> ZipPlace | None:
    """Look up a ZIP code as a person or CMS writes it; None if unknown or without coordinates."""
    code = zip5(text)
    return zip_places().get(code) if code else None


def distances_from(latitude: float, longitude: float) -> Callable[[float, float], float]:
    """A fast distance-in-miles function from one point (haversine, as :func:`distance_miles`).

    A search measures thousands of distances from the same ZIP; this works
    out the origin's part once.
    """
    phi1, lambda1 = math.radians(latitude), math.radians(longitude)
    cos1 = math.cos(phi1)
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    diameter = 2 * EARTH_RADIUS_MILES

    def distance(lat2: float, lon2: float) -> float:
        phi2 = radians(lat2)
        a = sin((phi2 - phi1) / 2) ** 2 + cos1 * cos(phi2) * sin((radians(lon2) - lambda1) / 2) ** 2
        return diameter * asin(min(1.0, sqrt(a)))

    return distance


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles (haversine on a sphere; close enough for 'how far')."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))
