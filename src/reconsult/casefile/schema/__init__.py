"""The case file as data: pydantic models used for JSON export and import (lossless).

Strict in both directions: unknown fields are errors, so a file from a newer
or broken exporter is refused with the field named, never half-read.

Photos are the one part of a case that is big: a case of 100 phone photos
holds well over 100 MB of image bytes, and nearly nothing needs them (a page
shows a photo through its own address, which reads one row). So a
:class:`Photo` may come without its bytes: ``image`` and ``thumbnail`` are
then None, meaning "not read", never "empty". That is how
:func:`reconsult.casefile.case_store.load_case` reads a case unless asked for
the bytes, and saving such a case keeps the bytes already stored. A case read
that way remembers where its photos are (:class:`PhotoSource`), so the few
things that need the pixels (the consultation packet, the FHIR export) read
them one photo at a time with :meth:`CaseFileData.image_of`. The JSON export
always carries every photo's bytes (:class:`CaseFileExport` refuses a photo
without them), so the round trip stays lossless.

The models live in one module per part of a case, and every name is
importable from here:

- ``fields``: the strict base model and the checked strings;
- ``procedures``: procedures, their products and implants;
- ``journal``: journal notes and the findings they leave open;
- ``photos``: photos, with or without their bytes;
- ``records``: consultations, records requests, provider checks;
- ``case``: the whole case and its export file.

How each model is stored is said once, in :mod:`reconsult.casefile.mapping`.
"""

from __future__ import annotations

from reconsult.casefile.schema.case import EXPORT_FORMAT, CaseFileData, CaseFileExport
from reconsult.casefile.schema.journal import Closing, JournalEntry, RaisedFinding
from reconsult.casefile.schema.photos import Angle, Photo, PhotoSource
from reconsult.casefile.schema.procedures import (
    Implant,
    ImplantFill,
    ImplantSurface,
    ProcedureRecord,
    Product,
    ProductSite,
    Side,
)
from reconsult.casefile.schema.records import (
    CheckItem,
    CheckResult,
    Consultation,
    ProviderCheck,
    RecordsRequestLog,
)
from reconsult.knowledge.schema import ClosingChoice

__all__ = [
    "EXPORT_FORMAT",
    "Angle",
    "CaseFileData",
    "CaseFileExport",
    "CheckItem",
    "CheckResult",
    "Closing",
    "ClosingChoice",
    "Consultation",
    "Implant",
    "ImplantFill",
    "ImplantSurface",
    "JournalEntry",
    "Photo",
    "PhotoSource",
    "ProcedureRecord",
    "Product",
    "ProductSite",
    "RaisedFinding",
    "ProviderCheck",
    "RecordsRequestLog",
    "Side",
]
