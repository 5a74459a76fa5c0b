"""``reconsult case note``: write what you notice today, and get it checked at once.

Every note is assessed, so a note that describes an emergency always prints
the emergency message. An assessment needs the procedure the note is about:
``--procedure`` takes its id or its code (``filler_hyaluronic_acid``), and a
case with one procedure needs neither. A sign an earlier note left open holds
the answer until the person says what happened to it (``--seen``, ``--gone``,
``--mistake``; asked in a terminal), see :mod:`reconsult.cli.case_open_findings`.
When the choice is unclear, the message lists the case's procedures and how
to name each, and nothing is saved; a blank note is refused the way the web journal form refuses it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from reconsult.cli.case_input import CaseId, database, fail

if TYPE_CHECKING:
    from reconsult.casefile.schema import CaseFileData, ProcedureRecord

__all__ = ["note_command", "which_procedure"]


def _how_to_name(case: CaseFileData, procedures: list[ProcedureRecord]) -> str:
    """List procedures as `--procedure X (when, who)`: by code, or by id if the code repeats."""
    from reconsult.i18n import gettext as _

    codes = [p.procedure.value for p in case.procedures]
    named = []
    for p in procedures:
        name = p.procedure.value if codes.count(p.procedure.value) == 1 else p.id
        facts = [p.performed_on.isoformat() if p.performed_on else _("date unknown")]
        facts += [p.provider_name] if p.provider_name else []
        named.append(f"--procedure {name} ({', '.join(facts)})")
    # Translators: between ways to name a procedure: "--procedure a (...) or --procedure b (...)".
    return (" " + _("or") + " ").join(named)


def which_procedure(case: CaseFileData, chosen: str | None) -> ProcedureRecord:
    """Return the procedure a note is about, or fail saying which the case has and how to choose.

    ``chosen`` is a procedure's id or code, or None: then the case's only procedure.
    """
    from reconsult.i18n import gettext as _

    procedures = case.procedures
    if not procedures:
        from reconsult.knowledge import load_knowledge

        raise fail(
            _(
                "this case has no procedure yet, so your note cannot be checked, and it was not "
                "saved. Add the procedure first: reconsult case add-procedure "
                "%(id)s --procedure CODE --on YYYY-MM-DD, then write your note again. "
                "If you feel very unwell now: %(numbers)s"
            )
            % {"id": case.id, "numbers": load_knowledge().policy.emergency_numbers}
        )
    if chosen is None:
        if len(procedures) == 1:
            return procedures[0]
        raise fail(
            _("this case has %(num)d procedures. Say which one your note is about: %(ways)s.")
            % {"num": len(procedures), "ways": _how_to_name(case, procedures)}
        )
    by_id = [p for p in procedures if p.id == chosen]
    by_code = [p for p in procedures if p.procedure.value == chosen]
    if len(by_id) == 1:
        return by_id[0]
    if len(by_code) == 1:
        return by_code[0]
    if by_code:
        raise fail(
            _(
                "this case has %(num)d %(code)s procedures. Say which one your note is "
                "about: %(ways)s."
            )
            % {"num": len(by_code), "code": chosen, "ways": _how_to_name(case, by_code)}
        )
    from reconsult.knowledge.schema import ProcedureCode

    ways = _how_to_name(case, procedures)
    if chosen in {c.value for c in ProcedureCode}:
        raise fail(
            _(
                "this case has no procedure %(quoted)s. Add it first (reconsult case "
                "add-procedure %(id)s --procedure %(code)s), or say which one your note is "
                "about: %(ways)s."
            )
            % {"quoted": repr(chosen), "id": case.id, "code": chosen, "ways": ways}
        )
    raise fail(
        _("this case has no procedure %(quoted)s. Say which one your note is about: %(ways)s.")
        % {"quoted": repr(chosen), "ways": ways}
    )


def note_command(
    case_id: CaseId,
    text: Annotated[str, typer.Argument(help="What you notice, in your own words.")],
    procedure: Annotated[
        str | None,
        typer.Option(
            "--procedure",
            help="Which procedure it is about: its code (e.g. rhinoplasty) or its id. "
            "Not needed if the case has only one.",
        ),
    ] = None,
    seen: Annotated[
        list[str] | None,
        typer.Option("--seen", help="A sign from an earlier note was seen and treated (its code)."),
    ] = None,
    gone: Annotated[
        list[str] | None,
        typer.Option("--gone", help="A sign from an earlier note went away by itself (its code)."),
    ] = None,
    mistake: Annotated[
        list[str] | None,
        typer.Option("--mistake", help="A sign from an earlier note was written by mistake."),
    ] = None,
    treated_by: Annotated[
        str, typer.Option("--treated-by", help="With --seen: who treated it.")
    ] = "",
    treated_on: Annotated[
        str | None, typer.Option("--treated-on", help="With --seen: when, as YYYY-MM-DD.")
    ] = None,
    ask: Annotated[
        bool | None,
        typer.Option(
            "--ask/--no-ask",
            help="Ask what happened to each sign still open from an earlier note. "
            "The default: ask when typing in a terminal.",
        ),
    ] = None,
) -> None:
    """Add a journal entry for today, check it, and print how soon to act.

    A worrying sign told in an earlier note stays open until you say what
    happened to it; until then the answer is at least as urgent as it was.
    """
    import sys

    from reconsult.casefile.notes import note_text
    from reconsult.casefile.open_findings import holding_for
    from reconsult.casefile.repository import add_journal_entry, load_case
    from reconsult.cli.case_open_findings import ask_closings, closings_from_flags, show_holding
    from reconsult.errors import CaseFileError
    from reconsult.i18n import gettext as _
    from reconsult.i18n import long_date
    from reconsult.knowledge import load_knowledge

    try:
        words = note_text(text)
    except CaseFileError as exc:
        raise fail(
            _('%(problem)s For example: reconsult case note %(id)s "My lip is lumpy."')
            % {"problem": exc, "id": case_id}
        ) from exc
    today = dt.date.today()
    closings = closings_from_flags(
        seen or [], gone or [], mistake or [], treated_by.strip(), treated_on, today
    )
    db = database()
    case = load_case(db, case_id)
    if case is None:
        raise fail(_("there is no case with id %(id)s") % {"id": repr(case_id)})
    chosen = which_procedure(case, procedure)
    kb = load_knowledge()
    holding = holding_for(kb, case, today)
    if ask if ask is not None else sys.stdin.isatty():
        closings = ask_closings(kb, holding, closings, today)
    try:
        entry = add_journal_entry(
            db,
            case_id,
            text=words,
            written_on=today,
            procedure_id=chosen.id,
            knowledge=kb,
            closings=closings,
        )
    except CaseFileError as exc:
        still = ", ".join(f.raised.finding for f in holding) or _("none")
        raise fail(
            _("%(problem)s Still open: %(codes)s. Your note was not saved.")
            % {"problem": exc, "codes": still}
        ) from exc
    from reconsult.knowledge.schema import Urgency

    policy = kb.policy
    if entry.urgency is None:  # never: a procedure was chosen, so the note was assessed
        raise fail(
            _("your note was saved but could not be checked. %(numbers)s")
            % {"numbers": policy.emergency_numbers}
        )
    advice = policy.urgency(entry.urgency)
    typer.echo(f"{advice.label.upper()}: {entry.headline}")
    typer.echo(advice.detail)
    if entry.urgency in (Urgency.emergency, Urgency.urgent):
        typer.echo(policy.emergency_numbers)
    if entry.reassess_on is not None:
        typer.echo(_("Look again on %(date)s.") % {"date": long_date(entry.reassess_on)})
    typer.echo(
        _("Your note is saved with today's date (%(date)s).")
        % {"date": entry.written_on.isoformat()}
    )
    after = load_case(db, case_id)
    held = holding_for(kb, after, today) if after is not None else []
    show_holding(kb, [f for f in held if f.entry.id != entry.id])  # from earlier notes only
