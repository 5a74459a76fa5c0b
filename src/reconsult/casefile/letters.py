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
WHERE_YOU_LIVE = "where you live"


def missing_details(case: CaseFileData) -> list[str]:
    """Name what a letter needs from the case that it does not hold yet ([] when complete)."""
    needed = (
        ("your full name", case.person_name),
        ("your date of birth", case.date_of_birth),
        (WHERE_YOU_LIVE, case.jurisdiction),
    )
    return [what for what, value in needed if not value]


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
    missing = missing_details(case)
    if missing or born is None:
        where = f"where you live ({_or(load_knowledge().records_access.jurisdiction_codes)}; "
        where += "it decides which law the letter cites)"
        named = [where if m == WHERE_YOU_LIVE else m for m in missing]
        raise CaseFileError(f"Before making a letter, add to your case: {_and(named)}.")
    chosen = _chosen(case, procedure_ids)
    first = chosen[0]
    provider = first.provider_name or first.practice_name
    if not provider:
        raise CaseFileError(
            "Add who did the procedure (the provider or the practice) first: "
            "the letter is addressed to them."
        )
    for p in chosen:
        if p.performed_on is not None and p.performed_on < born:
            raise CaseFileError(
                f"The date of a procedure ({p.performed_on.isoformat()}) is before your date "
                "of birth. Check both dates in your case."
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
        raise CaseFileError("Choose the procedure, or procedures, the letter asks about.")
    by_id = {p.id: p for p in case.procedures}
    chosen = []
    for procedure_id in dict.fromkeys(procedure_ids):
        if procedure_id not in by_id:
            raise CaseFileError("Choose one of the procedures in this case.")
        chosen.append(by_id[procedure_id])
    places = dict.fromkeys((_folded(p.provider_name), _folded(p.practice_name)) for p in chosen)
    if len(places) > 1:
        named = "; ".join(
            dict.fromkeys(
                " at ".join(x for x in (p.provider_name, p.practice_name) if x) or "not named"
                for p in chosen
            )
        )
        raise CaseFileError(
            f"These procedures were done by different providers or practices ({named}). "
            "Make one letter per practice: choose only the procedures done there."
        )
    return chosen


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _given(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _and(items: list[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _or(items: tuple[str, ...]) -> str:
    return _and(list(items), "or")


_LABELS = {
    "full_name": "Your name",
    "date_of_birth": "Your date of birth",
    "address": "Your address",
    "phone": "Your phone number",
    "email": "Your email address",
    "patient_number": "Your patient number",
    "jurisdiction": "Where you live",
    "provider_name": "The provider's name",
    "practice_name": "The practice's name",
    "practice_address": "The practice's address",
    "procedures": "A procedure",
    "recipient": "The new provider's name or address",
}
_PATTERN_HELP = {
    "phone": "Your phone number can only have digits, spaces and + ( ) - . / x.",
    "email": "Your email address does not look like one. It should look like name@example.com.",
}


def letter_error(exc: ValidationError) -> CaseFileError:
    """Turn a RecordsRequestInput validation error into a CaseFileError a person can act on."""
    error: ErrorDetails = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    label = _LABELS.get(field, "The letter")
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind in ("missing", "string_too_short", "too_short"):
        message = f"{label} is missing or too short."
    elif kind == "string_too_long":
        message = f"{label} is too long. Keep it under {context.get('max_length')} characters."
    elif kind == "string_pattern_mismatch":
        message = _PATTERN_HELP.get(
            field, f"{label} has a character a letter cannot hold, such as a tab. Type it again."
        )
    elif kind == "value_error":  # our own validators: words already meant for people
        reason = str(context.get("error") or error["msg"])
        message = reason[:1].upper() + reason[1:] + "."
    else:
        message = f"{label}: {error['msg']}."
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
                f"This case already holds {count} records requests, the most it can keep."
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
            raise CaseFileError(f"There is no records request with id {request_id!r} in this case.")
        if received_on < row.sent_on:
            raise CaseFileError(
                f"The records cannot have arrived before you asked for them on "
                f"{row.sent_on.isoformat()}. Check the date."
            )
        row.received_on = received_on
        return from_row(RecordsRequestLog, row)
