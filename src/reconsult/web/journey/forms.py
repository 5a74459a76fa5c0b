"""Read and check each question page's form, the GOV.UK way.

Each ``read_*`` function takes the submitted form and returns the value (or
None) plus error messages keyed by the id of the field to focus. Messages say
what to do, in plain words, and match the error summary. Harmless variation is
accepted: spaces, month names, two ways of typing the same thing.

Dates are typed day, then month, then year, in three boxes (GOV.UK's date
input). People in the US write the month first, so every date's hint says the
order in words, with an example whose day cannot be a month (27 3 2026).

Messages are in the language of the request: they are translated when a form is
read, never at import (pages call ``example_date_hint()``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from babel import Locale
from babel.numbers import format_decimal

from reconsult import i18n
from reconsult.casefile.procedure_dates import earliest_procedure_date, too_early_message
from reconsult.i18n import N_, long_date
from reconsult.i18n import gettext as _

__all__ = [
    "DESCRIPTION_FORM_MAX_BYTES",
    "DESCRIPTION_MAX",
    "DateForm",
    "date_hint",
    "example_date_hint",
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


def _month_numbers() -> dict[str, int]:
    """Return each month's name and short name, lower case, with its number.

    English, then every other language reconsult speaks ("marzo", "mar"), so a
    month typed in words is read whatever the language of the page; English wins
    any clash.
    """
    months = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
    months |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
    months["sept"] = 9
    for language in i18n.LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in Locale.parse(language).months["format"][width].items():
                months.setdefault(name.lower().rstrip("."), number)
    return months


_MONTHS = _month_numbers()

# What a date is missing, in the order the boxes come: the whole sentence for each case.
_MISSING = {
    ("day",): N_("The date must include a day"),
    ("month",): N_("The date must include a month"),
    ("year",): N_("The date must include a year"),
    ("day", "month"): N_("The date must include a day and month"),
    ("day", "year"): N_("The date must include a day and year"),
    ("month", "year"): N_("The date must include a month and year"),
}

Errors = dict[str, str]


def read_procedure(form: Mapping[str, str], codes: Sequence[str]) -> tuple[str | None, Errors]:
    """Return the chosen procedure code, or an error if none (or an unknown one) was chosen."""
    value = form.get("procedure", "").strip()
    if value not in codes:
        return None, {"procedure": _("Select what you had done")}
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
    return _("Day, then month, then year. For example, %(numbers)s for %(date)s") % {
        "numbers": f"{example.day} {example.month} {example.year}",
        "date": long_date(example),
    }


# The example in date hints: its day (27) cannot be a month, whichever order one is used to.
EXAMPLE_DATE = dt.date(2026, 3, 27)


def example_date_hint() -> str:
    """Return the usual hint for a date's boxes, in the language of the request."""
    return date_hint(EXAMPLE_DATE)


def number_text(number: int) -> str:
    """Return a whole number as people read it in the current language: 10,000 (10.000)."""
    return format_decimal(number, locale=i18n.current())


def _empty_message() -> str:
    return _("Enter the date you had it, or select 'I do not know the date'")


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def read_date(
    form: Mapping[str, str],
    today: dt.date,
    *,
    prefix: str = "",
    empty_message: str | None = None,
    earliest: dt.date = EARLIEST_DATE,
    too_early: str | None = None,
) -> DateForm:
    """Check a day / month / year date that must be real and not in the future.

    The boxes are named ``{prefix}day``, ``{prefix}month`` and ``{prefix}year``,
    and error keys carry the same prefix, so one page can hold several dates.
    A date before ``earliest`` gets the message ``too_early``. Messages given are
    shown as they are (already in the person's language); without them, the usual
    ones, translated.
    """
    if empty_message is None:
        empty_message = _empty_message()
    typed = _read_date(form, today, prefix, empty_message)
    if typed.value is not None and typed.value < earliest:
        typed.value = None
        typed.errors["year"] = (
            too_early if too_early is not None else _("The year must be 1900 or later")
        )
    typed.errors = {f"{prefix}{name}": message for name, message in typed.errors.items()}
    return typed


def read_procedure_date(
    form: Mapping[str, str],
    today: dt.date,
    *,
    prefix: str = "",
    empty_message: str | None = None,
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
        typed.errors[missing[0]] = _(_MISSING[tuple(missing)])
        return typed
    day = _number(typed.day)
    month = _number(typed.month) or _MONTHS.get(typed.month.lower().rstrip("."))
    year = _number(typed.year)
    if year is not None and len(typed.year) != 4:
        typed.errors["year"] = _("Year must include 4 numbers, for example 2026")
        return typed
    try:
        if day is None or month is None or year is None:
            raise ValueError
        value = dt.date(year, month, day)
    except ValueError:
        typed.errors["day"] = _("The date must be a real date, for example 27 3 2026")
        return typed
    if value > today:
        typed.errors["day"] = _("The date must be today or in the past")
        return typed
    typed.value = value
    return typed


def read_description(form: Mapping[str, str] | None) -> tuple[str | None, Errors]:
    """Return the person's words, trimmed; an error if empty or too long.

    ``form`` is None when the form was over DESCRIPTION_FORM_MAX_BYTES and so
    was not read: the same length error, without the count.
    """
    limit = number_text(DESCRIPTION_MAX)
    if form is None:
        return None, {
            "description": _(
                "Your description must be %(max)s characters or fewer "
                "(yours is much longer, so we could not keep it)"
            )
            % {"max": limit}
        }
    text = form.get("description", "").replace("\r\n", "\n").strip()
    if not text:
        return None, {"description": _("Tell us what is happening, in your own words")}
    if len(text) > DESCRIPTION_MAX:
        return None, {
            "description": _(
                "Your description must be %(max)s characters or fewer (it is %(count)s)"
            )
            % {"max": limit, "count": number_text(len(text))}
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
            first: _("Select the signs you have now, or select 'None of these', but not both")
        }
    if none:
        return [], {}
    if not picked:
        return None, {first: _("Select any signs you have now, or select 'None of these'")}
    return picked, {}
