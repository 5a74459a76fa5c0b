"""Export a case file as a FHIR R4 Bundle (validated with fhir.resources' R4B models).

What goes where:
- Patient: the person (name, date of birth);
- Procedure: each procedure, with its provider, date, products used and notes;
- Device: each implant (manufacturer, style, lot, serial, UDI), linked from its Procedure;
- Observation: each journal entry and each concern, in the person's words, with
  the urgency reconsult gave at the time as a note. These are patient-reported
  observations, never a diagnosis, so no Condition is asserted;
- Observation: each worrying sign a journal entry's answer left open (issue 15),
  derived from that entry, coded by reconsult's finding code and named by its
  label, the person's words as its value. Its status says what became of it:
  ``preliminary`` while open (reported, not yet followed up), ``final`` once the
  person said it was seen and treated or went away, ``entered-in-error`` when
  they said it was written by mistake; the note says which, by whom and when,
  and that the person said so;
- Observation: each provider check, made by the person (performer: the
  Patient) about a provider (focus: a reference by name and NPI, with no
  Practitioner resource, as reconsult knows no more of them). One component
  per checklist item (its result as a code, what they found as its text) and
  one per red flag noticed;
- DocumentReference: each photo (the cleaned image, inline: read one at a
  time with ``CaseFileData.image_of`` when the case was read without its
  photo bytes; a photo removed since is left out), and each records-request
  letter kept with the case (its plain text, inline, written by the person
  to the provider it names);
- QuestionnaireResponse: the intake (goals, concerns, consultations, records requests).

Resource ids are UUIDs derived from the case's own ids, so exporting the same
case twice gives the same Bundle. Any text a case holds can be exported: a
FHIR string must hold a character other than white space, so text without
words is left out (an empty note says why it has no value), never sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from reconsult.casefile.open_findings import closing_text
from reconsult.casefile.schema import (
    CaseFileData,
    Implant,
    JournalEntry,
    Photo,
    ProcedureRecord,
    ProviderCheck,
    RaisedFinding,
    RecordsRequestLog,
)
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.schema import ClosingChoice

__all__ = ["case_bundle"]

_NAMESPACE = uuid.UUID("6f1c4d2e-9a7b-4c1d-8e2f-3a5b6c7d8e9f")


def _uuid(case_id: str, *parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join((case_id, *parts))))


def _ref(resource_id: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id}"}


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def case_bundle(
    case: CaseFileData, *, generated_at: dt.datetime, knowledge: Knowledge | None = None
) -> Bundle:
    """Build and validate the Bundle for one case (type ``collection``)."""
    kb = knowledge or load_knowledge()
    patient_id = _uuid(case.id, "patient")
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    if case.person_name:
        patient["name"] = [{"text": case.person_name}]
    if case.date_of_birth:
        patient["birthDate"] = case.date_of_birth.isoformat()
    entries = [_entry(patient)]
    for procedure in case.procedures:
        devices = [
            _device(case.id, patient_id, procedure, implant) for implant in procedure.implants
        ]
        entries.append(_entry(_procedure(case.id, patient_id, procedure, devices, kb)))
        entries.extend(_entry(d) for d in devices)
    entries.extend(_entry(_journal(case.id, patient_id, e)) for e in case.journal)
    entries.extend(
        _entry(_raised(case.id, patient_id, e, r, kb)) for e in case.journal for r in e.raised
    )
    entries.extend(
        _entry(_concern(case.id, patient_id, index, text))
        for index, text in enumerate(case.concerns)
    )
    entries.extend(_entry(_vetting(case.id, patient_id, v, kb)) for v in case.provider_checks)
    for photo in case.photos:
        image = case.image_of(photo)
        if image is not None:
            entries.append(_entry(_photo(case.id, patient_id, photo, image)))
    entries.extend(
        _entry(_letter(case.id, patient_id, r)) for r in case.records_requests if r.letter_text
    )
    entries.append(_entry(_intake(case, patient_id, generated_at)))
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": _uuid(case.id, "bundle"),
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


# An Observation with no words (a note kept empty by an older version) says why.
_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
_NO_WORDS = {"coding": [{"system": _ABSENT, "code": "unknown"}], "text": "No words were written"}


def _words(text: str) -> dict[str, Any]:
    """Observation.value[x]: the person's words, or the reason there are none."""
    return {"valueString": text} if text.strip() else {"dataAbsentReason": _NO_WORDS}


