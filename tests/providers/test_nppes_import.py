"""Importing the NPPES file: the right providers, broken lines reported, nothing half-applied."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from reconsult.providers import directory_store, nppes_import
from reconsult.providers.directory_store import directory_status
from reconsult.providers.directory_tables import providers, taxonomies
from reconsult.providers.nppes_import import (
    FileKind,
    NppesFileError,
    detect_kind,
    import_nppes,
)
from reconsult.providers.nppes_layout import V2_HEADER
from reconsult.providers.nppes_rows import RowReader
from reconsult.providers.nppes_scan import NppesScanner, read_header
from reconsult.storage import Database
from tests.providers.conftest import kept_codes, person
from tools.nppes_synthetic import (
    GeneratedFile,
    monthly_file_name,
    write_monthly_csv,
    write_weekly_csv,
    write_zip,
)


def folder(tmp_path: Path, name: str) -> Path:
    (tmp_path / name).mkdir(exist_ok=True)
    return tmp_path / name


def directory_npis(db: Database) -> set[str]:
    with db.engine.connect() as connection:
        return set(connection.execute(select(providers.c.npi)).scalars())


def test_the_v2_header_has_330_columns_in_cms_order() -> None:
    assert len(V2_HEADER) == 330
    assert V2_HEADER.index("Healthcare Provider Taxonomy Code_1") == 47
    assert V2_HEADER.index("Other Provider Identifier_1") == 107
    assert V2_HEADER[-1] == "Certification Date"


def test_a_monthly_import_keeps_exactly_the_active_individuals_with_a_fitting_specialty(
    db: Database, monthly: GeneratedFile
) -> None:
    report = import_nppes(db, monthly.path)
    assert report.kind is FileKind.monthly
    assert directory_npis(db) == set(monthly.expected_in_us)
    assert report.directory_size == len(monthly.expected_in_us) > 50
    assert report.rows_read == monthly.lines - 1  # every data line, broken ones too
    assert directory_status(db).providers == report.directory_size


def test_every_broken_line_is_reported_with_its_line_number(
    db: Database, monthly: GeneratedFile
) -> None:
    report = import_nppes(db, monthly.path)
    assert sorted(p.line for p in report.problems) == sorted(monthly.malformed_lines)
    assert report.problem_count == len(monthly.malformed) == 6
    reasons = {p.line: p.reason for p in report.problems}
    empty = next(m.line for m in monthly.malformed if m.kind == "empty_line")
    assert reasons[empty] == "empty line"
    assert any("UTF-8" in r for r in reasons.values())
    assert any("columns instead of 330" in r for r in reasons.values())


def test_line_numbers_stay_right_across_block_boundaries(monthly: GeneratedFile) -> None:
    """Tiny blocks put lines across block edges; the scan must still find every line."""
    with monthly.path.open("rb") as stream:
        header = read_header(stream)
        scanner = NppesScanner(stream, len(header), None, chunk_bytes=4096)
        seen = {number(): raw for number, raw in scanner.lines()}
    assert sorted(p.line for p in scanner.counts.problems) == sorted(monthly.malformed_lines)
    lines = monthly.path.read_bytes().split(b"\n")
    for number, raw in list(seen.items())[::97]:
        assert lines[number - 1] == raw
    assert scanner.counts.lines == monthly.lines - 1


def test_the_zip_from_cms_imports_the_same_as_its_csv(tmp_path: Path, db: Database) -> None:
    generated = write_monthly_csv(
        tmp_path / monthly_file_name(), 800, seed=2, cosmetic_codes=kept_codes(), cosmetic_share=0.1
    )
    archive = write_zip(generated.path, tmp_path / "NPPES_Data_Dissemination_November_2026_V2.zip")
    report = import_nppes(db, archive)
    assert report.kind is FileKind.monthly
    assert report.file_name == generated.path.name
    assert directory_npis(db) == set(generated.expected_in_us)


def test_a_new_monthly_replaces_the_directory_and_the_same_file_twice_gives_the_same(
    tmp_path: Path, db: Database
) -> None:
    first = write_monthly_csv(
        folder(tmp_path, "a") / monthly_file_name(),
        600,
        seed=1,
        cosmetic_codes=kept_codes(),
        cosmetic_share=0.1,
    )
    second = write_monthly_csv(
        folder(tmp_path, "b") / monthly_file_name(),
        600,
        seed=9,
        cosmetic_codes=kept_codes(),
        cosmetic_share=0.1,
    )
    import_nppes(db, first.path)
    import_nppes(db, first.path)
    assert directory_npis(db) == set(first.expected_in_us)
    import_nppes(db, second.path)
    assert directory_npis(db) == set(second.expected_in_us)


def test_an_import_that_fails_part_way_leaves_the_directory_as_it_was(
    tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = write_monthly_csv(
        folder(tmp_path, "a") / monthly_file_name(),
        600,
        seed=1,
        cosmetic_codes=kept_codes(),
        cosmetic_share=0.1,
    )
    import_nppes(db, before.path)
    later = write_monthly_csv(
        folder(tmp_path, "b") / monthly_file_name(),
        600,
        seed=4,
        cosmetic_codes=kept_codes(),
        cosmetic_share=0.1,
    )

    def fail_on_swap(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(nppes_import, "swap_in", fail_on_swap)
    with pytest.raises(KeyboardInterrupt):
        import_nppes(db, later.path)
    assert directory_npis(db) == set(before.expected_in_us)


def test_the_specialty_slots_are_read_as_cms_writes_them(tmp_path: Path, db: Database) -> None:
    rows = [
        # primary in slot 2, literal NULL licence state, ZIP+4 without a hyphen
        person(
            "1000000001",
            "RIVERA",
            "100011234",
            "207Q00000X",
            "207YS0123X",
            primary_slot=2,
            **{"Provider License Number State Code_2": "NULL"},
        ),
        # deactivated, and deactivated then reactivated
        person(
            "1000000002", "GONE", "10001", "208200000X", **{"NPI Deactivation Date": "01/02/2024"}
        ),
        person(
            "1000000003",
            "BACK",
            "10001",
            "208200000X",
            **{"NPI Deactivation Date": "01/02/2024", "NPI Reactivation Date": "03/04/2024"},
        ),
        # an organisation that lists plastic surgery, and a person with no fitting specialty
        {**person("1000000004", "", "10001", "208200000X"), "Entity Type Code": "2"},
        person("1000000005", "FAMILY", "10001", "207Q00000X"),
        # a practice abroad, and a ZIP that does not exist
        person(
            "1000000006",
            "ABROAD",
            "SW1A1AA",
            "208200000X",
            **{"Provider Business Practice Location Address Country Code (If outside U.S.)": "GB"},
        ),
        person("1000000007", "NOWHERE", "00000", "208200000X"),
    ]
    generated = write_monthly_csv(tmp_path / monthly_file_name(), 0, providers=rows)
    report = import_nppes(db, generated.path)
    assert directory_npis(db) == {"1000000001", "1000000003"}
    assert report.skipped == {
        nppes_import.SKIP_DEACTIVATED: 1,
        nppes_import.SKIP_ORGANISATION: 1,
        nppes_import.SKIP_NO_PLACE: 2,
    }
    with db.engine.connect() as connection:
        listed = connection.execute(
            select(taxonomies).where(taxonomies.c.npi == "1000000001").order_by(taxonomies.c.slot)
        ).all()
        place = connection.execute(
            select(providers.c.postal_code, providers.c.latitude).where(
                providers.c.npi == "1000000001"
            )
        ).one()
    assert [(t.code, bool(t.is_primary), t.license_state) for t in listed] == [
        ("207Q00000X", False, "NY"),
        ("207YS0123X", True, None),
    ]
    assert place.postal_code == "10001" and 40 < place.latitude < 41


def test_a_weekly_file_adds_updates_and_removes_but_never_applies_an_older_row(
    tmp_path: Path, db: Database
) -> None:
    base = write_monthly_csv(
        tmp_path / monthly_file_name(),
        2000,
        seed=5,
        cosmetic_codes=kept_codes(),
        cosmetic_share=0.1,
    )
    import_nppes(db, base.path)
    weekly = write_weekly_csv(
        tmp_path / "npidata_pfile_20261110-20261116.csv", base=base, rows=400, seed=6
    )
    assert weekly.added and weekly.updated and weekly.removed and weekly.stale
    report = import_nppes(db, weekly.path)
    assert report.kind is FileKind.weekly
    assert directory_npis(db) == set(weekly.expected_in_us)
    assert report.skipped.get("older than the directory (not applied)", 0) >= 1
    assert report.providers_removed == len(weekly.removed - weekly.outside_us)
    again = import_nppes(db, weekly.path)  # applying the same weekly twice changes nothing more
    assert directory_npis(db) == set(weekly.expected_in_us)
    assert again.directory_size == report.directory_size


def test_a_weekly_file_that_fails_part_way_changes_nothing(
    tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = write_monthly_csv(
        tmp_path / monthly_file_name(),
        1000,
        seed=5,
        cosmetic_codes=kept_codes(),
        cosmetic_share=0.1,
    )
    import_nppes(db, base.path)
    weekly = write_weekly_csv(
        tmp_path / "npidata_pfile_20261110-20261116.csv", base=base, rows=300, seed=6
    )
    calls = {"n": 0}
    real_remove = directory_store._remove

    def remove_then_fail(connection: object, npi: str, bits: dict[str, int]) -> bool:
        calls["n"] += 1
        if calls["n"] == 50:
            raise RuntimeError("disk full")
        return real_remove(connection, npi, bits)  # type: ignore[arg-type]

    monkeypatch.setattr(directory_store, "_remove", remove_then_fail)
    with pytest.raises(RuntimeError):
        import_nppes(db, weekly.path)
    assert directory_npis(db) == set(base.expected_in_us)
    assert directory_status(db).file_kind == "monthly"


def test_files_that_are_not_the_nppes_data_file_are_refused_in_plain_words(
    tmp_path: Path, db: Database
) -> None:
    with pytest.raises(NppesFileError, match="no file"):
        import_nppes(db, tmp_path / "missing.csv", kind=FileKind.monthly)
    other = tmp_path / "npidata_pfile_20050523-20261109.csv"
    other.write_text("name,zip\nalex,10001\n")
    with pytest.raises(NppesFileError, match='not an NPPES data file.*"NPI"'):
        import_nppes(db, other)
    archive = tmp_path / "NPPES_Data_Dissemination_November_2026_V2.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "hello")
    with pytest.raises(NppesFileError, match="does not hold one npidata_pfile"):
        import_nppes(db, archive)
    unnamed = tmp_path / "providers.csv"
    unnamed.write_bytes(other.read_bytes())
    with pytest.raises(NppesFileError, match="--kind monthly or --kind weekly"):
        import_nppes(db, unnamed)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("NPPES_Data_Dissemination_November_2026_V2.zip", FileKind.monthly),
        ("NPPES_Data_Dissemination_111026_111626_Weekly_V2.zip", FileKind.weekly),
        ("npidata_pfile_20050523-20261109.csv", FileKind.monthly),
        ("npidata_pfile_20261110-20261116.csv", FileKind.weekly),
        ("providers.csv", None),
    ],
)
def test_the_kind_of_file_is_told_from_cms_names(name: str, kind: FileKind | None) -> None:
    assert detect_kind(name) is kind


def test_a_row_with_the_wrong_number_of_columns_is_not_read() -> None:
    reader = RowReader(list(V2_HEADER))
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="").writerow(["1000000001"] * 329)
    row, problem = reader.read(buffer.getvalue().encode())
    assert row is None and problem == "329 columns instead of 330"
