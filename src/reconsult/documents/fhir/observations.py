"""The FHIR export's Observations: what the person noticed, what was left open, what they checked.

These are patient-reported observations, never a diagnosis: each journal
entry and each concern in the person's words (with the urgency reconsult
gave at the time as a note), each worrying sign a journal entry's answer
left open with what became of it, and each provider check the person made.
"""

from __future__ import annotations

from typing import Any

from reconsult.casefile.open_findings import closing_text
from reconsult.casefile.schema import JournalEntry, ProviderCheck, RaisedFinding
from reconsult.documents.fhir.ids import ref, uuid_for, value_words
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ClosingChoice

__all__ = [
    "concern_observation",
    "journal_observation",
    "raised_observation",
    "vetting_observation",
]


def journal_observation(case_id: str, patient_id: str, e: JournalEntry) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": uuid_for(case_id, "journal", e.id),
        "identifier": [{"system": "urn:reconsult:journal", "value": e.id}],
        "status": "final",
        "code": {"text": "What the person noticed, in their own words"},
        "subject": ref(patient_id),
        "effectiveDateTime": e.written_on.isoformat(),
        **value_words(e.text),
    }
    if e.procedure_id:
        observation["focus"] = [ref(uuid_for(case_id, "procedure", e.procedure_id))]
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


def raised_observation(
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
        "id": uuid_for(case_id, "journal", e.id, "raised", r.finding),
        "status": _RAISED_STATUS[closed.how if closed is not None else None],
        "code": {
            "coding": [{"system": "urn:reconsult:finding", "code": r.finding}],
            "text": label,
        },
        "subject": ref(patient_id),
        "effectiveDateTime": e.written_on.isoformat(),
        "derivedFrom": [ref(uuid_for(case_id, "journal", e.id))],
        **value_words(r.words),
        "note": [{"text": said}],
    }
    if e.procedure_id:
        observation["focus"] = [ref(uuid_for(case_id, "procedure", e.procedure_id))]
    return observation


def concern_observation(case_id: str, patient_id: str, index: int, text: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": uuid_for(case_id, "concern", str(index)),
        "status": "final",
        "code": {"text": "A concern about the result, in the person's own words"},
        "subject": ref(patient_id),
        **value_words(text),
    }


# The words for each result, as the person chose it.
_RESULTS = {
    "confirmed": "Checked, and it was fine",
    "concern": "Checked, and it worries the person",
    "not_checked": "Not checked yet",
}
_NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"


def vetting_observation(
    case_id: str, patient_id: str, v: ProviderCheck, kb: Knowledge
) -> dict[str, Any]:
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
        "id": uuid_for(case_id, "provider-check", v.id),
        "identifier": [{"system": "urn:reconsult:provider-check", "value": v.id}],
        "status": "final",
        "code": {"text": "What the person checked about a provider before choosing them"},
        "subject": ref(patient_id),
        "focus": [provider],
        "performer": [ref(patient_id)],
        "effectiveDateTime": v.checked_on.isoformat(),
        "valueString": f"{len(v.done)} of {len(v.items)} checks done, "
        f"{len(v.concerns)} worrying, {len(v.red_flags)} warning sign(s) noticed",
        "component": components,
        "note": [{"text": v.note}],
    }
    if v.procedure is not None:
        observation["note"].insert(0, {"text": f"For: {kb.procedures[v.procedure.value].name}"})
    return observation
