"""Only what needs a photo's bytes reads them: pages and small edits read the details alone.

A case page or a journal entry used to read every photo's image and
thumbnail (100 phone photos: well over 100 MB a time). These tests record
the SQL each call runs and check which statements select the two byte
columns, and check that edits made without the bytes keep them exactly.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PIL import Image
from pydantic import ValidationError
from sqlalchemy import event, select, update

from reconsult.casefile.photos import clean_photo
from reconsult.casefile.repository import (
    CaseFileError,
    add_journal_entry,
    delete_photo,
    export_case,
    import_case,
    load_case,
    save_case,
    update_case,
)
from reconsult.casefile.schema import CaseFileData, CaseFileExport, Photo, ProcedureRecord
from reconsult.casefile.tables import PhotoRow
from reconsult.knowledge.schema import ProcedureCode
from reconsult.storage import Database
from tests.conftest import TODAY

WHEN = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
BYTE_COLUMNS = re.compile(r"\bcase_photos\.(image|thumbnail)\b")


def noise_photo(seed: int, size: tuple[int, int]) -> Photo:
    """A cleaned photo of random pixels: random noise barely compresses, so it is big."""
    pixels = random.Random(seed).randbytes(size[0] * size[1] * 3)
    raw = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(raw, "JPEG", quality=95)
    clean = clean_photo(raw.getvalue())
    return Photo(
        id=f"ph{seed}",
        taken_on=dt.date(2026, 4, 1) + dt.timedelta(days=seed),
        procedure_id="p1",
        note=f"photo {seed}",
        media_type=clean.media_type,
        width=clean.width,
        height=clean.height,
        sha256=clean.sha256,
        image=clean.image,
        thumbnail=clean.thumbnail,
    )


def a_case(photos: list[Photo]) -> CaseFileData:
    return CaseFileData(
        id="c1",
        title="My nose",
        procedures=[
            ProcedureRecord(
                id="p1", procedure=ProcedureCode.rhinoplasty, performed_on=dt.date(2026, 3, 1)
            )
        ],
        goals=["A straight bridge"],
        photos=photos,
    )


@pytest.fixture(scope="module")
def large_photos() -> list[Photo]:
    """Four photos of about 1.2 MB each, as a phone would give."""
    return [noise_photo(seed, (1400, 1050)) for seed in range(4)]


@pytest.fixture(scope="module")
def small_photos() -> list[Photo]:
    """Five different small photos, so a mix-up between them would show."""
    return [noise_photo(seed, (120, 90)) for seed in range(10, 15)]


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Collect the SQL statements run on the database inside the block."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def reading_bytes(seen: list[str]) -> list[str]:
    """The statements that read a photo's image or thumbnail."""
    return [s for s in seen if s.lstrip().upper().startswith("SELECT") and BYTE_COLUMNS.search(s)]


def stored_bytes(db: Database) -> dict[str, tuple[bytes, bytes]]:
    with db.session() as session:
        rows = session.execute(select(PhotoRow.id, PhotoRow.image, PhotoRow.thumbnail))
        return {r.id: (bytes(r.image), bytes(r.thumbnail)) for r in rows}


def test_pages_and_edits_never_select_the_photo_bytes(
    db: Database, large_photos: list[Photo]
) -> None:
    assert all(len(p.image or b"") > 1_000_000 for p in large_photos)
    save_case(db, a_case(large_photos))
    with statements(db) as seen:
        case = load_case(db, "c1")  # every page of the case starts with this
        update_case(db, "c1", lambda c: c.model_copy(update={"goals": [*c.goals, "Less swelling"]}))
        add_journal_entry(db, "c1", text="Still swollen.", written_on=TODAY, procedure_id="p1")
    assert case is not None and [p.id for p in case.photos] == [p.id for p in large_photos]
    assert all(p.image is None and p.thumbnail is None for p in case.photos)
    assert [(p.sha256, p.width, p.height) for p in case.photos] == [
        (p.sha256, p.width, p.height) for p in large_photos
    ]
    assert any("case_photos" in s for s in seen)  # the details were read
    assert reading_bytes(seen) == []
    with statements(db) as seen:
        export_case(db, "c1", exported_at=WHEN)
    assert len(reading_bytes(seen)) == 1  # the export reads them, in one statement


