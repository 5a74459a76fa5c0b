"""`reconsult case ...`: a case kept, assessed, exported, imported and deleted from a terminal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from PIL import Image
from typer.testing import CliRunner

from reconsult.cli import app
from tests.casefile import fuzz_images as fuzz

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test gets its own data folder (and so its own SQLite database)."""
    monkeypatch.setenv("RECONSULT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RECONSULT_DATABASE_URL", raising=False)
    return tmp_path


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_a_case_from_start_to_export_and_back(tmp_path: Path) -> None:
    case_id = run("case", "new", "--title", "Lips")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    procedure_id = run(
        "case", "add-procedure", case_id, "--procedure", "filler_hyaluronic_acid", "--on", yesterday
    )
    said = run("case", "note", case_id, "My upper lip has gone white", "--procedure", procedure_id)
    assert "EMERGENCY" in said
    assert "911" in said  # the way to emergency help is never hidden
    shown = run("case", "show", case_id)
    # The level in the knowledge base's words, not its code.
    assert "  Emergency  My upper lip has gone white" in shown
    exported = tmp_path / "case.json"
    run("case", "export", case_id, "-o", str(exported))
    fhir = tmp_path / "case.fhir.json"
    run("case", "export", case_id, "-o", str(fhir), "--format", "fhir")
    assert json.loads(fhir.read_text())["resourceType"] == "Bundle"
    run("case", "delete", case_id, "--yes")
    assert "no cases yet" in run("case", "list")
    assert case_id in run("case", "import", str(exported))
    assert "My upper lip has gone white" in run("case", "show", case_id)


def test_reminders_as_a_calendar_file(tmp_path: Path) -> None:
    case_id = run("case", "new")
    run("case", "add-procedure", case_id, "--procedure", "botulinum_toxin", "--on", "2026-11-01")
    ics = tmp_path / "r.ics"
    assert "reminder(s)" in run("case", "reminders", case_id, "-o", str(ics))
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--procedure", "nose"], "unknown procedure 'nose'"),
        (["--procedure", "rhinoplasty", "--on", "27/03/2026"], "must look like 2026-03-27"),
        (["--procedure", "rhinoplasty", "--on", "2999-01-01"], "today or in the past"),
    ],
    ids=["unknown-procedure", "bad-date", "future-date"],
)
def test_bad_input_is_one_plain_line(args: list[str], message: str) -> None:
    case_id = run("case", "new")
    result = runner.invoke(app, ["case", "add-procedure", case_id, *args])
    assert result.exit_code == 1
    assert message in result.output


