"""Providers checked, in the documents a person takes away: the packet (text and PDF) and FHIR."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle

from reconsult.casefile.schema import CaseFileData
from reconsult.documents.fhir import case_bundle
from reconsult.documents.packet import packet_pdf, packet_text
from reconsult.knowledge import Knowledge
from tests.casefile.test_repository import full_case
from tests.conftest import TODAY
from tests.documents.poppler import flat, run, tool

WHEN = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def test_the_packet_text_lists_each_provider_checked(kb: Knowledge) -> None:
    words = kb.packet.wording
    text = packet_text(full_case(), TODAY)
    assert f"\n{words.vetting_heading}\n===" in text
    part = flat(text[text.index(words.vetting_heading) : text.index(words.questions_heading)])
    for expected in (
        "Dr Zoë Fernández-Ōta, MD",
        "Checked on September 2, 2025",  # a US case: US dates
        "NPI number: 1234567893",
        "For: Nose surgery",
        "2 of 3 checks done",
        "- Board certification, and in what: I checked, and it was fine",
        "- An active license, with no discipline: I checked, and it worries me",
        "> DocInfo lists a board action from 2019. > I want to ask about it.",
        "- Allowed to do your operation in a hospital: Not checked yet",
        "Warning signs I noticed: - Pressure to book or pay today - Promises like",
        "My note: > They asked for a deposit on the day.",
        "Nurse D ------- Checked on September 3, 2025",
        words.vetting_no_flags,
    ):
        assert expected in part, expected
    # Before the questions, after the goals.
    assert text.index(words.goals_heading) < text.index(words.vetting_heading)


def test_a_case_without_checks_has_no_such_section(kb: Knowledge) -> None:
    text = packet_text(CaseFileData(id="c", title="Lips"), TODAY)
    assert kb.packet.wording.vetting_heading not in text


def test_the_packet_pdf_lists_them_too(tmp_path: Path, kb: Knowledge) -> None:
    path = tmp_path / "packet.pdf"
    path.write_bytes(packet_pdf(full_case(), TODAY))
    pdf = flat(run(tool("pdftotext"), "-enc", "UTF-8", str(path), "-"))
    for expected in (
        kb.packet.wording.vetting_heading,
        "Dr Zoë Fernández-Ōta, MD",
        "An active license, with no discipline: I checked, and it worries me",
        "DocInfo lists a board action from 2019.",
        "Pressure to book or pay today",
        "Nurse D",
    ):
        assert flat(expected) in pdf, expected


def test_fhir_has_one_observation_per_check_made_by_the_person(kb: Knowledge) -> None:
    case = full_case()
    document = json.loads(case_bundle(case, generated_at=WHEN).model_dump_json())
    Bundle.model_validate(document)
    checks = [
        e["resource"]
        for e in document["entry"]
        if e["resource"].get("identifier", [{}])[0].get("system") == "urn:reconsult:provider-check"
    ]
    assert [c["identifier"][0]["value"] for c in checks] == ["v1", "v2"]
    first, second = checks
    [patient] = [e for e in document["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert first["performer"] == [{"reference": patient["fullUrl"]}]  # the person checked
    assert first["focus"] == [
        {
            "display": "Dr Zoë Fernández-Ōta, MD",
            "identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"},
        }
    ]
    assert first["effectiveDateTime"] == "2025-09-02"
    results = {
        c["code"]["coding"][0]["code"]: c["valueCodeableConcept"]["coding"][0]["code"]
        for c in first["component"]
        if "valueCodeableConcept" in c
    }
    assert results == {
        "board-certification": "confirmed",
        "license": "concern",
        "hospital-privileges": "not_checked",
    }
    worry = next(c for c in first["component"] if c["code"]["coding"][0]["code"] == "license")
    assert worry["valueCodeableConcept"]["text"].endswith(
        "DocInfo lists a board action from 2019.\nI want to ask about it."
    )
    flags = [c["code"]["coding"][0]["code"] for c in first["component"] if "valueBoolean" in c]
    assert flags == ["pressure", "big-promises"]
    assert {"text": "They asked for a deposit on the day."} in first["note"]
    assert "component" not in second and second["focus"] == [{"display": "Nurse D"}]