def _procedure(
    case_id: str,
    patient_id: str,
    p: ProcedureRecord,
    devices: list[dict[str, Any]],
    kb: Knowledge,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": _uuid(case_id, "procedure", p.id),
        "identifier": [{"system": "urn:reconsult:procedure", "value": p.id}],
        "status": "completed",
        "code": {
            "coding": [{"system": "urn:reconsult:procedure-code", "code": p.procedure.value}],
            "text": kb.procedures[p.procedure.value].name,
        },
        "subject": _ref(patient_id),
    }
    if p.performed_on:
        resource["performedDateTime"] = p.performed_on.isoformat()
    performer = ", ".join(x for x in (p.provider_name, p.practice_name) if x.strip())
    resource["performer"] = [{"actor": {"display": performer}}]
    if devices:
        resource["focalDevice"] = [{"manipulated": _ref(d["id"])} for d in devices]
    used = []
    notes = []
    for product in p.products:
        name = " ".join(x for x in (product.brand, product.product_name) if x)
        used.append({"text": f"{name} (lot {product.lot})" if product.lot else name})
        for site in product.sites:
            notes.append({"text": f"{name}: {site.amount:g} {site.unit} in {site.site}"})
    resource["usedCode"] = used
    notes.append({"text": p.notes})
    notes.append({"text": "Records obtained: " + ("yes" if p.records_obtained else "not yet")})
    resource["note"] = notes
    return resource


def _device(case_id: str, patient_id: str, p: ProcedureRecord, i: Implant) -> dict[str, Any]:
    device: dict[str, Any] = {
        "resourceType": "Device",
        "id": _uuid(case_id, "implant", p.id, i.id),
        "identifier": [{"system": "urn:reconsult:implant", "value": i.id}],
        "udiCarrier": [{"carrierHRF": i.udi}],
        "manufacturer": i.manufacturer,
        "lotNumber": i.lot,
        "serialNumber": i.serial,
        "patient": _ref(patient_id),
        "note": [
            {"text": f"Side: {i.side.value}. Fill: {i.fill.value}. Surface: {i.surface.value}."}
        ],
    }  # blank values are left out by _without_blanks
    if i.style.strip():  # a DeviceName must have a name
        device["deviceName"] = [{"name": i.style, "type": "model-name"}]
    if i.size_cc is not None:
        cc = {"value": i.size_cc, "unit": "cc", "system": "http://unitsofmeasure.org"}
        device["property"] = [{"type": {"text": "volume"}, "valueQuantity": [cc | {"code": "cm3"}]}]
    return device


def _journal(case_id: str, patient_id: str, e: JournalEntry) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _uuid(case_id, "journal", e.id),
        "identifier": [{"system": "urn:reconsult:journal", "value": e.id}],
        "status": "final",
        "code": {"text": "What the person noticed, in their own words"},
        "subject": _ref(patient_id),
        "effectiveDateTime": e.written_on.isoformat(),
        **_words(e.text),
    }
    if e.procedure_id:
        observation["focus"] = [_ref(_uuid(case_id, "procedure", e.procedure_id))]
    if e.urgency is not None:
        gave = f"reconsult {e.knowledge_version} gave '{e.urgency.value}': {e.headline}"
        observation["note"] = [{"text": f"{gave} (information, not a diagnosis)"}]
    return observation


# Observation.status for a sign left open, by what the person said became of it.
_RAISED_STATUS = {
    None: "preliminary",
    ClosingChoice.seen: "final",
    ClosingChoice.gone: "final",
    ClosingChoice.mistake: "entered-in-error",
}


def _raised(
    case_id: str, patient_id: str, e: JournalEntry, r: RaisedFinding, kb: Knowledge
) -> dict[str, Any]:
    """An Observation for a sign a journal entry left open, with what became of it."""
    finding = kb.findings.get(r.finding)
    label = finding.label if finding is not None else r.finding
    closed = r.closed
    if closed is None:
        said = (
            f"Still open since {e.written_on.isoformat()}: reconsult keeps later answers at "
            f"least '{r.urgency.value}' until the person says what happened to it"
        )
    else:
        said = closing_text(kb.policy.open_findings, closed, teller="the person")
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _uuid(case_id, "journal", e.id, "raised", r.finding),
        "status": _RAISED_STATUS[closed.how if closed is not None else None],
        "code": {
            "coding": [{"system": "urn:reconsult:finding", "code": r.finding}],
            "text": label,
        },
        "subject": _ref(patient_id),
        "effectiveDateTime": e.written_on.isoformat(),
        "derivedFrom": [_ref(_uuid(case_id, "journal", e.id))],
        **_words(r.words),
        "note": [{"text": said}],
    }
    if e.procedure_id:
        observation["focus"] = [_ref(_uuid(case_id, "procedure", e.procedure_id))]
    return observation