def test_a_journal_entry_keeps_every_photo_byte_for_byte(
    db: Database, small_photos: list[Photo]
) -> None:
    save_case(db, a_case(small_photos))
    before = stored_bytes(db)
    assert len(before) == 5 and len(set(before.values())) == 5
    with statements(db) as seen:
        add_journal_entry(db, "c1", text="The tip is numb.", written_on=TODAY, procedure_id="p1")
    assert stored_bytes(db) == before
    writes = [s for s in seen if not s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in writes if "case_photos" in s]  # no photo row is even touched
    # An edit of the photos' details, order and number, made without their bytes.
    update_case(
        db,
        "c1",
        lambda c: c.model_copy(
            update={
                "photos": [
                    c.photos[3].model_copy(update={"note": "daylight", "procedure_id": None}),
                    *c.photos[:3],
                ]
            }
        ),
    )
    after = stored_bytes(db)
    assert after == {i: before[i] for i in ("ph13", "ph10", "ph11", "ph12")}
    stored = load_case(db, "c1", images=True)
    assert stored is not None
    assert [(p.id, p.note, p.procedure_id) for p in stored.photos] == [
        ("ph13", "daylight", None),
        ("ph10", "photo 10", "p1"),
        ("ph11", "photo 11", "p1"),
        ("ph12", "photo 12", "p1"),
    ]
    assert all((p.image, p.thumbnail) == before[p.id] for p in stored.photos)
    # And the whole case still goes out and comes back exactly.
    exported = export_case(db, "c1", exported_at=WHEN)
    assert import_case(db, exported, replace=True) == stored
    assert export_case(db, "c1", exported_at=WHEN) == exported
    assert stored_bytes(db) == after


def test_a_case_read_without_bytes_validates_and_saves_as_it_was(
    db: Database, small_photos: list[Photo]
) -> None:
    save_case(db, a_case(small_photos))
    before = stored_bytes(db)
    case = load_case(db, "c1")
    assert case is not None
    again = CaseFileData.model_validate(case.model_dump())  # what update_case does
    assert again.photos == case.photos
    assert CaseFileData.model_validate_json(case.model_dump_json()).photos == case.photos
    save_case(db, again)
    assert stored_bytes(db) == before
    assert load_case(db, "c1", images=True) == a_case(small_photos)


def test_the_bytes_a_case_was_read_without_can_still_be_read_one_photo_at_a_time(
    db: Database, small_photos: list[Photo]
) -> None:
    save_case(db, a_case(small_photos))
    case = load_case(db, "c1")
    assert case is not None
    with statements(db) as seen:
        assert case.image_of(case.photos[1]) == small_photos[1].image
    assert len(reading_bytes(seen)) == 1 and "case_photos.thumbnail" not in seen[0]
    assert delete_photo(db, "c1", "ph12")
    assert case.image_of(case.photos[2]) is None  # removed since: nothing to read
    with pytest.raises(LookupError, match="without its bytes"):
        CaseFileData.model_validate(case.model_dump()).image_of(case.photos[0])
    full = load_case(db, "c1", images=True)
    assert full is not None and full.image_of(full.photos[0]) == small_photos[0].image


def test_saving_over_a_photo_replaced_meanwhile_is_refused_and_loses_nothing(
    db: Database, small_photos: list[Photo]
) -> None:
    save_case(db, a_case(small_photos))
    stale = load_case(db, "c1")
    assert stale is not None
    other = noise_photo(99, (120, 90))
    with db.session() as session:  # the photo ph10 gets other bytes (an import, another tab)
        session.execute(
            update(PhotoRow)
            .where(PhotoRow.id == "ph10")
            .values(image=other.image, thumbnail=other.thumbnail, sha256=other.sha256)
        )
    before = stored_bytes(db)
    with pytest.raises(CaseFileError, match="changed or removed while you were working"):
        save_case(db, stale.model_copy(update={"title": "Changed"}))
    assert stored_bytes(db) == before
    assert stale.image_of(stale.photos[0]) is None  # never the new bytes under the old details
    stored = load_case(db, "c1")
    assert stored is not None and stored.title == "My nose"


def test_a_photo_with_bytes_replaces_the_stored_one(
    db: Database, small_photos: list[Photo]
) -> None:
    save_case(db, a_case(small_photos))
    other = noise_photo(99, (120, 90)).model_copy(update={"id": "ph10"})
    update_case(db, "c1", lambda c: c.model_copy(update={"photos": [other, *c.photos[1:]]}))
    assert stored_bytes(db)["ph10"] == (other.image, other.thumbnail)


def test_an_export_carries_every_photos_bytes(small_photos: list[Photo]) -> None:
    without = small_photos[0].model_copy(update={"image": None, "thumbnail": None})
    with pytest.raises(ValidationError, match="has no image and thumbnail"):
        CaseFileExport(exported_at=WHEN, case=a_case([without]))
    raw = CaseFileExport(exported_at=WHEN, case=a_case(small_photos[:1])).model_dump_json()
    assert '"image":null' not in raw


def test_an_import_whose_photo_has_no_bytes_is_refused(
    db: Database, small_photos: list[Photo]
) -> None:
    whole = CaseFileExport(exported_at=WHEN, case=a_case(small_photos[:1])).model_dump(mode="json")
    del whole["case"]["photos"][0]["image"], whole["case"]["photos"][0]["thumbnail"]
    with pytest.raises(CaseFileError, match="Nothing was imported"):
        import_case(db, json.dumps(whole).encode())  # a hand-made file
    assert load_case(db, "c1") is None


def test_a_photo_has_both_its_image_and_thumbnail_or_neither(small_photos: list[Photo]) -> None:
    fields = small_photos[0].model_dump()
    with pytest.raises(ValidationError, match="image and thumbnail come together"):
        Photo.model_validate({**fields, "thumbnail": None})
    assert not Photo.model_validate({**fields, "image": None, "thumbnail": None}).has_bytes
