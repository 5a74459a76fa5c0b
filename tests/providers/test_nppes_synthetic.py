"""The synthetic NPPES generator (tools/nppes_synthetic.py) writes what it says it writes.

Each check re-reads the bytes with the csv module and compares with the
truth the generator returned, so tests of the importer can trust that truth.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reconsult.providers.nppes_layout import V2_HEADER, taxonomy_columns
from tools.nppes_synthetic import (
    COSMETIC_CODES,
    MALFORMED_KINDS,
    GeneratedFile,
    load_truth,
    luhn_ok,
    monthly_file_name,
    npi_for_index,
    save_truth,
    weekly_file_name,
    write_monthly_csv,
    write_weekly_csv,
    write_zip,
    zip_name,
)

COL = {name: index for index, name in enumerate(V2_HEADER)}
CODE_COLUMNS = [COL[taxonomy_columns(slot)[0]] for slot in range(1, 16)]
SWITCH_COLUMNS = [COL[taxonomy_columns(slot)[3]] for slot in range(1, 16)]
STATE_COLUMNS = [COL[taxonomy_columns(slot)[2]] for slot in range(1, 16)]
POSTAL = COL["Provider Business Practice Location Address Postal Code"]
COUNTRY = COL["Provider Business Practice Location Address Country Code (If outside U.S.)"]
DEACTIVATED_ON = COL["NPI Deactivation Date"]
REACTIVATED_ON = COL["NPI Reactivation Date"]
UPDATED_ON = COL["Last Update Date"]


def parse_date(text: str) -> dt.date | None:
    """MM/DD/YYYY, or None when empty."""
    return dt.datetime.strptime(text, "%m/%d/%Y").date() if text else None


def data_rows(path: Path, skip: tuple[int, ...] = ()) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every data line not in ``skip``, read line by line."""
    lines = path.read_bytes().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the file's final newline
    for number, raw in enumerate(lines[1:], start=2):
        if number not in skip:
            yield number, next(csv.reader([raw.decode("utf-8")]))


def is_kept(fields: list[str], codes: frozenset[str]) -> bool:
    """The importer's rule, written out plainly: active individual listing a kept code."""
    deactivated = parse_date(fields[DEACTIVATED_ON])
    reactivated = parse_date(fields[REACTIVATED_ON])
    active = deactivated is None or (reactivated is not None and reactivated >= deactivated)
    listed = {fields[c] for c in CODE_COLUMNS}
    return fields[COL["Entity Type Code"]] == "1" and active and bool(listed & codes)


@pytest.fixture(scope="module")
def monthly(tmp_path_factory: pytest.TempPathFactory) -> GeneratedFile:
    """A 6,000-row monthly file with every kind of broken line and two explicit rows."""
    path = tmp_path_factory.mktemp("nppes") / monthly_file_name()
    return write_monthly_csv(
        path,
        6000,
        seed=3,
        malformed=MALFORMED_KINDS,
        providers=[
            {
                "NPI": "1234567893",
                "Entity Type Code": "1",
                "Provider Last Name (Legal Name)": 'RIVERA "RIVS"',
                "Provider First Name": "ANA",
                "Healthcare Provider Taxonomy Code_1": "207Q00000X",
                "Healthcare Provider Primary Taxonomy Switch_1": "N",
                "Healthcare Provider Taxonomy Code_2": "207YS0123X",
                "Healthcare Provider Primary Taxonomy Switch_2": "Y",
                "Provider Business Practice Location Address Postal Code": "100011234",
            },
            {"NPI": "1245319508", "NPI Deactivation Date": "01/02/2020"},
        ],
    )


def test_header_is_v2_header_exactly(monthly: GeneratedFile) -> None:
    first = monthly.path.read_bytes().split(b"\n", 1)[0]
    assert first == ('"' + '","'.join(V2_HEADER) + '"').encode()
    assert next(csv.reader([first.decode()])) == list(V2_HEADER)


def test_every_well_formed_line_has_330_quoted_fields(monthly: GeneratedFile) -> None:
    rows = list(data_rows(monthly.path, monthly.malformed_lines))
    assert len(rows) == monthly.rows == 6002
    assert monthly.lines == 1 + monthly.rows + len(MALFORMED_KINDS)
    raw = monthly.path.read_bytes().split(b"\n")
    for number, fields in rows:
        assert len(fields) == 330, number
        assert raw[number - 1].count(b'"') == 660, number  # every value quoted, none inside
    assert monthly.bytes == monthly.path.stat().st_size


def test_explicit_rows_come_first_filled_out(monthly: GeneratedFile) -> None:
    (_, first), (_, second) = list(data_rows(monthly.path, monthly.malformed_lines))[:2]
    assert first[0] == "1234567893"
    assert first[COL["Provider Last Name (Legal Name)"]] == "RIVERA 'RIVS'"  # as CMS does
    assert first[POSTAL] == "100011234"
    assert sum(1 for value in first if value) == 9
    assert second[0] == "1245319508" and second[DEACTIVATED_ON] == "01/02/2020"
    assert "1234567893" in monthly.expected_kept
    assert "1245319508" in monthly.deactivated


