"""The right of access to medical records, per jurisdiction, as the knowledge base holds it.

``records_access.yaml`` is loaded and validated with the rest of the knowledge
base (see :mod:`reconsult.knowledge.records_access_content` for its models);
this module hands the letter code the loaded copy.
"""

from __future__ import annotations

from reconsult.knowledge import load_knowledge
from reconsult.knowledge.records_access_content import (
    DATA_FILE,
    Jurisdiction,
    Period,
    RecordItem,
    RecordsAccess,
    RecordSet,
    parse_records_access,
)

__all__ = [
    "DATA_FILE",
    "Jurisdiction",
    "Period",
    "RecordItem",
    "RecordSet",
    "RecordsAccess",
    "load_records_access",
    "parse_records_access",
]


def load_records_access() -> RecordsAccess:
    """Return the packaged knowledge base's ``records_access.yaml`` (loaded once, validated)."""
    return load_knowledge().records_access
