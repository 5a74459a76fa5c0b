"""The JSON API carries open findings: an answer lists them, the next request sends them back."""

from __future__ import annotations

from starlette.testclient import TestClient

ASSESSMENTS = "/api/v1/assessments"
WHITE_LIP = "My upper lip went white an hour after the filler and it really hurts"


def body(description: str, **fields: object) -> dict[str, object]:
    return {
        "procedure": "filler_hyaluronic_acid",
        "days_since_procedure": 0,
        "description": description,
    } | fields


def test_earlier_open_findings_sent_back_hold_the_next_answer(client: TestClient) -> None:
    first = client.post(ASSESSMENTS, json=body(WHITE_LIP)).json()
    assert first["urgency"] == "emergency"
    opened = first["open_findings"]
    assert "skin_blanching" in {e["finding"] for e in opened}
    calm = client.post(ASSESSMENTS, json=body("my lip is a bit swollen")).json()
    assert calm["urgency"] == "wait" and calm["open_findings"] == []
    held = client.post(ASSESSMENTS, json=body("my lip is a bit swollen", earlier=opened)).json()
    assert held["urgency"] == "emergency"
    [first_reason, *_] = held["reasons"]
    assert first_reason["rule"] == "open-finding"
    assert first_reason["quote"] in WHITE_LIP
    assert "Has someone seen and treated it" in first_reason["text"]
    assert held["open_findings"] == opened


def test_an_earlier_finding_with_an_unknown_code_is_refused_by_name(client: TestClient) -> None:
    first = client.post(ASSESSMENTS, json=body(WHITE_LIP)).json()
    earlier = [first["open_findings"][0] | {"finding": "glowing_ears"}]
    response = client.post(ASSESSMENTS, json=body("fine", earlier=earlier))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "earlier", 0, "finding"]
    assert "glowing_ears" in error["msg"]


def test_the_schema_documents_earlier_and_open_findings(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "earlier" in schemas["CaseIn"]["properties"]
    finding = schemas["EarlierFindingIn"]["properties"]["finding"]
    assert "skin_blanching" in finding["enum"] and "glowing_ears" not in finding["enum"]
    assert "open_findings" in schemas["Assessment"]["properties"]
    required = set(schemas["EarlierFindingIn"]["required"])
    assert required == {"finding", "urgency", "said_on", "words"}