def test_npis_pass_luhn_and_are_unique(monthly: GeneratedFile) -> None:
    npis = [fields[0] for _, fields in data_rows(monthly.path, monthly.malformed_lines)]
    assert len(set(npis)) == len(npis)
    assert all(luhn_ok(npi) for npi in npis)
    broken = [m.npi for m in monthly.malformed if m.npi]
    assert all(luhn_ok(npi) for npi in broken) and not set(broken) & set(npis)
    assert luhn_ok("1234567893") and not luhn_ok("1234567894")
    assert len({npi_for_index(i) for i in range(50_000)}) == 50_000


def test_truth_matches_a_plain_reread(monthly: GeneratedFile) -> None:
    codes = frozenset(COSMETIC_CODES)
    kept, deactivated, abroad, individuals, organisations = set(), set(), set(), 0, 0
    for _, fields in data_rows(monthly.path, monthly.malformed_lines):
        entity = fields[COL["Entity Type Code"]]
        individuals += entity == "1"
        organisations += entity == "2"
        if is_kept(fields, codes):
            kept.add(fields[0])
        if fields[DEACTIVATED_ON] and not fields[REACTIVATED_ON]:
            deactivated.add(fields[0])
        if fields[COUNTRY] not in ("", "US"):
            abroad.add(fields[0])
    assert kept == monthly.expected_kept
    assert deactivated == monthly.deactivated
    assert abroad == monthly.outside_us
    assert (individuals, organisations) == (monthly.individuals, monthly.organisations)
    # The mix is like the real file's.
    assert 0.70 < individuals / monthly.rows < 0.80
    assert 0.02 < len(deactivated) / monthly.rows < 0.05
    assert 0.015 < len(kept) / individuals < 0.035


def test_rows_look_like_cms_rows(monthly: GeneratedFile) -> None:
    codes = frozenset(COSMETIC_CODES)
    rows = [f for _, f in data_rows(monthly.path, monthly.malformed_lines)][2:]
    with_codes = [f for f in rows if f[CODE_COLUMNS[0]]]
    for fields in with_codes:
        filled = [i for i, c in enumerate(CODE_COLUMNS) if fields[c]]
        assert filled == list(range(len(filled))) and 1 <= len(filled) <= 4
        assert [fields[SWITCH_COLUMNS[i]] for i in filled].count("Y") == 1
    outside_slot1 = sum(1 for f in with_codes if f[SWITCH_COLUMNS[0]] != "Y")
    assert 0.11 < outside_slot1 / len(with_codes) < 0.19
    dead = [f for f in rows if f[0] in monthly.deactivated]
    assert all(sum(1 for v in f if v) == 2 for f in dead)  # NPI and deactivation date only
    for fields in rows:
        if fields[0] in monthly.deactivated:
            continue
        postal = fields[POSTAL]
        if fields[COUNTRY] == "US":
            assert postal.isdigit() and len(postal) in (5, 9)
        phone = fields[COL["Provider Business Practice Location Address Telephone Number"]]
        assert phone.isdigit() and len(phone) == 10
        assert parse_date(fields[UPDATED_ON]) >= parse_date(
            fields[COL["Provider Enumeration Date"]]
        )
        if fields[COL["Entity Type Code"]] == "2":
            assert not fields[COL["Provider Last Name (Legal Name)"]]
            assert fields[COL["Provider Organization Name (Legal Business Name)"]]
            assert not any(fields[COL[taxonomy_columns(s)[1]]] for s in range(1, 16))
            assert not is_kept(fields, codes)
    nine = sum(1 for f in rows if f[COUNTRY] == "US" and len(f[POSTAL]) == 9)
    assert 0.35 < nine / len(rows) < 0.65
    years = {f[UPDATED_ON][-4:] for f in rows if f[UPDATED_ON]}
    assert len(years) >= 10


def test_widths_reach_the_v2_limits(tmp_path: Path) -> None:
    generated = write_monthly_csv(tmp_path / "wide.csv", 10_000, seed=4)
    first = COL["Provider First Name"]
    organisation = COL["Provider Organization Name (Legal Business Name)"]
    rows = [f for _, f in data_rows(generated.path)]
    assert max(len(f[first]) for f in rows) > 20
    assert 70 < max(len(f[organisation]) for f in rows) <= 100
    assert sum(1 for f in rows for c in STATE_COLUMNS if f[c] == "NULL") > 0
    assert 1000 < generated.bytes_per_row < 1300


