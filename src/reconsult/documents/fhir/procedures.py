"""The person's procedures as FHIR: a Procedure each, and a Device for each implant."""

from __future__ import annotations

from typing import Any

from reconsult.casefile.schema import Implant, ProcedureRecord
from reconsult.documents.fhir.ids import ref, uuid_for
from reconsult.knowledge import Knowledge

__all__ = ["device_resource", "procedure_resource"]


def procedure_resource(
    case_id: str,
    patient_id: str,
    p: ProcedureRecord,
    devices: list[dict[str, Any]],
    kb: Knowledge,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": uuid_for(case_id, "procedure", p.id),
        "identifier": [{"system": "urn:reconsult:procedure", "value": p.id}],
        "status": "completed",
        "code": {
            "coding": [{"system": "urn:reconsult:procedure-code", "code": p.procedure.value}],
            "text": kb.procedures[p.procedure.value].name,
        },
        "subject": ref(patient_id),
    }
    if p.performed_on:
        resource["performedDateTime"] = p.performed_on.isoformat()
    performer = ", ".join(x for x in (p.provider_name, p.practice_name) if x.strip())
    resource["performer"] = [{"actor": {"display": performer}}]
    if devices:
        resource["focalDevice"] = [{"manipulated": ref(d["id"])} for d in devices]
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


def device_resource(
    case_id: str, patient_id: str, p: ProcedureRecord, i: Implant
) -> dict[str, Any]:
    device: dict[str, Any] = {
        "resourceType": "Device",
        "id": uuid_for(case_id, "implant", p.id, i.id),
        "identifier": [{"system": "urn:reconsult:implant", "value": i.id}],
        "udiCarrier": [{"carrierHRF": i.udi}],
        "manufacturer": i.manufacturer,
        "lotNumber": i.lot,
        "serialNumber": i.serial,
        "patient": ref(patient_id),
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
