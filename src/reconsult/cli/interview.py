"""The interactive assessment: three questions, then the answer. Plain words throughout."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from rich.console import Console
from rich.prompt import Prompt

from reconsult.cli.render import print_assessment
from reconsult.knowledge import load_knowledge
from reconsult.triage import assess
from reconsult.triage.models import Case, ProcedureCode


def _ask_procedure(console: Console, names: list[tuple[str, str]]) -> str:
    """Ask which procedure, by number; repeat until the answer is one of the list."""
    console.print("\n[bold]Which treatment did you have?[/bold]")
    for number, (_, name) in enumerate(names, start=1):
        console.print(f"  {number:>2}. {name}")
    while True:
        answer = Prompt.ask("Type the number", console=console).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(names):
            return names[int(answer) - 1][0]
        console.print(f"[red]Please type a number from 1 to {len(names)}.[/red]")


def _ask_number(
    console: Console, question: str, *, default: str, most: int, hint: str
) -> int | None:
    """Ask for a whole number from 0 to ``most``; an empty answer gives None."""
    while True:
        answer = Prompt.ask(
            question, default=default, show_default=bool(default), console=console
        ).strip()
        if not answer:
            return None
        if answer.isdigit() and int(answer) <= most:
            return int(answer)
        console.print(f"[red]{hint}[/red]")


def _ask_days(console: Console) -> int | None:
    """Ask how many days ago; empty means not sure."""
    return _ask_number(
        console,
        "\n[bold]How many days ago was it?[/bold] (press Enter if you are not sure)",
        default="",
        most=36500,
        hint="Please type a whole number of days, like 10, or press Enter.",
    )


def _ask_revisions(console: Console) -> int:
    """Ask how many corrective procedures there were before on the same area."""
    answer = _ask_number(
        console,
        "\n[bold]How many times has this area been corrected before?[/bold]",
        default="0",
        most=50,
        hint="Please type a whole number, like 0 or 1.",
    )
    return answer or 0


def _ask_words(console: Console) -> str:
    """Ask what is happening, in the person's own words; never empty."""
    while True:
        answer = Prompt.ask(
            "\n[bold]What is happening?[/bold] Tell us in your own words",
            console=console,
        ).strip()
        if answer:
            return answer[:10_000]
        console.print("[red]Please tell us a little about what you notice.[/red]")


def interview(console: Console, today: dt.date) -> None:
    """Ask the three questions and show the answer."""
    kb = load_knowledge()
    console.print(
        "[bold]reconsult[/bold] helps you find the safe next step after a cosmetic procedure. "
        "It does not diagnose.\n"
        f"[bold red]If you feel very unwell now: {kb.policy.emergency_numbers}[/bold red]"
    )
    procedure = _ask_procedure(console, [(p.code, p.name) for p in kb.procedures.values()])
    days = _ask_days(console)
    revisions = _ask_revisions(console)
    words = _ask_words(console)
    try:
        case = Case(
            procedure=ProcedureCode(procedure),
            days_since_procedure=days,
            prior_revisions=revisions,
            description=words,
        )
    except ValidationError as exc:  # pragma: no cover - the questions above validate first
        console.print(f"[red]Sorry, we could not read that: {exc.errors()[0]['msg']}[/red]")
        return
    console.print()
    print_assessment(console, assess(case, today, kb))
