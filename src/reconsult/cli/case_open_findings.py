"""What ``reconsult case note`` says and asks about signs told in earlier notes (issue 15).

An earlier note's worrying sign stays open until the person says what became
of it; until then (and until it is stale) it holds the next answer at its
level. ``case note`` prints each one that holds, with the words and the day it
was told, and takes the answer as ``--seen CODE``, ``--gone CODE`` or
``--mistake CODE``; in a terminal it asks. The question and the choices are
the knowledge base's (policy ``open_findings``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

from reconsult.cli.case_input import fail, past_date

if TYPE_CHECKING:
    from reconsult.casefile.open_findings import OpenFinding
    from reconsult.casefile.schema import Closing
    from reconsult.knowledge import Knowledge

__all__ = ["ask_closings", "closings_from_flags", "show_holding"]


def show_holding(kb: Knowledge, holding: list[OpenFinding]) -> None:
    """Print each open finding that holds the answer: what, when, the words, the question."""
    from reconsult.i18n import gettext as _
    from reconsult.i18n import long_date

    if not holding:
        return
    policy = kb.policy.open_findings
    typer.echo(_("Still open from an earlier note:"))
    for found in holding:
        code = found.raised.finding
        told = _("%(sign)s (%(code)s), told on %(date)s: “%(words)s”") % {
            "sign": kb.findings[code].label,
            "code": code,
            "date": long_date(found.entry.written_on),
            "words": found.raised.words,
        }
        typer.echo(f"  {told}")
    typer.echo(policy.question)
    codes = " ".join(f.raised.finding for f in holding)
    typer.echo(
        _("Say what happened with --seen CODE, --gone CODE or --mistake CODE (%(codes)s).")
        % {"codes": codes}
    )


def closings_from_flags(
    seen: list[str],
    gone: list[str],
    mistake: list[str],
    treated_by: str,
    treated_on: str | None,
    today: dt.date,
) -> dict[str, Closing]:
    """Return the closings the options give, or fail on a code named twice or a bad date."""
    from reconsult.casefile.schema import Closing
    from reconsult.i18n import gettext as _
    from reconsult.knowledge.schema import ClosingChoice

    if (treated_by or treated_on) and not seen:
        raise fail(_("--treated-by and --treated-on go with --seen CODE"))
    when = (
        past_date(treated_on, _("--treated-on must be today or in the past"))
        if treated_on
        else None
    )
    closings: dict[str, Closing] = {}
    for how, codes in ((ClosingChoice.seen, seen), (ClosingChoice.gone, gone)):
        for code in codes:
            _once(closings, code)
            extra = (
                {"treated_by": treated_by, "treated_on": when} if how is ClosingChoice.seen else {}
            )
            closings[code] = Closing(how=how, said_on=today, **extra)
    for code in mistake:
        _once(closings, code)
        closings[code] = Closing(how=ClosingChoice.mistake, said_on=today)
    return closings


def _once(closings: dict[str, Closing], code: str) -> None:
    from reconsult.i18n import gettext as _

    if code in closings:
        raise fail(_("%(code)s is named twice: say once what happened to it") % {"code": code})


def ask_closings(
    kb: Knowledge, holding: list[OpenFinding], given: dict[str, Closing], today: dt.date
) -> dict[str, Closing]:
    """Ask, in a terminal, what happened to each holding finding the options did not close."""
    from reconsult.casefile.schema import Closing
    from reconsult.i18n import gettext as _
    from reconsult.i18n import long_date
    from reconsult.knowledge.schema import ClosingChoice

    policy = kb.policy.open_findings
    closings = dict(given)
    offered = [*ClosingChoice, None]
    for found in holding:
        code = found.raised.finding
        if code in closings:
            continue
        typer.echo(
            _("On %(date)s you wrote: “%(words)s” (%(sign)s).")
            % {
                "date": long_date(found.entry.written_on),
                "words": found.raised.words,
                "sign": kb.findings[code].label,
            }
        )
        typer.echo(policy.question)
        for number, choice in enumerate(offered, start=1):
            words = policy.still_open if choice is None else policy.choices[choice]
            typer.echo(f"  {number}  {words}")
        how = offered[_ask_number(len(offered)) - 1]
        if how is None:
            continue
        if how is ClosingChoice.seen:
            who = typer.prompt(_("Who treated it? (Enter to skip)"), default="", show_default=False)
            when = _ask_date(today)
            closings[code] = Closing(how=how, said_on=today, treated_by=who, treated_on=when)
        else:
            closings[code] = Closing(how=how, said_on=today)
    return closings


def _ask_number(last: int) -> int:
    """Ask for a number from 1 to ``last`` (Enter: the last) until one is given."""
    from reconsult.i18n import gettext as _

    while True:
        picked = typer.prompt(_("Choose 1-%(last)d") % {"last": last}, default=str(last)).strip()
        if picked.isdecimal() and 1 <= int(picked) <= last:
            return int(picked)
        typer.echo(_("Type a number from 1 to %(last)d.") % {"last": last})


def _ask_date(today: dt.date) -> dt.date | None:
    """Ask when it was treated (YYYY-MM-DD, today or earlier) until the answer is usable."""
    from reconsult.i18n import gettext as _

    while True:
        text = typer.prompt(
            _("When was it treated? YYYY-MM-DD (Enter to skip)"), default="", show_default=False
        ).strip()
        if not text:
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            typer.echo(_("The date must look like %(example)s.") % {"example": today.isoformat()})
            continue
        if day > today:
            typer.echo(_("The day it was treated must be today or earlier."))
            continue
        return day
