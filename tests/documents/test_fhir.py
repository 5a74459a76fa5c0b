"""The FHIR R4 export: valid R4B resources, every reference resolves, nothing of the case lost."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from reconsult.casefile.repository import load_case, request_input_from_case, save_case
from reconsult.casefile.schema import CaseFileData
from reconsult.documents.fhir import case_bundle
from reconsult.documents.records_request import log_records_request
from reconsult.storage import Database
from tests.casefile.test_repository import full_case
from tests.conftest import TODAY

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


def documents(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in resources(document, "DocumentReference") if r["type"]["text"] == kind]


def test_photos_are_inline_and_unchanged() -> None:
    case = full_case()
    [reference] = documents(bundle_json(case), "Clinical photograph")
    attachment = reference["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == case.photos[0].image
    assert attachment["contentType"] == "image/jpeg"
    # FHIR R4 Attachment.hash is the base64 SHA-1 of the data, which a receiver may check.
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(case.photos[0].image).digest()


def test_each_kept_letter_is_a_document_with_its_exact_text() -> None:
    case = full_case()
    [kept] = [r for r in case.records_requests if r.letter_text]
    [letter] = documents(bundle_json(case), "Records request letter")
    assert letter["date"].startswith(kept.sent_on.isoformat())
    assert kept.provider_name in letter["description"]
    assert letter["author"] == [letter["subject"]]  # the person wrote it
    attachment = letter["content"][0]["attachment"]
    assert attachment["contentType"].startswith("text/plain")
    text = base64.b64decode(attachment["data"])
    assert text.decode("utf-8") == kept.letter_text  # accents and indentation intact
    assert attachment["size"] == len(text)
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(text).digest()


def test_a_request_logged_without_a_letter_is_listed_but_has_no_document() -> None:
    case = full_case()
    document = bundle_json(case)
    assert len(documents(document, "Records request letter")) == 1
    [intake] = resources(document, "QuestionnaireResponse")
    answers = [
        i["answer"][0]["valueString"] for i in intake["item"] if i["linkId"].startswith("records")
    ]
    assert answers == [
        "Example Surgery Center, sent 2025-08-01, follow up 2025-08-31",
        "Nurse B, sent 2025-06-01, received 2025-06-20",
    ]


def test_a_letter_made_from_the_case_validates_in_the_bundle(db: Database) -> None:
    case = full_case()
    save_case(db, case.model_copy(update={"records_requests": []}))
    inp = request_input_from_case(
        case,
        procedure_ids=["p1"],
        address="1 Elm Street\nLos Angeles, CA 90001",
        practice_address="2 Oak Avenue\nBeverly Hills, CA 90210",
        today=TODAY,
    )
    log = log_records_request(db, case.id, inp, today=TODAY)
    stored = load_case(db, case.id)
    assert stored is not None
    parsed = case_bundle(stored, generated_at=WHEN)  # validated by fhir.resources on the way
    document = json.loads(parsed.model_dump_json())
    [letter] = documents(document, "Records request letter")
    text = base64.b64decode(letter["content"][0]["attachment"]["data"]).decode()
    assert text == log.letter_text
    assert "Health and Safety Code section 123110" in text  # the case's US-CA law


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
