"""Read and write case files: whole-case load and save, journal entries, export, import, delete.

A case is loaded and saved as one ``CaseFileData``: saving replaces the case's
rows in one transaction, so a failed save leaves the previous version whole
("nothing lost"). Export and import use the same model, so the round trip is
lossless by construction and tested.

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

Photos (:mod:`~reconsult.casefile.photo_store`), records-request letters
(:mod:`~reconsult.casefile.letters`) and provider checks
(:mod:`~reconsult.casefile.vetting`) change one row at a time; their functions
are re-exported here, so every case-file function can be imported from this
module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from reconsult.casefile.letters import (
    log_records_request,
    mark_records_received,
    request_input_from_case,
)
from reconsult.casefile.notes import note_text
from reconsult.casefile.open_findings import apply_closings, open_findings, raised_from
from reconsult.casefile.photo_check import photo_problem
from reconsult.casefile.photo_store import StoredPhotos, add_photo, delete_photo, photo_image
from reconsult.casefile.procedure_dates import check_new_procedure_dates, days_since_procedure
from reconsult.casefile.rows import lock_case, new_id, no_case
from reconsult.casefile.schema import (
    CaseFileData,
    CaseFileExport,
    Closing,
    Consultation,
    Implant,
    JournalEntry,
    Photo,
    ProcedureRecord,
    Product,
    ProviderCheck,
    RecordsRequestLog,
)
from reconsult.casefile.tables import (
    CaseRow,
    ConsultationRow,
    ImplantRow,
    JournalRow,
    PhotoRow,
    ProcedureRow,
    ProductRow,
    ProviderCheckRow,
    RecordsRequestRow,
)
from reconsult.casefile.vetting import (
    add_provider_check,
    change_provider_check,
    remove_provider_check,
)
from reconsult.errors import CaseFileError
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.storage import Database
from reconsult.triage import assess
from reconsult.triage.models import Case

__all__ = [
    "CaseFileError",
    "add_journal_entry",
    "add_photo",
    "add_provider_check",
    "change_provider_check",
    "close_findings",
    "create_case",
    "delete_case",
    "delete_photo",
    "export_case",
    "import_case",
    "list_cases",
    "load_case",
    "log_records_request",
    "mark_records_received",
    "new_id",
    "photo_image",
    "remove_provider_check",
    "request_input_from_case",
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
        return None if row is None else _reading_photos(db, _to_data(row, images=images))


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
                f"The photo from {photo.taken_on.isoformat()} was changed or removed "
                "while you were working. Open the case again, then make your change."
            )
        kept.add(photo.id)
        values = _photo_edits(photo, position)
        if any(getattr(row, name) != value for name, value in values.items()):
            edits.append({"pk": row.pk, **values})
    if existing is None:
        session.add(_to_row(data, created=now, updated=now))
        return
    for table in (ProcedureRow, JournalRow, ConsultationRow, RecordsRequestRow, ProviderCheckRow):
        session.execute(delete(table).where(table.case_id == data.id))
    gone = [photo_id for photo_id in stored if photo_id not in kept]  # removed, or new bytes
    if gone:
        session.execute(delete(PhotoRow).where(PhotoRow.case_id == data.id, PhotoRow.id.in_(gone)))
    fresh = _to_row(
        data.model_copy(update={"photos": []}), created=existing.created_at, updated=now
    )
    session.execute(
        update(CaseRow)
        .where(CaseRow.id == data.id)
        .values(
            title=fresh.title,
            person_name=fresh.person_name,
            date_of_birth=fresh.date_of_birth,
            jurisdiction=fresh.jurisdiction,
            goals=fresh.goals,
            concerns=fresh.concerns,
            updated_at=now,
        )
    )
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
            children.append(PhotoRow(position=position, **photo.model_dump()))
    for child in children:
        child.case_id = data.id
    session.add_all(children)


# What an edit of a case can change about a photo kept with its stored bytes.
_PHOTO_EDITS = ("position", "taken_on", "angle", "procedure_id", "note")


def _photo_edits(photo: Photo, position: int) -> dict[str, Any]:
    """The photo row's values of the columns in ``_PHOTO_EDITS``."""
    values = (position, photo.taken_on, photo.angle.value, photo.procedure_id, photo.note)
    return dict(zip(_PHOTO_EDITS, values, strict=True))


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
        data = _reading_photos(db, _to_data(row, images=False))
        try:
            changed = CaseFileData.model_validate(change(data).model_dump())
        except ValidationError as exc:
            raise CaseFileError(f"The case could not be saved: {exc.errors()[0]['msg']}") from exc
        check_new_procedure_dates(data, changed, _now().date())
        session.expunge_all()
        _replace(session, changed)
    return _reading_photos(db, changed)


