"""Add, remove and serve a case's photos, one photo row at a time.

Every photo is cleaned (:func:`reconsult.casefile.photos.clean_photo`) before
it is stored, so no location, camera or other metadata ever reaches the
database. Adding or removing a photo touches only that photo's row, and
serving one reads only that row: a case with hundreds of photos is never
loaded or rewritten whole for one picture.

:class:`StoredPhotos` is the :class:`~reconsult.casefile.schema.PhotoSource`
of a case read without its photo bytes: the packet and the FHIR export read
each photo's image through it, one row at a time, when they need the pixels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import delete, select, update

from reconsult.casefile.mapping import to_row
from reconsult.casefile.photos import PhotoLimits, clean_photo
from reconsult.casefile.rows import lock_case, max_items, new_id, next_position
from reconsult.casefile.schema import Angle, Photo
from reconsult.casefile.tables import CaseRow, PhotoRow, ProcedureRow
from reconsult.errors import CaseFileError
from reconsult.i18n import gettext as _
from reconsult.storage import Database

__all__ = ["StoredPhotos", "add_photo", "delete_photo", "photo_image"]

_ANGLES = ", ".join(a.value for a in Angle)
_LIMITS = PhotoLimits()  # frozen: safe to share as the default


def add_photo(
    db: Database,
    case_id: str,
    raw: bytes,
    *,
    taken_on: dt.date,
    angle: Angle,
    procedure_id: str | None = None,
    note: str = "",
    limits: PhotoLimits = _LIMITS,
    today: dt.date,
) -> Photo:
    """Clean the uploaded bytes ``raw`` and add the photo to the case; return it.

    Raises ``PhotoError`` (a ``CaseInputError``) for a file we will not keep,
    and ``CaseFileError`` for a date after ``today``, an angle, case or
    procedure that does not exist, a note that is too long, or a case that
    already holds as many photos as it can. Nothing is stored then, and
    nothing stored before is changed.
    """
    if taken_on > today:
        raise CaseFileError(
            _(
                "The date the photo was taken (%(date)s) is in the future. "
                "Choose today or an earlier day."
            )
            % {"date": taken_on.isoformat()}
        )
    try:
        angle = Angle(angle)
    except ValueError as exc:
        raise CaseFileError(
            _("Choose the angle of the photo: one of %(angles)s.") % {"angles": _ANGLES}
        ) from exc
    clean = clean_photo(raw, limits=limits)
    try:
        photo = Photo(
            id=new_id(),
            taken_on=taken_on,
            angle=angle,
            procedure_id=procedure_id,
            note=note,
            media_type=clean.media_type,
            width=clean.width,
            height=clean.height,
            sha256=clean.sha256,
            image=clean.image,
            thumbnail=clean.thumbnail,
        )
    except ValidationError as exc:
        raise _plain(exc) from exc
    with db.session() as session:
        lock_case(session, case_id)
        if procedure_id is not None and (
            session.scalar(
                select(ProcedureRow.pk).where(
                    ProcedureRow.case_id == case_id, ProcedureRow.id == procedure_id
                )
            )
            is None
        ):
            raise CaseFileError(_("Choose one of the procedures in this case."))
        count, position = next_position(session, PhotoRow.position, PhotoRow.case_id, case_id)
        if count >= max_items("photos"):
            raise CaseFileError(
                _(
                    "This case already holds %(count)s photos, the most it can keep. "
                    "Remove photos you no longer need, then add this one."
                )
                % {"count": count}
            )
        session.add(to_row(photo, PhotoRow, case_id=case_id, position=position))
    return photo


def _plain(exc: ValidationError) -> CaseFileError:
    """Say in plain words which of the photo's details cannot be kept."""
    field = next((str(e["loc"][0]) for e in exc.errors() if e["loc"]), "")
    if field == "note":
        return CaseFileError(_("The note is too long. Keep it under 500 characters."))
    if field == "procedure_id":
        return CaseFileError(_("Choose one of the procedures in this case."))
    return CaseFileError(
        _("The photo could not be saved: %(reason)s.") % {"reason": exc.errors()[0]["msg"]}
    )


def delete_photo(db: Database, case_id: str, photo_id: str) -> bool:
    """Delete one photo of the case, image and thumbnail; return whether it was there."""
    with db.session() as session:
        result = session.execute(
            delete(PhotoRow).where(PhotoRow.case_id == case_id, PhotoRow.id == photo_id)
        )
        deleted = bool(getattr(result, "rowcount", 0))
        if deleted:
            session.execute(
                update(CaseRow)
                .where(CaseRow.id == case_id)
                .values(updated_at=dt.datetime.now(dt.UTC))
            )
        return deleted


def photo_image(
    db: Database, case_id: str, photo_id: str, *, thumbnail: bool = False
) -> tuple[bytes, str] | None:
    """Return (the cleaned image or its thumbnail, its media type), or None if there is none.

    One SELECT of one column of one photo row, found by case id and photo id
    together, so a photo id from another case never matches. For an ``<img>``.
    """
    column = PhotoRow.thumbnail if thumbnail else PhotoRow.image
    with db.session() as session:
        row = session.execute(
            select(column, PhotoRow.media_type).where(
                PhotoRow.case_id == case_id, PhotoRow.id == photo_id
            )
        ).one_or_none()
    return None if row is None else (bytes(row[0]), row[1])


@dataclass(frozen=True)
class StoredPhotos:
    """The photos of one stored case, read one image at a time (a ``PhotoSource``).

    Equal for the same database and case, so two reads of an unchanged case
    compare equal. Each read is its own short transaction: the packet reads
    a few photos at once from worker threads, and never holds them all.
    """

    db: Database
    case_id: str

    def image(self, photo: Photo) -> bytes | None:
        """Return the stored image of ``photo`` if its digest is still the one given, else None.

        Matching the digest as well as the ids means a photo replaced since
        the case was read (an import with replace) is never printed under the
        old photo's date and angle.
        """
        with self.db.session() as session:
            image = session.scalar(
                select(PhotoRow.image).where(
                    PhotoRow.case_id == self.case_id,
                    PhotoRow.id == photo.id,
                    PhotoRow.sha256 == photo.sha256,
                )
            )
        return None if image is None else bytes(image)

    def __deepcopy__(self, memo: dict[int, object]) -> StoredPhotos:
        """Share the database, never copy it (``model_copy(deep=True)`` of a case)."""
        return self
