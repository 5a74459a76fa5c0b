"""Photos in a case: added clean, served one at a time, removed, and never half-stored."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import event

from reconsult.casefile import photo_store
from reconsult.casefile.photos import PhotoError, PhotoLimits, clean_photo
from reconsult.casefile.repository import (
    CaseFileError,
    add_photo,
    delete_case,
    delete_photo,
    list_cases,
    load_case,
    photo_image,
    save_case,
)
from reconsult.casefile.schema import Angle, CaseFileData, Photo, ProcedureRecord
from reconsult.errors import CaseInputError
from reconsult.knowledge.schema import ProcedureCode
from reconsult.storage import Database
from tests.casefile import fuzz_images as fuzz
from tests.casefile.test_photos import assert_only_pixels
from tests.casefile.test_repository import count_rows
from tests.conftest import TODAY

PHONE_PHOTO = fuzz.jpeg_with_metadata()  # EXIF with GPS, XMP, ICC profile, comment


def a_case(case_id: str = "c1") -> CaseFileData:
    """A case with one procedure, p1."""
    return CaseFileData(
        id=case_id,
        procedures=[
            ProcedureRecord(
                id="p1", procedure=ProcedureCode.rhinoplasty, performed_on=dt.date(2026, 3, 1)
            )
        ],
    )


def add(db: Database, case_id: str = "c1", raw: bytes = PHONE_PHOTO, **changes: Any) -> Photo:
    """Add a photo with sensible defaults; keyword arguments change one thing."""
    fields: dict[str, Any] = {
        "taken_on": TODAY - dt.timedelta(days=1),
        "angle": Angle.front,
        "procedure_id": "p1",
        "note": "",
        "today": TODAY,
    }
    fields.update(changes)
    return add_photo(db, case_id, raw, **fields)


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


def test_an_added_photo_is_kept_clean_with_its_date_angle_and_note(db: Database) -> None:
    save_case(db, a_case())
    photo = add(db, angle=Angle.oblique_left, note="  Two weeks after  ")
    expected = clean_photo(PHONE_PHOTO)
    assert photo.image == expected.image
    assert photo.thumbnail == expected.thumbnail
    assert (photo.width, photo.height, photo.sha256) == (60, 40, expected.sha256)
    assert photo.note == "Two weeks after"
    stored = load_case(db, "c1", images=True)
    assert stored is not None and stored.photos == [photo]


def test_photo_image_serves_the_cleaned_bytes_without_exif_or_gps(db: Database) -> None:
    save_case(db, a_case())
    with Image.open(io.BytesIO(PHONE_PHOTO)) as original:  # the upload really carries GPS
        assert original.getexif().get_ifd(0x8825)
    photo = add(db)
    served = photo_image(db, "c1", photo.id)
    assert served == (photo.image, "image/jpeg")
    image, _ = served
    assert_only_pixels(image)  # no EXIF, GPS, XMP, ICC, comment or trailing bytes
    small = photo_image(db, "c1", photo.id, thumbnail=True)
    assert small == (photo.thumbnail, "image/jpeg")
    assert_only_pixels(small[0])


def test_photo_image_reads_one_photo_row_only(db: Database) -> None:
    save_case(db, a_case())
    photos = [add(db, note=f"photo {i}") for i in range(3)]
    with statements(db) as seen:
        served = photo_image(db, "c1", photos[1].id, thumbnail=True)
    assert served is not None and served[0] == photos[1].thumbnail
    queries = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1, seen
    [query] = queries
    assert "case_photos" in query
    assert "case_files" not in query and "case_procedures" not in query
    assert "case_photos.image" not in query  # the thumbnail only, not the full image too


def test_a_photo_of_another_case_or_an_unknown_id_is_not_served(db: Database) -> None:
    save_case(db, a_case("c1"))
    save_case(db, a_case("c2"))
    photo = add(db, "c1")
    assert photo_image(db, "c2", photo.id) is None
    assert photo_image(db, "c1", "no-such-photo") is None
    assert not delete_photo(db, "c2", photo.id)  # nor removed through another case
    assert photo_image(db, "c1", photo.id) is not None


def _refused_upload(db: Database) -> None:
    add(db, raw=b"<html>not a photo</html>")


@pytest.mark.parametrize(
    ("attempt", "error", "message"),
    [
        (_refused_upload, PhotoError, "could not read this file as a photo"),
        (lambda db: add(db, raw=fuzz.truncated(PHONE_PHOTO)), PhotoError, "damaged"),
        (
            lambda db: add(db, limits=PhotoLimits(max_bytes=100)),
            PhotoError,
            "too large",
        ),
        (
            lambda db: add(db, taken_on=TODAY + dt.timedelta(days=1)),
            CaseFileError,
            "in the future",
        ),
        (lambda db: add(db, procedure_id="nope"), CaseFileError, "Choose one of the procedures"),
        (
            lambda db: add(db, procedure_id="bad id!"),
            CaseFileError,
            "Choose one of the procedures",
        ),
        (lambda db: add(db, angle="upside-down"), CaseFileError, "Choose the angle"),
        (lambda db: add(db, note="x" * 501), CaseFileError, "note is too long"),
        (lambda db: add(db, "no-such-case"), CaseFileError, "There is no case"),
    ],
    ids=[
        "not-a-photo",
        "cut-short",
        "too-large",
        "future-date",
        "unknown-procedure",
        "malformed-procedure-id",
        "unknown-angle",
        "long-note",
        "unknown-case",
    ],
)
def test_a_refused_photo_leaves_the_case_as_it_was(
    db: Database, attempt: Callable[[Database], object], error: type[Exception], message: str
) -> None:
    save_case(db, a_case())
    kept = add(db, note="already here")
    before, rows = load_case(db, "c1"), count_rows(db)
    with pytest.raises(error, match=message) as caught:
        attempt(db)
    assert isinstance(caught.value, CaseInputError)  # pages and the CLI show it as it is
    assert load_case(db, "c1") == before
    assert count_rows(db) == rows
    assert photo_image(db, "c1", kept.id) == (kept.image, "image/jpeg")


def test_a_full_case_refuses_one_more_photo(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photo_store, "max_items", lambda field: 2)
    save_case(db, a_case())
    add(db)
    add(db)
    with pytest.raises(CaseFileError, match="already holds 2 photos"):
        add(db)
    stored = load_case(db, "c1")
    assert stored is not None and len(stored.photos) == 2


def test_the_photo_limit_is_the_one_a_case_can_load() -> None:
    # Adding past CaseFileData's own limit would store a case that no longer loads.
    assert photo_store.max_items("photos") == 1000


def test_photos_stay_in_the_order_added_and_a_removed_one_is_gone(db: Database) -> None:
    save_case(db, a_case())
    first, second, third = (add(db, note=n) for n in ("first", "second", "third"))
    assert delete_photo(db, "c1", second.id)
    assert not delete_photo(db, "c1", second.id)
    assert photo_image(db, "c1", second.id) is None
    fourth = add(db, note="fourth")
    stored = load_case(db, "c1")
    assert stored is not None
    assert [p.note for p in stored.photos] == ["first", "third", "fourth"]
    assert [p.id for p in stored.photos] == [first.id, third.id, fourth.id]
    assert count_rows(db)["case_photos"] == 3


def test_adding_a_photo_moves_the_case_to_the_top_of_the_list(db: Database) -> None:
    save_case(db, a_case("older"))
    save_case(db, a_case("newer"))
    assert [case_id for case_id, _, _ in list_cases(db)] == ["newer", "older"]
    add(db, "older")
    assert [case_id for case_id, _, _ in list_cases(db)] == ["older", "newer"]


def test_deleting_the_case_leaves_no_photo_behind(db: Database) -> None:
    save_case(db, a_case("keep"))
    save_case(db, a_case("gone"))
    add(db, "keep")
    gone = [add(db, "gone") for _ in range(3)]
    assert count_rows(db)["case_photos"] == 4
    assert delete_case(db, "gone")
    assert count_rows(db)["case_photos"] == 1
    assert all(photo_image(db, "gone", p.id) is None for p in gone)


def test_a_photo_without_a_procedure_is_fine(db: Database) -> None:
    save_case(db, CaseFileData(id="c1"))
    photo = add(db, procedure_id=None, angle="left")  # a form sends the angle as text
    assert photo.procedure_id is None and photo.angle is Angle.left
