"""Read and write a whole case: create, list, load, save, update, delete.

A case is loaded and saved as one ``CaseFileData``: saving replaces the case's
rows in one transaction, so a failed save leaves the previous version whole
("nothing lost"). How each part of a case is stored is said in
:mod:`reconsult.casefile.mapping`.

Photo bytes are read only by what needs them. ``load_case`` and
``update_case`` read every photo's details but not its image or thumbnail
(the two columns are deferred, with ``raiseload`` so that touching them by
mistake fails loudly instead of reading them one row at a time): every page
of a case and every small edit read the case, and with 100 phone photos the
bytes were over 100 MB a time. Saving keeps the stored bytes of a photo
given without them. The JSON export reads them (``export_case``, or
``load_case(..., images=True)``); the packet and the FHIR export read one
photo at a time through the case's photo source
(:class:`~reconsult.casefile.photo_store.StoredPhotos`), so their callers
need not know. Deferring columns per query rather than a separate metadata
model keeps one ``Photo`` type everywhere (pages, forms, export, import),
and one table to keep the bytes in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from reconsult.casefile.mapping import column_values, from_row, to_row
from reconsult.casefile.photo_store import StoredPhotos
from reconsult.casefile.procedure_dates import check_new_procedure_dates
from reconsult.casefile.rows import lock_case, new_id, no_case
from reconsult.casefile.schema import CaseFileData, Photo
from reconsult.casefile.tables import (
    CaseRow,
    ConsultationRow,
    JournalRow,
    PhotoRow,
    ProcedureRow,
    ProviderCheckRow,
    RecordsRequestRow,
)
from reconsult.errors import CaseFileError
from reconsult.i18n import gettext as _
from reconsult.storage import Database

__all__ = [
    "AlsoInTransaction",
    "case_exists",
    "create_case",
    "delete_case",
    "list_cases",
    "load_case",
    "save_case",
    "update_case",
]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Runs inside the transaction that stores a new case (server mode records its owner there,
# so a worker that dies half-way never leaves a case nobody owns).
AlsoInTransaction = Callable[[Session, str], None]


def create_case(
    db: Database, *, title: str = "My case", also: AlsoInTransaction | None = None
) -> CaseFileData:
    """Create an empty case and return it; ``also(session, case_id)`` runs in the same commit."""
    data = CaseFileData(id=new_id(), title=title)
    save_case(db, data, also=also)
    return data


def list_cases(db: Database) -> list[tuple[str, str, dt.datetime]]:
    """Return (id, title, last changed) for every case, newest change first."""
    with db.session() as session:
        rows = session.execute(
            select(CaseRow.id, CaseRow.title, CaseRow.updated_at).order_by(
                CaseRow.updated_at.desc()
            )
        )
        return [(r.id, r.title, r.updated_at) for r in rows]


def case_exists(db: Database, case_id: str) -> bool:
    """Whether a case with this id is stored."""
    with db.session() as session:
        return session.scalar(select(CaseRow.id).where(CaseRow.id == case_id)) is not None


def _load_row(session: Session, case_id: str, *, images: bool) -> CaseRow | None:
    photos = selectinload(CaseRow.photos)
    if not images:
        photos = photos.defer(PhotoRow.image, raiseload=True).defer(
            PhotoRow.thumbnail, raiseload=True
        )
    return session.scalars(
        select(CaseRow)
        .where(CaseRow.id == case_id)
        .options(
            selectinload(CaseRow.procedures).selectinload(ProcedureRow.products),
            selectinload(CaseRow.procedures).selectinload(ProcedureRow.implants),
            selectinload(CaseRow.journal),
            photos,
            selectinload(CaseRow.consultations),
            selectinload(CaseRow.records_requests),
            selectinload(CaseRow.provider_checks),
        )
    ).one_or_none()


def _reading_photos(db: Database, data: CaseFileData) -> CaseFileData:
    """Give a case whose photos came without bytes a way to read them (none needed otherwise)."""
    if all(photo.has_bytes for photo in data.photos):
        return data
    return data.reading_photos_from(StoredPhotos(db, data.id))


def load_case(db: Database, case_id: str, *, images: bool = False) -> CaseFileData | None:
    """Return the whole case, or None if there is no case with this id.

    Photos come with their details but without their bytes unless ``images``
    is True (the JSON export); :meth:`CaseFileData.image_of` reads one when
    it is needed, and saving the case keeps the stored bytes.
    """
    with db.session() as session:
        row = _load_row(session, case_id, images=images)
        if row is None:
            return None
        return _reading_photos(db, from_row(CaseFileData, row, images=images))


def save_case(db: Database, data: CaseFileData, *, also: AlsoInTransaction | None = None) -> None:
    """Store the case as given, replacing what was stored before, in one transaction.

    ``also(session, case_id)``, if given, runs in that transaction after the case's rows.
    """
    with db.session() as session:
        _replace(session, data)
        if also is not None:
            session.flush()
            also(session, data.id)


def _replace(session: Session, data: CaseFileData) -> None:
    """Replace the stored case with ``data`` inside the caller's transaction.

    A photo given without its bytes keeps the bytes stored for it (only its
    date, angle, note, procedure and order are updated, and only when one of
    them changed): a small edit to a case with many photos neither reads nor
    rewrites megabytes of images, nor touches a photo row it did not change. Its
    stored digest must still be the one given, or the save is refused: the
    case was read before that photo was replaced or removed. A photo given
    with its bytes (an import, a new case) is written whole, replacing any
    stored one of the same id.
    """
    now = _now()
    existing = session.get(CaseRow, data.id)
    stored: dict[str, Any] = {}
    if existing is not None:
        session.expunge(existing)
        stored = {
            r.id: r
            for r in session.execute(
                select(
                    PhotoRow.id,
                    PhotoRow.pk,
                    PhotoRow.sha256,
                    *(getattr(PhotoRow, name) for name in _PHOTO_EDITS),
                ).where(PhotoRow.case_id == data.id)
            )
        }
    kept: set[str] = set()
    edits: list[dict[str, Any]] = []
    for position, photo in enumerate(data.photos):
        if photo.has_bytes:
            continue
        row = stored.get(photo.id)
        if row is None or row.sha256 != photo.sha256:
            raise CaseFileError(
                _(
                    "The photo from %(date)s was changed or removed while you were working. "
                    "Open the case again, then make your change."
                )
                % {"date": photo.taken_on.isoformat()}
            )
        kept.add(photo.id)
        values = _photo_edits(photo, position)
        if any(getattr(row, name) != value for name, value in values.items()):
            edits.append({"pk": row.pk, **values})
    if existing is None:
        session.add(to_row(data, CaseRow, created_at=now, updated_at=now))
        return
    for table in (ProcedureRow, JournalRow, ConsultationRow, RecordsRequestRow, ProviderCheckRow):
        session.execute(delete(table).where(table.case_id == data.id))
    gone = [photo_id for photo_id in stored if photo_id not in kept]  # removed, or new bytes
    if gone:
        session.execute(delete(PhotoRow).where(PhotoRow.case_id == data.id, PhotoRow.id.in_(gone)))
    details = {k: v for k, v in column_values(data).items() if k != "id"}
    session.execute(update(CaseRow).where(CaseRow.id == data.id).values(**details, updated_at=now))
    fresh = to_row(data.model_copy(update={"photos": []}), CaseRow)
    children: list[Any] = [
        *fresh.procedures,
        *fresh.journal,
        *fresh.consultations,
        *fresh.records_requests,
        *fresh.provider_checks,
    ]
    if edits:  # one UPDATE by primary key, run for the kept photos whose details changed
        session.execute(update(PhotoRow), edits)
    for position, photo in enumerate(data.photos):
        if photo.id not in kept:
            children.append(to_row(photo, PhotoRow, position=position))
    for child in children:
        child.case_id = data.id
    session.add_all(children)


# What an edit of a case can change about a photo kept with its stored bytes.
_PHOTO_EDITS = ("position", "taken_on", "angle", "procedure_id", "note")


def _photo_edits(photo: Photo, position: int) -> dict[str, Any]:
    """The photo row's values of the columns in ``_PHOTO_EDITS``."""
    values = {"position": position, **column_values(photo)}
    return {name: values[name] for name in _PHOTO_EDITS}


