"""The JSON API as a client sees it: answers, strict input, errors, headers and the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from reconsult.knowledge import Knowledge
from reconsult.settings import Settings
from reconsult.triage import assess
from reconsult.triage.models import Case
from reconsult.web import create_app
from tests.conftest import BASE_URL, DEV_VIGNETTES, TODAY, dev_vignettes

ASSESSMENTS = "/api/v1/assessments"
PROCEDURES = "/api/v1/procedures"

# The twelve procedure codes of the benchmark contract (shared/benchmark/CONTRACT.md).
CONTRACT_PROCEDURES = {
    "botulinum_toxin",
    "filler_hyaluronic_acid",
    "filler_non_hyaluronic",
    "filler_unknown",
    "rhinoplasty",
    "breast_augmentation",
    "facelift",
    "blepharoplasty",
    "liposuction",
    "abdominoplasty",
    "other_surgery",
    "other_injectable",
}

# Blanching and a blotchy colour in the hour after lip filler: blocked blood flow.
EMERGENCY_WORDS = (
    "An hour after lip filler my upper lip has gone white and blotchy and it really hurts"
)


def case_body(**overrides: Any) -> dict[str, Any]:
    """Return a valid case body; keyword arguments replace or add fields."""
    body: dict[str, Any] = {
        "procedure": "botulinum_toxin",
        "days_since_procedure": 4,
        "prior_revisions": 0,
        "description": "my eyebrows look uneven",
    }
    body.update(overrides)
    return body


def error_locations(response: Any) -> list[list[str | int]]:
    """Return the ``loc`` of every error in a 422 answer."""
    return [error["loc"] for error in response.json()["detail"]]


def test_emergency_words_give_an_emergency_with_reasons_quoting_them(client: TestClient) -> None:
    response = client.post(
        ASSESSMENTS,
        json=case_body(
            procedure="filler_hyaluronic_acid", days_since_procedure=0, description=EMERGENCY_WORDS
        ),
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["urgency"] == "emergency"
    assert "emergency_care" in answer["options"]
    emergency_quotes = [r["quote"] for r in answer["reasons"] if r["urgency"] == "emergency"]
    assert emergency_quotes, answer["reasons"]
    assert all(quote and quote in EMERGENCY_WORDS for quote in emergency_quotes)
    assert answer["knowledge_version"] and answer["sources"]


def test_the_answer_counts_days_from_the_servers_date(client: TestClient) -> None:
    answer = client.post(ASSESSMENTS, json=case_body(id="case-7")).json()

    assert answer["assessed_on"] == TODAY.isoformat()
    assert answer["id"] == "case-7"


@pytest.mark.parametrize(
    ("field", "text"),
    [("days_since_procedure", "5"), ("prior_revisions", "1")],
)
def test_a_number_sent_as_text_is_refused(client: TestClient, field: str, text: str) -> None:
    response = client.post(ASSESSMENTS, json=case_body(**{field: text}))

    assert response.status_code == 422
    assert error_locations(response) == [["body", field]]


def test_an_unknown_field_is_refused(client: TestClient) -> None:
    response = client.post(ASSESSMENTS, json=case_body(colour="red"))

    assert response.status_code == 422
    assert error_locations(response) == [["body", "colour"]]
    assert response.json()["detail"][0]["type"] == "extra_forbidden"


def test_an_unknown_warning_sign_is_refused_by_name(client: TestClient) -> None:
    response = client.post(
        ASSESSMENTS, json=case_body(confirmed_signs=["skin_blanching", "glowing_ears"])
    )

    assert response.status_code == 422
    assert error_locations(response) == [["body", "confirmed_signs"]]
    message = response.json()["detail"][0]["msg"]
    assert "glowing_ears" in message
    assert "skin_blanching" not in message  # only the unknown code is named


def test_a_confirmed_warning_sign_counts_as_present(client: TestClient) -> None:
    body = case_body(procedure="filler_hyaluronic_acid", confirmed_signs=["skin_blanching"])
    answer = client.post(ASSESSMENTS, json=body).json()

    assert answer["urgency"] == "emergency"
    ticked = [f for f in answer["findings"] if f["code"] == "skin_blanching"]
    assert [(f["status"], f["source"]) for f in ticked] == [("present", "checklist")]


def test_a_body_that_is_not_json_is_a_client_error(client: TestClient) -> None:
    response = client.post(
        ASSESSMENTS, content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"


def test_procedures_list_every_code_with_its_warning_signs(client: TestClient) -> None:
    response = client.get(PROCEDURES)

    assert response.status_code == 200
    procedures = response.json()
    assert {p["code"] for p in procedures} == CONTRACT_PROCEDURES
    assert len(procedures) == len(CONTRACT_PROCEDURES)
    for procedure in procedures:
        assert procedure["warning_signs"], procedure["code"]
        assert all(sign["code"] and sign["label"] for sign in procedure["warning_signs"])


def test_one_procedure_by_its_code(client: TestClient) -> None:
    response = client.get(f"{PROCEDURES}/rhinoplasty")

    assert response.status_code == 200
    assert response.json()["code"] == "rhinoplasty"


def test_a_warning_sign_code_from_the_list_is_accepted_back(client: TestClient) -> None:
    sign = client.get(f"{PROCEDURES}/rhinoplasty").json()["warning_signs"][0]["code"]

    response = client.post(
        ASSESSMENTS, json=case_body(procedure="rhinoplasty", confirmed_signs=[sign])
    )

    assert response.status_code == 200


def test_an_unknown_procedure_is_a_json_404(client: TestClient) -> None:
    response = client.get(f"{PROCEDURES}/tattoo_removal")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "tattoo_removal" in response.json()["detail"]


def test_an_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_openapi_schema_lists_the_three_operations(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) == {ASSESSMENTS, PROCEDURES, f"{PROCEDURES}/{{code}}"}
    assert set(paths[ASSESSMENTS]) == {"post"}
    assert set(paths[PROCEDURES]) == {"get"}
    assert set(paths[f"{PROCEDURES}/{{code}}"]) == {"get"}


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", ASSESSMENTS, case_body(), 200),
        ("POST", ASSESSMENTS, case_body(days_since_procedure="5"), 422),
        ("GET", PROCEDURES, None, 200),
        ("GET", f"{PROCEDURES}/tattoo_removal", None, 404),
        ("GET", "/api/v1/openapi.json", None, 200),
    ],
    ids=["assessment", "invalid-case", "procedures", "not-found", "openapi"],
)
def test_every_api_answer_carries_the_security_headers(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None, status: int
) -> None:
    response = client.request(method, path, json=body)

    assert response.status_code == status
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'none'" in csp
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


# Contract gaps schemathesis found (tests/web/test_api_schema.py), now fixed.


def test_a_wrong_method_answer_names_the_allowed_methods(client: TestClient) -> None:
    response = client.request("DELETE", PROCEDURES)

    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


def test_a_whole_number_with_a_decimal_point_is_accepted(client: TestClient) -> None:
    response = client.post(ASSESSMENTS, json=case_body(days_since_procedure=4.0))

    assert response.status_code == 200
    assert response.json()["days_since_procedure"] == 4
    assert client.post(ASSESSMENTS, json=case_body(days_since_procedure=4.5)).status_code == 422


def test_every_status_the_assessment_endpoint_gives_is_documented(client: TestClient) -> None:
    documented = client.get("/api/v1/openapi.json").json()["paths"][ASSESSMENTS]["post"]
    response = client.post(
        ASSESSMENTS, content=b"\xff\xfe{", headers={"content-type": "application/json"}
    )

    assert 400 <= response.status_code < 500
    assert str(response.status_code) in documented["responses"]


def test_the_schema_lists_the_warning_sign_codes_it_accepts(
    client: TestClient, kb: Knowledge
) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    items = schemas["CaseIn"]["properties"]["confirmed_signs"]["items"]

    assert set(items.get("enum", [])) == set(kb.findings)


# The API must answer exactly as the Python API does (one engine, no second opinion).

# Collection fails, naming the folder, when ../shared/benchmark is missing.
VIGNETTES: list[dict[str, Any]] = dev_vignettes()


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for all the vignettes (each test building its own would add ~0.2 s apiece)."""
    data_dir: Path = tmp_path_factory.mktemp("api-vignettes")
    app = create_app(Settings(data_dir=data_dir), today=lambda: TODAY)
    with TestClient(app, base_url=BASE_URL, follow_redirects=False) as test_client:
        yield test_client


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_the_api_answers_as_the_python_api_does(
    shared_client: TestClient, vignette: dict[str, Any]
) -> None:
    case = {key: value for key, value in vignette.items() if key != "expected"}
    expected = assess(Case.model_validate(case), TODAY)

    response = shared_client.post(ASSESSMENTS, json=case)

    assert response.status_code == 200
    answer = response.json()
    assert answer["urgency"] == expected.urgency.value
    assert answer["options"] == [option.value for option in expected.options]
    assert answer == expected.model_dump(mode="json")


def test_the_dev_vignettes_are_all_there() -> None:
    assert len(VIGNETTES) == 90, f"{DEV_VIGNETTES} holds {len(VIGNETTES)} vignettes, not 90"
