"""What the FHIR export's resources share: ids derived from the case, references, words.

Resource ids are UUIDs derived from the case's own ids, so exporting the same
case twice gives the same Bundle.
"""

from __future__ import annotations

import uuid
from typing import Any

__all__ = ["ref", "uuid_for", "value_words"]

_NAMESPACE = uuid.UUID("6f1c4d2e-9a7b-4c1d-8e2f-3a5b6c7d8e9f")


def uuid_for(case_id: str, *parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join((case_id, *parts))))


def ref(resource_id: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id}"}


# An Observation with no words (a note kept empty by an older version) says why.
_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
_NO_WORDS = {"coding": [{"system": _ABSENT, "code": "unknown"}], "text": "No words were written"}


def value_words(text: str) -> dict[str, Any]:
    """Observation.value[x]: the person's words, or the reason there are none."""
    return {"valueString": text} if text.strip() else {"dataAbsentReason": _NO_WORDS}
