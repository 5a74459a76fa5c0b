"""Calendar reminders (.ics, RFC 5545) built with the icalendar library."""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Alarm, Calendar, Event

__all__ = ["reminder_ics"]


def reminder_ics(*, title: str, description: str, on: dt.date, stamp: dt.datetime) -> bytes:
    """Return an iCalendar file with one all-day reminder on ``on`` and an alarm that morning.

    The UID is derived from the content, so downloading twice does not add two
    events in calendars that de-duplicate by UID. ``stamp`` is when it was made.
    """
    cal = Calendar()
    cal.add("prodid", "-//reconsult//reminders//EN")
    cal.add("version", "2.0")
    event = Event()
    uid = hashlib.sha256(f"{title}|{on.isoformat()}".encode()).hexdigest()[:32]
    event.add("uid", f"{uid}@reconsult.local")
    event.add("dtstamp", stamp)
    event.add("summary", title)
    event.add("description", description)
    event.add("dtstart", on)
    event.add("dtend", on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", dt.timedelta(hours=9))  # 9 am on the day
    event.add_component(alarm)
    cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
