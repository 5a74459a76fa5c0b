"""Import a CMS NPPES file (monthly or weekly, zip or CSV) into the provider directory.

Keeps individual providers (entity type 1) who list, in any of their 15
specialty slots, a taxonomy the knowledge base names as fitting some
cosmetic procedure or revision; skips deactivated NPIs and providers whose
practice ZIP cannot be placed. A monthly file replaces the directory; a
weekly file adds, updates and removes providers. Broken lines are counted and
reported with their line numbers and never stop the import. Memory stays
constant (see :mod:`reconsult.providers.nppes_scan`).
"""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from reconsult.errors import ReconsultError
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.providers.directory_store import (
    DirectoryEntry,
    ImportRecord,
    WeeklyChange,
    apply_weekly,
    clear_staging,
    stage,
    swap_in,
)
from reconsult.providers.geocode import find_place
from reconsult.providers.nppes_rows import NppesRow, RowReader
from reconsult.providers.nppes_scan import (
    HeaderError,
    LineNumber,
    LineProblem,
    NppesScanner,
    ScanCounts,
    read_header,
)
from reconsult.storage import Database

__all__ = [
    "FileKind",
    "ImportProgress",
    "ImportReport",
    "NppesFileError",
    "detect_kind",
    "import_nppes",
]

BATCH = 5000
_MONTHLY_ZIP = re.compile(r"NPPES_Data_Dissemination_[A-Za-z]+_\d{4}", re.IGNORECASE)
_DATA_CSV = re.compile(r"npidata_pfile_(\d{8})-(\d{8})", re.IGNORECASE)

# Why a row that lists a kept specialty was left out (shown in the report).
SKIP_ORGANISATION = "an organisation, not a person"
SKIP_DEACTIVATED = "NPI deactivated"
SKIP_NO_FIT = "no kept specialty in its specialty columns"
SKIP_NO_PLACE = "practice ZIP unknown or outside the US"
SKIP_DUPLICATE = "NPI listed again further down (first line kept)"


class FileKind(StrEnum):
    """A monthly file replaces the directory; a weekly file changes it."""

    monthly = "monthly"
    weekly = "weekly"


class NppesFileError(ReconsultError):
    """The file cannot be imported at all (missing, not an NPPES file, not the data file)."""


@dataclass(frozen=True)
class ImportProgress:
    """How far an import has got, for a progress bar."""

    bytes_done: int
    bytes_total: int
    rows: int


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    file_name: str
    kind: FileKind
    rows_read: int
    providers_kept: int  # monthly: in the new directory; weekly: added or updated
    providers_removed: int  # weekly only
    skipped: dict[str, int]  # rows listing a kept specialty that were left out, by reason
    problem_count: int
    problems: tuple[LineProblem, ...]  # the first 1000, with line numbers
    directory_size: int
    seconds: float


def detect_kind(name: str) -> FileKind | None:
    """Tell a monthly from a weekly file by CMS's file naming; None if the name does not say."""
    if "weekly" in name.lower():
        return FileKind.weekly
    if _MONTHLY_ZIP.search(name):
        return FileKind.monthly
    match = _DATA_CSV.search(name)
    if match:
        try:
            start, end = (dt.datetime.strptime(d, "%Y%m%d").date() for d in match.groups())
        except ValueError:
            return None
        return FileKind.monthly if (end - start).days > 31 else FileKind.weekly
    return None


def file_date(name: str) -> dt.date | None:
    """The last day a data file covers, from CMS's name (``npidata_pfile_START-END.csv``)."""
    match = _DATA_CSV.search(name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(2), "%Y%m%d").date()
    except ValueError:
        return None


@contextmanager
def _open_data(path: Path) -> Iterator[tuple[BinaryIO, int, str]]:
    """Open the main data CSV, inside a CMS zip or on its own: (stream, size, name)."""
    if not path.is_file():
        raise NppesFileError(_("There is no file at %(path)s.") % {"path": path})
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if re.fullmatch(r"npidata_pfile_.*\.csv", Path(info.filename).name, re.IGNORECASE)
                and "fileheader" not in info.filename.lower()
            ]
            if len(members) != 1:
                raise NppesFileError(
                    _(
                        "%(name)s does not hold one npidata_pfile_*.csv data file "
                        "(found %(num)d). Is it the NPPES data dissemination zip?"
                    )
                    % {"name": path.name, "num": len(members)}
                )
            with archive.open(members[0]) as stream:
                yield stream, members[0].file_size, Path(members[0].filename).name  # type: ignore[misc]
        return
    with path.open("rb") as stream:
        yield stream, path.stat().st_size, path.name


def _entry(row: NppesRow, kept_codes: frozenset[str]) -> DirectoryEntry | str:
    """The directory entry for a row, or the reason it is left out."""
    if not row.individual:
        return SKIP_ORGANISATION
    if not row.active:
        return SKIP_DEACTIVATED
    if not any(t.code in kept_codes for t in row.taxonomies):
        return SKIP_NO_FIT
    place = find_place(row.postal_code)
    if place is None:
        return SKIP_NO_PLACE
    columns = {
        "npi": row.npi,
        "last_name": row.last_name,
        "first_name": row.first_name,
        "middle_name": row.middle_name,
        "prefix": row.prefix,
        "suffix": row.suffix,
        "credential": row.credential,
        "address_line1": row.address_line1,
        "address_line2": row.address_line2,
        "city": row.city or place.city,
        "state": row.state or place.state,
        "postal_code": place.zip_code,
        "phone": row.phone,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "enumerated_on": row.enumerated_on,
        "updated_on": row.updated_on,
    }
    return DirectoryEntry(columns=columns, taxonomies=row.taxonomies)


