"""The FHIR R4 export: valid R4B resources, every reference resolves, nothing of the case lost."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from reconsult.casefile.schema import CaseFileData
from reconsult.documents.fhir import case_bundle
from tests.casefile.test_repository import full_case

WHEN = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def bundle_json(case: CaseFileData) -> dict[str, Any]:
    return json.loads(case_bundle(case, generated_at=WHEN).model_dump_json())


def resources(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


def references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for value in node.values() for r in references(value)]
    if isinstance(node, list):
        return [r for value in node for r in references(value)]
    return []


def test_bundle_parses_back_as_fhir_r4b() -> None:
    document = bundle_json(full_case())
    parsed = Bundle.model_validate(document)
    assert parsed.type == "collection"
    kinds = sorted({e["resource"]["resourceType"] for e in document["entry"]})
    assert kinds == [
        "Device",
        "DocumentReference",
        "Observation",
        "Patient",
        "Procedure",
        "QuestionnaireResponse",
    ]


def test_every_reference_points_at_an_entry() -> None:
    document = bundle_json(full_case())
    full_urls = {e["fullUrl"] for e in document["entry"]}
    refs = references(document)
    assert refs
    assert set(refs) <= full_urls


def test_procedures_carry_provider_date_products_and_implants() -> None:
    document = bundle_json(full_case())
    procedures = resources(document, "Procedure")
    assert len(procedures) == 3
    rhinoplasty, filler, breast = procedures
    assert rhinoplasty["performedDateTime"] == "2025-03-12"
    assert "Dr A. Surgeon" in rhinoplasty["performer"][0]["actor"]["display"]
    assert filler["usedCode"][0]["text"] == "Restylane Restylane Kysse (lot ABC123)"
    assert any("0.5 mL in upper lip" in n["text"] for n in filler["note"])
    [device] = resources(document, "Device")
    assert breast["focalDevice"][0]["manipulated"]["reference"].endswith(device["id"])
    assert device["udiCarrier"][0]["carrierHRF"].startswith("(01)")
    assert device["lotNumber"] == "L-1" and device["serialNumber"] == "SN-1"


def test_photos_are_inline_and_unchanged() -> None:
    case = full_case()
    [reference] = resources(bundle_json(case), "DocumentReference")
    attachment = reference["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == case.photos[0].image
    assert attachment["contentType"] == "image/jpeg"


def test_concerns_and_goals_are_the_persons_words_not_a_diagnosis() -> None:
    case = full_case()
    document = bundle_json(case)
    assert not resources(document, "Condition")
    values = [o["valueString"] for o in resources(document, "Observation")]
    assert case.concerns[0] in values
    [intake] = resources(document, "QuestionnaireResponse")
    goals = next(i for i in intake["item"] if i["linkId"] == "goals")
    assert [a["valueString"] for a in goals["answer"]] == case.goals


def test_the_same_case_gives_the_same_bundle() -> None:
    assert bundle_json(full_case()) == bundle_json(full_case())


def test_an_empty_case_is_still_a_valid_bundle() -> None:
    document = bundle_json(CaseFileData(id="empty"))
    Bundle.model_validate(document)
    assert [e["resource"]["resourceType"] for e in document["entry"]] == [
        "Patient",
        "QuestionnaireResponse",
    ]