def _concern(case_id: str, patient_id: str, index: int, text: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _uuid(case_id, "concern", str(index)),
        "status": "final",
        "code": {"text": "A concern about the result, in the person's own words"},
        "subject": _ref(patient_id),
        **_words(text),
    }


# The words for each result, as the person chose it.
_RESULTS = {
    "confirmed": "Checked, and it was fine",
    "concern": "Checked, and it worries the person",
    "not_checked": "Not checked yet",
}
_NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"


def _vetting(case_id: str, patient_id: str, v: ProviderCheck, kb: Knowledge) -> dict[str, Any]:
    checks = {c.id: c.title for c in kb.providers.checks}
    flags = {f.id: f.title for f in kb.providers.red_flags}
    provider: dict[str, Any] = {"display": v.provider_name}
    if v.npi:
        provider["identifier"] = {"system": _NPI_SYSTEM, "value": v.npi}
    components: list[dict[str, Any]] = []
    for item in v.items:
        result = _RESULTS[item.result.value]
        components.append(
            {
                "code": {
                    "coding": [{"system": "urn:reconsult:vetting-check", "code": item.check}],
                    "text": checks.get(item.check, item.check),
                },
                "valueCodeableConcept": {
                    "coding": [
                        {"system": "urn:reconsult:vetting-result", "code": item.result.value}
                    ],
                    "text": f"{result}: {item.found}" if item.found else result,
                },
            }
        )
    for flag in v.red_flags:
        components.append(
            {
                "code": {
                    "coding": [{"system": "urn:reconsult:red-flag", "code": flag}],
                    "text": f"Warning sign noticed: {flags.get(flag, flag)}",
                },
                "valueBoolean": True,
            }
        )
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _uuid(case_id, "provider-check", v.id),
        "identifier": [{"system": "urn:reconsult:provider-check", "value": v.id}],
        "status": "final",
        "code": {"text": "What the person checked about a provider before choosing them"},
        "subject": _ref(patient_id),
        "focus": [provider],
        "performer": [_ref(patient_id)],
        "effectiveDateTime": v.checked_on.isoformat(),
        "valueString": f"{len(v.done)} of {len(v.items)} checks done, "
        f"{len(v.concerns)} worrying, {len(v.red_flags)} warning sign(s) noticed",
        "component": components,
        "note": [{"text": v.note}],
    }
    if v.procedure is not None:
        observation["note"].insert(0, {"text": f"For: {kb.procedures[v.procedure.value].name}"})
    return observation


def _photo(case_id: str, patient_id: str, p: Photo, image: bytes) -> dict[str, Any]:
    reference: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": _uuid(case_id, "photo", p.id),
        "identifier": [{"system": "urn:reconsult:photo", "value": p.id}],
        "status": "current",
        "type": {"text": "Clinical photograph"},
        "subject": _ref(patient_id),
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
        reference["context"] = {"related": [_ref(_uuid(case_id, "procedure", p.procedure_id))]}
    return reference


def _sha1(data: bytes) -> str:
    """Attachment.hash: base64 of the SHA-1 of the data, as FHIR R4 defines it."""
    return base64.b64encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode("ascii")


def _instant(day: dt.date) -> str:
    """A day as the FHIR ``instant`` DocumentReference.date needs (midnight UTC)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).isoformat()


def _letter(case_id: str, patient_id: str, r: RecordsRequestLog) -> dict[str, Any]:
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
        "id": _uuid(case_id, "records-request", r.id),
        "identifier": [{"system": "urn:reconsult:records-request", "value": r.id}],
        "status": "current",
        "type": {"text": "Records request letter"},
        "subject": _ref(patient_id),
        "author": [_ref(patient_id)],
        "date": _instant(r.sent_on),
        "description": description,
        "content": [{"attachment": attachment}],
    }


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
        "id": _uuid(case.id, "intake"),
        "status": "completed",
        "subject": _ref(patient_id),
        "authored": generated_at.isoformat(),
        "item": items,
    }
