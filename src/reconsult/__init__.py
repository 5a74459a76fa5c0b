"""reconsult: from "something is wrong after my cosmetic procedure" to a safe, cited next step.

It informs; it never diagnoses. The public Python API::

    from datetime import date
    from reconsult import Case, assess

    answer = assess(
        Case(procedure="botulinum_toxin", days_since_procedure=4,
             description="my eyebrows look uneven"),
        today=date.today(),
    )
    print(answer.urgency, answer.headline)

The case file and its documents::

    from reconsult import open_database, create_case, add_journal_entry, packet_pdf

A sign an answer leaves open (``answer.open_findings``) holds the next answer
while it is fresh: pass it back as ``Case(earlier=...)``; a case file does this
itself, and ``close_findings`` records what became of one.

Names are loaded on first use, so that ``reconsult --help`` starts fast
without importing the language pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str  # the package version, from its metadata on first use

    from reconsult.casefile.letters import request_input_from_case
    from reconsult.casefile.photo_store import add_photo
    from reconsult.casefile.records_request_input import RecordsRequestInput
    from reconsult.casefile.reminders import case_reminders
    from reconsult.casefile.repository import (
        add_journal_entry,
        close_findings,
        create_case,
        delete_case,
        export_case,
        import_case,
        list_cases,
        load_case,
        update_case,
    )
    from reconsult.casefile.schema import CaseFileData, Closing, ClosingChoice
    from reconsult.documents.fhir import case_bundle
    from reconsult.documents.packet import packet_pdf, packet_text
    from reconsult.documents.records_request import (
        log_records_request,
        records_request_pdf,
        records_request_text,
    )
    from reconsult.errors import (
        CaseFileError,
        CaseInputError,
        KnowledgeError,
        PhotoError,
        ReconsultError,
    )
    from reconsult.knowledge import Knowledge, load_knowledge
    from reconsult.knowledge.schema import OptionCode, Urgency
    from reconsult.storage import open_database
    from reconsult.triage import assess
    from reconsult.triage.models import (
        Assessment,
        Case,
        DetectedFinding,
        EarlierFinding,
        FindingStatus,
    )

__all__ = [
    "Assessment",
    "Case",
    "CaseFileData",
    "CaseFileError",
    "CaseInputError",
    "Closing",
    "ClosingChoice",
    "DetectedFinding",
    "EarlierFinding",
    "FindingStatus",
    "Knowledge",
    "KnowledgeError",
    "OptionCode",
    "PhotoError",
    "ReconsultError",
    "RecordsRequestInput",
    "Urgency",
    "add_journal_entry",
    "add_photo",
    "assess",
    "case_bundle",
    "case_reminders",
    "close_findings",
    "create_case",
    "delete_case",
    "export_case",
    "import_case",
    "list_cases",
    "load_case",
    "load_knowledge",
    "log_records_request",
    "open_database",
    "packet_pdf",
    "packet_text",
    "records_request_pdf",
    "records_request_text",
    "request_input_from_case",
    "update_case",
]

_HOMES = {
    "Assessment": "reconsult.triage.models",
    "Case": "reconsult.triage.models",
    "CaseFileData": "reconsult.casefile.schema",
    "CaseFileError": "reconsult.errors",
    "CaseInputError": "reconsult.errors",
    "Closing": "reconsult.casefile.schema",
    "ClosingChoice": "reconsult.knowledge.schema",
    "DetectedFinding": "reconsult.triage.models",
    "EarlierFinding": "reconsult.triage.models",
    "FindingStatus": "reconsult.triage.models",
    "Knowledge": "reconsult.knowledge",
    "KnowledgeError": "reconsult.errors",
    "OptionCode": "reconsult.knowledge.schema",
    "PhotoError": "reconsult.errors",
    "ReconsultError": "reconsult.errors",
    "RecordsRequestInput": "reconsult.casefile.records_request_input",
    "Urgency": "reconsult.knowledge.schema",
    "add_journal_entry": "reconsult.casefile.repository",
    "add_photo": "reconsult.casefile.photo_store",
    "assess": "reconsult.triage",
    "case_bundle": "reconsult.documents.fhir",
    "case_reminders": "reconsult.casefile.reminders",
    "close_findings": "reconsult.casefile.repository",
    "create_case": "reconsult.casefile.repository",
    "delete_case": "reconsult.casefile.repository",
    "export_case": "reconsult.casefile.repository",
    "import_case": "reconsult.casefile.repository",
    "list_cases": "reconsult.casefile.repository",
    "load_case": "reconsult.casefile.repository",
    "load_knowledge": "reconsult.knowledge",
    "log_records_request": "reconsult.documents.records_request",
    "open_database": "reconsult.storage",
    "packet_pdf": "reconsult.documents.packet",
    "packet_text": "reconsult.documents.packet",
    "records_request_pdf": "reconsult.documents.records_request",
    "records_request_text": "reconsult.documents.records_request",
    "request_input_from_case": "reconsult.casefile.letters",
    "update_case": "reconsult.casefile.repository",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its home module on first use (PEP 562)."""
    if name == "__version__":
        return _installed_version()
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'reconsult' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def _installed_version() -> str:
    """The installed package's version (its metadata, the one place it is written)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reconsult")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def __dir__() -> list[str]:
    """List the public names for tab completion."""
    return sorted(__all__)