def test_a_bad_import_file_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    result = runner.invoke(app, ["case", "import", str(bad)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output
    assert "no cases yet" in run("case", "list")


def test_delete_asks_first() -> None:
    case_id = run("case", "new")
    result = runner.invoke(app, ["case", "delete", case_id], input="n\n")
    assert result.exit_code == 1
    assert case_id in run("case", "list")


# --- photos -------------------------------------------------------------------


def fail(*args: str) -> str:
    """Run a command that must fail: exit status 1 and one plain line on stderr."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reconsult: "), result.stderr
    return lines[0]


def a_case_with_a_procedure() -> tuple[str, str]:
    case_id = run("case", "new")
    procedure_id = run(
        "case",
        "add-procedure",
        case_id,
        "--procedure",
        "rhinoplasty",
        "--on",
        "2025-03-12",
        "--provider",
        "Dr. Ann Lee",
        "--practice",
        "Bright Aesthetics",
    )
    return case_id, procedure_id


def test_a_photo_is_added_listed_saved_without_its_location_and_removed(tmp_path: Path) -> None:
    case_id, procedure_id = a_case_with_a_procedure()
    upload = tmp_path / "IMG_0001.jpg"
    upload.write_bytes(fuzz.jpeg_with_metadata())
    assert b"SECRET" in upload.read_bytes()  # the phone's camera data, GPS position included
    photo_id = run(
        "case", "photo", "add", case_id, str(upload), "--taken-on", "2025-04-01",
        "--angle", "oblique_left", "--procedure", procedure_id, "--note", "Two weeks after",
    )  # fmt: skip
    listed = run("case", "photo", "list", case_id)
    assert photo_id in listed
    assert "2025-04-01  oblique_left  60x40" in listed and "Two weeks after" in listed
    saved = tmp_path / "out.jpg"
    run("case", "photo", "save", case_id, photo_id, str(saved))
    with Image.open(saved) as image:
        assert image.format == "JPEG" and image.size == (60, 40)
        assert not image.getexif()
    assert b"SECRET" not in saved.read_bytes()
    small = tmp_path / "small.jpg"
    run("case", "photo", "save", case_id, photo_id, str(small), "--thumbnail")
    assert small.read_bytes()[:3] == b"\xff\xd8\xff"
    assert "1 photo(s)" in run("case", "show", case_id)
    assert run("case", "photo", "remove", case_id, photo_id) == "Removed."
    assert "No photos in this case yet" in run("case", "photo", "list", case_id)
    assert "no photo with id" in fail("case", "photo", "remove", case_id, photo_id)
    assert "no photo with id" in fail("case", "photo", "save", case_id, photo_id, str(saved))


@pytest.mark.parametrize(
    ("file", "options", "message"),
    [
        ("photo.jpg", ["--angle", "top"], "unknown angle 'top'. Choose one of: front, left"),
        ("photo.jpg", ["--taken-on", "2999-01-01"], "must be today or in the past"),
        ("photo.jpg", ["--taken-on", "1 April"], "must look like 2026-03-27"),
        ("photo.jpg", ["--procedure", "nope"], "Choose one of the procedures in this case."),
        ("notes.txt", [], "We could not read this file as a photo."),
        ("missing.jpg", [], "could not read"),
    ],
    ids=["angle", "future-date", "bad-date", "unknown-procedure", "not-a-photo", "no-file"],
)
def test_a_refused_photo_is_one_plain_line_and_nothing_is_saved(
    tmp_path: Path, file: str, options: list[str], message: str
) -> None:
    case_id, _ = a_case_with_a_procedure()
    (tmp_path / "photo.jpg").write_bytes(fuzz.jpeg_with_metadata())
    (tmp_path / "notes.txt").write_text("not a photo")
    defaults = {"--taken-on": "2025-04-01", "--angle": "front"}
    given = dict(zip(options[::2], options[1::2], strict=True))
    args = [a for pair in {**defaults, **given}.items() for a in pair]
    assert message in fail("case", "photo", "add", case_id, str(tmp_path / file), *args)
    assert "No photos in this case yet" in run("case", "photo", "list", case_id)


# --- records-request letters ----------------------------------------------------

LETTER_ARGS = ["--address", "12 Elm Street\nLos Angeles, CA 90001"]
LETTER_ARGS += ["--practice-address", "1 Main Street\nBeverly Hills, CA 90210"]


def test_a_letter_is_written_kept_with_the_case_and_marked_received(tmp_path: Path) -> None:
    case_id, procedure_id = a_case_with_a_procedure()
    details = ["--name", "Maria Lopez", "--born", "1988-05-02", "--jurisdiction", "US-CA"]
    run("case", "details", case_id, *details)
    out = tmp_path / "letter.txt"
    said = run(
        "case", "letter", case_id, "--procedure", procedure_id, *LETTER_ARGS,
        "--email", "maria@example.org", "--out", str(out),
    )  # fmt: skip
    letter = out.read_text()
    assert letter.startswith("Maria Lopez\n12 Elm Street\n")
    assert "Dear Dr. Ann Lee," in letter
    assert "Health and Safety Code section 123110" in letter
    assert "Rhinoplasty" in letter or "rhinoplasty" in letter
    shown = run("case", "show", case_id)
    [request_line] = [line for line in shown.splitlines() if "records request" in line]
    request_id = request_line.split()[2].rstrip(":")
    assert request_id in said
    assert "follow up" in request_line
    assert "Follow up your records request to Dr. Ann Lee" in run("case", "reminders", case_id)
    today = dt.date.today().isoformat()
    assert "arrived on" in run("case", "letter-received", case_id, request_id, "--on", today)
    assert f"received {today}" in run("case", "show", case_id)
    assert "Follow up your records request" not in run("case", "reminders", case_id)
    exported = tmp_path / "case.json"
    run("case", "export", case_id, "-o", str(exported))
    saved = json.loads(exported.read_text())["case"]["records_requests"][0]
    assert saved["letter_text"] == letter and saved["jurisdiction"] == "US-CA"


def test_two_letters_to_the_same_practice_are_two_calendar_events(tmp_path: Path) -> None:
    case_id, procedure_id = a_case_with_a_procedure()
    run("case", "details", case_id, "--name", "Maria Lopez", "--born", "1988-05-02")
    run("case", "details", case_id, "--jurisdiction", "US-CA")
    args = ["--procedure", procedure_id, *LETTER_ARGS]
    said = [
        run("case", "letter", case_id, *args, "--out", str(tmp_path / f"letter{n}.txt"))
        for n in (1, 2)
    ]
    request_ids = [line.split()[1] for s in said for line in s.splitlines() if "Request" in line]
    assert len(set(request_ids)) == 2
    ics = tmp_path / "r.ics"

    def follow_ups() -> list[str]:
        run("case", "reminders", case_id, "-o", str(ics))
        events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
        assert len({str(e["uid"]) for e in events}) == len(events)  # RFC 5545: UIDs unique
        return [str(e["uid"]) for e in events if "Dr. Ann Lee" in str(e["summary"])]

    uids = follow_ups()
    assert len(uids) == 2  # one reminder per letter
    assert follow_ups() == uids  # the same events on every download
    run("case", "letter-received", case_id, request_ids[1], "--on", dt.date.today().isoformat())
    assert follow_ups() == uids[:1]  # the first letter's reminder is unchanged


def test_a_letter_as_pdf(tmp_path: Path) -> None:
    case_id, procedure_id = a_case_with_a_procedure()
    run("case", "details", case_id, "--name", "Sam Jones", "--born", "1979-01-31")
    run("case", "details", case_id, "--jurisdiction", "GB")
    out = tmp_path / "letter.pdf"
    args = ["--procedure", procedure_id, *LETTER_ARGS, "--format", "pdf", "--out", str(out)]
    run("case", "letter", case_id, *args)
    assert out.read_bytes().startswith(b"%PDF-")
    exported = tmp_path / "case.json"
    run("case", "export", case_id, "-o", str(exported))
    [kept] = json.loads(exported.read_text())["case"]["records_requests"]
    assert "UK GDPR" in kept["letter_text"]  # the text of the same letter is kept


def test_a_letter_without_the_persons_details_says_how_to_add_them(tmp_path: Path) -> None:
    case_id, procedure_id = a_case_with_a_procedure()
    out = tmp_path / "letter.txt"
    args = ["--procedure", procedure_id, *LETTER_ARGS, "--out", str(out)]
    line = fail("case", "letter", case_id, *args)
    assert "your full name, your date of birth and where you live" in line
    assert f"reconsult case details {case_id} --name" in line
    assert not out.exists()
    assert "records request" not in run("case", "show", case_id)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--email", "maria(at)example"], "should look like name@example.com"),
        (["--procedure", "nope"], "Choose one of the procedures in this case."),
        (["--format", "docx"], "--format must be text or pdf"),
    ],
    ids=["bad-email", "unknown-procedure", "bad-format"],
)
def test_a_bad_letter_writes_and_keeps_nothing(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    case_id, procedure_id = a_case_with_a_procedure()
    run("case", "details", case_id, "--name", "Maria Lopez", "--born", "1988-05-02")
    run("case", "details", case_id, "--jurisdiction", "US")
    out = tmp_path / "letter.txt"
    args = ["--procedure", procedure_id, *LETTER_ARGS, "--out", str(out), *extra]
    assert message in fail("case", "letter", case_id, *args)
    assert not out.exists()
    assert "records request" not in run("case", "show", case_id)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jurisdiction", "FR"], "unknown jurisdiction 'FR'. Choose one of: EU, GB"),
        (["--born", "2999-01-01"], "your date of birth must be today or in the past"),
        ([], "say what to change"),
    ],
    ids=["unknown-jurisdiction", "born-in-the-future", "nothing"],
)
def test_bad_details_are_refused(args: list[str], message: str) -> None:
    case_id = run("case", "new")
    assert message in fail("case", "details", case_id, *args)


def test_marking_an_unknown_request_or_a_future_date_fails() -> None:
    case_id = run("case", "new")
    assert "no records request with id 'nope'" in fail(
        "case", "letter-received", case_id, "nope", "--on", "2026-01-01"
    )
    assert "must be today or in the past" in fail(
        "case", "letter-received", case_id, "nope", "--on", "2999-01-01"
    )


# --- consultation packet --------------------------------------------------------


def test_a_packet_to_bring_to_a_consultation(tmp_path: Path) -> None:
    case_id, procedure_id = a_case_with_a_procedure()
    run("case", "details", case_id, "--name", "Maria Lopez", "--jurisdiction", "US-CA")
    run("case", "note", case_id, "The tip of my nose droops", "--procedure", procedure_id)
    text = tmp_path / "packet.txt"
    run("case", "packet", case_id, "--out", str(text), "--format", "text")
    written = text.read_text()
    assert "The tip of my nose droops" in written and "Dr. Ann Lee" in written
    pdf = tmp_path / "packet.pdf"
    run("case", "packet", case_id, "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "--format must be pdf or text" in fail(
        "case", "packet", case_id, "--out", str(pdf), "--format", "docx"
    )
    assert "no case with id 'nope'" in fail("case", "packet", "nope", "--out", str(pdf))
