"""The interactive assessment: a few questions, then the answer. Plain words throughout.

The day of the procedure may be given as a number of days, a date
(2026-11-01) or in words ("today", "2 hours ago", "yesterday", "3 weeks ago",
"last Tuesday"), read by the same time reader as the person's description
(``triage.timing``), so the two never disagree; hours ago is today.

After the words, unless they already show an emergency, it asks the danger
questions for this procedure and stage of healing ("Is any of this happening
now?", ``triage.danger_questions``), less the signs the words already report or
deny, as the web journey does. The answers go into ``Case.signs``. If the input
ends there (a script piping the older three answers), the answer comes from the
words alone, as before, and says so.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import ValidationError
from rich.console import Console
from rich.prompt import Prompt

from reconsult.cli.render import print_assessment
from reconsult.i18n import gettext as _
from reconsult.i18n import ngettext
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.schema import DangerQuestion, Urgency
from reconsult.triage import assess
from reconsult.triage.danger_questions import questions_left
from reconsult.triage.models import Case, ProcedureCode
from reconsult.triage.timing import days_from_words
from reconsult.triage.understand import normalise, reader_for

MOST_DAYS = 36500  # as Case.days_since_procedure allows


def _ask_procedure(console: Console, names: list[tuple[str, str]]) -> str:
    """Ask which procedure, by number; repeat until the answer is one of the list."""
    console.print("\n[bold]" + _("Which treatment did you have?") + "[/bold]")
    for number, (_code, name) in enumerate(names, start=1):
        console.print(f"  {number:>2}. {name}")
    while True:
        answer = Prompt.ask(_("Type the number"), console=console).strip()
        if answer.isdecimal() and 1 <= int(answer) <= len(names):
            return names[int(answer) - 1][0]
        again = _("Please type a number from 1 to %(last)d.") % {"last": len(names)}
        console.print(f"[red]{again}[/red]")


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
        if answer.isdecimal() and int(answer) <= most:
            return int(answer)
        console.print(f"[red]{hint}[/red]")


def days_ago(answer: str, today: dt.date, kb: Knowledge) -> int | None:
    """Read how many days ago: "10", "2026-11-01" or words; None if it cannot be read.

    A date after ``today`` gives a negative number, for the caller to refuse.
    """
    text = answer.strip()
    if text.isdecimal():
        return int(text)
    try:
        return (today - dt.date.fromisoformat(text)).days
    except ValueError:
        pass
    nlp = reader_for(kb).nlp  # tokenised as the description is (triage.understand)
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(normalise(text)))
    found = days_from_words(doc, list(doc.sents), today)
    return None if found is None else found.days


def _ask_days(console: Console, today: dt.date, kb: Knowledge) -> int | None:
    """Ask how long ago, in days or words; empty means not sure."""
    while True:
        answer = Prompt.ask(
            "\n[bold]"
            + _("How long ago was it?")
            + "[/bold] "
            + _(
                "Type a number of days, or words like today, yesterday or 3 weeks ago "
                "(press Enter if you are not sure)"
            ),
            default="",
            show_default=False,
            console=console,
        ).strip()
        if not answer:
            return None
        days = days_ago(answer, today, kb)
        if days is not None and 0 <= days <= MOST_DAYS:
            if not answer.isdecimal():
                console.print(_that_is(days))
            return days
        if days is not None and days < 0:
            future = _("That day is still to come. Please type a day in the past.")
            console.print(f"[red]{future}[/red]")
            continue
        unread = _(
            "Please type a number of days, like 10, or words like yesterday or "
            "3 weeks ago, or press Enter if you are not sure."
        )
        console.print(f"[red]{unread}[/red]")


def _that_is(days: int) -> str:
    """Say back the day read from words: "That is yesterday, 1 day ago." """
    if days == 0:
        return _("That is today.")
    if days == 1:
        return _("That is yesterday, 1 day ago.")
    return ngettext("That is %(num)d day ago.", "That is %(num)d days ago.", days) % {"num": days}


def _ask_revisions(console: Console) -> int:
    """Ask how many corrective procedures there were before on the same area."""
    answer = _ask_number(
        console,
        "\n[bold]" + _("How many times has this area been corrected before?") + "[/bold]",
        default="0",
        most=50,
        hint=_("Please type a whole number, like 0 or 1."),
    )
    return answer or 0


def _ask_words(console: Console) -> str:
    """Ask what is happening, in the person's own words; never empty."""
    while True:
        answer = Prompt.ask(
            "\n[bold]" + _("What is happening?") + "[/bold] " + _("Tell us in your own words"),
            console=console,
        ).strip()
        if answer:
            return answer[:10_000]
        console.print("[red]" + _("Please tell us a little about what you notice.") + "[/red]")


