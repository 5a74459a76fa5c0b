"""The FHIR export says which worrying signs are still open and what became of the others."""

from __future__ import annotations

from reconsult.knowledge.schema import ClosingChoice
from tests.casefile.test_repository import full_case
from tests.documents.test_fhir import bundle_json, references, resources


def test_each_sign_a_note_left_open_is_an_observation_with_what_became_of_it() -> None:
    document = bundle_json(full_case())
    by_code = {
        o["code"]["coding"][0]["code"]: o
        for o in resources(document, "Observation")
        if o["code"].get("coding", [{}])[0].get("system") == "urn:reconsult:finding"
    }
    assert set(by_code) == {"skin_blanching", "fever"}
    treated, fever = by_code["skin_blanching"], by_code["fever"]
    # Seen and treated, as the person said: final, with who, when and when they said it.
    assert treated["status"] == "final"
    assert treated["valueString"] == "tip of my nose went white"
    [note] = treated["note"]
    assert note["text"] == (
        "seen and treated by the clinic, with hyaluronidase on 2025-03-13 "
        "(said by the person on 2025-03-14)"
    )
    # Never closed: preliminary, and the note says it still holds later answers.
    assert fever["status"] == "preliminary"
    assert fever["note"][0]["text"].startswith("Still open since 2025-03-13")
    assert "'urgent'" in fever["note"][0]["text"]
    # Both come from the journal note that told them, and name its procedure.
    journal = next(
        o for o in resources(document, "Observation") if o["identifier"][0]["value"] == "j1"
    )
    for observation in (treated, fever):
        assert f"urn:uuid:{journal['id']}" in references(observation["derivedFrom"])
        assert observation["effectiveDateTime"] == "2025-03-13"


def test_a_sign_written_by_mistake_is_entered_in_error() -> None:
    case = full_case()
    [entry] = case.journal
    fever = entry.raised[1].model_copy(
        update={
            "closed": entry.raised[0].closed.model_copy(  # type: ignore[union-attr]
                update={"how": ClosingChoice.mistake, "treated_by": "", "treated_on": None}
            )
        }
    )
    case = case.model_copy(
        update={"journal": [entry.model_copy(update={"raised": [entry.raised[0], fever]})]}
    )
    document = bundle_json(case)
    [observation] = [
        o
        for o in resources(document, "Observation")
        if o["code"].get("coding", [{}])[0].get("code") == "fever"
    ]
    assert observation["status"] == "entered-in-error"
    assert observation["note"][0]["text"] == "written by mistake (said by the person on 2025-03-14)"
