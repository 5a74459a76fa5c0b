"""Records requests kept with a case: fill one in from the case, keep it, mark it answered.

The person's name, date of birth and jurisdiction come from the case, never
from a default, so the letter cites the law of the place the case says the
person lives (HAZ-28). Each logged request keeps the plain-text letter and its
jurisdiction, so the person can see, print or export exactly what was sent
(the letter is made by :mod:`reconsult.documents.records_request`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import select

from reconsult.casefile.mapping import from_row, to_row
from reconsult.casefile.records_request_input import (
    RecordsFormat,
    RecordsRequestInput,
    ToMe,
    ToNewProvider,
)
from reconsult.casefile.rows import lock_case, max_items, new_id, next_position
from reconsult.casefile.schema import CaseFileData, ProcedureRecord, RecordsRequestLog
from reconsult.casefile.tables import RecordsRequestRow
from reconsult.errors import CaseFileError
from reconsult.i18n import N_
from reconsult.i18n import gettext as _
from reconsult.knowledge import load_knowledge
from reconsult.storage import Database

__all__ = [
    "keep_records_request",
    "letter_error",
    "mark_records_received",
    "missing_details",
    "request_input_from_case",
]

_TO_ME = ToMe()  # frozen: safe to share as the default
# What a letter needs from the case, in English (the keys); said with _() where shown.
FULL_NAME = N_("your full name")
DATE_OF_BIRTH = N_("your date of birth")
WHERE_YOU_LIVE = N_("where you live")


def _missing(case: CaseFileData) -> list[str]:
    """The keys of what a letter needs from the case that it does not hold yet."""
    needed = (
        (FULL_NAME, case.person_name),
        (DATE_OF_BIRTH, case.date_of_birth),
        (WHERE_YOU_LIVE, case.jurisdiction),
    )
    return [what for what, value in needed if not value]


def missing_details(case: CaseFileData) -> list[str]:
    """Name what a letter needs from the case that it does not hold yet ([] when complete).

    In the current language: "your full name", "your date of birth", "where you live".
    """
    return [_(what) for what in _missing(case)]


def request_input_from_case(
    case: CaseFileData,
    *,
    procedure_ids: list[str],
    address: str,
    practice_address: str,
    phone: str | None = None,
    email: str | None = None,
    patient_number: str | None = None,
    recipient: ToMe | ToNewProvider = _TO_ME,
    preferred_format: RecordsFormat = RecordsFormat.electronic,
    today: dt.date,
) -> RecordsRequestInput:
    """Fill in a records request from the case and the chosen procedures, checked as of ``today``.

    Name, date of birth and jurisdiction come from the case; the provider and
    practice from the procedures, which must all share one. Blank phone,
    email or patient number count as not given. Raises ``CaseFileError`` with
    a message for the person when something is missing or cannot go in a letter.
    """
    born = case.date_of_birth
    missing = _missing(case)
    if missing or born is None:
        codes = _or(load_knowledge().records_access.jurisdiction_codes)
        where = _("where you live (%(places)s; it decides which law the letter cites)") % {
            "places": codes
        }
        named = [where if m == WHERE_YOU_LIVE else _(m) for m in missing]
        raise CaseFileError(
            _("Before making a letter, add to your case: %(missing)s.") % {"missing": _and(named)}
        )
    chosen = _chosen(case, procedure_ids)
    first = chosen[0]
    provider = first.provider_name or first.practice_name
    if not provider:
        raise CaseFileError(
            _(
                "Add who did the procedure (the provider or the practice) first: "
                "the letter is addressed to them."
            )
        )
    for p in chosen:
        if p.performed_on is not None and p.performed_on < born:
            raise CaseFileError(
                _(
                    "The date of a procedure (%(date)s) is before your date of birth. "
                    "Check both dates in your case."
                )
                % {"date": p.performed_on.isoformat()}
            )
    fields: dict[str, Any] = {
        "full_name": case.person_name,
        "date_of_birth": born,
        "address": address,
        "phone": _given(phone),
        "email": _given(email),
        "patient_number": _given(patient_number),
        "jurisdiction": case.jurisdiction,
        "provider_name": provider,
        # With no provider named, the practice is the addressee: not named twice.
        "practice_name": (first.practice_name or None) if first.provider_name else None,
        "practice_address": practice_address,
        "procedures": [
            {"code": p.procedure, "date": p.performed_on or "date unknown"} for p in chosen
        ],
        "recipient": recipient,
        "preferred_format": preferred_format,
    }
    try:
        return RecordsRequestInput.model_validate(fields, context={"today": today})
    except ValidationError as exc:
        raise letter_error(exc) from exc


def _chosen(case: CaseFileData, procedure_ids: list[str]) -> list[ProcedureRecord]:
    """The chosen procedures, each once, in the order chosen; all from one provider and practice."""
    if not procedure_ids:
        raise CaseFileError(_("Choose the procedure, or procedures, the letter asks about."))
    by_id = {p.id: p for p in case.procedures}
    chosen = []
    for procedure_id in dict.fromkeys(procedure_ids):
        if procedure_id not in by_id:
            raise CaseFileError(_("Choose one of the procedures in this case."))
        chosen.append(by_id[procedure_id])
    places = dict.fromkeys((_folded(p.provider_name), _folded(p.practice_name)) for p in chosen)
    if len(places) > 1:
        named = "; ".join(dict.fromkeys(_who(p) for p in chosen))
        raise CaseFileError(
            _(
                "These procedures were done by different providers or practices (%(who)s). "
                "Make one letter per practice: choose only the procedures done there."
            )
            % {"who": named}
        )
    return chosen


def _who(p: ProcedureRecord) -> str:
    """Who did a procedure, and where: "Dr Khan at Riverside", one of them, or "not named"."""
    if p.provider_name and p.practice_name:
        return _("%(provider)s at %(practice)s") % {
            "provider": p.provider_name,
            "practice": p.practice_name,
        }
    return p.provider_name or p.practice_name or _("not named")


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _given(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _and(items: list[str]) -> str:
    """Return 'A', 'A and B', or 'A, B and C', in the current language."""
    if len(items) == 1:
        return items[0]
    return _("%(names)s and %(last)s") % {"names": ", ".join(items[:-1]), "last": items[-1]}


def _or(items: tuple[str, ...]) -> str:
    """Return 'A', 'A or B', or 'A, B or C', in the current language."""
    if len(items) == 1:
        return items[0]
    return _("%(names)s or %(last)s") % {"names": ", ".join(items[:-1]), "last": items[-1]}


# The name of each field of the letter, in English (translated where an error says it).
_LABELS = {
    "full_name": N_("Your name"),
    "date_of_birth": N_("Your date of birth"),
    "address": N_("Your address"),
    "phone": N_("Your phone number"),
    "email": N_("Your email address"),
    "patient_number": N_("Your patient number"),
    "jurisdiction": N_("Where you live"),
    "provider_name": N_("The provider's name"),
    "practice_name": N_("The practice's name"),
    "practice_address": N_("The practice's address"),
    "procedures": N_("A procedure"),
    "recipient": N_("The new provider's name or address"),
}
_THE_LETTER = N_("The letter")  # a field without a name of its own
_PATTERN_HELP = {
    "phone": N_("Your phone number can only have digits, spaces and + ( ) - . / x."),
    "email": N_("Your email address does not look like one. It should look like name@example.com."),
}


def letter_error(exc: ValidationError) -> CaseFileError:
    """Turn a RecordsRequestInput validation error into a CaseFileError a person can act on."""
    error: ErrorDetails = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    label = _(_LABELS.get(field, _THE_LETTER))
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind in ("missing", "string_too_short", "too_short"):
        message = _("%(field)s is missing or too short.") % {"field": label}
    elif kind == "string_too_long":
        message = _("%(field)s is too long. Keep it under %(most)s characters.") % {
            "field": label,
            "most": context.get("max_length"),
        }
    elif kind == "string_pattern_mismatch" and field in _PATTERN_HELP:
        message = _(_PATTERN_HELP[field])
    elif kind == "string_pattern_mismatch":
        message = _(
            "%(field)s has a character a letter cannot hold, such as a tab. Type it again."
        ) % {"field": label}
    elif kind == "value_error":  # our own validators: words already meant for people
        reason = str(context.get("error") or error["msg"])
        message = reason[:1].upper() + reason[1:] + "."
    else:
        message = _("%(field)s: %(reason)s.") % {"field": label, "reason": error["msg"]}
    return CaseFileError(message)


def keep_records_request(
    db: Database,
    case_id: str,
    inp: RecordsRequestInput,
    *,
    letter_text: str,
    follow_up_on: dt.date,
    today: dt.date,
) -> RecordsRequestLog:
    """Keep a records request made ``today`` with the case, with the letter as sent.

    The letter itself is made by :func:`reconsult.documents.records_request.log_records_request`,
    which calls this.
    """
    log = RecordsRequestLog(
        id=new_id(),
        sent_on=today,
        provider_name=inp.provider_name,
        follow_up_on=follow_up_on,
        jurisdiction=inp.jurisdiction,
        letter_text=letter_text,
        request=inp,
    )
    with db.session() as session:
        lock_case(session, case_id)
        count, position = next_position(
            session, RecordsRequestRow.position, RecordsRequestRow.case_id, case_id
        )
        if count >= max_items("records_requests"):
            raise CaseFileError(
                _("This case already holds %(count)s records requests, the most it can keep.")
                % {"count": count}
            )
        session.add(to_row(log, RecordsRequestRow, case_id=case_id, position=position))
    return log


def mark_records_received(
    db: Database, case_id: str, request_id: str, *, received_on: dt.date
) -> RecordsRequestLog:
    """Note the day the records arrived (which ends the follow-up reminder); return the log.

    Marking again changes the date. It does not tick "records obtained" on any
    procedure: a request names a provider, not procedures, and records that
    arrived may not be complete, so the person ticks that themselves.
    """
    with db.session() as session:
        lock_case(session, case_id)
        row = session.scalars(
            select(RecordsRequestRow).where(
                RecordsRequestRow.case_id == case_id, RecordsRequestRow.id == request_id
            )
        ).one_or_none()
        if row is None:
            raise CaseFileError(
                _("There is no records request with id %(id)s in this case.")
                % {"id": repr(request_id)}
            )
        if received_on < row.sent_on:
            raise CaseFileError(
                _(
                    "The records cannot have arrived before you asked for them on %(date)s. "
                    "Check the date."
                )
                % {"date": row.sent_on.isoformat()}
            )
        row.received_on = received_on
        return from_row(RecordsRequestLog, row)
