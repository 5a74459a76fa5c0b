"""``reconsult assess``: ask a few questions, or answer a JSONL file of cases."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer


class OutputFormat(StrEnum):
    """How batch answers are written."""

    jsonl = "jsonl"
    json = "json"
    text = "text"


def _parse_today(value: str | None) -> dt.date:
    """Return the date to assess as of: --today, or the local date."""
    from reconsult.i18n import gettext as _

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(_("use the form YYYY-MM-DD, for example 2026-11-21")) from exc


def assess_command(
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            "-i",
            help="A JSONL file of cases, one per line ('-' reads standard input). "
            "Without it, reconsult asks you questions.",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="How to write answers to a batch."),
    ] = OutputFormat.jsonl,
    today: Annotated[
        str | None,
        typer.Option(help="Assess as of this date (YYYY-MM-DD). Default: today."),
    ] = None,
) -> None:
    """Tell us what is happening after your procedure; get the safe next step."""
    from reconsult.i18n import gettext as _

    as_of = _parse_today(today)
    if input_file is None:
        from rich.console import Console

        from reconsult.cli.interview import interview

        interview(Console(), as_of)
        return
    if str(input_file) == "-":
        failed = _run_batch(sys.stdin, output_format, as_of)
    else:
        try:
            handle = input_file.open(encoding="utf-8")
        except OSError as exc:
            unread = _("cannot read %(file)s: %(reason)s") % {
                "file": input_file,
                "reason": exc.strerror,
            }
            typer.echo(f"reconsult: {unread}", err=True)
            raise typer.Exit(2) from exc
        with handle:
            failed = _run_batch(handle, output_format, as_of)
    if failed:
        not_assessed = _("%(num)d line(s) could not be assessed; see the errors above.") % {
            "num": failed
        }
        typer.echo(f"reconsult: {not_assessed}", err=True)
        raise typer.Exit(1)


def _run_batch(lines: TextIO, output_format: OutputFormat, as_of: dt.date) -> int:
    """Answer every line, writing as we go; return the number of lines that failed."""
    from rich.console import Console

    from reconsult.cli.batch import assess_lines
    from reconsult.cli.render import print_assessment

    console = Console()
    failed = 0
    collected: list[dict[str, object]] = []
    for result in assess_lines(lines, as_of):
        if result.assessment is None:
            failed += 1
            where = f"line {result.line}" + (f" (id {result.case_id})" if result.case_id else "")
            typer.echo(f"reconsult: {where}: {result.error}", err=True)
            record: dict[str, object] = {
                "id": result.case_id,
                "line": result.line,
                "error": result.error,
            }
        else:
            record = result.assessment.model_dump(mode="json")
            if output_format is OutputFormat.text:
                print_assessment(console, result.assessment)
        if output_format is OutputFormat.jsonl:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif output_format is OutputFormat.json:
            collected.append(record)
    if output_format is OutputFormat.json:
        json.dump(collected, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return failed
