"""The case file remembers everything, exports and imports it losslessly, and deletes it all."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection

from reconsult.casefile.photos import clean_photo
from reconsult.casefile.repository import (
    CaseFileError,
    add_journal_entry,
    create_case,
    delete_case,
    export_case,
    import_case,
    list_cases,
    load_case,
    new_id,
    save_case,
    update_case,
)
from reconsult.casefile.schema import (
    Angle,
    CaseFileData,
    CheckItem,
    CheckResult,
    Closing,
    Consultation,
    Implant,
    ImplantFill,
    ImplantSurface,
    JournalEntry,
    Photo,
    ProcedureRecord,
    Product,
    ProductSite,
    ProviderCheck,
    RaisedFinding,
    RecordsRequestLog,
    Side,
)
from reconsult.casefile.tables import PhotoRow
from reconsult.knowledge.schema import ClosingChoice, ProcedureCode, Urgency
from reconsult.storage import Database
from reconsult.storage.database import migrate
from reconsult.storage.models import Base
from tests.casefile import fuzz_images as fuzz
from tests.conftest import TODAY

CASE_TABLES = [
    "case_files",
    "case_procedures",
    "case_products",
    "case_implants",
    "case_journal",
    "case_photos",
    "case_consultations",
    "case_records_requests",
    "case_provider_checks",
]


# A real photo, cleaned as an upload is: import checks photos hold only pixels.
CLEAN = clean_photo(fuzz.jpeg_with_metadata(fuzz.marked_photo(40, 20)))


def full_case(case_id: str = "case-1") -> CaseFileData:
    """A case with one of everything, including awkward text and a cleaned photo."""
    return CaseFileData(
        id=case_id,
        title="My nose and lips",
        person_name="Zoë O'Brien-Nguyễn",
        date_of_birth=dt.date(1990, 2, 28),
        jurisdiction="US-CA",
        goals=["Breathe through my nose again", "A straight bridge"],
        concerns=["The tip droops.\nIt whistles when I breathe."],
        procedures=[
            ProcedureRecord(
                id="p1",
                procedure=ProcedureCode.rhinoplasty,
                performed_on=dt.date(2025, 3, 12),
                provider_name="Dr A. Surgeon",
                practice_name="Example Surgery Center",
                records_obtained=True,
                notes="Open technique, rib graft (from the operative report).",
            ),
            ProcedureRecord(
                id="p2",
                procedure=ProcedureCode.filler_hyaluronic_acid,
                performed_on=TODAY - dt.timedelta(days=1),
                provider_name="Nurse B",
                products=[
                    Product(
                        id="x1",
                        brand="Restylane",
                        product_name="Restylane Kysse",
                        material="hyaluronic acid",
                        lot="ABC123",
                        expiry=dt.date(2027, 1, 31),
                        sites=[
                            ProductSite(site="upper lip", amount=0.5, unit="mL"),
                            ProductSite(site="lower lip", amount=0.3, unit="mL"),
                        ],
                    )
                ],
            ),
            ProcedureRecord(
                id="p3",
                procedure=ProcedureCode.breast_augmentation,
                implants=[
                    Implant(
                        id="i1",
                        side=Side.left,
                        manufacturer="Mentor",
                        style="MemoryGel Xtra",
                        size_cc=325.0,
                        fill=ImplantFill.silicone,
                        surface=ImplantSurface.smooth,
                        serial="SN-1",
                        lot="L-1",
                        udi="(01)00000000000000(17)300101(10)L-1(21)SN-1",
                    )
                ],
            ),
        ],
        journal=[
            JournalEntry(
                id="j1",
                written_on=dt.date(2025, 3, 13),
                procedure_id="p1",
                text="The tip of my nose went white and hurts, and I have a fever of 38.5.",
                urgency=Urgency.emergency,
                headline="Get emergency help now.",
                rules_fired=["skin-blanching-emergency", "fever-urgent"],
                raised=[
                    RaisedFinding(
                        finding="skin_blanching",
                        urgency=Urgency.emergency,
                        words="tip of my nose went white",
                        closed=Closing(
                            how=ClosingChoice.seen,
                            said_on=dt.date(2025, 3, 14),
                            treated_by="the clinic, with hyaluronidase",
                            treated_on=dt.date(2025, 3, 13),
                        ),
                    ),
                    RaisedFinding(finding="fever", urgency=Urgency.urgent, words="fever of 38.5"),
                ],
            )
        ],
        photos=[
            Photo(
                id="ph1",
                taken_on=dt.date(2025, 4, 1),
                angle=Angle.oblique_left,
                procedure_id="p1",
                media_type=CLEAN.media_type,
                width=CLEAN.width,
                height=CLEAN.height,
                sha256=CLEAN.sha256,
                image=CLEAN.image,
                thumbnail=CLEAN.thumbnail,
            )
        ],
        consultations=[
            Consultation(
                id="c1",
                held_on=dt.date(2025, 9, 1),
                provider_name="Dr C",
                specialty="facial plastic surgery",
                what_they_said="Wait until 12 months, then consider a revision.",
            )
        ],
        records_requests=[
            RecordsRequestLog(
                id="r1",
                sent_on=dt.date(2025, 8, 1),
                provider_name="Example Surgery Center",
                follow_up_on=dt.date(2025, 8, 31),
                jurisdiction="US-CA",
                letter_text="Zoë O'Brien-Nguyễn\n\nDear Example Surgery Center,\n\n"
                "I am asking for a copy of my records.\n  (indented, kept exactly)\n",
            ),
            RecordsRequestLog(  # logged before letters were kept: no letter, no jurisdiction
                id="r0",
                sent_on=dt.date(2025, 6, 1),
                provider_name="Nurse B",
                follow_up_on=dt.date(2025, 7, 1),
                received_on=dt.date(2025, 6, 20),
            ),
        ],
        provider_checks=[
            ProviderCheck(
                id="v1",
                provider_name="Dr Zoë Fernández-Ōta, MD",
                npi="1234567893",
                procedure=ProcedureCode.rhinoplasty,
                checked_on=dt.date(2025, 9, 2),
                items=[
                    CheckItem(check="board-certification", result=CheckResult.confirmed),
                    CheckItem(
                        check="license",
                        result=CheckResult.concern,
                        found="DocInfo lists a board action from 2019.\nI want to ask about it.",
                    ),
                    CheckItem(check="hospital-privileges"),
                ],
                red_flags=["pressure", "big-promises"],
                note="They asked for a deposit on the day.",
            ),
            ProviderCheck(  # typed in by hand: no NPI, no procedure, nothing checked yet
                id="v2", provider_name="Nurse D", checked_on=dt.date(2025, 9, 3)
            ),
        ],
    )


def count_rows(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            t: connection.execute(
                select(func.count()).select_from(Base.metadata.tables[t])
            ).scalar_one()
            for t in CASE_TABLES
        }


def test_everything_saved_comes_back_the_same(db: Database) -> None:
    case = full_case()
    save_case(db, case)
    assert load_case(db, case.id, images=True) == case


def test_saving_again_replaces_without_leftovers(db: Database) -> None:
    case = full_case()
    save_case(db, case)
    smaller = case.model_copy(update={"procedures": case.procedures[:1], "photos": []})
    save_case(db, smaller)
    assert load_case(db, case.id) == smaller
    assert count_rows(db)["case_photos"] == 0
    assert count_rows(db)["case_products"] == 0


def test_export_import_round_trip_is_lossless(db: Database) -> None:
    save_case(db, full_case())
    exported = export_case(db, "case-1", exported_at=dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC))
    document = json.loads(exported)
    assert document["format"] == "reconsult-case/1"
    assert delete_case(db, "case-1")
    imported = import_case(db, exported)
    assert imported == full_case()
    assert load_case(db, "case-1", images=True) == full_case()
    again = export_case(db, "case-1", exported_at=dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC))
    assert again == exported


def test_import_refuses_a_duplicate_unless_replacing(db: Database) -> None:
    save_case(db, full_case())
    exported = export_case(db, "case-1", exported_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC))
    with pytest.raises(CaseFileError, match="already have this case"):
        import_case(db, exported)
    assert import_case(db, exported, replace=True) == full_case()


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b'{"format": "reconsult-case/9", "exported_at": "2026-11-21T00:00:00Z", "case": {}}',
        b'{"format": "reconsult-case/1", "exported_at": "2026-11-21T00:00:00Z",'
        b' "case": {"id": "x", "surprise": 1}}',
    ],
    ids=["not-json", "unknown-format", "unknown-field"],
)
def test_a_bad_import_says_why_and_stores_nothing(db: Database, raw: bytes) -> None:
    with pytest.raises(CaseFileError, match="Nothing was imported"):
        import_case(db, raw)
    assert list_cases(db) == []


def test_delete_removes_everything_photos_included(db: Database) -> None:
    save_case(db, full_case("keep"))
    save_case(db, full_case("gone").model_copy(update={"id": "gone"}))
    before = count_rows(db)
    assert delete_case(db, "gone")
    after = count_rows(db)
    assert load_case(db, "gone") is None
    assert load_case(db, "keep", images=True) == full_case("keep")
    assert all(after[t] * 2 == before[t] for t in CASE_TABLES), (before, after)
    assert not delete_case(db, "gone")


def test_journal_entry_keeps_the_assessment_of_its_day(db: Database) -> None:
    save_case(db, full_case())
    entry = add_journal_entry(
        db,
        "case-1",
        text="My upper lip has gone white and blotchy.",
        written_on=TODAY,
        procedure_id="p2",
    )
    assert entry.urgency is Urgency.emergency
    assert entry.knowledge_version
    assert entry.rules_fired
    stored = load_case(db, "case-1")
    assert stored is not None and stored.journal[1:] == [entry]


def test_journal_entry_must_name_a_procedure_of_this_case(db: Database) -> None:
    save_case(db, full_case())
    with pytest.raises(CaseFileError, match="Choose one of the procedures"):
        add_journal_entry(db, "case-1", text="Sore.", written_on=TODAY, procedure_id="nope")


@pytest.mark.parametrize(
    "text", ["", "   ", "\n\t", "\x00 "], ids=["empty", "spaces", "blank", "nul"]
)
def test_a_journal_entry_without_words_is_refused_and_nothing_kept(db: Database, text: str) -> None:
    save_case(db, full_case())
    with pytest.raises(CaseFileError, match="Write what you notice, in your own words"):
        add_journal_entry(db, "case-1", text=text, written_on=TODAY, procedure_id="p2")
    stored = load_case(db, "case-1")
    assert stored is not None and len(stored.journal) == 1


def test_a_journal_entry_is_kept_and_assessed_as_trimmed(db: Database) -> None:
    save_case(db, full_case())
    entry = add_journal_entry(
        db, "case-1", text="  My upper lip has gone white.\n", written_on=TODAY, procedure_id="p2"
    )
    assert entry.text == "My upper lip has gone white."
    assert entry.urgency is Urgency.emergency


def test_a_bad_update_loses_nothing(db: Database) -> None:
    save_case(db, full_case())
    with pytest.raises(CaseFileError):
        update_case(db, "case-1", lambda d: d.model_copy(update={"goals": ["x" * 20_000]}))
    assert load_case(db, "case-1", images=True) == full_case()


def test_new_ids_are_unguessable_and_never_look_like_an_option() -> None:
    ids = {new_id() for _ in range(3000)}  # about 47 would start with "-" by chance
    assert len(ids) == 3000
    assert all(len(i) == 22 and not i.startswith("-") for i in ids)


def test_cases_are_listed_newest_change_first(db: Database) -> None:
    first = create_case(db, title="First")
    second = create_case(db, title="Second")
    update_case(db, first.id, lambda d: d.model_copy(update={"title": "First, changed"}))
    assert [title for _, title, _ in list_cases(db)] == ["First, changed", "Second"]
    assert second.id != first.id


def test_migrations_match_the_tables(db: Database) -> None:
    """Alembic's autogenerate finds nothing to add: the migrations build the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from reconsult.backup.tables import metadata  # every capability's tables

    def ours(name: str | None, kind: str, _parent: object) -> bool:
        """Leave out the distance index: an SQLite R*Tree (and its shadow tables) or a
        PostgreSQL expression index, made by migration 0005 for one database only."""
        return not (name or "").startswith(("provider_locations", "ix_providers_location"))

    migrate(db.engine)  # idempotent
    with db.engine.connect() as connection:
        assert isinstance(connection, Connection)
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": ours}
        )
        assert compare_metadata(context, metadata) == []
        assert set(CASE_TABLES) <= set(inspect(connection).get_table_names())


def test_a_small_edit_keeps_photo_rows_and_still_saves_their_details(db: Database) -> None:
    save_case(db, full_case())

    def photo_pks() -> list[int]:
        with db.session() as session:
            return list(session.scalars(select(PhotoRow.pk)))

    before = photo_pks()
    changed = update_case(
        db,
        full_case().id,
        lambda c: c.model_copy(
            update={
                "goals": [*c.goals, "Less swelling"],
                "photos": [
                    c.photos[0].model_copy(update={"note": "daylight", "procedure_id": None})
                ],
            }
        ),
    )
    assert photo_pks() == before  # the image bytes were not written again
    assert load_case(db, full_case().id) == changed
    other = clean_photo(fuzz.jpeg_with_metadata(fuzz.marked_photo(30, 30)))
    swapped = changed.photos[0].model_copy(
        update={"image": other.image, "thumbnail": other.thumbnail, "sha256": other.sha256}
    )
    update_case(db, full_case().id, lambda c: c.model_copy(update={"photos": [swapped]}))
    again = load_case(db, full_case().id, images=True)
    assert again is not None and again.photos == [swapped]
