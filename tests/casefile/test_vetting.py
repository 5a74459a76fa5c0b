"""Provider checks: kept with the case on both databases, checked against the knowledge base.

What the person checked about a provider comes back exactly as saved, goes
out and back in with the case's JSON export, and carries only the vetting
checklist's and red flags' ids: an unknown id is refused with the ids that
are allowed. Migration 0006 adds the table to a database that holds cases.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError
from sqlalchemy import inspect, text

from reconsult.casefile.repository import (
    CaseFileError,
    add_provider_check,
    change_provider_check,
    create_case,
    delete_case,
    export_case,
    import_case,
    load_case,
    remove_provider_check,
    save_case,
)
from reconsult.casefile.schema import (
    CaseFileData,
    CheckItem,
    CheckResult,
    ProcedureRecord,
    ProviderCheck,
)
from reconsult.casefile.vetting import check_items, checklist, red_flags
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ProcedureCode
from reconsult.storage import Database
from tests.casefile.test_migrations import bare, migrate_to  # noqa: F401  (bare is a fixture)
from tests.casefile.test_repository import full_case
from tests.conftest import TODAY

NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def a_check(check_id: str = "v9", **changes: object) -> ProviderCheck:
    """A filled-in record: a worry, a fine check, one not checked, two red flags, a note."""
    fields: dict[str, object] = {
        "id": check_id,
        "provider_name": "Dr Amira Khan",
        "npi": "1234567893",
        "procedure": ProcedureCode.filler_hyaluronic_acid,
        "checked_on": TODAY - dt.timedelta(days=2),
        "items": [
            CheckItem(check="board-certification", result=CheckResult.confirmed),
            CheckItem(check="license", result=CheckResult.concern, found="A warning from 2021"),
            CheckItem(check="injector-setting"),
        ],
        "red_flags": ["pressure", "no-photos"],
        "note": "Call back on Monday.",
    }
    return ProviderCheck.model_validate(fields | changes)


def test_a_provider_check_comes_back_as_saved_and_keeps_its_place(
    db: Database, kb: Knowledge
) -> None:
    case = create_case(db)
    first = a_check("v1")
    second = a_check("v2", provider_name="Riverside Aesthetics", npi=None, red_flags=[])
    for record in (first, second):
        assert add_provider_check(db, case.id, record, knowledge=kb, today=TODAY) == record
    stored = load_case(db, case.id)
    assert stored is not None and stored.provider_checks == [first, second]

    changed = first.model_copy(
        update={"items": [CheckItem(check="license", result=CheckResult.confirmed)]}
    )
    change_provider_check(db, case.id, changed, knowledge=kb, today=TODAY)
    stored = load_case(db, case.id)
    assert stored is not None and stored.provider_checks == [changed, second]  # same order

    assert remove_provider_check(db, case.id, "v1")
    assert not remove_provider_check(db, case.id, "v1")
    stored = load_case(db, case.id)
    assert stored is not None and stored.provider_checks == [second]


def test_an_unknown_check_is_refused_with_the_allowed_checks_named(
    db: Database, kb: Knowledge
) -> None:
    case = create_case(db)
    record = a_check(items=[CheckItem(check="star-rating", result=CheckResult.confirmed)])
    with pytest.raises(CaseFileError) as refused:
        add_provider_check(db, case.id, record, knowledge=kb, today=TODAY)
    message = str(refused.value)
    assert "There is no check called 'star-rating'." in message
    for check in kb.providers.checks:
        assert check.id in message
    stored = load_case(db, case.id)
    assert stored is not None and stored.provider_checks == []  # nothing kept


def test_an_unknown_red_flag_and_a_future_date_are_refused(db: Database, kb: Knowledge) -> None:
    case = create_case(db)
    record = a_check(red_flags=["rude"], checked_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(CaseFileError) as refused:
        add_provider_check(db, case.id, record, knowledge=kb, today=TODAY)
    message = str(refused.value)
    assert "There is no red flag called 'rude'. Use one of: party-or-home," in message
    assert "must be today or in the past" in message


def test_a_check_or_red_flag_listed_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="license is there twice"):
        a_check(items=[CheckItem(check="license"), CheckItem(check="license")])
    with pytest.raises(ValidationError, match="pressure is there twice"):
        a_check(red_flags=["pressure", "pressure"])
    with pytest.raises(ValidationError):
        a_check(provider_name="   ")  # a name is needed, even for a provider typed in
    with pytest.raises(ValidationError):
        a_check(npi="12345")  # an NPI is 10 digits


def test_changing_a_record_that_is_not_there_says_so(db: Database, kb: Knowledge) -> None:
    case = create_case(db)
    with pytest.raises(CaseFileError, match="no provider check with id 'v9'"):
        change_provider_check(db, case.id, a_check(), knowledge=kb, today=TODAY)
    with pytest.raises(CaseFileError, match="no case"):
        add_provider_check(db, "nope", a_check(), knowledge=kb, today=TODAY)


def test_export_and_import_carry_the_provider_checks(db: Database, kb: Knowledge) -> None:
    case = create_case(db)
    add_provider_check(db, case.id, a_check(), knowledge=kb, today=TODAY)
    exported = export_case(db, case.id, exported_at=NOW)
    [record] = json.loads(exported)["case"]["provider_checks"]
    assert record["items"][1] == {
        "check": "license",
        "result": "concern",
        "found": "A warning from 2021",
    }
    assert record["red_flags"] == ["pressure", "no-photos"]
    assert delete_case(db, case.id)
    imported = import_case(db, exported)
    assert imported.provider_checks == [a_check()]
    assert load_case(db, case.id) == imported


def test_an_export_made_before_provider_checks_still_imports(db: Database) -> None:
    document = json.loads(CaseFileData(id="old", title="Old").model_dump_json())
    del document["provider_checks"]
    raw = json.dumps(
        {"format": "reconsult-case/1", "exported_at": NOW.isoformat(), "case": document}
    )
    imported = import_case(db, raw.encode())
    assert imported.provider_checks == []
    assert load_case(db, "old") == CaseFileData(id="old", title="Old")


def test_an_imported_id_the_knowledge_base_dropped_is_kept_and_can_be_changed(
    db: Database, kb: Knowledge
) -> None:
    """Import never loses a record; changing it keeps the old id, but a new record cannot use it."""
    old = a_check(items=[CheckItem(check="retired-check", result=CheckResult.concern)])
    save_case(db, CaseFileData(id="c", provider_checks=[old]))
    changed = old.model_copy(update={"note": "Still worried."})
    change_provider_check(db, "c", changed, knowledge=kb, today=TODAY)
    stored = load_case(db, "c")
    assert stored is not None and stored.provider_checks == [changed]
    with pytest.raises(CaseFileError, match="no check called 'retired-check'"):
        add_provider_check(db, "c", a_check("v10", items=old.items), knowledge=kb, today=TODAY)


# --- which checks and red flags are asked about ------------------------------------------


def test_the_checklist_fits_the_treatment(kb: Knowledge) -> None:
    filler = [c.id for c in checklist(kb, "filler_hyaluronic_acid")]
    assert "injector-setting" in filler and "hospital-privileges" not in filler
    surgery = [c.id for c in checklist(kb, "rhinoplasty")]
    assert "hospital-privileges" in surgery and "injector-setting" not in surgery
    assert [c.id for c in checklist(kb, None)] == [c.id for c in kb.providers.checks]
    flags = [f.id for f in red_flags(kb, "rhinoplasty")]
    assert "party-or-home" not in flags and "pressure" in flags


def test_without_a_treatment_the_case_decides(kb: Knowledge) -> None:
    case = CaseFileData(
        id="c",
        procedures=[
            ProcedureRecord(id="a", procedure=ProcedureCode.rhinoplasty),
            ProcedureRecord(id="b", procedure=ProcedureCode.botulinum_toxin),
        ],
    )
    both = [c.id for c in checklist(kb, None, case)]
    assert {"hospital-privileges", "injector-setting"} <= set(both)
    assert both == [c.id for c in kb.providers.checks if c.id in both]  # the knowledge order
    assert [c.id for c in checklist(kb, "botulinum_toxin", case)] == [
        c.id for c in kb.checks_for("botulinum_toxin")
    ]


def test_items_default_to_not_checked_and_keep_named_extras() -> None:
    items = check_items(
        ["license", "records-first"],
        {"records-first": CheckResult.confirmed, "anesthesia": CheckResult.concern},
    )
    assert [(i.check, i.result) for i in items] == [
        ("license", CheckResult.not_checked),
        ("records-first", CheckResult.confirmed),
        ("anesthesia", CheckResult.concern),
    ]


# --- migration 0006 -------------------------------------------------------------------


def test_migration_0006_adds_the_table_and_downgrading_drops_only_it(bare: Database) -> None:  # noqa: F811
    migrate_to(bare.engine, "0005")
    assert "case_provider_checks" not in inspect(bare.engine).get_table_names()
    migrate_to(bare.engine, "head")
    assert "case_provider_checks" in inspect(bare.engine).get_table_names()
    save_case(bare, full_case())
    migrate_to(bare.engine, "0005", down=True)
    assert "case_provider_checks" not in inspect(bare.engine).get_table_names()
    with bare.engine.connect() as connection:
        titles = connection.execute(text("SELECT title FROM case_files")).scalars()
        assert list(titles) == [full_case().title]
    migrate_to(bare.engine, "head")
    back = load_case(bare, full_case().id, images=True)
    # Going below 0008 also drops the findings the notes left open (see test_migrations).
    journal = [e.model_copy(update={"raised": []}) for e in full_case().journal]
    assert back == full_case().model_copy(update={"provider_checks": [], "journal": journal})