def delete_case(db: Database, case_id: str) -> bool:
    """Delete a case and everything in it, photos included; return whether it existed."""
    with db.session() as session:
        result = session.execute(delete(CaseRow).where(CaseRow.id == case_id))
        return bool(getattr(result, "rowcount", 0))


def add_journal_entry(
    db: Database,
    case_id: str,
    *,
    text: str,
    written_on: dt.date,
    procedure_id: str | None,
    knowledge: Knowledge | None = None,
    closings: dict[str, Closing] | None = None,
) -> JournalEntry:
    """Add what the person noticed, with an assessment made from it on that day.

    ``closings`` first closes open findings the person has said what became of
    (by finding code; each must be open). The assessment uses the chosen
    procedure and its date, and every open finding still holding on that day
    (an answer never forgets a sign told earlier). The urgency, the headline,
    the date to look again, the rules that fired and the findings the answer
    leaves open are kept, so the urgency history can be shown over time even
    after the knowledge changes. A note without words (or too long) raises
    CaseFileError, and nothing is kept.
    """
    text = note_text(text)  # words only: a blank note is refused, never kept or assessed
    kb = knowledge or load_knowledge()
    data = load_case(db, case_id)
    if data is None:
        raise CaseFileError(f"There is no case with id {case_id!r}.")
    procedure = next((p for p in data.procedures if p.id == procedure_id), None)
    if procedure_id is not None and procedure is None:
        raise CaseFileError("Choose one of the procedures in this case.")
    data = apply_closings(data, closings or {})
    entry = JournalEntry(id=new_id(), written_on=written_on, procedure_id=procedure_id, text=text)
    if procedure is not None:
        earlier = [f.earlier for f in open_findings(kb, data) if f.holds_on(written_on)]
        days = days_since_procedure(procedure.performed_on, written_on)
        answer = assess(
            Case(
                procedure=procedure.procedure,
                days_since_procedure=days,
                description=text,
                earlier=earlier,
            ),
            written_on,
            kb,
        )
        entry = entry.model_copy(
            update={
                "urgency": answer.urgency,
                "headline": answer.headline,
                "reassess_on": answer.reassess_on,
                "knowledge_version": answer.knowledge_version,
                "rules_fired": answer.rules_fired,
                "raised": raised_from(earlier, answer.open_findings),
            }
        )

    def add(d: CaseFileData) -> CaseFileData:
        d = apply_closings(d, closings or {}, require_open=False)
        return d.model_copy(update={"journal": [*d.journal, entry]})

    update_case(db, case_id, add)
    return entry


def close_findings(db: Database, case_id: str, closings: dict[str, Closing]) -> CaseFileData:
    """Close open findings as the person said, without a new note; return the saved case."""
    return update_case(db, case_id, lambda d: apply_closings(d, closings))


def export_case(db: Database, case_id: str, *, exported_at: dt.datetime) -> bytes:
    """Return the whole case as JSON (photos as base64), to keep or to import elsewhere."""
    data = load_case(db, case_id, images=True)
    if data is None:
        raise CaseFileError(f"There is no case with id {case_id!r}.")
    return CaseFileExport(exported_at=exported_at, case=data).model_dump_json(indent=2).encode()


