"""What the ``reconsult case ...`` commands share: the database, one-line failures, dates, ids.

Errors are one plain line on standard error, starting "reconsult: ", and exit status 1,
in the language of the command (``reconsult --lang``): callers translate their messages.
``reconsult.i18n`` is imported inside the functions that speak, so that ``reconsult --help``
starts without it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from reconsult.storage import Database

__all__ = ["CaseId", "PhotoId", "database", "fail", "past_date"]


def database() -> Database:
    """Open the database the settings name (migrating it if needed)."""
    from reconsult.settings import Settings
    from reconsult.storage import open_database

    return open_database(Settings().resolved_database_url())


def fail(message: str) -> typer.Exit:
    """Print one plain line to standard error and return the exit (status 1) to raise."""
    typer.echo(f"reconsult: {message}", err=True)
    return typer.Exit(1)


def past_date(text: str, too_late: str) -> dt.date:
    """Read a YYYY-MM-DD date that is today or earlier, or fail with one plain line.

    ``too_late`` is the whole (translated) sentence for a day after today, such as
    "your date of birth must be today or in the past".
    """
    from reconsult.i18n import gettext as _

    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise fail(
            _("the date must look like 2026-03-27, not %(text)s") % {"text": repr(text)}
        ) from exc
    if day > dt.date.today():
        raise fail(too_late)
    return day


CaseId = Annotated[str, typer.Argument(help="The case's id (see `reconsult case list`).")]
PhotoId = Annotated[str, typer.Argument(help="The photo's id (see `reconsult case photo list`).")]
