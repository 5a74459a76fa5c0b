"""Backup and restore: everything comes back, across SQLite and PostgreSQL, or nothing changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, LargeBinary, func, select, text
from typer.testing import CliRunner

from reconsult.accounts.tables import (
    AuditRow,
    CaseOwnerRow,
    CaseShareRow,
    ClinicMemberRow,
    ClinicRow,
    PasswordResetRow,
    RateLimitHitRow,
    SessionRow,
    SignInFailureRow,
    TrustedDeviceRow,
    UserRow,
)
from reconsult.backup import (
    FORMAT_VERSION,
    LEFT_OUT,
    BackupError,
    BackupProgress,
    restore_backup,
    write_backup,
)
from reconsult.backup.tables import metadata
from reconsult.casefile.repository import add_photo, list_cases, load_case, photo_image, save_case
from reconsult.casefile.schema import Angle, JournalEntry
from reconsult.cli import app
from reconsult.knowledge.schema import Urgency
from reconsult.providers.directory_store import directory_status
from reconsult.providers.directory_tables import SPATIAL_TABLE, providers_staging
from reconsult.providers.nppes_import import import_nppes
from reconsult.providers.search import search_providers
from reconsult.storage import Database, open_database
from reconsult.storage.models import Draft
from tests.casefile import fuzz_images as fuzz
from tests.casefile.test_repository import full_case
from tests.conftest import TODAY
from tests.databases import MigratedCopies
from tests.providers.conftest import person
from tools.nppes_synthetic import monthly_file_name, write_monthly_csv

FACIAL_PLASTIC = "207YS0123X"
PLASTIC = "208200000X"
DERMATOLOGY = "207N00000X"
WHEN = dt.datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=dt.UTC)
CASE_ID = "case-1"
KEPT = [t.name for t in metadata.sorted_tables if t.name not in LEFT_OUT]


# --- databases ---------------------------------------------------------------------------


@pytest.fixture
def databases(tmp_path: Path, migrated: MigratedCopies) -> Iterator[Callable[[str], Database]]:
    """Make more fresh databases: ``make("sqlite")`` or ``make("postgresql")``, cleaned up after."""
    with ExitStack() as stack:
        made = 0

        def make(kind: str) -> Database:
            nonlocal made
            made += 1
            if kind == "sqlite":
                url = migrated.sqlite_url(tmp_path / f"other-{made}.sqlite3")
            else:
                url = stack.enter_context(migrated.postgres_url())
            database = open_database(url)
            stack.callback(database.close)
            return database

        yield make


def kind(db: Database) -> str:
    return db.engine.dialect.name


def other_kind(db: Database) -> str:
    return "postgresql" if kind(db) == "sqlite" else "sqlite"


# --- what goes in ------------------------------------------------------------------------


def fill(db: Database, tmp_path: Path) -> None:
    """Put something in every table: a whole case with photos, a directory, accounts, a log."""
    journal = JournalEntry(
        id="j1",
        written_on=TODAY,
        procedure_id="p2",
        text="My upper lip has gone white and blotchy.",
        urgency=Urgency.emergency,
        headline="Get emergency help now.",
        knowledge_version="2026.11",
        rules_fired=["vascular_occlusion"],
    )
    save_case(db, full_case(CASE_ID).model_copy(update={"journal": [journal]}))
    add_photo(
        db,
        CASE_ID,
        fuzz.jpeg_with_metadata(fuzz.marked_photo(64, 48)),
        taken_on=TODAY - dt.timedelta(days=2),
        angle=Angle.front,
        procedure_id="p1",
        note="Two days after",
        today=TODAY,
    )
    rows = [
        person("1000000011", "FACE", "10001", FACIAL_PLASTIC),
        person("1000000012", "BROOKLYN", "11201", PLASTIC, DERMATOLOGY, primary_slot=2),
        person("1000000013", "SKIN", "10002", DERMATOLOGY),
    ]
    folder = tmp_path / f"nppes-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    generated = write_monthly_csv(folder / monthly_file_name(), 60, seed=5, providers=rows)
    import_nppes(db, generated.path)
    with db.session() as session:
        session.add_all(
            [
                UserRow(
                    id="u1",
                    email="zoe@example.org",
                    password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
                    created_at=WHEN,
                    password_changed_at=WHEN,
                ),
                UserRow(
                    id="u2",
                    email="staff@clinic.example",
                    password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdDI$aGFzaDI",
                    created_at=WHEN,
                    password_changed_at=WHEN,
                ),
                ClinicRow(id="k1", name="Example Advocacy Clinic", created_at=WHEN),
            ]
        )
        session.flush()
        session.add_all(
            [
                ClinicMemberRow(clinic_id="k1", user_id="u2", added_at=WHEN),
                CaseOwnerRow(case_id=CASE_ID, user_id="u1"),
                CaseShareRow(
                    id="s1",
                    case_id=CASE_ID,
                    clinic_id="k1",
                    created_at=WHEN,
                    expires_at=WHEN + dt.timedelta(days=30),
                    revoked_at=None,
                ),
                *[
                    AuditRow(
                        at=WHEN + dt.timedelta(minutes=i),
                        owner_id="u1",
                        case_id=CASE_ID,
                        case_title="My nose and lips",
                        actor_id="u2",
                        actor="staff@clinic.example",
                        clinic="Example Advocacy Clinic",
                        action="read",
                        what="case page",
                        status=200,
                    )
                    for i in range(3)
                ],
                SessionRow(
                    token_hash="a" * 64,
                    user_id="u1",
                    created_at=WHEN,
                    last_seen_at=WHEN,
                    expires_at=WHEN + dt.timedelta(days=1),
                ),
                PasswordResetRow(
                    token_hash="b" * 64,
                    user_id="u1",
                    created_at=WHEN,
                    expires_at=WHEN + dt.timedelta(hours=1),
                ),
                RateLimitHitRow(
                    key="sign-up:ip:203.0.113.9", at=WHEN, expires_at=WHEN + dt.timedelta(hours=1)
                ),
                SignInFailureRow(
                    account="zoe@example.org", source="203.0.113.9", device="", at=WHEN
                ),
                TrustedDeviceRow(
                    token_hash="c" * 64,
                    user_id="u1",
                    created_at=WHEN,
                    expires_at=WHEN + dt.timedelta(days=180),
                ),
                Draft(
                    id="d" * 32,
                    answers={"procedure": "rhinoplasty", "words": "It whistles\nwhen I breathe"},
                    created_at=WHEN,
                    updated_at=WHEN,
                ),
            ]
        )
    with db.engine.begin() as connection:  # an import cut short leaves its staging rows
        connection.execute(providers_staging.insert(), [dict(generated_row())])


def generated_row() -> dict[str, Any]:
    return {
        "npi": "1999999999",
        "last_name": "HALFWAY",
        "first_name": "PAT",
        "address_line1": "1 MAIN ST",
        "city": "NEW YORK",
        "state": "NY",
        "postal_code": "10001",
        "latitude": 40.75,
        "longitude": -73.99,
    }


# --- what a person would notice ----------------------------------------------------------


def contents(db: Database, tables: list[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, comparable across SQLite and PostgreSQL."""
    out = {}
    with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if tables is not None and table.name not in tables:
                continue
            rows = []
            for row in connection.execute(select(table)):
                values = []
                for column, value in zip(table.c, row, strict=True):
                    if isinstance(column.type, LargeBinary) and value is not None:
                        value = hashlib.sha256(value).hexdigest()
                    elif isinstance(column.type, DateTime) and value is not None:
                        value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
                    values.append(value)
                rows.append(tuple(values))
            out[table.name] = sorted(rows, key=repr)
        if connection.dialect.name == "sqlite" and tables is None:
            located = connection.execute(text(f"SELECT * FROM {SPATIAL_TABLE} ORDER BY id"))
            out[SPATIAL_TABLE] = [tuple(r) for r in located]
    return out


