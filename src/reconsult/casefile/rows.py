"""Change one row of a stored case (a photo, a letter) without rewriting the whole case.

``case_store.save_case`` replaces every row of a case, which is right for an
edit of the whole case but would copy every stored photo to add one more.
These helpers let a change touch only its own row, inside one transaction
that first locks the case row, so two changes to the same case (two browser
tabs, a page and the command line) wait for each other instead of racing
past a limit.
"""

from __future__ import annotations

import datetime as dt
import secrets

from annotated_types import MaxLen
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from reconsult.casefile.schema import CaseFileData
from reconsult.casefile.tables import CaseRow
from reconsult.errors import CaseFileError
from reconsult.i18n import gettext as _

__all__ = ["lock_case", "max_items", "new_id", "next_position", "no_case"]


def new_id() -> str:
    """Return a fresh, unguessable id (128 random bits) for a case or anything in it.

    Never starts with "-", so the command line never mistakes an id for an
    option (``reconsult case photo remove CASE -G3x...`` would fail).
    """
    while (token := secrets.token_urlsafe(16)).startswith("-"):
        pass
    return token


def no_case(case_id: str) -> CaseFileError:
    """The error for a case id that is not (or no longer) stored."""
    return CaseFileError(_("There is no case with id %(id)s.") % {"id": repr(case_id)})


def lock_case(session: Session, case_id: str) -> CaseRow:
    """Return the case row, locked for this transaction (PostgreSQL), or raise CaseFileError.

    SQLite has no row locks; its single writer serialises the transactions.
    The case's ``updated_at`` is set to now, so the change shows in the list.
    """
    row = session.scalars(
        select(CaseRow).where(CaseRow.id == case_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise no_case(case_id)
    row.updated_at = dt.datetime.now(dt.UTC)
    return row


def next_position(
    session: Session,
    position: InstrumentedAttribute[int],
    case: InstrumentedAttribute[str],
    case_id: str,
) -> tuple[int, int]:
    """Return (how many rows the case has in this table, the position after the last one)."""
    count, last = session.execute(
        select(func.count(), func.max(position)).where(case == case_id)
    ).one()
    return count, (-1 if last is None else last) + 1


def max_items(field: str) -> int:
    """Return how many items ``CaseFileData.<field>`` may hold (its schema's max_length).

    Adding past it would store a case that no longer loads, so adders check it.
    """
    for rule in CaseFileData.model_fields[field].metadata:
        if isinstance(rule, MaxLen):
            return rule.max_length
    raise LookupError(f"CaseFileData.{field} has no max_length")
