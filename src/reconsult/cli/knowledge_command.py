"""``reconsult knowledge check|show``: validate and browse the clinical knowledge base."""

from __future__ import annotations

from typing import Annotated

import typer

from reconsult.cli.groups import CommandGroup

knowledge_app = typer.Typer(
    help="Check or show the clinical knowledge base.", no_args_is_help=True, cls=CommandGroup
)


@knowledge_app.command("check")
def check_command() -> None:
    """Validate every knowledge file and compile every phrasing; report problems."""
    from reconsult.errors import KnowledgeError
    from reconsult.knowledge import KNOWLEDGE_DIR, languages_written, load_knowledge
    from reconsult.triage.understand import reader_for

    try:
        kb = load_knowledge(language="en")
        unmatched = reader_for(kb).unmatched_cue_examples()
        if unmatched:
            raise KnowledgeError(
                "context_rules.yaml: a rule's example must be read by its own pattern:\n"
                + "\n".join(unmatched)
            )
        # Every language it is written in has every text people read (wording.py).
        written = languages_written(kb.directory or KNOWLEDGE_DIR)
        for language in written[1:]:
            load_knowledge(language=language)
    except KnowledgeError as exc:
        typer.echo(f"reconsult: the knowledge base is not valid:\n{exc}", err=True)
        raise typer.Exit(1) from exc
    rules = sum(len(f.rules) for f in kb.findings.values())
    phrasings = sum(len(f.phrasings) for f in kb.findings.values())
    typer.echo(
        f"Knowledge base {kb.version} is valid: {len(kb.procedures)} procedures, "
        f"{len(kb.findings)} findings with {phrasings} phrasings, {rules} rules, "
        f"{len(kb.options)} options, {len(kb.context_rules)} context rules, "
        f"{len(kb.danger_questions)} danger questions, {len(kb.sources)} sources; "
        f"read in {', '.join(kb.lexicon.languages)}; written in {', '.join(written)}."
    )


@knowledge_app.command("wording")
def wording_command(
    language: Annotated[str, typer.Argument(help="The language code, for example es.")],
) -> None:
    """Bring a language's texts (knowledge/<language>/wording.po) in step with the English.

    New English texts get an empty entry, edited ones keep their old translation marked
    fuzzy (not used until checked), texts no longer said are dropped. Then fill in the
    empty and fuzzy entries, and run `reconsult knowledge check`.
    """
    from reconsult.errors import KnowledgeError
    from reconsult.knowledge import KNOWLEDGE_DIR, english_texts, update_catalogue

    if len(language) != 2 or not language.isalpha() or language == "en":
        typer.echo(
            "reconsult: give a two-letter language code other than en, such as es.", err=True
        )
        raise typer.Exit(2)
    try:
        total, todo = update_catalogue(KNOWLEDGE_DIR, language, english_texts())
    except KnowledgeError as exc:
        typer.echo(f"reconsult: the knowledge base is not valid:\n{exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{language}/wording.po: {total} texts, {todo} still to write or check.")


def _days_asked(window: tuple[int, int | None]) -> str:
    """Say on which days a danger question is asked: "days 0 to 89", "every day"."""
    start, end = window
    if end is None:
        return "every day" if start == 0 else f"from day {start} on"
    return f"days {start} to {end - 1}"


@knowledge_app.command("show")
def show_command(
    code: Annotated[
        str | None,
        typer.Argument(help="A procedure or finding code. Without it, list them all."),
    ] = None,
) -> None:
    """Show a procedure's timeline, red flags and danger questions, or a finding's rules."""
    from reconsult.knowledge import load_knowledge
    from reconsult.triage.danger_questions import asked_window, questions_for

    kb = load_knowledge()
    if code is None:
        typer.echo("Procedures:")
        for p in kb.procedures.values():
            typer.echo(f"  {p.code:<24} {p.name}")
        typer.echo("Findings:")
        for f in kb.findings.values():
            typer.echo(f"  {f.code:<28} {f.kind.value:<13} {f.label}")
        return
    if code in kb.procedures:
        p = kb.procedures[code]
        t = p.timeline
        typer.echo(f"{p.name} ({p.code})\n{t.summary}")
        typer.echo(f"Settles: day {t.settle}. Judge the result: day {t.judge}.")
        typer.echo(f"Earliest correction or revision: day {t.revision}.")
        if t.fade:
            typer.echo(f"Wears off: days {t.fade[0]}-{t.fade[1]}.")
        typer.echo(f"What can be undone: {p.reversible}")
        typer.echo("Watch for: " + "; ".join(kb.findings[c].label for c in p.red_flags))
        typer.echo(
            'Danger questions ("Is any of this happening now?"), asked before any calm '
            "answer on these days since the procedure (all of them when the date is not "
            "known); the code is the key for `signs`:"
        )
        for q in questions_for(kb, p.code):
            days = asked_window(kb, q.code, p.code)
            assert days is not None  # questions_for lists only questions asked for p
            typer.echo(f"  {q.code:<24} {_days_asked(days):<15} {q.question}")
        return
    if code in kb.findings:
        f = kb.findings[code]
        typer.echo(f"{f.label} ({f.code}, {f.kind.value})")
        typer.echo("Phrasings: " + "; ".join(f.phrasings))
        for r in f.rules:
            window = f"days {r.days.from_}-{r.days.to if r.days.to is not None else 'on'}"
            urgency = r.urgency.value if r.urgency else "no urgency"
            typer.echo(f"  {r.id}: {', '.join(r.procedures)}, {window}: {urgency}")
        if code in kb.danger_questions:
            typer.echo(f"Danger question: {kb.danger_questions[code].question}")
            for name in kb.procedures:
                asked = asked_window(kb, code, name)
                if asked is not None:
                    typer.echo(f"  asked after {name}: {_days_asked(asked)}")
        return
    typer.echo(f"reconsult: no procedure or finding called {code!r}", err=True)
    raise typer.Exit(2)