def test_malformed_lines_are_where_it_says(monthly: GeneratedFile) -> None:
    raw = monthly.path.read_bytes()
    lines = raw.split(b"\n")
    assert not raw.endswith(b"\n")  # the truncated line is last, cut off
    assert [m.kind for m in monthly.malformed] == list(MALFORMED_KINDS)
    for mark in monthly.malformed:
        line = lines[mark.line - 1]
        if mark.kind == "empty_line":
            assert line == b"" and mark.npi is None
            continue
        assert line.startswith(f'"{mark.npi}","1",'.encode())
        if mark.kind == "invalid_utf8":
            with pytest.raises(UnicodeDecodeError):
                line.decode("utf-8")
            continue
        text = line.decode("utf-8")
        fields = next(csv.reader([text]))
        if mark.kind == "too_few_columns":
            assert len(fields) == 329
        elif mark.kind == "too_many_columns":
            assert len(fields) == 331
        elif mark.kind == "unterminated_quote":
            assert text.count('"') % 2 == 1
        elif mark.kind == "truncated":
            assert mark.line == len(lines) and len(fields) < 330
        assert mark.npi not in monthly.expected_kept | monthly.deactivated


def test_same_seed_same_bytes_any_worker_count(tmp_path: Path) -> None:
    one = write_monthly_csv(tmp_path / "a.csv", 2500, seed=9, malformed=("empty_line",))
    two = write_monthly_csv(tmp_path / "b.csv", 2500, seed=9, malformed=("empty_line",), workers=2)
    other = write_monthly_csv(tmp_path / "c.csv", 2500, seed=10)
    assert one.path.read_bytes() == two.path.read_bytes()
    assert one.expected_kept == two.expected_kept and one.malformed == two.malformed
    assert one.path.read_bytes() != other.path.read_bytes()


def test_weekly_truth_is_consistent(monthly: GeneratedFile, tmp_path: Path) -> None:
    start = monthly.as_of + dt.timedelta(days=1)
    path = tmp_path / weekly_file_name(start, start + dt.timedelta(days=6))
    weekly = write_weekly_csv(
        path, base=monthly, rows=500, seed=3, stale=10, malformed=("too_many_columns",)
    )
    assert weekly.rows == 500 and len(weekly.stale) == 10
    assert weekly.added and weekly.updated and weekly.removed and weekly.deactivated
    assert not weekly.added & weekly.removed and weekly.stale.isdisjoint(weekly.added)
    assert weekly.expected_kept == (monthly.expected_kept - weekly.removed) | weekly.added
    # Apply it the way an importer must (never an older Last Update Date) and compare.
    codes = frozenset(COSMETIC_CODES)
    state = {f[0]: f for _, f in data_rows(monthly.path, monthly.malformed_lines)}
    seen, skipped = set(), set()
    for _, fields in data_rows(path, weekly.malformed_lines):
        npi = fields[0]
        assert npi not in seen and len(fields) == 330
        seen.add(npi)
        old = state.get(npi)
        new_date, old_date = parse_date(fields[UPDATED_ON]), old and parse_date(old[UPDATED_ON])
        if new_date and old_date and new_date < old_date:
            skipped.add(npi)
            continue
        if new_date:
            assert weekly.start <= new_date <= weekly.end
        state[npi] = fields
    assert skipped == weekly.stale
    after = {npi for npi, fields in state.items() if is_kept(fields, codes)}
    assert after == weekly.expected_kept
    assert weekly.new.isdisjoint(monthly.expected_kept | monthly.deactivated)
    # Applying the stale rows would have changed who is kept.
    for npi in weekly.stale:
        stale_row = next(f for _, f in data_rows(path, weekly.malformed_lines) if f[0] == npi)
        assert is_kept(stale_row, codes) != (npi in monthly.expected_kept)


def test_truth_round_trips_through_json(monthly: GeneratedFile, tmp_path: Path) -> None:
    save_truth(monthly, tmp_path / "truth.json")
    assert load_truth(tmp_path / "truth.json") == monthly


def test_zip_is_laid_out_like_cms(monthly: GeneratedFile, tmp_path: Path) -> None:
    packed = write_zip(monthly.path, tmp_path)
    assert packed.name == "NPPES_Data_Dissemination_November_2026_V2.zip"
    with zipfile.ZipFile(packed) as archive:
        names = archive.namelist()
        stem = monthly.path.name.removesuffix(".csv")
        assert names[:2] == [monthly.path.name, f"{stem}_FileHeader.csv"] and len(names) == 3
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
        assert archive.read(names[1]) == monthly.path.read_bytes().split(b"\n", 1)[0] + b"\n"
        assert archive.read(names[0]) == monthly.path.read_bytes()
    weekly = weekly_file_name(dt.date(2026, 11, 10), dt.date(2026, 11, 16))
    assert zip_name(weekly) == "NPPES_Data_Dissemination_111026_111626_Weekly_V2.zip"


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a V2 column"):
        write_monthly_csv(tmp_path / "x.csv", 1, providers=[{"NPI": "1234567893", "Nope": "1"}])
    with pytest.raises(ValueError, match="unknown malformed kind"):
        write_monthly_csv(tmp_path / "x.csv", 1, malformed=("sideways",))
