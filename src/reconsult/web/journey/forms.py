"""Read and check each question page's form, the GOV.UK way.

Each ``read_*`` function takes the submitted form and returns the value (or
None) plus error messages keyed by the id of the field to focus. Messages say
what to do, in plain words, and match the error summary. Harmless variation is
accepted: spaces, month names, two ways of typing the same thing.

Dates are typed day, then month, then year, in three boxes (GOV.UK's date
input). People in the US write the month first, so every date's hint says the
order in words, with an example whose day cannot be a month (27 3 2026).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reconsult.casefile.procedure_dates import earliest_procedure_date, too_early_message

__all__ = [
    "DATE_HINT",
    "DESCRIPTION_FORM_MAX_BYTES",
    "DESCRIPTION_MAX",
    "DateForm",
    "date_hint",
    "read_date",
    "read_description",
    "read_procedure",
    "read_procedure_date",
    "read_signs",
]

DESCRIPTION_MAX = 10_000
# The most of a description form that is read. A description at the limit takes at most
# 12 bytes a character as sent (4 bytes of UTF-8, each as %XX), 120 KB; a bigger form is
# at least 8 times too long, so it is refused before it is read (see read_description).
DESCRIPTION_FORM_MAX_BYTES = 1_000_000
EARLIEST_DATE = dt.date(1900, 1, 1)
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


def date_hint(example: dt.date) -> str:
    """Return the hint for a date's boxes: the order in words, and ``example`` both ways."""
    return (
        "Day, then month, then year. For example, "
        f"{example.day} {example.month} {example.year} for {example.day} {example:%B %Y}"
    )


# The example in date hints: its day (27) cannot be a month, whichever order one is used to.
DATE_HINT = date_hint(dt.date(2026, 3, 27))


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def read_date(
    form: Mapping[str, str],
    today: dt.date,
    *,
    prefix: str = "",
    empty_message: str = "Enter the date you had it, or select 'I do not know the date'",
    earliest: dt.date = EARLIEST_DATE,
    too_early: str = "The year must be 1900 or later",
) -> DateForm:
    """Check a day / month / year date that must be real and not in the future.

    The boxes are named ``{prefix}day``, ``{prefix}month`` and ``{prefix}year``,
    and error keys carry the same prefix, so one page can hold several dates.
    A date before ``earliest`` gets the message ``too_early``.
    """
    typed = _read_date(form, today, prefix, empty_message)
    if typed.value is not None and typed.value < earliest:
        typed.value = None
        typed.errors["year"] = too_early
    typed.errors = {f"{prefix}{name}": message for name, message in typed.errors.items()}
    return typed


def read_procedure_date(
    form: Mapping[str, str],
    today: dt.date,
    *,
    prefix: str = "",
    empty_message: str = "Enter the date you had it, or select 'I do not know the date'",
) -> DateForm:
    """Check the date of a procedure: also not before the earliest the assessment can use."""
    return read_date(
        form,
        today,
        prefix=prefix,
        empty_message=empty_message,
        earliest=earliest_procedure_date(today),
        too_early=too_early_message(today),
    )


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
    typed.value = value
    return typed


def read_description(form: Mapping[str, str] | None) -> tuple[str | None, Errors]:
    """Return the person's words, trimmed; an error if empty or too long.

    ``form`` is None when the form was over DESCRIPTION_FORM_MAX_BYTES and so
    was not read: the same length error, without the count.
    """
    too_long = f"Your description must be {DESCRIPTION_MAX:,} characters or fewer"
    if form is None:
        return None, {"description": f"{too_long} (yours is much longer, so we could not keep it)"}
    text = form.get("description", "").replace("\r\n", "\n").strip()
    if not text:
        return None, {"description": "Tell us what is happening, in your own words"}
    if len(text) > DESCRIPTION_MAX:
        return None, {"description": f"{too_long} (it is {len(text):,})"}
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
