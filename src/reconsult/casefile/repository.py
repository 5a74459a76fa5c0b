"""Every function that reads or writes a stored case, importable from one place.

The work is done by one module per concern:

- :mod:`~reconsult.casefile.case_store`: the whole case (create, list, load,
  save, update, delete), photos read without their bytes unless asked;
- :mod:`~reconsult.casefile.journal`: journal notes with their answers, and
  closing the signs they left open;
- :mod:`~reconsult.casefile.transfer`: export a case as one JSON file, import
  one (lossless: the same model as loading and saving);
- :mod:`~reconsult.casefile.photo_store`, :mod:`~reconsult.casefile.letters`
  and :mod:`~reconsult.casefile.vetting`: photos, records-request letters and
  provider checks, which change one row at a time.

How each model is stored in its table is said once, in
:mod:`~reconsult.casefile.mapping`.
"""

from __future__ import annotations

from reconsult.casefile.case_store import (
    create_case,
    delete_case,
    list_cases,
    load_case,
    save_case,
    update_case,
)
from reconsult.casefile.journal import add_journal_entry, close_findings
from reconsult.casefile.letters import mark_records_received, request_input_from_case
from reconsult.casefile.photo_store import add_photo, delete_photo, photo_image
from reconsult.casefile.rows import new_id
from reconsult.casefile.transfer import export_case, import_case
from reconsult.casefile.vetting import (
    add_provider_check,
    change_provider_check,
    remove_provider_check,
)
from reconsult.errors import CaseFileError

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
    "mark_records_received",
    "new_id",
    "photo_image",
    "remove_provider_check",
    "request_input_from_case",
    "save_case",
    "update_case",
]
