"""The FHIR export's DocumentReferences: each photo, and each records-request letter kept.

Both are inline attachments, with their size and SHA-1 hash as FHIR R4
defines them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from reconsult.casefile.schema import Photo, RecordsRequestLog
from reconsult.documents.fhir.ids import ref, uuid_for

__all__ = ["letter_reference", "photo_reference"]


def photo_reference(case_id: str, patient_id: str, p: Photo, image: bytes) -> dict[str, Any]:
    reference: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": uuid_for(case_id, "photo", p.id),
        "identifier": [{"system": "urn:reconsult:photo", "value": p.id}],
        "status": "current",
        "type": {"text": "Clinical photograph"},
        "subject": ref(patient_id),
        "date": _instant(p.taken_on),
        "description": f"{p.angle.value.replace('_', ' ')} view"
        + (f": {p.note}" if p.note else ""),
        "content": [
            {
                "attachment": {
                    "contentType": p.media_type,
                    "data": base64.b64encode(image).decode("ascii"),
                    "size": len(image),
                    "hash": _sha1(image),
                    "title": f"Photo {p.taken_on.isoformat()} ({p.angle.value})",
                    "creation": p.taken_on.isoformat(),
                }
            }
        ],
    }
    if p.procedure_id:
        reference["context"] = {"related": [ref(uuid_for(case_id, "procedure", p.procedure_id))]}
    return reference


def _sha1(data: bytes) -> str:
    """Attachment.hash: base64 of the SHA-1 of the data, as FHIR R4 defines it."""
    return base64.b64encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode("ascii")


def _instant(day: dt.date) -> str:
    """A day as the FHIR ``instant`` DocumentReference.date needs (midnight UTC)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).isoformat()


def letter_reference(case_id: str, patient_id: str, r: RecordsRequestLog) -> dict[str, Any]:
    text = r.letter_text.encode("utf-8")
    description = f"Letter to {r.provider_name} asking for a copy of the records, sent {r.sent_on}"
    if r.received_on:
        description += f"; records received {r.received_on.isoformat()}"
    attachment: dict[str, Any] = {
        "contentType": "text/plain; charset=utf-8",
        "data": base64.b64encode(text).decode("ascii"),
        "size": len(text),
        "hash": _sha1(text),
        "title": f"Records request to {r.provider_name}, {r.sent_on.isoformat()}",
        "creation": r.sent_on.isoformat(),
    }
    return {
        "resourceType": "DocumentReference",
        "id": uuid_for(case_id, "records-request", r.id),
        "identifier": [{"system": "urn:reconsult:records-request", "value": r.id}],
        "status": "current",
        "type": {"text": "Records request letter"},
        "subject": ref(patient_id),
        "author": [ref(patient_id)],
        "date": _instant(r.sent_on),
        "description": description,
        "content": [{"attachment": attachment}],
    }
