"""Read cases from a JSONL file and answer each line, never stopping at a bad one.

The format is the benchmark contract's (``../shared/benchmark/CONTRACT.md``):
one JSON object a line with ``id``, ``procedure``, ``days_since_procedure``,
``prior_revisions`` and ``description``, and optionally ``signs``: the answers
to the danger questions, by sign code (true: has it now; false: said no). An
``expected`` key is ignored. A
line that cannot be read gets an error that names the line and the field;
the other lines are still answered.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from reconsult.errors import CaseInputError
from reconsult.knowledge import Knowledge
from reconsult.triage import assess
from reconsult.triage.models import Assessment, Case

IGNORED_KEYS = frozenset({"expected"})


@dataclass(frozen=True)
class LineResult:
    """The answer to one input line, or why it could not be answered."""

    line: int
    case_id: str | None
    assessment: Assessment | None = None
    error: str | None = None


def _explain(exc: ValidationError) -> str:
    """Turn pydantic's errors into one plain sentence per field."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"] if p != "[key]") or "line"
        ctx = error.get("ctx") or {}
        kind = error["type"]
        if kind == "extra_forbidden":
            message = "is not a field reconsult knows"
        elif kind == "enum":
            message = f"must be one of {ctx.get('expected', '')}"
        elif kind == "missing":
            message = "is missing"
        elif kind == "greater_than_equal":
            message = f"must be {ctx.get('ge')} or more"
        elif kind == "less_than_equal":
            message = f"must be {ctx.get('le')} or less"
        elif kind in ("int_parsing", "int_from_float", "int_type"):
            message = "must be a whole number"
        elif kind == "string_too_short":
            message = "must not be empty"
        elif kind == "string_too_long":
            message = f"is too long (at most {ctx.get('max_length')} characters)"
        elif kind == "bool_type":
            message = "must be true or false"
        elif kind == "dict_type":
            message = 'must be an object, like {"fever": false}'
        elif kind == "string_pattern_mismatch":
            message = "is not a code (small letters, digits and _)"
        else:
            message = str(error["msg"])
        parts.append(f"{field} {message}")
    return "; ".join(parts)


def read_case(text: str) -> tuple[Case | None, str | None, str | None]:
    """Parse one JSONL line into a Case; return (case, id, error)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, None, f"not valid JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(data, dict):
        return None, None, "each line must be a JSON object"
    raw_id = data.get("id")
    case_id = str(raw_id) if raw_id is not None else None
    fields = {k: v for k, v in data.items() if k not in IGNORED_KEYS}
    try:
        return Case.model_validate(fields), case_id, None
    except ValidationError as exc:
        return None, case_id, _explain(exc)


def assess_lines(
    lines: Iterable[str], today: dt.date, knowledge: Knowledge | None = None
) -> Iterator[LineResult]:
    """Answer every non-blank line in order, with an error result for each bad one."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        case, case_id, error = read_case(text)
        if case is None:
            yield LineResult(line=number, case_id=case_id, error=error)
            continue
        try:
            assessment = assess(case, today, knowledge)
        except CaseInputError as exc:
            yield LineResult(line=number, case_id=case_id, error=str(exc))
            continue
        yield LineResult(line=number, case_id=case_id, assessment=assessment)