def import_nppes(
    db: Database,
    path: Path,
    *,
    kind: FileKind | None = None,
    knowledge: Knowledge | None = None,
    on_progress: Callable[[ImportProgress], None] | None = None,
) -> ImportReport:
    """Import one NPPES file into the directory and report what happened.

    ``kind`` None reads it from the file name (CMS names say monthly or
    weekly) and raises NppesFileError if the name does not say.
    """
    started = time.perf_counter()
    kind = kind or detect_kind(path.name)
    if kind is None:
        raise NppesFileError(
            _(
                "Cannot tell from the name %(name)s whether this is a monthly or a weekly file. "
                "Say which with --kind monthly or --kind weekly."
            )
            % {"name": repr(path.name)}
        )
    kept_codes = (knowledge or load_knowledge()).providers.taxonomy_codes()
    with _open_data(path) as (stream, size, name):
        try:
            header = read_header(stream)
            reader = RowReader(header)
        except HeaderError as exc:
            raise NppesFileError(f"{name}: {exc}.") from exc
        record = ImportRecord(
            file_name=name,
            kind=kind.value,
            started_at=dt.datetime.now(dt.UTC),
            file_date=file_date(name),
        )

        def progress(counts: ScanCounts) -> None:
            if on_progress:
                on_progress(ImportProgress(counts.bytes_done, size, counts.lines))

        scanner = NppesScanner(
            stream,
            reader.columns,
            kept_codes if kind is FileKind.monthly else None,
            on_block=progress,
        )
        if kind is FileKind.monthly:
            size_after = _import_monthly(db, scanner, reader, kept_codes, record)
        else:
            size_after = _import_weekly(db, scanner, reader, kept_codes, record)
    return ImportReport(
        file_name=name,
        kind=kind,
        rows_read=record.rows_read,
        providers_kept=record.providers_kept,
        providers_removed=record.providers_removed,
        skipped=dict(sorted(record.skipped.items())),
        problem_count=record.problem_count,
        problems=tuple(LineProblem(line, reason) for line, reason in record.problems),
        directory_size=size_after,
        seconds=time.perf_counter() - started,
    )


def _rows(scanner: NppesScanner, reader: RowReader) -> Iterator[tuple[LineNumber, NppesRow]]:
    """Parse the scanner's candidate lines; count unreadable ones as problems."""
    for line, raw in scanner.lines():
        row, problem = reader.read(raw)
        if problem:
            scanner.counts.add_problem(line(), problem)
        if row is not None:
            yield line, row


def _finish_counts(scanner: NppesScanner, record: ImportRecord) -> None:
    """Copy the scan's counts into the import record."""
    counts = scanner.counts
    record.rows_read = counts.lines
    record.problem_count = counts.problem_count
    record.problems = sorted((p.line, p.reason) for p in counts.problems)


def _import_monthly(
    db: Database,
    scanner: NppesScanner,
    reader: RowReader,
    kept_codes: frozenset[str],
    record: ImportRecord,
) -> int:
    """Stage every kept provider, then swap the staging copy in; return the directory's size."""
    clear_staging(db)
    seen: set[str] = set()
    batch: list[DirectoryEntry] = []
    for line, row in _rows(scanner, reader):
        entry = _entry(row, kept_codes)
        if isinstance(entry, str):
            record.skip(entry)
            continue
        if entry.npi in seen:
            record.skip(SKIP_DUPLICATE)
            scanner.counts.add_problem(
                line(), f"NPI {entry.npi} is listed again; the first listing was kept"
            )
            continue
        seen.add(entry.npi)
        batch.append(entry)
        if len(batch) >= BATCH:
            stage(db, batch)
            batch.clear()
    stage(db, batch)
    record.providers_kept = len(seen)
    _finish_counts(scanner, record)
    return swap_in(db, record, kept_codes)


def _import_weekly(
    db: Database,
    scanner: NppesScanner,
    reader: RowReader,
    kept_codes: frozenset[str],
    record: ImportRecord,
) -> int:
    """Apply every row of a weekly file in one transaction; return the directory's size."""

    def changes() -> Iterator[WeeklyChange]:
        for _line, row in _rows(scanner, reader):
            entry = _entry(row, kept_codes)
            if isinstance(entry, str):
                if entry != SKIP_NO_FIT and any(t.code in kept_codes for t in row.taxonomies):
                    record.skip(entry)
                yield WeeklyChange(row.npi, row.updated_on, None)
            else:
                yield WeeklyChange(row.npi, row.updated_on, entry)
        _finish_counts(scanner, record)

    _outcome, size = apply_weekly(db, changes(), record)
    return size
