"""Answers to the danger questions in the JSON API: ``signs``, and the codes it documents."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from reconsult.knowledge import Knowledge

ASSESSMENTS = "/api/v1/assessments"


def body(**fields: object) -> dict[str, object]:
    return {
        "procedure": "rhinoplasty",
        "days_since_procedure": 3,
        "description": "My nose is swollen and a bit sore.",
    } | fields


def test_a_yes_in_signs_gives_emergency_whatever_the_words(client: TestClient) -> None:
    calm = client.post(ASSESSMENTS, json=body()).json()
    assert calm["urgency"] != "emergency"
    answer = client.post(ASSESSMENTS, json=body(signs={"calf_swelling": True})).json()
    assert answer["urgency"] == "emergency"
    ticked = [f for f in answer["findings"] if f["code"] == "calf_swelling"]
    assert [(f["status"], f["source"]) for f in ticked] == [("present", "checklist")]


def test_a_no_in_signs_does_not_hide_the_words(client: TestClient) -> None:
    words = "Since this morning I have chest pain."
    answer = client.post(
        ASSESSMENTS, json=body(description=words, signs={"chest_pain": False, "fever": False})
    ).json()
    assert answer["urgency"] == "emergency"
    status = {(f["code"], f["status"], f["source"]) for f in answer["findings"]}
    assert ("chest_pain", "present", "words") in status
    assert ("fever", "negated", "checklist") in status


@pytest.mark.parametrize(
    ("signs", "where", "named"),
    [
        ({"glowing_ears": True}, ["body", "signs"], "glowing_ears"),
        ({"fever": "true"}, ["body", "signs", "fever"], "boolean"),
        (["fever"], ["body", "signs"], "dictionary"),
    ],
    ids=["unknown-code", "text-not-boolean", "not-an-object"],
)
def test_bad_signs_are_refused_by_name(
    client: TestClient, signs: object, where: list[str], named: str
) -> None:
    response = client.post(ASSESSMENTS, json=body(signs=signs))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == where
    assert named in error["msg"].lower()


def test_a_procedure_lists_its_danger_questions_and_their_days(client: TestClient) -> None:
    questions = client.get("/api/v1/procedures/rhinoplasty").json()["danger_questions"]
    by_code = {q["code"]: q for q in questions}
    assert by_code["chest_pain"] == {
        "code": "chest_pain",
        "question": "You have chest pain, or you are coughing up blood",
        "from_day": 0,
        "until_day": 90,
    }
    assert by_code["suicidal_thoughts"]["until_day"] is None
    # Every code listed is accepted back in `signs`.
    answer = client.post(ASSESSMENTS, json=body(signs=dict.fromkeys(by_code, False)))
    assert answer.status_code == 200


def test_the_openapi_schema_names_the_codes_signs_accepts(
    client: TestClient, kb: Knowledge
) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    signs = schemas["CaseIn"]["properties"]["signs"]
    assert set(signs["properties"]) == set(kb.danger_questions)
    assert signs["additionalProperties"] is False
    chest = signs["properties"]["chest_pain"]
    assert chest == {
        "type": "boolean",
        "description": "You have chest pain, or you are coughing up blood",
    }
    procedure = schemas["ProcedurePublic"]["properties"]
    assert "danger_questions" in procedure