def found(db: Database) -> list[tuple[str, str, float]]:
    """Who a person finds near 10001 for a nose, and how far away."""
    result = search_providers(db, zip_code="10001", procedure="rhinoplasty", radius_miles=50)
    return [(h.provider.npi, h.taxonomy.code, round(h.distance_miles, 3)) for h in result.hits]


def status(db: Database) -> tuple[int, str | None, dt.datetime | None]:
    """What ``reconsult providers status`` says: size, file, when (the same instant anywhere)."""
    now = directory_status(db)
    when = now.last_import_on
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)  # SQLite keeps UTC without the offset
    return now.providers, now.last_file, when


def case_seen(db: Database) -> dict[str, Any]:
    """The case as loaded (photo bytes are compared one by one, through photo_image)."""
    case = load_case(db, CASE_ID)
    assert case is not None
    return case.model_dump()


def assert_same_as(restored: Database, source: Database) -> None:
    """What a person sees in the restored database is what they saw in the original."""
    assert case_seen(restored) == case_seen(source)
    case = load_case(restored, CASE_ID)
    assert case is not None and len(case.photos) == 2 and case.journal[0].rules_fired
    for photo in case.photos:
        assert photo_image(restored, CASE_ID, photo.id) == photo_image(source, CASE_ID, photo.id)
    assert [c[:2] for c in list_cases(restored)] == [c[:2] for c in list_cases(source)]
    # The same providers, in the same order; SQLite's R*Tree keeps points as 32-bit
    # floats, so a distance can differ by a few feet between the two databases.
    assert [hit[:2] for hit in found(restored)] == [hit[:2] for hit in found(source)]
    assert [hit[2] for hit in found(restored)] == pytest.approx(
        [hit[2] for hit in found(source)], abs=0.01
    )
    assert any(npi == "1000000011" for npi, _code, _miles in found(restored))
    assert status(restored) == status(source)
    assert contents(restored, KEPT) == contents(source, KEPT)
    if kind(restored) == "sqlite" and kind(source) == "sqlite":
        assert contents(restored)[SPATIAL_TABLE] == contents(source)[SPATIAL_TABLE]
    left_out = contents(restored, list(LEFT_OUT))
    assert all(rows == [] for rows in left_out.values()), left_out