# "None of these", in English and in Spanish ("0" is asked for; the words are also read).
NONE_WORDS = frozenset({"0", "none", "no", "n", "ninguno", "ninguna", "nada"})


def read_ticks(answer: str, count: int) -> tuple[list[int] | None, str | None]:
    """Read "2 5", "2,5" or "0"/"none": return the numbers ticked ([] for none), or why not."""
    words = [w for w in re.split(r"[\s,;]+", answer.strip().lower()) if w]
    if not words:
        return None, _("Please type the numbers of any that are happening now, or 0 for none.")
    if all(w in NONE_WORDS for w in words):
        return [], None
    if any(w in NONE_WORDS for w in words):
        return None, _(
            "Type 0 for none of these, or the numbers of the ones happening now, not both."
        )
    if not all(w.isdecimal() and 1 <= int(w) <= count for w in words):
        return None, _("Please type numbers from 1 to %(last)d, or 0 for none of these.") % {
            "last": count
        }
    return sorted({int(w) for w in words}), None


def _ask_danger_signs(console: Console, questions: list[DangerQuestion]) -> dict[str, bool] | None:
    """Ask "Is any of this happening now?"; return each sign's answer, or None if input ended."""
    console.print(
        "\n[bold]"
        + _("Is any of this happening now?")
        + "[/bold] "
        + _("Some of these need help straight away.")
    )
    for number, question in enumerate(questions, start=1):
        console.print(f"  {number:>2}. {question.question}")
    console.print("   0. " + _("None of these"))
    while True:
        try:
            answer = Prompt.ask(
                _("Type the numbers of any that are happening now (like 2 5), or 0 for none"),
                console=console,
            )
        except EOFError:
            return None
        ticked, problem = read_ticks(answer, len(questions))
        if ticked is not None:
            chosen = {questions[n - 1].code for n in ticked}
            return {q.code: q.code in chosen for q in questions}
        console.print(f"[red]{problem}[/red]")


def interview(console: Console, today: dt.date) -> None:
    """Ask the questions, then the danger questions unless the words show an emergency."""
    kb = load_knowledge()
    welcome = _(
        "%(reconsult)s helps you find the safe next step after a cosmetic procedure. "
        "It does not diagnose."
    ) % {"reconsult": "[bold]reconsult[/bold]"}
    unwell = _("If you feel very unwell now: %(numbers)s") % {
        "numbers": kb.policy.emergency_numbers
    }
    console.print(f"{welcome}\n[bold red]{unwell}[/bold red]")
    procedure = _ask_procedure(console, [(p.code, p.name) for p in kb.procedures.values()])
    days = _ask_days(console, today, kb)
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
        sorry = _("Sorry, we could not read that: %(problem)s") % {
            "problem": exc.errors()[0]["msg"]
        }
        console.print(f"[red]{sorry}[/red]")
        return
    answer = assess(case, today, kb)
    if answer.urgency is not Urgency.emergency:
        questions = questions_left(kb, procedure, days, answer.findings)
        signs = _ask_danger_signs(console, questions) if questions else {}
        if signs is None:
            alone = _(
                "You did not answer the danger questions, so this answer comes "
                "from your words alone."
            )
            console.print(f"\n[yellow]{alone}[/yellow]")
        elif signs:
            answer = assess(case.model_copy(update={"signs": signs}), today, kb)
    console.print()
    print_assessment(console, answer)