def update_case(
    db: Database, case_id: str, change: Callable[[CaseFileData], CaseFileData]
) -> CaseFileData:
    """Load a case, apply ``change`` to it, validate and save; return the saved case.

    Reading and writing happen in one transaction with the case row locked
    (PostgreSQL; SQLite has a single writer), so a photo or letter added from
    another tab at the same moment is never overwritten by this save.
    Photos are read and saved without their bytes, which stay as stored. A
    procedure date added or changed must be one the assessment can use.
    """
    with db.session() as session:
        lock_case(session, case_id)
        row = _load_row(session, case_id, images=False)
        if row is None:
            raise no_case(case_id)
        data = _reading_photos(db, from_row(CaseFileData, row, images=False))
        try:
            changed = CaseFileData.model_validate(change(data).model_dump())
        except ValidationError as exc:
            raise CaseFileError(
                _("The case could not be saved: %(reason)s") % {"reason": exc.errors()[0]["msg"]}
            ) from exc
        check_new_procedure_dates(data, changed, _now().date())
        session.expunge_all()
        _replace(session, changed)
    return _reading_photos(db, changed)


def delete_case(db: Database, case_id: str) -> bool:
    """Delete a case and everything in it, photos included; return whether it existed."""
    with db.session() as session:
        result = session.execute(delete(CaseRow).where(CaseRow.id == case_id))
        return bool(getattr(result, "rowcount", 0))
