"""The ``reconsult`` command. Thin: parse input, call one capability, render.

Heavy modules (the language pipeline) are imported inside commands, so that
``reconsult --help`` answers at once.
"""

from __future__ import annotations

from typing import Annotated

import typer

from reconsult.cli.accounts_command import accounts_app
from reconsult.cli.assess_command import assess_command
from reconsult.cli.backup_command import backup_command, restore_command
from reconsult.cli.case_command import case_app
from reconsult.cli.groups import RootGroup, knowledge_version
from reconsult.cli.knowledge_command import knowledge_app
from reconsult.cli.providers_command import providers_app
from reconsult.cli.serve_command import serve_command

app = typer.Typer(
    name="reconsult",
    # The emergency numbers follow this text, from the knowledge base (RootGroup).
    help=(
        "Worried about the result of a cosmetic procedure? reconsult helps you find the safe "
        "next step. It informs; it never diagnoses."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    cls=RootGroup,
)


def version_line() -> str:
    """``reconsult 0.1.0 (knowledge base 0.8.0)``: the installed package and its knowledge."""
    import reconsult

    line = f"reconsult {reconsult.__version__}"
    knowledge = knowledge_version()
    return f"{line} (knowledge base {knowledge})" if knowledge else line


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version of reconsult and of its knowledge base, and exit.",
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="RECONSULT_LANGUAGE",
            help="The language to answer in: en (English, the default) or es (español).",
            show_default=False,
        ),
    ] = None,  # None, not "en": typer checks a given value with pydantic, slow to import
) -> None:
    """Options that come before the command."""
    from reconsult import i18n

    lang = lang or i18n.DEFAULT
    if i18n.supported(lang) is None:
        raise typer.BadParameter(
            f"{lang!r} is not a language reconsult speaks; use {' or '.join(i18n.LANGUAGES)}.",
            param_hint="--lang",
        )
    # For the whole command, and no longer (tests run many commands in one process).
    ctx.with_resource(i18n.reading(lang))


app.command("assess")(assess_command)
app.command("serve")(serve_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(case_app, name="case")
app.add_typer(providers_app, name="providers")
app.add_typer(accounts_app, name="accounts")


def main() -> None:
    """Run the reconsult command line."""
    app()
