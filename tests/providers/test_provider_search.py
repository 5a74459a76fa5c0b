"""Searching the directory: who is near, who fits best, and plain words when a search cannot run."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconsult.providers.nppes_import import import_nppes
from reconsult.providers.search import SearchError, search_providers
from reconsult.storage import Database
from tests.providers.conftest import person
from tools.nppes_synthetic import monthly_file_name, write_monthly_csv

FACIAL_PLASTIC = "207YS0123X"
PLASTIC = "208200000X"
DERMATOLOGY = "207N00000X"
NURSE_PRACTITIONER = "363L00000X"
FAMILY_MEDICINE = "207Q00000X"


@pytest.fixture
def directory(tmp_path: Path, db: Database) -> Database:
    """Seven providers around New York City, and 500 generated rows around them."""
    rows = [
        person("1000000011", "FACE", "10001", FACIAL_PLASTIC),  # 0 miles, level 1 for a nose
        person("1000000012", "BROOKLYN", "11201", PLASTIC),  # 3.8 miles, level 2 for a nose
        person("1000000013", "SKIN", "10002", DERMATOLOGY),  # 2.3 miles, no fit for a nose
        person("1000000014", "NURSE", "10002", NURSE_PRACTITIONER),  # injector
        person("1000000015", "STAMFORD", "06901", FACIAL_PLASTIC, city="STAMFORD", state="CT"),
        # facial plastic listed second (not the main specialty), nearer than FACE's colleague
        person("1000000016", "SECOND", "10001", FAMILY_MEDICINE, FACIAL_PLASTIC, primary_slot=1),
        person("1000000017", "PRINCETON", "08540", PLASTIC, city="PRINCETON", state="NJ"),
    ]
    generated = write_monthly_csv(tmp_path / monthly_file_name(), 500, seed=3, providers=rows)
    import_nppes(db, generated.path)
    return db


def npis(db: Database, **query: object) -> list[str]:
    result = search_providers(db, **query)  # type: ignore[arg-type]
    return [hit.provider.npi for hit in result.hits if hit.provider.npi.startswith("10000000")]


def test_the_best_fitting_specialty_comes_first_then_the_main_specialty_then_distance(
    directory: Database,
) -> None:
    found = npis(directory, zip_code="10001", procedure="rhinoplasty", radius_miles=25)
    assert found == ["1000000011", "1000000016", "1000000012"]


def test_the_radius_decides_who_is_in(directory: Database) -> None:
    near = npis(directory, zip_code="10001", procedure="rhinoplasty", radius_miles=25)
    wide = npis(directory, zip_code="10001", procedure="rhinoplasty", radius_miles=35)
    assert "1000000015" not in near  # Stamford, 31.9 miles
    assert "1000000015" in wide
    assert "1000000017" not in wide  # Princeton, 42.9 miles


def test_each_hit_says_why_it_fits_and_how_far_it_is(directory: Database) -> None:
    result = search_providers(
        directory, zip_code="10001-1234", procedure="rhinoplasty", radius_miles=25
    )
    assert result.place == "New York, NY" and result.zip_code == "10001"
    first = result.hits[0]
    assert first.fit_level == 1 and first.fit_reason
    assert first.taxonomy.code == FACIAL_PLASTIC and first.taxonomy.is_primary
    assert first.distance_miles < 1
    brooklyn = next(h for h in result.hits if h.provider.npi == "1000000012")
    assert 3 < brooklyn.distance_miles < 5 and brooklyn.fit_level == 2


def test_nurse_injectors_come_last_for_toxin_with_the_supervisor_caveat(
    directory: Database,
) -> None:
    result = search_providers(
        directory, zip_code="10001", procedure="botulinum_toxin", radius_miles=10, limit=200
    )
    ours = [h for h in result.hits if h.provider.npi.startswith("10000000")]
    assert ours[-1].provider.npi == "1000000014"
    assert ours[-1].needs_supervisor and not ours[0].needs_supervisor
    assert "1000000013" in {h.provider.npi for h in ours}  # dermatology fits toxin


def test_the_limit_keeps_the_best_and_counts_the_rest(directory: Database) -> None:
    result = search_providers(
        directory, zip_code="10001", procedure="rhinoplasty", radius_miles=25, limit=1
    )
    assert [h.provider.npi for h in result.hits] == ["1000000011"]
    assert result.total >= 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"zip_code": "1000"}, "is not a US ZIP code"),
        ({"zip_code": "00000"}, "We do not know where ZIP code 00000 is"),
        ({"radius_miles": 0}, "between 1 and 200 miles"),
        ({"radius_miles": 500}, "between 1 and 200 miles"),
        ({"procedure": "tattoo"}, "Choose a procedure"),
        ({"limit": 0}, "between 1 and 200 results"),
    ],
)
def test_a_search_that_cannot_run_says_what_to_change(
    directory: Database, query: dict[str, object], message: str
) -> None:
    asked: dict[str, object] = {
        "zip_code": "10001",
        "procedure": "rhinoplasty",
        "radius_miles": 25,
        **query,
    }
    with pytest.raises(SearchError, match=message):
        search_providers(directory, **asked)  # type: ignore[arg-type]