def assert_new_rows_do_not_collide(db: Database) -> None:
    """After a restore, new photos and log entries get keys of their own (PostgreSQL sequences)."""
    add_photo(
        db,
        CASE_ID,
        fuzz.jpeg_with_metadata(fuzz.marked_photo(30, 20)),
        taken_on=TODAY,
        angle=Angle.left,
        today=TODAY,
    )
    with db.session() as session:
        session.add(
            AuditRow(at=WHEN, owner_id="u1", case_id=CASE_ID, action="read", what="x", status=200)
        )
    case = load_case(db, CASE_ID)
    assert case is not None and len(case.photos) == 3
    with db.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(AuditRow)).scalar_one() == 4


# --- round trips -------------------------------------------------------------------------


def test_everything_comes_back_on_the_same_kind_of_database(
    db: Database, databases: Callable[[str], Database], tmp_path: Path
) -> None:
    fill(db, tmp_path)
    seen: list[BackupProgress] = []
    written = write_backup(db, tmp_path / "backup.zip", progress=seen.append)
    assert list(written.tables) == KEPT
    assert all(written.tables[name] > 0 for name in KEPT), written.tables
    assert written.tables["case_photos"] == 2 and written.tables["audit_log"] == 3
    assert seen[-1].table == KEPT[-1] and seen[-1].tables_done == len(KEPT) - 1
    target = databases(kind(db))
    restored = restore_backup(target, tmp_path / "backup.zip")
    assert restored.tables == written.tables
    assert restored.source_database == kind(db) and restored.revision == written.revision
    assert_same_as(target, db)
    assert_new_rows_do_not_collide(target)


def test_a_backup_moves_between_sqlite_and_postgresql(
    db: Database, databases: Callable[[str], Database], tmp_path: Path
) -> None:
    fill(db, tmp_path)
    write_backup(db, tmp_path / "backup.zip")
    target = databases(other_kind(db))
    restore_backup(target, tmp_path / "backup.zip")
    assert_same_as(target, db)
    assert_new_rows_do_not_collide(target)
    # ... and back again: the second trip changes nothing either.
    write_backup(target, tmp_path / "back.zip")
    home = databases(kind(db))
    restore_backup(home, tmp_path / "back.zip")
    assert contents(home, KEPT) == contents(target, KEPT)


