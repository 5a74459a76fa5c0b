"""The dates a person's case should bring back to mind, worked out from the case and the knowledge.

Four kinds (issue 4): the date to look again from each journal entry, the
window in which a toxin or temporary filler wears off, the earliest time to
talk about a revision, and the follow-up of a records request. Dates already
past are left out. All numbers come from the knowledge base timelines.

Each reminder's key names the case, the thing it is about (by its own id:
the journal entry, the procedure, the records request) and which of that
thing's reminders it is, so every calendar event has its own stable UID: two
letters to the same practice are two events, never one (issue 14).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reconsult.casefile.schema import CaseFileData
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge, load_knowledge

__all__ = ["Reminder", "case_reminders"]


@dataclass(frozen=True)
class Reminder:
    """One all-day reminder: what, why, and on which day.

    ``key`` names the one thing the reminder is about, stable and unique (for
    example the records request's own id): its calendar UID is made from it.
    Without a key, the UID is made from the title and the day.
    """

    title: str
    description: str
    on: dt.date
    key: str = ""


def case_reminders(
    case: CaseFileData, today: dt.date, knowledge: Knowledge | None = None
) -> list[Reminder]:
    """Return the case's upcoming reminders, soonest first."""
    kb = knowledge or load_knowledge()
    reminders: list[Reminder] = []
    names = {p.id: kb.procedures[p.procedure.value].name for p in case.procedures}
    for entry in case.journal:
        if entry.reassess_on is not None:
            named = names.get(entry.procedure_id or "")
            what = _("your procedure") if named is None else named
            reminders.append(
                Reminder(
                    title=_("Look again at how it has settled"),
                    description=_(
                        "%(procedure)s. On %(date)s you wrote: %(note)s "
                        "It should be fair to judge by today. If anything worried you before "
                        "today, you should already have got help."
                    )
                    % {
                        "procedure": what,
                        "date": entry.written_on.isoformat(),
                        "note": entry.text,
                    },
                    on=entry.reassess_on,
                    key=f"{case.id}/journal/{entry.id}/look-again",
                )
            )
    for procedure in case.procedures:
        if procedure.performed_on is None:
            continue
        timeline = kb.procedures[procedure.procedure.value].timeline
        name = names[procedure.id]
        about = f"{case.id}/procedure/{procedure.id}"
        if timeline.fade is not None:
            first, last = (procedure.performed_on + dt.timedelta(days=d) for d in timeline.fade)
            reminders.append(
                Reminder(
                    title=_("The product may start to wear off from about now"),
                    description=f"{name}. {timeline.summary}",
                    on=first,
                    key=f"{about}/fade-start",
                )
            )
            reminders.append(
                Reminder(
                    title=_("The product should have worn off by about now"),
                    description=f"{name}. {timeline.summary}",
                    on=last,
                    key=f"{about}/fade-end",
                )
            )
        if timeline.revision > timeline.settle:
            reminders.append(
                Reminder(
                    title=_("Earliest time to talk about a correction or revision"),
                    description=_(
                        "%(procedure)s. From about now the tissues have settled enough to plan "
                        "a correction, if you still want one. %(summary)s"
                    )
                    % {"procedure": name, "summary": timeline.summary},
                    on=procedure.performed_on + dt.timedelta(days=timeline.revision),
                    key=f"{about}/revision",
                )
            )
    for request in case.records_requests:
        if request.received_on is None:
            reminders.append(
                Reminder(
                    title=_("Follow up your records request to %(provider)s")
                    % {"provider": request.provider_name},
                    description=_(
                        "You asked %(provider)s for your records on %(date)s. If they have not "
                        "arrived, call or write to ask when they will. Keep a note of what "
                        "they say."
                    )
                    % {"provider": request.provider_name, "date": request.sent_on.isoformat()},
                    on=request.follow_up_on,
                    key=f"{case.id}/records-request/{request.id}/follow-up",
                )
            )
    upcoming = [r for r in reminders if r.on >= today]
    return sorted(upcoming, key=lambda r: (r.on, r.title))
