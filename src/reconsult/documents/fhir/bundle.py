"""Build the FHIR Bundle of a case: :func:`case_bundle`.

The Patient, then each procedure (:mod:`.procedures`), the Observations
(:mod:`.observations`), the photos and letters (:mod:`.attachments`) and
the intake, as a QuestionnaireResponse (here). Any text a case holds can be
exported: a FHIR string must hold a character other than white space, so
text without words is left out, never sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from reconsult.casefile.schema import CaseFileData
from reconsult.documents.fhir.attachments import letter_reference, photo_reference
from reconsult.documents.fhir.ids import ref, uuid_for
from reconsult.documents.fhir.observations import (
    concern_observation,
    journal_observation,
    raised_observation,
    vetting_observation,
)
from reconsult.documents.fhir.procedures import device_resource, procedure_resource
from reconsult.knowledge import Knowledge, load_knowledge

__all__ = ["case_bundle"]


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def case_bundle(
    case: CaseFileData, *, generated_at: dt.datetime, knowledge: Knowledge | None = None
) -> Bundle:
    """Build and validate the Bundle for one case (type ``collection``)."""
    kb = knowledge or load_knowledge()
    patient_id = uuid_for(case.id, "patient")
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    if case.person_name:
        patient["name"] = [{"text": case.person_name}]
    if case.date_of_birth:
        patient["birthDate"] = case.date_of_birth.isoformat()
    entries = [_entry(patient)]
    for procedure in case.procedures:
        devices = [
            device_resource(case.id, patient_id, procedure, implant)
            for implant in procedure.implants
        ]
        entries.append(_entry(procedure_resource(case.id, patient_id, procedure, devices, kb)))
        entries.extend(_entry(d) for d in devices)
    entries.extend(_entry(journal_observation(case.id, patient_id, e)) for e in case.journal)
    entries.extend(
        _entry(raised_observation(case.id, patient_id, e, r, kb))
        for e in case.journal
        for r in e.raised
    )
    entries.extend(
        _entry(concern_observation(case.id, patient_id, index, text))
        for index, text in enumerate(case.concerns)
    )
    entries.extend(
        _entry(vetting_observation(case.id, patient_id, v, kb)) for v in case.provider_checks
    )
    for photo in case.photos:
        image = case.image_of(photo)
        if image is not None:
            entries.append(_entry(photo_reference(case.id, patient_id, photo, image)))
    entries.extend(
        _entry(letter_reference(case.id, patient_id, r))
        for r in case.records_requests
        if r.letter_text
    )
    entries.append(_entry(_intake(case, patient_id, generated_at)))
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": uuid_for(case.id, "bundle"),
            "type": "collection",
            "timestamp": generated_at.isoformat(),
            "entry": [_without_blanks(e) for e in entries],
        }
    )


def _blank(value: object) -> bool:
    return value in (None, [], {}) or (isinstance(value, str) and not value.strip())


def _without_blanks(node: Any) -> Any:
    """Leave out text without words, and whatever that leaves empty.

    A FHIR R4 string needs a character that is not white space (its regex,
    https://hl7.org/fhir/R4/datatypes.html#primitive), so one empty name, note
    or answer (older versions kept a note of spaces as "") made the whole
    Bundle invalid. ``str.strip`` removes every character that regex refuses.
    """
    if isinstance(node, dict):
        kept = {key: _without_blanks(value) for key, value in node.items()}
        return {key: value for key, value in kept.items() if not _blank(value)}
    if isinstance(node, list):
        return [item for item in map(_without_blanks, node) if not _blank(item)]
    return node


def _item(link_id: str, question: str, answers: list[str]) -> list[dict[str, Any]]:
    """One intake item with its answers that have words, or none if no answer has."""
    said = [{"valueString": a} for a in answers if a.strip()]
    return [{"linkId": link_id, "text": question, "answer": said}] if said else []


def _intake(case: CaseFileData, patient_id: str, generated_at: dt.datetime) -> dict[str, Any]:
    items = [
        *_item("goals", "What you hope for", case.goals),
        *_item("concerns", "What worries you", case.concerns),
        *_item("jurisdiction", "Where you live", [case.jurisdiction]),
    ]
    for c in case.consultations:
        said = f"{c.provider_name} ({c.specialty or 'specialty not given'})"
        if c.held_on:
            said += f" on {c.held_on.isoformat()}"
        items += _item(
            f"consultation-{c.id}", "A provider you consulted", [f"{said}: {c.what_they_said}"]
        )
    for r in case.records_requests:
        state = (
            f"received {r.received_on.isoformat()}"
            if r.received_on
            else f"follow up {r.follow_up_on.isoformat()}"
        )
        items += _item(
            f"records-request-{r.id}",
            "Records requested",
            [f"{r.provider_name}, sent {r.sent_on.isoformat()}, {state}"],
        )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": uuid_for(case.id, "intake"),
        "status": "completed",
        "subject": ref(patient_id),
        "authored": generated_at.isoformat(),
        "item": items,
    }
