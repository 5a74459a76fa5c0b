"""The case-file forms: what each asks, and how a submitted form is read and checked.

A form is a list of :class:`Field` specs. :func:`read_form` checks what was
typed the GOV.UK way (plain messages that say what to do, keyed by the id of
the box to focus) and returns it cleaned; the ``case_form.html`` template
draws any form from the same specs, so a page and its checks cannot drift.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from reconsult.i18n import gettext as _
from reconsult.web.journey.forms import read_date, read_procedure_date

__all__ = ["Choice", "Field", "FormState", "blank_state", "date_parts", "focus_id", "read_form"]

Kind = Literal["text", "textarea", "date", "number", "select", "radios", "checkboxes", "checkbox"]
Choice = tuple[str, str, str]  # value, label, hint


@dataclass(frozen=True)
class Field:
    """One question on a form."""

    name: str
    label: str
    kind: Kind = "text"
    hint: str = ""
    required: str = ""  # the message when it is left empty; "" means optional
    max_length: int = 200
    choices: tuple[Choice, ...] = ()
    maximum: float = 10_000
    autocomplete: str = "off"
    width: str = ""  # "short" for numbers and codes
    inputmode: str = ""
    procedure_date: bool = False  # a date: also not before the assessment's earliest


@dataclass
class FormState:
    """What a form shows: the fields, what was typed, the errors, and the cleaned values."""

    fields: Sequence[Field]
    typed: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


def blank_state(fields: Sequence[Field], typed: Mapping[str, Any] | None = None) -> FormState:
    """Return a form ready to show, filled with ``typed`` (for example the current values)."""
    return FormState(fields=fields, typed=dict(typed or {}))


def date_parts(value: dt.date | None) -> dict[str, str]:
    """Return a date as the three boxes show it."""
    if value is None:
        return {"day": "", "month": "", "year": ""}
    return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}


def read_form(
    fields: Sequence[Field],
    form: Mapping[str, Any],
    today: dt.date,
    *,
    lists: Mapping[str, list[str]],
) -> FormState:
    """Check a submitted form against ``fields``; ``lists`` holds multi-valued boxes."""
    state = FormState(fields=fields)
    for spec in fields:
        _read_field(spec, form, today, lists, state)
    return state


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


def _read_field(
    spec: Field,
    form: Mapping[str, Any],
    today: dt.date,
    lists: Mapping[str, list[str]],
    state: FormState,
) -> None:
    name = spec.name
    if spec.kind == "date":
        _read_date_field(spec, form, today, state)
        return
    if spec.kind == "checkboxes":
        allowed = {value for value, _, _ in spec.choices}
        picked = [v for v in dict.fromkeys(lists.get(name, [])) if v in allowed]
        state.typed[name] = picked
        if not picked and spec.required:
            state.errors[f"{name}-0"] = spec.required
        state.values[name] = picked
        return
    if spec.kind == "checkbox":
        state.typed[name] = state.values[name] = bool(_text(form, name))
        return
    text = _text(form, name)
    state.typed[name] = text
    if not text:
        if spec.required:
            state.errors[focus_id(spec)] = spec.required
        state.values[name] = None
        return
    if spec.kind in {"select", "radios"}:
        if text not in {value for value, _, _ in spec.choices}:
            state.errors[focus_id(spec)] = spec.required or _("Select %(label)s") % {
                "label": spec.label.lower()
            }
            return
        state.values[name] = text
        return
    if spec.kind == "number":
        _read_number(spec, text, state)
        return
    if len(text) > spec.max_length:
        state.errors[name] = _(
            "%(label)s must be %(most)s characters or fewer (it is %(length)s)"
        ) % {"label": spec.label, "most": f"{spec.max_length:,}", "length": f"{len(text):,}"}
        return
    if spec.kind == "text" and any(ord(c) < 32 for c in text):
        state.errors[name] = _("%(label)s must be on one line") % {"label": spec.label}
        return
    state.values[name] = text


def focus_id(spec: Field) -> str:
    """Return the id of the box an error about ``spec`` should focus (the first radio, say)."""
    if spec.kind in {"radios", "checkboxes"}:
        return f"{spec.name}-0"
    if spec.kind == "date":
        return f"{spec.name}-day"
    return spec.name


def _read_number(spec: Field, text: str, state: FormState) -> None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        state.errors[spec.name] = _("%(label)s must be a number, for example 1.5") % {
            "label": spec.label
        }
        return
    if not math.isfinite(number) or number <= 0:
        state.errors[spec.name] = _("%(label)s must be more than 0") % {"label": spec.label}
        return
    if number > spec.maximum:
        state.errors[spec.name] = _("%(label)s must be %(most)s or less") % {
            "label": spec.label,
            "most": f"{spec.maximum:g}",
        }
        return
    state.values[spec.name] = number


def _read_date_field(
    spec: Field, form: Mapping[str, Any], today: dt.date, state: FormState
) -> None:
    prefix = f"{spec.name}-"
    parts = {part: _text(form, f"{prefix}{part}") for part in ("day", "month", "year")}
    state.typed[spec.name] = parts
    if not any(parts.values()):
        state.values[spec.name] = None
        if spec.required:
            state.errors[f"{prefix}day"] = spec.required
        return
    read = read_procedure_date if spec.procedure_date else read_date
    typed = read(form, today, prefix=prefix)
    state.errors.update(typed.errors)
    state.values[spec.name] = typed.value