def test_the_file_holds_a_manifest_and_one_json_lines_member_per_table(
    db: Database, tmp_path: Path
) -> None:
    fill(db, tmp_path)
    summary = write_backup(db, tmp_path / "backup.zip")
    assert stat.S_IMODE((tmp_path / "backup.zip").stat().st_mode) == 0o600  # health data
    with zipfile.ZipFile(tmp_path / "backup.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "reconsult-backup"
        assert manifest["format_version"] == FORMAT_VERSION
        assert manifest["alembic_revision"] == summary.revision
        assert [t["name"] for t in manifest["tables"]] == KEPT
        assert set(manifest["left_out"]) == set(LEFT_OUT)
        for entry in manifest["tables"]:
            raw = zf.read(entry["member"])
            assert hashlib.sha256(raw).hexdigest() == entry["sha256"]
            assert len(raw.splitlines()) == entry["rows"]
        photo = json.loads(zf.read("tables/case_photos.jsonl").splitlines()[0])
        columns = next(t["columns"] for t in manifest["tables"] if t["name"] == "case_photos")
        row = dict(zip(columns, photo, strict=True))
        assert row["taken_on"] == "2025-04-01" and isinstance(row["image"], str)
        user = json.loads(zf.read("tables/users.jsonl").splitlines()[0])
        assert "2026-11-20T09:30:15.123456+00:00" in user
        assert b"a" * 64 not in zf.read("tables/users.jsonl")  # no session token hashes


def test_replace_deletes_what_was_there_first(
    db: Database, databases: Callable[[str], Database], tmp_path: Path
) -> None:
    fill(db, tmp_path)
    write_backup(db, tmp_path / "backup.zip")
    target = databases(kind(db))
    save_case(target, full_case("someone-else"))
    with pytest.raises(BackupError, match="already holds data .*--replace"):
        restore_backup(target, tmp_path / "backup.zip")
    assert [c[0] for c in list_cases(target)] == ["someone-else"]
    restore_backup(target, tmp_path / "backup.zip", replace=True)
    assert load_case(target, "someone-else") is None
    assert_same_as(target, db)


# --- a broken file changes nothing -------------------------------------------------------


def _rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """Copy a backup, passing each member through ``change(name, data)``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info)))
    return target


def _manifest_change(**changes: Any) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        for key, value in changes.items():
            if key == "drop_table":  # an older schema had fewer tables
                manifest["tables"] = [t for t in manifest["tables"] if t["name"] != value]
            elif key.startswith("last_table_"):
                manifest["tables"][-1][key.removeprefix("last_table_")] = value
            else:
                manifest[key] = value
        return json.dumps(manifest).encode()

    return change


def _cut_in_half(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    return target


def _flip_photo_bytes(source: Path, target: Path) -> Path:
    """Damage the compressed photos member in place, as a bad disk would."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as zf:
        info = zf.getinfo("tables/case_photos.jsonl")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 40
    for i in range(start, start + 64):
        data[i] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def _drop_last_photo_line(name: str, data: bytes) -> bytes:
    return data.rsplit(b"\n", 2)[0] + b"\n" if name == "tables/case_photos.jsonl" else data


def _cut_last_line(name: str, data: bytes) -> bytes:
    return data[:-10] if name == "tables/case_products.jsonl" else data


def _duplicate_a_provider(source: Path, target: Path) -> Path:
    """A consistent file (counts and checksums fixed up) whose rows the database refuses."""
    with zipfile.ZipFile(source) as zf:
        member = "tables/providers.jsonl"
        lines = zf.read(member).splitlines(keepends=True)
        data = b"".join([*lines, lines[0]])
    digest = hashlib.sha256(data).hexdigest()

    def change(name: str, raw: bytes) -> bytes:
        if name == member:
            return data
        if name != "manifest.json":
            return raw
        manifest = json.loads(raw)
        entry = next(t for t in manifest["tables"] if t["member"] == member)
        entry.update(rows=len(lines) + 1, sha256=digest)
        return json.dumps(manifest).encode()

    return _rewrite(source, target, change)


BROKEN: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "cut-in-half": (_cut_in_half, "damaged or incomplete"),
    "member-damaged": (_flip_photo_bytes, "damaged or incomplete"),
    "wrong-checksum": (
        lambda s, t: _rewrite(s, t, _manifest_change(last_table_sha256="0" * 64)),
        "is damaged",
    ),
    "row-missing": (lambda s, t: _rewrite(s, t, _drop_last_photo_line), "is damaged"),
    "line-cut-short": (lambda s, t: _rewrite(s, t, _cut_last_line), "damaged or incomplete"),
    "refused-by-the-database": (_duplicate_a_provider, "database refused the restore"),
    "older-revision": (
        lambda s, t: _rewrite(s, t, _manifest_change(alembic_revision="0006", drop_table="users")),
        "older database \\(revision 0006.*Restore it with reconsult",
    ),
    "newer-revision": (
        lambda s, t: _rewrite(s, t, _manifest_change(alembic_revision="9999")),
        "revision 9999.*Upgrade reconsult",
    ),
    "newer-format": (
        lambda s, t: _rewrite(s, t, _manifest_change(format_version=FORMAT_VERSION + 1)),
        "newer reconsult.*Upgrade reconsult",
    ),
    "no-manifest": (
        lambda s, t: _rewrite(s, t, lambda n, d: d if n != "manifest.json" else b"{}"),
        "not a reconsult backup",
    ),
    "not-a-zip": (
        lambda _s, t: (t.write_text("npi,name\n1,x\n"), t)[1],
        "not a reconsult backup",
    ),
}


