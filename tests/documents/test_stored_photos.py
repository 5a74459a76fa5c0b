"""The packet and the FHIR export of a case read without its photo bytes are the same.

Pages read a case without its photos' bytes (reconsult.casefile.repository),
and the download routes hand that case to the documents, so the packet and
the FHIR export read each photo's image themselves, one at a time.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from reconsult.casefile.repository import delete_photo, load_case, save_case
from reconsult.casefile.schema import CaseFileData
from reconsult.documents.fhir import case_bundle
from reconsult.documents.packet import build_packet
from reconsult.storage import Database
from tests.casefile.test_photo_bytes import noise_photo
from tests.conftest import TODAY
from tests.documents.test_packet import make_case

WHEN = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def stored(db: Database) -> tuple[CaseFileData, CaseFileData]:
    """Store the packet tests' case; return it read without and with its photo bytes."""
    save_case(db, make_case())
    cheap, full = load_case(db, "case-1"), load_case(db, "case-1", images=True)
    assert cheap is not None and full is not None
    assert all(not p.has_bytes for p in cheap.photos) and len(cheap.photos) == 4
    return cheap, full


def bundle(case: CaseFileData) -> dict[str, Any]:
    return json.loads(case_bundle(case, generated_at=WHEN).model_dump_json())


def photo_ids(document: dict[str, Any]) -> list[str]:
    return [
        e["resource"]["identifier"][0]["value"]
        for e in document["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
        and e["resource"]["identifier"][0]["system"] == "urn:reconsult:photo"
    ]


def test_the_packet_prints_the_photos_of_a_case_read_without_them(db: Database) -> None:
    cheap, full = stored(db)
    packet = build_packet(cheap, TODAY)
    assert packet == build_packet(full, TODAY) == build_packet(make_case(), TODAY)
    sources = [tile.src for group in packet.photo_groups for row in group.rows for tile in row]
    assert len(sources) == 4 and all(s.startswith("data:image/jpeg;base64,") for s in sources)


def test_a_photo_removed_since_the_case_was_read_is_left_out(db: Database) -> None:
    cheap, full = stored(db)
    assert delete_photo(db, "case-1", "p3")
    document = bundle(cheap)
    assert photo_ids(document) == ["p1", "p2", "p4"]
    sources = {
        tile.alt: tile.src
        for group in build_packet(cheap, TODAY).photo_groups
        for row in group.rows
        for tile in row
    }
    assert sorted(src == "" for src in sources.values()) == [False, False, False, True]


def test_the_fhir_export_of_a_case_read_without_its_photos_is_the_same(db: Database) -> None:
    cheap, full = stored(db)
    document = bundle(cheap)
    assert document == bundle(full) == bundle(make_case())
    assert photo_ids(document) == ["p1", "p2", "p3", "p4"]


def test_a_large_photo_is_read_for_the_fhir_export(db: Database) -> None:
    big = noise_photo(1, (1400, 1050)).model_copy(update={"procedure_id": "lips"})
    save_case(db, make_case().model_copy(update={"photos": [big]}))
    cheap = load_case(db, "case-1")
    assert cheap is not None and not cheap.photos[0].has_bytes
    [reference] = [
        e["resource"]
        for e in bundle(cheap)["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
        and e["resource"]["identifier"][0]["system"] == "urn:reconsult:photo"
    ]
    assert reference["content"][0]["attachment"]["size"] == len(big.image or b"") > 1_000_000
