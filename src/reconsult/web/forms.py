"""Read and check each question page's form, the GOV.UK way.

Each ``read_*`` function takes the submitted form and returns the value (or
None) plus error messages keyed by the id of the field to focus. Messages say
what to do, in plain words, and match the error summary. Harmless variation is
accepted: spaces, month names, two ways of typing the same thing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "DESCRIPTION_MAX",
    "DateForm",
    "read_date",
    "read_description",
    "read_procedure",
    "read_signs",
]

DESCRIPTION_MAX = 10_000
NONE_OF_THESE = "none"

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9

Errors = dict[str, str]


def read_procedure(form: Mapping[str, str], codes: Sequence[str]) -> tuple[str | None, Errors]:
    """Return the chosen procedure code, or an error if none (or an unknown one) was chosen."""
    value = form.get("procedure", "").strip()
    if value not in codes:
        return None, {"procedure": "Select what you had done"}
    return value, {}


@dataclass
class DateForm:
    """What was typed in the three date boxes, kept so the page can show it again."""

    day: str = ""
    month: str = ""
    year: str = ""
    errors: Errors = field(default_factory=dict)
    value: dt.date | None = None


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def read_date(
    form: Mapping[str, str],
    today: dt.date,
    *,
    prefix: str = "",
    empty_message: str = "Enter the date you had it, or select 'I do not know the date'",
) -> DateForm:
    """Check a day / month / year date that must be real and not in the future.

    The boxes are named ``{prefix}day``, ``{prefix}month`` and ``{prefix}year``,
    and error keys carry the same prefix, so one page can hold several dates.
    """
    typed = _read_date(form, today, prefix, empty_message)
    typed.errors = {f"{prefix}{name}": message for name, message in typed.errors.items()}
    return typed


def _read_date(
    form: Mapping[str, str], today: dt.date, prefix: str, empty_message: str
) -> DateForm:
    typed = DateForm(
        day=form.get(f"{prefix}day", "").strip(),
        month=form.get(f"{prefix}month", "").strip(),
        year=form.get(f"{prefix}year", "").strip(),
    )
    parts = {"day": typed.day, "month": typed.month, "year": typed.year}
    missing = [name for name, text in parts.items() if not text]
    if len(missing) == 3:
        typed.errors["day"] = empty_message
        return typed
    if missing:
        first = missing[0]
        names = " and ".join(missing)
        typed.errors[first] = f"The date must include a {names}"
        return typed
    day = _number(typed.day)
    month = _number(typed.month) or _MONTHS.get(typed.month.lower().rstrip("."))
    year = _number(typed.year)
    if year is not None and len(typed.year) != 4:
        typed.errors["year"] = "Year must include 4 numbers, for example 2026"
        return typed
    try:
        if day is None or month is None or year is None:
            raise ValueError
        value = dt.date(year, month, day)
    except ValueError:
        typed.errors["day"] = "The date must be a real date, for example 27 3 2026"
        return typed
    if value > today:
        typed.errors["day"] = "The date must be today or in the past"
        return typed
    if value.year < 1900:
        typed.errors["year"] = "The year must be 1900 or later"
        return typed
    typed.value = value
    return typed


def read_description(form: Mapping[str, str]) -> tuple[str | None, Errors]:
    """Return the person's words, trimmed; an error if empty or too long."""
    text = form.get("description", "").replace("\r\n", "\n").strip()
    if not text:
        return None, {"description": "Tell us what is happening, in your own words"}
    if len(text) > DESCRIPTION_MAX:
        return None, {
            "description": f"Your description must be {DESCRIPTION_MAX:,} characters or fewer "
            f"(it is {len(text):,})"
        }
    return text, {}


def read_signs(chosen: Sequence[str], allowed: Sequence[str]) -> tuple[list[str] | None, Errors]:
    """Return the ticked warning-sign codes ([] for 'None of these'), or an error.

    Without JavaScript the 'None of these' box cannot untick the others, so
    ticking both is an error that asks which is meant (never a guess).
    """
    picked = [code for code in dict.fromkeys(chosen) if code in allowed]
    none = NONE_OF_THESE in chosen
    first = allowed[0] if allowed else NONE_OF_THESE
    if none and picked:
        return None, {
            first: "Select the signs you have now, or select 'None of these', but not both"
        }
    if none:
        return [], {}
    if not picked:
        return None, {first: "Select any signs you have now, or select 'None of these'"}
    return picked, {}