@pytest.mark.parametrize("breakage", list(BROKEN), ids=list(BROKEN))
def test_a_broken_backup_restores_nothing_and_changes_nothing(
    db: Database, databases: Callable[[str], Database], tmp_path: Path, breakage: str
) -> None:
    source = databases(kind(db))
    fill(source, tmp_path)
    good = tmp_path / "good.zip"
    write_backup(source, good)
    save_case(db, full_case("someone-else"))
    before = contents(db)
    searched = found(db)
    make, message = BROKEN[breakage]
    broken = make(good, tmp_path / "broken.zip")
    with pytest.raises(BackupError, match=message):
        restore_backup(db, broken, replace=True)
    assert contents(db) == before
    assert found(db) == searched
    assert [c[0] for c in list_cases(db)] == ["someone-else"]


def test_missing_file_and_existing_target_are_plain_errors(db: Database, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="There is no file"):
        restore_backup(db, tmp_path / "nope.zip")
    (tmp_path / "taken.zip").write_bytes(b"mine")
    with pytest.raises(BackupError, match="already exists"):
        write_backup(db, tmp_path / "taken.zip")
    assert (tmp_path / "taken.zip").read_bytes() == b"mine"
    with pytest.raises(BackupError, match="does not exist"):
        write_backup(db, tmp_path / "no-such-folder" / "b.zip")
    write_backup(db, tmp_path / "taken.zip", overwrite=True)
    assert zipfile.is_zipfile(tmp_path / "taken.zip")
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


# --- the command line --------------------------------------------------------------------

runner = CliRunner()


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_backup_and_restore_from_the_command_line(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Back up a person's SQLite file and restore it into this database (SQLite or PostgreSQL)."""
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path / "laptop"))
    monkeypatch.delenv("RECONSULT_DATABASE_URL", raising=False)
    laptop = open_database(f"sqlite:///{tmp_path / 'laptop' / 'reconsult.sqlite3'}")
    fill(laptop, tmp_path)
    backup = tmp_path / "reconsult-backup.zip"

    made = runner.invoke(app, ["backup", str(backup), "--quiet"])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.stdout and "case_photos" in made.stdout
    assert "Left out on purpose: sign-in sessions" in made.stdout
    again = runner.invoke(app, ["backup", str(backup), "--quiet"])
    assert again.exit_code == 2 and "already exists" in again.stderr and "--force" in again.stderr
    forced = runner.invoke(app, ["backup", str(backup), "--quiet", "--force"])
    assert forced.exit_code == 0, forced.output

    into_itself = runner.invoke(app, ["restore", str(backup), "--quiet"])
    assert into_itself.exit_code == 2 and "already holds data" in into_itself.stderr

    monkeypatch.setenv("RECONSULT_DATABASE_URL", _url(db))
    restored = runner.invoke(app, ["restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.stdout and "a backup of sqlite" in restored.stdout
    assert "case_photos" in restored.stdout and "Everyone signs in again" in restored.stdout
    assert_same_as(db, laptop)
    laptop.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["restore", "{tmp}/nope.zip"], "There is no file"),
        (["restore", "{tmp}/notes.txt"], "not a reconsult backup"),
        (["backup", "{tmp}/missing-folder/b.zip"], "does not exist"),
        (["backup", "{tmp}"], "is a folder"),
    ],
    ids=["missing", "not-a-backup", "no-folder", "a-folder"],
)
def test_bad_input_is_one_plain_line_and_exit_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RECONSULT_DATABASE_URL", raising=False)
    (tmp_path / "notes.txt").write_text("not a backup")
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2
    assert result.stderr.startswith("reconsult: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_help_says_what_is_kept_and_what_is_not() -> None:
    backup = runner.invoke(app, ["backup", "--help"])
    assert backup.exit_code == 0 and "--force" in backup.stdout
    assert "sessions" in backup.stdout and "restore" in backup.stdout
    restore = runner.invoke(app, ["restore", "--help"])
    assert restore.exit_code == 0 and "--replace" in restore.stdout
    assert "damaged file changes nothing" in restore.stdout