def import_case(
    db: Database, raw: bytes, *, replace: bool = False, also: AlsoInTransaction | None = None
) -> CaseFileData:
    """Import a case exported by reconsult; refuse a bad file without storing any of it.

    An existing case with the same id is replaced only when ``replace`` is True;
    ``also(session, case_id)`` runs in the same transaction (see ``create_case``).
    """
    try:
        export = CaseFileExport.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise CaseFileError(
            f"This is not a reconsult case file we can read ({where}: {first['msg']}). "
            "Nothing was imported."
        ) from exc
    data = export.case
    for photo in data.photos:
        problem = photo_problem(photo)
        if problem is not None:
            raise CaseFileError(
                f"The photo from {photo.taken_on.isoformat()} in this file cannot be kept: "
                f"{problem}. Nothing was imported."
            )
    if not replace and _exists(db, data.id):
        raise CaseFileError(
            "You already have this case. Delete it first, or import it as a replacement."
        )
    save_case(db, data, also=also)
    return data


def _exists(db: Database, case_id: str) -> bool:
    with db.session() as session:
        return session.scalar(select(CaseRow.id).where(CaseRow.id == case_id)) is not None


# --- rows <-> data -----------------------------------------------------------------


def _to_row(data: CaseFileData, *, created: dt.datetime, updated: dt.datetime) -> CaseRow:
    return CaseRow(
        id=data.id,
        title=data.title,
        person_name=data.person_name,
        date_of_birth=data.date_of_birth,
        jurisdiction=data.jurisdiction,
        goals=list(data.goals),
        concerns=list(data.concerns),
        created_at=created,
        updated_at=updated,
        procedures=[_procedure_row(p, i) for i, p in enumerate(data.procedures)],
        journal=[JournalRow(position=i, **e.row_fields()) for i, e in enumerate(data.journal)],
        photos=[PhotoRow(position=i, **p.model_dump()) for i, p in enumerate(data.photos)],
        consultations=[
            ConsultationRow(position=i, **c.model_dump()) for i, c in enumerate(data.consultations)
        ],
        records_requests=[
            RecordsRequestRow(position=i, **r.row_fields())
            for i, r in enumerate(data.records_requests)
        ],
        provider_checks=[
            ProviderCheckRow(position=i, **c.row_fields())
            for i, c in enumerate(data.provider_checks)
        ],
    )


def _procedure_row(p: ProcedureRecord, position: int) -> ProcedureRow:
    return ProcedureRow(
        id=p.id,
        position=position,
        procedure=p.procedure.value,
        performed_on=p.performed_on,
        provider_name=p.provider_name,
        practice_name=p.practice_name,
        records_obtained=p.records_obtained,
        notes=p.notes,
        products=[
            ProductRow(position=i, **x.model_dump(mode="json", exclude={"expiry"}), expiry=x.expiry)
            for i, x in enumerate(p.products)
        ],
        implants=[
            ImplantRow(position=i, **x.model_dump(mode="json")) for i, x in enumerate(p.implants)
        ],
    )


_PHOTO_DETAILS = set(Photo.model_fields) - {"image", "thumbnail"}


def _to_data(row: CaseRow, *, images: bool) -> CaseFileData:
    def fields(obj: object, names: set[str]) -> dict[str, object]:
        return {name: getattr(obj, name) for name in names}

    photo_fields = set(Photo.model_fields) if images else _PHOTO_DETAILS

    return CaseFileData(
        id=row.id,
        title=row.title,
        person_name=row.person_name,
        date_of_birth=row.date_of_birth,
        jurisdiction=row.jurisdiction,
        goals=list(row.goals),
        concerns=list(row.concerns),
        procedures=[
            ProcedureRecord(
                **fields(p, set(ProcedureRecord.model_fields) - {"products", "implants"}),
                products=[Product(**fields(x, set(Product.model_fields))) for x in p.products],
                implants=[Implant(**fields(x, set(Implant.model_fields))) for x in p.implants],
            )
            for p in row.procedures
        ],
        journal=[JournalEntry(**fields(e, set(JournalEntry.model_fields))) for e in row.journal],
        photos=[Photo(**fields(p, photo_fields)) for p in row.photos],
        consultations=[
            Consultation(**fields(c, set(Consultation.model_fields))) for c in row.consultations
        ],
        records_requests=[
            RecordsRequestLog(**fields(r, set(RecordsRequestLog.model_fields)))
            for r in row.records_requests
        ],
        provider_checks=[
            ProviderCheck(**fields(c, set(ProviderCheck.model_fields))) for c in row.provider_checks
        ],
    )
