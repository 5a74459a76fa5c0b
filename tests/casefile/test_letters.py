"""Records-request letters made from the case, kept with it, and marked when the records arrive."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from reconsult.casefile import letters
from reconsult.casefile.records_request_input import (
    RecordsFormat,
    RecordsRequestInput,
    ToNewProvider,
)
from reconsult.casefile.reminders import case_reminders
from reconsult.casefile.repository import (
    CaseFileError,
    delete_case,
    export_case,
    import_case,
    load_case,
    mark_records_received,
    request_input_from_case,
    save_case,
)
from reconsult.casefile.schema import CaseFileData, ProcedureRecord, RecordsRequestLog
from reconsult.documents.records_access import load_records_access
from reconsult.documents.records_request import log_records_request, records_request_text
from reconsult.errors import CaseInputError
from reconsult.knowledge.schema import ProcedureCode
from reconsult.storage import Database
from tests.casefile.test_photo_store import add
from tests.casefile.test_repository import count_rows
from tests.conftest import TODAY
from tests.documents.test_records_request import CASE_IDS, CASES, Expect

ADDRESS = "12 Elm Street\nLos Angeles, CA 90001"
PRACTICE_ADDRESS = "1 Main Street\nBeverly Hills, CA 90210"


def procedure(
    procedure_id: str,
    code: ProcedureCode = ProcedureCode.breast_augmentation,
    *,
    provider: str = "Dr. Ann Lee",
    practice: str = "Bright Aesthetics",
    on: dt.date | None = dt.date(2024, 3, 12),
) -> ProcedureRecord:
    return ProcedureRecord(
        id=procedure_id,
        procedure=code,
        performed_on=on,
        provider_name=provider,
        practice_name=practice,
    )


def a_case(**changes: Any) -> CaseFileData:
    """A case ready for a letter: name, birth date, US-CA, two procedures at one practice."""
    fields: dict[str, Any] = {
        "id": "c1",
        "person_name": "Maria Lopez",
        "date_of_birth": dt.date(1988, 5, 2),
        "jurisdiction": "US-CA",
        "procedures": [
            procedure("p1"),
            procedure("p2", ProcedureCode.filler_hyaluronic_acid, on=None),
            procedure("p3", ProcedureCode.rhinoplasty, provider="Dr. Sam Patel", practice=""),
        ],
    }
    fields.update(changes)
    return CaseFileData(**fields)


def request(case: CaseFileData | None = None, **changes: Any) -> RecordsRequestInput:
    fields: dict[str, Any] = {
        "procedure_ids": ["p1", "p2"],
        "address": ADDRESS,
        "practice_address": PRACTICE_ADDRESS,
        "today": TODAY,
    }
    fields.update(changes)
    return request_input_from_case(case or a_case(), **fields)


# --- request_input_from_case ---------------------------------------------------


def test_the_letter_takes_the_person_from_the_case_and_the_provider_from_the_procedures() -> None:
    inp = request(phone=" ", email="", patient_number="A-123")
    assert (inp.full_name, inp.date_of_birth, inp.jurisdiction) == (
        "Maria Lopez",
        dt.date(1988, 5, 2),
        "US-CA",
    )
    assert (inp.provider_name, inp.practice_name) == ("Dr. Ann Lee", "Bright Aesthetics")
    assert [(d.code, d.date) for d in inp.procedures] == [
        (ProcedureCode.breast_augmentation, dt.date(2024, 3, 12)),
        (ProcedureCode.filler_hyaluronic_acid, "date unknown"),
    ]
    assert inp.phone is None and inp.email is None  # blank form fields are "not given"
    assert inp.patient_number == "A-123"
    assert inp.address == ADDRESS


def test_the_choices_of_recipient_and_format_reach_the_letter() -> None:
    to = ToNewProvider(name="Dr. New", address="5 Oak Avenue\nPasadena, CA 91101")
    inp = request(recipient=to, preferred_format=RecordsFormat.paper, procedure_ids=["p1", "p1"])
    assert inp.recipient == to and inp.preferred_format is RecordsFormat.paper
    assert len(inp.procedures) == 1  # a procedure chosen twice is asked for once


def test_a_practice_without_a_named_provider_is_addressed_itself() -> None:
    case = a_case(procedures=[procedure("p1", provider="")])
    inp = request(case, procedure_ids=["p1"])
    assert (inp.provider_name, inp.practice_name) == ("Bright Aesthetics", None)


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ({"person_name": ""}, ["your full name"]),
        ({"date_of_birth": None}, ["your date of birth"]),
        ({"jurisdiction": ""}, ["where you live (EU, GB, US, US-CA or US-TX"]),
        (
            {"person_name": "", "date_of_birth": None, "jurisdiction": ""},
            ["your full name, your date of birth and where you live"],
        ),
    ],
    ids=["name", "birth-date", "jurisdiction", "all-three"],
)
def test_missing_details_in_the_case_are_named(missing: dict[str, Any], named: list[str]) -> None:
    with pytest.raises(CaseFileError, match="Before making a letter, add to your case") as caught:
        request(a_case(**missing))
    for words in named:
        assert words in str(caught.value)


def test_procedures_from_two_practices_need_two_letters() -> None:
    with pytest.raises(CaseFileError, match="one letter per practice") as caught:
        request(procedure_ids=["p1", "p3"])
    assert "Dr. Ann Lee at Bright Aesthetics; Dr. Sam Patel" in str(caught.value)


def test_the_same_practice_written_a_little_differently_is_one_practice() -> None:
    case = a_case(procedures=[procedure("p1"), procedure("p2", practice="  bright   AESTHETICS ")])
    assert request(case).provider_name == "Dr. Ann Lee"


@pytest.mark.parametrize(
    ("case_changes", "request_changes", "message"),
    [
        ({}, {"procedure_ids": []}, "Choose the procedure, or procedures"),
        ({}, {"procedure_ids": ["nope"]}, "Choose one of the procedures in this case"),
        (
            {"procedures": [procedure("p1", provider="", practice="")]},
            {"procedure_ids": ["p1"]},
            "Add who did the procedure",
        ),
        (
            {"procedures": [procedure("p1", on=dt.date(1980, 1, 1))]},
            {"procedure_ids": ["p1"]},
            "is before your date of birth",
        ),
        (
            {"procedures": [procedure("p1", on=TODAY + dt.timedelta(days=3))]},
            {"procedure_ids": ["p1"]},
            "The procedure date 2026-11-24 is in the future.",
        ),
        ({"jurisdiction": "FR"}, {}, "Unknown jurisdiction 'FR'; choose one of: EU, GB"),
        (
            {
                "date_of_birth": TODAY + dt.timedelta(days=1),
                "procedures": [procedure("p1", on=None)],
            },
            {"procedure_ids": ["p1"]},
            "The date of birth 2026-11-22 is in the future.",
        ),
        ({}, {"email": "maria(at)example"}, "should look like name@example.com"),
        ({}, {"phone": "call me"}, "only have digits"),
        ({}, {"address": "x"}, "Your address is missing or too short."),
        ({}, {"practice_address": ""}, "The practice's address is missing or too short."),
        ({}, {"address": "12 Elm\tStreet"}, "Your address has a character a letter cannot"),
        ({}, {"patient_number": "9" * 201}, "patient number is too long. Keep it under 200"),
    ],
    ids=[
        "no-procedure",
        "unknown-procedure",
        "no-provider",
        "treated-before-birth",
        "treated-in-the-future",
        "unknown-jurisdiction",
        "born-in-the-future",
        "bad-email",
        "bad-phone",
        "short-address",
        "no-practice-address",
        "tab-in-address",
        "long-patient-number",
    ],
)
def test_bad_input_is_a_plain_case_file_error(
    case_changes: dict[str, Any], request_changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(CaseFileError, match=message) as caught:
        request(a_case(**case_changes), **request_changes)
    assert isinstance(caught.value, CaseInputError)
    assert "pydantic" not in str(caught.value) and "pattern" not in str(caught.value)


# --- log_records_request and mark_records_received -----------------------------


def test_a_logged_request_keeps_the_letter_its_law_and_the_follow_up_date(db: Database) -> None:
    save_case(db, a_case())
    inp = request()
    log = log_records_request(db, "c1", inp, today=TODAY)
    assert log.sent_on == TODAY
    assert log.follow_up_on == TODAY + dt.timedelta(days=30)
    assert (log.provider_name, log.jurisdiction) == ("Dr. Ann Lee", "US-CA")
    assert log.letter_text == records_request_text(inp, TODAY)  # shown again exactly as sent
    assert "Health and Safety Code section 123110" in log.letter_text
    stored = load_case(db, "c1")
    assert stored is not None and stored.records_requests == [log]
    [reminder] = [r for r in case_reminders(stored, TODAY) if "records" in r.title]
    assert reminder.on == log.follow_up_on and "Dr. Ann Lee" in reminder.title


@pytest.mark.parametrize("expect", CASES, ids=CASE_IDS)
def test_the_letter_cites_the_law_of_the_case_jurisdiction(db: Database, expect: Expect) -> None:
    save_case(db, a_case(jurisdiction=expect.code))
    log = log_records_request(db, "c1", request(a_case(jurisdiction=expect.code)), today=TODAY)
    assert log.jurisdiction == expect.code
    letter, _note = log.letter_text.split("-" * 60)  # the letter, then the person's note
    flat = " ".join(letter.split())
    for citation in expect.citations:
        assert citation in flat
    access = load_records_access()
    bases = {code: access.jurisdiction(code).basis for code in access.jurisdiction_codes}
    assert [code for code, basis in bases.items() if basis in flat] == [expect.code]


def test_the_longest_possible_letter_is_kept_whole(db: Database) -> None:
    codes = list(ProcedureCode)[:12]
    case = a_case(
        person_name="N" * 200,
        procedures=[
            procedure(f"p{i}", code, provider="D" * 200, practice="Q" * 200, on=None)
            for i, code in enumerate(codes)
        ],
    )
    save_case(db, case)
    block = ("A" * 99 + "\n") * 5
    for code in load_records_access().jurisdiction_codes:
        inp = request(
            case.model_copy(update={"jurisdiction": code}),
            procedure_ids=[p.id for p in case.procedures],
            address=block,
            practice_address=block,
            phone="1" * 40,
            email="a" * 240 + "@b.co",
            patient_number="P" * 200,
            recipient=ToNewProvider(name="R" * 200, address=block),
        )
        log = log_records_request(db, "c1", inp, today=TODAY)
        assert len(log.letter_text) > 10_000  # longer than any other text field holds
    stored = load_case(db, "c1")
    assert stored is not None and len(stored.records_requests) == 5


def test_a_request_for_an_unknown_case_stores_nothing(db: Database) -> None:
    save_case(db, a_case())
    rows = count_rows(db)
    with pytest.raises(CaseFileError, match="There is no case"):
        log_records_request(db, "nope", request(), today=TODAY)
    assert count_rows(db) == rows


def test_a_stale_request_is_refused_plainly(db: Database) -> None:
    """A request filled in on a later day cannot be dated earlier than its own procedure."""
    save_case(db, a_case())
    later = TODAY + dt.timedelta(days=10)
    case = a_case(procedures=[procedure("p1", on=TODAY + dt.timedelta(days=5))])
    inp = request(case, procedure_ids=["p1"], today=later)
    with pytest.raises(CaseFileError, match="is in the future"):
        log_records_request(db, "c1", inp, today=TODAY)
    stored = load_case(db, "c1")
    assert stored is not None and stored.records_requests == []


def test_a_full_case_refuses_one_more_request(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(letters, "max_items", lambda field: 1)
    save_case(db, a_case())
    log_records_request(db, "c1", request(), today=TODAY)
    with pytest.raises(CaseFileError, match="already holds 1 records requests"):
        log_records_request(db, "c1", request(), today=TODAY)
    assert count_rows(db)["case_records_requests"] == 1


def test_records_received_ends_the_follow_up_reminder(db: Database) -> None:
    save_case(db, a_case())
    log = log_records_request(db, "c1", request(), today=TODAY)
    arrived = TODAY + dt.timedelta(days=12)
    marked = mark_records_received(db, "c1", log.id, received_on=arrived)
    assert marked == log.model_copy(update={"received_on": arrived})
    stored = load_case(db, "c1")
    assert stored is not None and stored.records_requests == [marked]
    assert not [r for r in case_reminders(stored, TODAY) if "records" in r.title]
    # Records obtained is the person's own tick: a letter names a provider, not procedures.
    assert not any(p.records_obtained for p in stored.procedures)
    corrected = mark_records_received(db, "c1", log.id, received_on=TODAY)
    assert corrected.received_on == TODAY


@pytest.mark.parametrize(
    ("case_id", "request_id", "days", "message"),
    [
        ("c1", None, -1, "cannot have arrived before you asked"),
        ("c1", "nope", 1, "no records request with id 'nope'"),
        ("c2", None, 1, "no records request with id"),
        ("gone", None, 1, "There is no case"),
    ],
    ids=["before-sending", "unknown-request", "another-cases-request", "unknown-case"],
)
def test_a_bad_received_date_or_id_changes_nothing(
    db: Database, case_id: str, request_id: str | None, days: int, message: str
) -> None:
    save_case(db, a_case())
    save_case(db, a_case(id="c2"))
    log = log_records_request(db, "c1", request(), today=TODAY)
    before = load_case(db, "c1")
    with pytest.raises(CaseFileError, match=message):
        mark_records_received(
            db, case_id, request_id or log.id, received_on=TODAY + dt.timedelta(days=days)
        )
    assert load_case(db, "c1") == before


def test_export_and_import_keep_letters_and_photos_exactly(db: Database) -> None:
    save_case(db, a_case())
    first = log_records_request(db, "c1", request(), today=TODAY)
    mark_records_received(db, "c1", first.id, received_on=TODAY)
    log_records_request(
        db, "c1", request(a_case(jurisdiction="GB"), procedure_ids=["p3"]), today=TODAY
    )
    add(db, "c1", procedure_id="p3", note="Side view, ça va")
    before = load_case(db, "c1", images=True)
    assert before is not None and len(before.photos) == 1 and len(before.records_requests) == 2
    when = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
    exported = export_case(db, "c1", exported_at=when)
    assert delete_case(db, "c1")
    assert count_rows(db)["case_photos"] == 0
    assert import_case(db, exported) == before
    assert load_case(db, "c1", images=True) == before
    assert export_case(db, "c1", exported_at=when) == exported
    # A letter is a document, kept as made: not even its final newline is stripped.
    assert all(r.letter_text.endswith("\n") for r in before.records_requests)


def test_old_logs_without_a_letter_still_load() -> None:
    old = RecordsRequestLog.model_validate(
        {"id": "r", "sent_on": "2025-01-01", "provider_name": "X", "follow_up_on": "2025-01-31"}
    )
    assert (old.jurisdiction, old.letter_text) == ("", "")
