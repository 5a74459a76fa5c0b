"""What a person checked about a provider, kept with their case: check, add, change, remove.

The checklist and the red flags belong to the knowledge base
(``providers.yaml``). A record added or changed here may only name check and
red-flag ids the knowledge base has; an unknown id is refused with the ids
that are allowed. A case imported from a file keeps what it holds, even an id
a later knowledge base no longer has, so an import never loses a record; such
an id stays as it was when the record is changed.

Like letters, a record is one row: adding, changing or removing it locks the
case and touches only that row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reconsult.casefile.mapping import column_values, from_row, to_row
from reconsult.casefile.rows import lock_case, max_items, next_position
from reconsult.casefile.schema import CaseFileData, CheckItem, CheckResult, ProviderCheck
from reconsult.casefile.tables import ProviderCheckRow
from reconsult.errors import CaseFileError
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.knowledge.provider_content import RedFlag, VettingCheck
from reconsult.storage import Database

__all__ = [
    "add_provider_check",
    "change_provider_check",
    "check_items",
    "checklist",
    "red_flags",
    "remove_provider_check",
    "unknown_ids",
    "vetting_problems",
]


def _codes(procedure: str | None, case: CaseFileData | None) -> list[str | None]:
    """The procedures a checklist is for: the one named, else the case's, else every one."""
    if procedure is not None:
        return [procedure]
    codes = list(dict.fromkeys(p.procedure.value for p in case.procedures)) if case else []
    return list(codes) or [None]


def checklist(
    kb: Knowledge, procedure: str | None, case: CaseFileData | None = None
) -> list[VettingCheck]:
    """Return the checks to show, in the knowledge base's order.

    For ``procedure`` when it is given; otherwise for every procedure in the
    case (a check that fits any of them); with neither, the whole checklist.
    """
    wanted = {c.id for code in _codes(procedure, case) for c in kb.checks_for(code)}
    return [c for c in kb.providers.checks if c.id in wanted]


def red_flags(
    kb: Knowledge, procedure: str | None, case: CaseFileData | None = None
) -> list[RedFlag]:
    """Return the red flags to ask about, chosen like :func:`checklist`, at every moment."""
    wanted = {f.id for code in _codes(procedure, case) for f in kb.red_flags_for(code)}
    return [f for f in kb.providers.red_flags if f.id in wanted]


def check_items(
    shown: Iterable[str],
    results: Mapping[str, CheckResult],
    found: Mapping[str, str] | None = None,
) -> list[CheckItem]:
    """Return an item for each check shown (not checked unless ``results`` says otherwise).

    A check in ``results`` but not shown is added after them, so nothing the
    person named is dropped; an unknown id is kept for :func:`vetting_problems`
    to refuse.
    """
    found = found or {}
    ids = list(dict.fromkeys([*shown, *results]))
    return [
        CheckItem(
            check=check,
            result=results.get(check, CheckResult.not_checked),
            found=found.get(check, ""),
        )
        for check in ids
    ]


def _unknown(what: str, ids: Iterable[str], allowed: list[str]) -> str:
    """Say that no check (``what`` "check") or red flag ("red flag") has these ids."""
    values = {"names": ", ".join(repr(i) for i in ids), "allowed": ", ".join(allowed)}
    if what == "check":
        return _("There is no check called %(names)s. Use one of: %(allowed)s.") % values
    return _("There is no red flag called %(names)s. Use one of: %(allowed)s.") % values


def unknown_ids(
    kb: Knowledge,
    checks: Iterable[str],
    flags: Iterable[str],
    *,
    kept: ProviderCheck | None = None,
) -> list[str]:
    """Name the check and red-flag ids the knowledge base does not have, with those it has.

    Ids ``kept`` (the record as stored before a change) already held are
    accepted, so an imported record with an id the knowledge base has since
    dropped can still be changed.
    """
    problems = []
    allowed = [c.id for c in kb.providers.checks]
    known = {*allowed, *(i.check for i in kept.items)} if kept else set(allowed)
    unknown = list(dict.fromkeys(c for c in checks if c not in known))
    if unknown:
        problems.append(_unknown("check", unknown, allowed))
    allowed = [f.id for f in kb.providers.red_flags]
    known = {*allowed, *kept.red_flags} if kept else set(allowed)
    unknown = list(dict.fromkeys(f for f in flags if f not in known))
    if unknown:
        problems.append(_unknown("red flag", unknown, allowed))
    return problems


def vetting_problems(
    record: ProviderCheck,
    kb: Knowledge,
    *,
    today: dt.date | None = None,
    kept: ProviderCheck | None = None,
) -> list[str]:
    """Return what is wrong with ``record`` for this knowledge base ([] when nothing is).

    Unknown check or red-flag ids are named with the ids allowed (see
    :func:`unknown_ids`, which ``kept`` is passed to). ``today`` refuses a
    date in the future.
    """
    checks = [i.check for i in record.items]
    problems = unknown_ids(kb, checks, record.red_flags, kept=kept)
    if today is not None and record.checked_on > today:
        problems.append(_("The date you checked must be today or in the past."))
    return problems


def _refuse_problems(
    record: ProviderCheck, kb: Knowledge, today: dt.date, kept: ProviderCheck | None = None
) -> None:
    problems = vetting_problems(record, kb, today=today, kept=kept)
    if problems:
        raise CaseFileError(" ".join(problems))


def add_provider_check(
    db: Database, case_id: str, record: ProviderCheck, *, knowledge: Knowledge, today: dt.date
) -> ProviderCheck:
    """Check ``record`` against the knowledge base and keep it with the case, last."""
    _refuse_problems(record, knowledge, today)
    with db.session() as session:
        lock_case(session, case_id)
        count, position = next_position(
            session, ProviderCheckRow.position, ProviderCheckRow.case_id, case_id
        )
        if count >= max_items("provider_checks"):
            raise CaseFileError(
                _(
                    "This case already holds %(count)s provider checks, the most it can keep. "
                    "Remove one you no longer need first."
                )
                % {"count": count}
            )
        session.add(to_row(record, ProviderCheckRow, case_id=case_id, position=position))
    return record


def _row(session: Session, case_id: str, check_id: str) -> ProviderCheckRow | None:
    return session.scalars(
        select(ProviderCheckRow).where(
            ProviderCheckRow.case_id == case_id, ProviderCheckRow.id == check_id
        )
    ).one_or_none()


def _record(row: ProviderCheckRow) -> ProviderCheck:
    return from_row(ProviderCheck, row)


def change_provider_check(
    db: Database, case_id: str, record: ProviderCheck, *, knowledge: Knowledge, today: dt.date
) -> ProviderCheck:
    """Replace the stored record with the same id by ``record``; it keeps its place."""
    with db.session() as session:
        lock_case(session, case_id)
        row = _row(session, case_id, record.id)
        if row is None:
            raise CaseFileError(
                _("There is no provider check with id %(id)s in this case.")
                % {"id": repr(record.id)}
            )
        _refuse_problems(record, knowledge, today, kept=_record(row))
        for name, value in column_values(record).items():
            setattr(row, name, value)
    return record


def remove_provider_check(db: Database, case_id: str, check_id: str) -> bool:
    """Remove one provider check from the case; return whether it was there."""
    with db.session() as session:
        lock_case(session, case_id)
        result = session.execute(
            delete(ProviderCheckRow).where(
                ProviderCheckRow.case_id == case_id, ProviderCheckRow.id == check_id
            )
        )
        return bool(getattr(result, "rowcount", 0))
