"""Move a case between installations: export it as one JSON file, import such a file.

Export and import use the same model as loading and saving
(:class:`~reconsult.casefile.schema.CaseFileExport` around
:class:`~reconsult.casefile.schema.CaseFileData`), so the round trip is
lossless by construction and tested. An export carries every photo's bytes.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError

from reconsult.casefile.case_store import AlsoInTransaction, case_exists, load_case, save_case
from reconsult.casefile.photo_check import photo_problem
from reconsult.casefile.schema import CaseFileData, CaseFileExport
from reconsult.errors import CaseFileError
from reconsult.i18n import gettext as _
from reconsult.storage import Database

__all__ = ["export_case", "import_case"]


def export_case(db: Database, case_id: str, *, exported_at: dt.datetime) -> bytes:
    """Return the whole case as JSON (photos as base64), to keep or to import elsewhere."""
    data = load_case(db, case_id, images=True)
    if data is None:
        raise CaseFileError(_("There is no case with id %(id)s.") % {"id": repr(case_id)})
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
        where = ".".join(str(part) for part in first["loc"]) or _("the file")
        raise CaseFileError(
            _(
                "This is not a reconsult case file we can read (%(where)s: %(reason)s). "
                "Nothing was imported."
            )
            % {"where": where, "reason": first["msg"]}
        ) from exc
    data = export.case
    for photo in data.photos:
        problem = photo_problem(photo)
        if problem is not None:
            raise CaseFileError(
                _(
                    "The photo from %(date)s in this file cannot be kept: %(reason)s. "
                    "Nothing was imported."
                )
                % {"date": photo.taken_on.isoformat(), "reason": problem}
            )
    if not replace and case_exists(db, data.id):
        raise CaseFileError(
            _("You already have this case. Delete it first, or import it as a replacement.")
        )
    save_case(db, data, also=also)
    return data
