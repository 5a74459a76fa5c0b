"""An imported case file cannot bring in a photo that still carries hidden details."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from PIL import Image

from reconsult.casefile.photos import clean_photo
from reconsult.casefile.repository import (
    CaseFileError,
    export_case,
    import_case,
    list_cases,
    save_case,
)
from reconsult.casefile.schema import CaseFileData, CaseFileExport, Photo
from reconsult.storage import Database
from tests.casefile import fuzz_images as fuzz
from tests.casefile.test_repository import full_case
from tests.conftest import TODAY

NOW = dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC)


def _with_photo_bytes(image: bytes, *, fix_digest: bool = True) -> bytes:
    """An export of the full case whose photo's bytes were swapped for ``image``."""
    case = full_case()
    photo = case.photos[0]
    digest = hashlib.sha256(image).hexdigest() if fix_digest else photo.sha256
    changed = photo.model_copy(update={"image": image, "sha256": digest})
    case = case.model_copy(update={"photos": [changed]})
    return CaseFileExport(exported_at=NOW, case=case).model_dump_json().encode()


def _png_with_text() -> bytes:
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "51.5N 0.1W")
    Image.new("RGB", (40, 20), "red").save(out, "PNG", pnginfo=info)
    return out.getvalue()


UNCLEAN = {
    "jpeg-with-gps-exif": (fuzz.jpeg_with_metadata(fuzz.marked_photo(40, 20)), "hidden details"),
    "zip-after-the-picture": (
        clean_photo(fuzz.jpeg_with_metadata(fuzz.marked_photo(40, 20))).image + fuzz.zip_payload(),
        "something hidden after the picture",
    ),
    "png-with-a-text-chunk": (_png_with_text(), "hidden details"),
}


@pytest.mark.parametrize("name", sorted(UNCLEAN))
def test_an_import_with_an_unclean_photo_is_refused_whole(db: Database, name: str) -> None:
    raw, words = UNCLEAN[name]
    with pytest.raises(CaseFileError) as refused:
        import_case(db, _with_photo_bytes(raw))
    assert "Nothing was imported" in str(refused.value)
    assert words in str(refused.value)
    assert list_cases(db) == []


def test_a_photo_changed_after_export_is_refused(db: Database) -> None:
    other = clean_photo(fuzz.jpeg_with_metadata(fuzz.marked_photo(30, 30))).image
    with pytest.raises(CaseFileError, match="changed after it was saved"):
        import_case(db, _with_photo_bytes(other, fix_digest=False))
    assert list_cases(db) == []


def test_photos_cleaned_by_reconsult_import_unchanged(db: Database) -> None:
    save_case(db, full_case())
    exported = export_case(db, full_case().id, exported_at=NOW)
    imported: CaseFileData = import_case(db, exported, replace=True)
    photo: Photo = imported.photos[0]
    assert photo.image == full_case().photos[0].image
