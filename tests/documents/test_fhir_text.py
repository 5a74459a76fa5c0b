"""The FHIR export copes with any text a case holds, blank notes from older versions included."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel

from reconsult.casefile.repository import create_case, load_case, update_case
from reconsult.casefile.schema import CaseFileData, JournalEntry, ProcedureRecord
from reconsult.documents.fhir import case_bundle
from reconsult.knowledge.schema import ProcedureCode, Urgency
from reconsult.storage import Database
from tests.casefile.test_repository import full_case
from tests.conftest import TODAY

WHEN = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)

# Every field of a case that holds the person's (or a provider's) own words.
FREE_TEXT = {
    "title", "person_name", "jurisdiction", "provider_name", "practice_name", "notes",
    "brand", "product_name", "material", "lot", "site", "manufacturer", "style", "shape",
    "serial", "udi", "note", "specialty", "what_they_said", "text", "headline",
    "knowledge_version", "found",
}  # fmt: skip
# Characters that look like nothing: FHIR refuses a string made only of these.
INVISIBLE = " \t\r\n\x0b\x0c\x1c\x85\u00a0\u2028\u3000"


def observations(case: CaseFileData, code_text: str) -> list[dict[str, Any]]:
    document = json.loads(case_bundle(case, generated_at=WHEN).model_dump_json())
    return [
        e["resource"]
        for e in document["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["text"] == code_text
    ]


def written(case: CaseFileData) -> list[dict[str, Any]]:
    return observations(case, "What the person noticed, in their own words")


def test_a_blank_note_kept_by_an_older_version_still_exports(db: Database) -> None:
    case = create_case(db, title="Lips")
    procedure = ProcedureRecord(
        id="p1", procedure=ProcedureCode.filler_hyaluronic_acid, performed_on=TODAY
    )
    blank = JournalEntry(id="j1", written_on=TODAY, procedure_id="p1", text="   ")
    said = JournalEntry(
        id="j2", written_on=TODAY, procedure_id="p1", text="My lip is lumpy.", urgency=Urgency.soon
    )
    # Stored directly, as versions before issue 14 did for `reconsult case note ID " "`.
    update_case(
        db,
        case.id,
        lambda d: d.model_copy(update={"procedures": [procedure], "journal": [blank, said]}),
    )
    stored = load_case(db, case.id)
    assert stored is not None and stored.journal[0].text == ""
    empty, words = written(stored)  # validated as FHIR R4B on the way
    assert "valueString" not in empty
    assert empty["dataAbsentReason"]["text"] == "No words were written"
    assert empty["effectiveDateTime"] == TODAY.isoformat()  # the day is still there
    assert words["valueString"] == "My lip is lumpy."


def filled(model: BaseModel, text: str) -> Any:
    """Return a copy of ``model`` with every free-text field set to ``text``, unvalidated."""
    update: dict[str, Any] = {}
    for name, value in model:
        if isinstance(value, str) and name in FREE_TEXT:
            update[name] = text
        elif isinstance(value, BaseModel):
            update[name] = filled(value, text)
        elif isinstance(value, list) and name in ("goals", "concerns"):
            update[name] = [text for _ in value]
        elif isinstance(value, list):
            update[name] = [filled(v, text) if isinstance(v, BaseModel) else v for v in value]
    return model.model_copy(update=update)


def a_case_with_a_note() -> CaseFileData:
    entry = JournalEntry(
        id="j1",
        written_on=TODAY,
        procedure_id="p2",
        text="Lumpy.",
        urgency=Urgency.soon,
        headline="See your injector this week.",
        knowledge_version="1.0.0",
    )
    return full_case().model_copy(update={"journal": [entry]})


@given(st.one_of(st.text(alphabet=INVISIBLE), st.text()))
@example("")
@example(" ")
@example("\x0b")
@example("\u3000 \u2028")
@example("a\x00b")
def test_any_text_in_any_field_gives_a_valid_bundle(text: str) -> None:
    case = filled(a_case_with_a_note(), text)  # not validated: not even stripped
    [note] = written(case)  # case_bundle validates the Bundle as FHIR R4B
    if text.strip():
        assert note["valueString"] == text  # the person's words, exactly
    else:
        assert note["dataAbsentReason"]["coding"][0]["code"] == "unknown"
