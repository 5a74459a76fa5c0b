"""The audit log: the owner sees who read or changed their case, newest first."""

from __future__ import annotations

import datetime as dt

from reconsult.accounts.audit import AuditEntry, audit_entries, group_repeats, record_access
from reconsult.storage import Database
from tests.accounts import NOW

MINUTE = dt.timedelta(minutes=1)


def _entry(
    *,
    minutes: int,
    case_id: str = "case-1",
    what: str = "case page",
    actor: str = "nurse@aster.example",
    clinic: str = "Aster Clinic",
    action: str = "read",
    status: int = 200,
) -> AuditEntry:
    return AuditEntry(
        at=NOW + minutes * MINUTE,
        case_id=case_id,
        case_title=f"Title of {case_id}",
        actor=actor,
        clinic=clinic,
        action=action,
        what=what,
        status=status,
    )


def test_entries_come_back_newest_first_with_the_total(db: Database) -> None:
    for minutes in (0, 2, 1):
        record_access(db, _entry(minutes=minutes), owner_id="owner", actor_id="nurse")
    entries, total = audit_entries(db, "owner")
    assert total == 3
    assert [e.at for e in entries] == [NOW + 2 * MINUTE, NOW + MINUTE, NOW]
    assert entries[0] == _entry(minutes=2)


def test_entries_at_the_same_moment_keep_the_order_they_happened_in(db: Database) -> None:
    for what in ("case page", "photo", "export"):
        record_access(db, _entry(minutes=0, what=what), owner_id="owner", actor_id=None)
    entries, _ = audit_entries(db, "owner")
    assert [e.what for e in entries] == ["export", "photo", "case page"]


def test_entries_can_be_filtered_to_one_case(db: Database) -> None:
    record_access(db, _entry(minutes=0, case_id="lips"), owner_id="owner", actor_id=None)
    record_access(db, _entry(minutes=1, case_id="nose"), owner_id="owner", actor_id=None)
    record_access(db, _entry(minutes=2, case_id="lips"), owner_id="owner", actor_id=None)
    entries, total = audit_entries(db, "owner", case_id="lips")
    assert total == 2
    assert [(e.case_id, e.at) for e in entries] == [("lips", NOW + 2 * MINUTE), ("lips", NOW)]
    assert audit_entries(db, "owner", case_id="gone") == ([], 0)


def test_the_total_counts_every_entry_beyond_the_page(db: Database) -> None:
    for minutes in range(5):
        record_access(db, _entry(minutes=minutes), owner_id="owner", actor_id=None)
    entries, total = audit_entries(db, "owner", limit=2)
    assert total == 5
    assert [e.at for e in entries] == [NOW + 4 * MINUTE, NOW + 3 * MINUTE]


def test_an_owner_sees_only_the_entries_about_their_own_cases(db: Database) -> None:
    record_access(db, _entry(minutes=0, case_id="mine"), owner_id="ana", actor_id=None)
    record_access(db, _entry(minutes=1, case_id="theirs"), owner_id="bo", actor_id=None)
    entries, total = audit_entries(db, "ana")
    assert (total, [e.case_id for e in entries]) == (1, ["mine"])
    assert audit_entries(db, "nobody") == ([], 0)


def test_an_entry_says_whether_the_request_worked(db: Database) -> None:
    for minutes, status in enumerate((200, 303, 403, 500)):
        record_access(
            db, _entry(minutes=minutes, status=status, action="change"), owner_id="o", actor_id="x"
        )
    entries, _ = audit_entries(db, "o")
    assert [(e.status, e.worked) for e in entries] == [
        (500, False),
        (403, False),
        (303, True),
        (200, True),
    ]
    assert {e.action for e in entries} == {"change"}


def test_overlong_details_are_cut_to_fit_not_lost(db: Database) -> None:
    long = _entry(minutes=0, what="w" * 500, actor="a" * 400, clinic="c" * 300)
    record_access(db, long, owner_id="owner", actor_id="actor")
    (entry,), _ = audit_entries(db, "owner")
    assert (len(entry.what), len(entry.actor), len(entry.clinic)) == (200, 320, 200)
    assert entry.at == NOW and entry.at.tzinfo is not None


def test_thumbnails_loaded_together_show_as_one_line_with_a_count() -> None:
    thumbs = [_entry(minutes=0, what="Show a photo's thumbnail") for _ in range(12)]
    newest_first = [
        _entry(minutes=1, what="Show everything in one case"),
        *thumbs,
        _entry(minutes=0, what="Show a photo's thumbnail", actor="owner@example.org", clinic=""),
        _entry(minutes=0, what="Show a photo's thumbnail", status=403),
    ]
    grouped = group_repeats(newest_first)
    assert [(e.what, e.actor, e.outcome, n) for e, n in grouped] == [
        ("Show everything in one case", "nurse@aster.example", "", 1),
        ("Show a photo's thumbnail", "nurse@aster.example", "", 12),
        ("Show a photo's thumbnail", "owner@example.org", "", 1),
        ("Show a photo's thumbnail", "nurse@aster.example", "refused", 1),
    ]
    # The same thing a minute later is a new line: it was looked at again.
    later = group_repeats([_entry(minutes=1, what="x"), _entry(minutes=0, what="x")])
    assert [n for _, n in later] == [1, 1]
