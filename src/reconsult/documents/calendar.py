"""Calendar reminders (.ics, RFC 5545) built with the icalendar library.

What a reminder is (:class:`~reconsult.casefile.reminders.Reminder`) belongs to the
case; this module only writes reminders as calendar events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from icalendar import Alarm, Calendar, Event

from reconsult.casefile.reminders import Reminder

__all__ = ["calendar_ics", "event_uid", "reminder_ics"]


def event_uid(reminder: Reminder) -> str:
    """Return the reminder's UID: the same on every download, different for every event.

    RFC 5545 section 3.8.4.7 asks for a globally unique UID and RFC 7986
    section 5.3 for one that reveals nothing of the person, so it is a hash
    of the key (ids are random, 128 bits), never a name.
    """
    key = reminder.key or f"{reminder.title}|{reminder.on.isoformat()}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@reconsult.local"


def calendar_ics(reminders: Iterable[Reminder], *, stamp: dt.datetime) -> bytes:
    """Return an iCalendar file with an all-day event and a 9 am alarm per reminder.

    Each UID comes from the reminder's key (see :func:`event_uid`), so
    downloading twice does not add the same events twice in calendars that
    de-duplicate by UID, and two events never share one. ``stamp`` is when the
    file was made.
    """
    cal = Calendar()
    cal.add("prodid", "-//reconsult//reminders//EN")
    cal.add("version", "2.0")
    for reminder in reminders:
        event = Event()
        event.add("uid", event_uid(reminder))
        event.add("dtstamp", stamp)
        event.add("summary", reminder.title)
        event.add("description", reminder.description)
        event.add("dtstart", reminder.on)
        event.add("dtend", reminder.on + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", reminder.title)
        alarm.add("trigger", dt.timedelta(hours=9))  # 9 am on the day
        event.add_component(alarm)
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical


def reminder_ics(*, title: str, description: str, on: dt.date, stamp: dt.datetime) -> bytes:
    """Return an iCalendar file with one all-day reminder on ``on``."""
    return calendar_ics([Reminder(title=title, description=description, on=on)], stamp=stamp)
