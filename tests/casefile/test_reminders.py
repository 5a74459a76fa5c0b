"""Reminders from a case: look-again dates, products wearing off, revisions, records."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from reconsult.casefile.reminders import case_reminders
from reconsult.casefile.schema import JournalEntry
from reconsult.documents.calendar import calendar_ics
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from tests.casefile.test_repository import full_case

EARLY = dt.date(2025, 1, 1)


def test_every_kind_of_reminder_comes_from_the_case_and_the_timelines(kb: Knowledge) -> None:
    case = full_case()
    entry = JournalEntry(
        id="j1",
        written_on=dt.date(2025, 3, 20),
        procedure_id="p1",
        text="Very swollen still.",
        urgency=Urgency.wait,
        reassess_on=dt.date(2026, 3, 12),
    )
    case = case.model_copy(update={"journal": [entry]})
    reminders = {r.title: r.on for r in case_reminders(case, EARLY, kb)}
    filler = case.procedures[1].performed_on
    assert filler is not None
    fade = kb.procedures["filler_hyaluronic_acid"].timeline.fade
    assert fade is not None
    revision = kb.procedures["rhinoplasty"].timeline.revision
    assert reminders == {
        "Follow up your records request to Example Surgery Center": dt.date(2025, 8, 31),
        "Look again at how it has settled": dt.date(2026, 3, 12),
        "Earliest time to talk about a correction or revision": dt.date(2025, 3, 12)
        + dt.timedelta(days=revision),
        "The product may start to wear off from about now": filler + dt.timedelta(days=fade[0]),
        "The product should have worn off by about now": filler + dt.timedelta(days=fade[1]),
    }


def test_past_dates_and_answered_requests_are_left_out(kb: Knowledge) -> None:
    case = full_case()
    received = case.records_requests[0].model_copy(update={"received_on": dt.date(2025, 8, 20)})
    case = case.model_copy(update={"records_requests": [received]})
    reminders = case_reminders(case, dt.date(2027, 1, 1), kb)
    assert all(r.on >= dt.date(2027, 1, 1) for r in reminders)
    assert not any("records request" in r.title for r in reminders)
    assert [r.on for r in reminders] == sorted(r.on for r in reminders)


def test_reminders_become_a_calendar_file(kb: Knowledge) -> None:
    reminders = case_reminders(full_case(), EARLY, kb)
    stamp = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    ics = calendar_ics(reminders, stamp=stamp)
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert [(e.decoded("dtstart"), str(e["summary"])) for e in events] == [
        (r.on, r.title) for r in reminders
    ]
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert calendar_ics(reminders, stamp=stamp) == ics  # same case, same file


def test_two_letters_to_the_same_practice_are_two_events_with_their_own_uids(
    kb: Knowledge,
) -> None:
    case = full_case()
    [first] = [r for r in case.records_requests if r.received_on is None]
    second = first.model_copy(update={"id": "r2"})  # same practice, same day
    case = case.model_copy(update={"records_requests": [first, second]})
    title = f"Follow up your records request to {first.provider_name}"

    def follow_ups(stamp: dt.datetime) -> list[str]:
        ics = calendar_ics(case_reminders(case, EARLY, kb), stamp=stamp)
        events = Calendar.from_ical(ics).walk("VEVENT")
        assert len({str(e["uid"]) for e in events}) == len(events)  # RFC 5545: UID unique
        return [str(e["uid"]) for e in events if str(e["summary"]) == title]

    uids = follow_ups(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert len(uids) == 2  # one event per request
    assert follow_ups(dt.datetime(2025, 2, 1, tzinfo=dt.UTC)) == uids  # stable on every download
    # Named by the request, not the practice: a request's event keeps its UID when the
    # other request is answered.
    answered = second.model_copy(update={"received_on": dt.date(2025, 8, 20)})
    case = case.model_copy(update={"records_requests": [first, answered]})
    assert follow_ups(dt.datetime(2025, 3, 1, tzinfo=dt.UTC)) == [uids[0]]
