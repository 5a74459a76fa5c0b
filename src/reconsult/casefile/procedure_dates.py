"""How long ago a procedure can have been: the assessment's own limit, checked where it is typed.

The assessment counts the days since a procedure up to the limit of
``Case.days_since_procedure`` (36,500 days, about 100 years). A date before
that cannot be assessed: it used to be accepted and then fail on the next
page or the next note (issue 14). So every place a procedure date is entered
(the guided questions, the case form, the command line through
:func:`reconsult.casefile.repository.update_case`) refuses it there, saying
the earliest date it accepts. The limit is read from the model, so the two
cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from reconsult.casefile.schema import CaseFileData
from reconsult.errors import CaseFileError
from reconsult.i18n import gettext as _
from reconsult.i18n import long_date
from reconsult.triage.models import Case

__all__ = [
    "MAX_DAYS_SINCE_PROCEDURE",
    "check_new_procedure_dates",
    "days_since_procedure",
    "earliest_procedure_date",
    "too_early_message",
]


def _days_limit() -> int:
    """Return the largest ``days_since_procedure`` the triage model accepts."""
    for constraint in Case.model_fields["days_since_procedure"].metadata:
        limit = getattr(constraint, "le", None)
        if isinstance(limit, int):
            return limit
    raise RuntimeError("Case.days_since_procedure has no upper limit")  # pragma: no cover


MAX_DAYS_SINCE_PROCEDURE: Final = _days_limit()


def days_since_procedure(performed_on: dt.date | None, day: dt.date) -> int | None:
    """Return the days from the procedure to ``day``, as the assessment takes them.

    None when the date is unknown or after ``day``. A date kept before this
    check existed, or one that passes the limit as the years go by, counts as
    the limit (about 100 years): never a failed page.
    """
    if performed_on is None or day < performed_on:
        return None
    return min((day - performed_on).days, MAX_DAYS_SINCE_PROCEDURE)


def earliest_procedure_date(today: dt.date) -> dt.date:
    """Return the earliest procedure date that can be assessed on ``today``."""
    return today - dt.timedelta(days=MAX_DAYS_SINCE_PROCEDURE)


def too_early_message(today: dt.date, subject: str = "The date") -> str:
    """Say, for the person, which procedure dates are accepted (the error for an earlier one).

    ``subject`` is "The date" (a date box on a form) or "The date of the procedure"; the
    message is in the current language.
    """
    earliest = long_date(earliest_procedure_date(today))
    if subject == "The date of the procedure":
        return _("The date of the procedure must be %(date)s or later. Check the year") % {
            "date": earliest
        }
    if subject == "The date":
        return _("The date must be %(date)s or later. Check the year") % {"date": earliest}
    return _("%(subject)s must be %(date)s or later. Check the year") % {
        "subject": subject,
        "date": earliest,
    }


def check_new_procedure_dates(before: CaseFileData, after: CaseFileData, today: dt.date) -> None:
    """Raise CaseFileError if a procedure added or re-dated in ``after`` is too long ago.

    Only dates that are new or changed are checked: a case already holding an
    older date (kept before this check existed) can still be changed otherwise.
    """
    kept = {(p.id, p.performed_on) for p in before.procedures}
    earliest = earliest_procedure_date(today)
    for procedure in after.procedures:
        when = procedure.performed_on
        if when is not None and when < earliest and (procedure.id, when) not in kept:
            raise CaseFileError(f"{too_early_message(today, 'The date of the procedure')}.")
