"""Turn one raw NPPES line into a provider record, or say plainly why it cannot be read.

Columns are found by name in the file's own header (CMS: the header row is
the source of truth for column order). The traps from research
``providers_records.md`` s.1.3-1.5 are handled here: the primary specialty is
wherever the switch says ``Y``, not always slot 1; CMS writes the literal
string ``NULL`` in some licence-state cells; ZIPs are 5 or 9 digits with no
hyphen; dates are MM/DD/YYYY; a deactivated NPI is inactive unless it was
reactivated on or after its deactivation date.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

from reconsult.i18n import gettext as _
from reconsult.providers import nppes_layout as layout
from reconsult.providers.geocode import zip5
from reconsult.providers.models import ProviderTaxonomy
from reconsult.providers.nppes_scan import HeaderError

__all__ = ["NppesRow", "RowReader"]

_EMPTY = {"", "NULL"}


@dataclass(frozen=True)
class NppesRow:
    """The parts of one NPPES row the directory uses."""

    npi: str
    individual: bool
    active: bool
    updated_on: dt.date | None
    enumerated_on: dt.date | None
    last_name: str
    first_name: str
    middle_name: str | None
    prefix: str | None
    suffix: str | None
    credential: str | None
    address_line1: str
    address_line2: str | None
    city: str
    state: str
    postal_code: str | None  # 5 digits, None outside the US or when unreadable
    phone: str | None
    taxonomies: tuple[ProviderTaxonomy, ...]


def _date(text: str) -> dt.date | None:
    """Parse MM/DD/YYYY; None for an empty or unreadable date."""
    if len(text) != 10 or text[2] != "/" or text[5] != "/":
        return None
    try:
        return dt.date(int(text[6:]), int(text[:2]), int(text[3:5]))
    except ValueError:
        return None


def _text(value: str) -> str | None:
    """A cell's text, or None for empty and CMS's literal 'NULL'."""
    if not value:
        return None
    value = value.strip()
    return None if value in _EMPTY else value


class RowReader:
    """Reads rows of one file, by the column positions of that file's header."""

    def __init__(self, header: list[str]) -> None:
        missing = [name for name in layout.REQUIRED_COLUMNS if name not in header]
        if missing:
            shown = ", ".join(f'"{name}"' for name in missing[:5])
            if len(missing) > 5:
                raise HeaderError(
                    _(
                        "this is not an NPPES data file (version 2): its header has no "
                        "%(columns)s and %(more)d more"
                    )
                    % {"columns": shown, "more": len(missing) - 5}
                )
            raise HeaderError(
                _("this is not an NPPES data file (version 2): its header has no %(columns)s")
                % {"columns": shown}
            )
        self.columns = len(header)
        position = {name: index for index, name in enumerate(header)}
        self._at = position
        self._practice = {key: position[name] for key, name in layout.PRACTICE.items()}
        self._slots = [
            tuple(position[name] for name in layout.taxonomy_columns(slot))
            for slot in range(1, layout.TAXONOMY_SLOTS + 1)
        ]

    def read(self, raw: bytes) -> tuple[NppesRow | None, str | None]:
        """Parse one raw line: the row (or None if unreadable) and a problem to report (or None).

        Bytes that are not UTF-8 are replaced (the scanner reports the line);
        a row with the wrong number of columns is not read.
        """
        text = raw.decode("utf-8", errors="replace")  # the scanner reports bad bytes
        try:
            fields = next(csv.reader([text], strict=True))
        except csv.Error as exc:
            return None, f"not a CSV row ({exc})"
        if len(fields) != self.columns:
            return None, f"{len(fields)} columns instead of {self.columns}"
        npi = fields[self._at[layout.NPI]].strip()
        if len(npi) != 10 or not npi.isdigit():
            return None, "the NPI is not 10 digits"
        return self._row(fields, npi), None

    def _row(self, fields: list[str], npi: str) -> NppesRow:
        """Build the row from well-formed fields (organisations and deactivated NPIs in brief)."""
        at = self._at
        updated_on = _date(fields[at[layout.LAST_UPDATE]])
        individual = fields[at[layout.ENTITY_TYPE]].strip() == layout.INDIVIDUAL
        deactivated = _date(fields[at[layout.DEACTIVATION_DATE]])
        reactivated = _date(fields[at[layout.REACTIVATION_DATE]]) if deactivated else None
        active = deactivated is None or (reactivated is not None and reactivated >= deactivated)
        if not (individual and active):
            return NppesRow(
                npi,
                individual,
                active,
                updated_on,
                None,
                "",
                "",
                None,
                None,
                None,
                None,
                "",
                None,
                "",
                "",
                None,
                None,
                (),
            )
        taxonomies = []
        for code_at, licence_at, state_at, switch_at in self._slots:
            code = fields[code_at]
            if code and code != "NULL":
                taxonomies.append(
                    ProviderTaxonomy(
                        code=code.strip(),
                        is_primary=fields[switch_at].strip().upper() == "Y",
                        license_number=_text(fields[licence_at]),
                        license_state=_text(fields[state_at]),
                    )
                )
        practice = self._practice
        country = _text(fields[practice["country"]])
        phone = _text(fields[practice["phone"]])
        if phone and not phone.isdigit():
            phone = "".join(ch for ch in phone if ch.isdigit()) or None
        return NppesRow(
            npi=npi,
            individual=individual,
            active=active,
            updated_on=updated_on,
            enumerated_on=_date(fields[at[layout.ENUMERATION_DATE]]),
            last_name=_text(fields[at[layout.LAST_NAME]]) or "",
            first_name=_text(fields[at[layout.FIRST_NAME]]) or "",
            middle_name=_text(fields[at[layout.MIDDLE_NAME]]),
            prefix=_text(fields[at[layout.NAME_PREFIX]]),
            suffix=_text(fields[at[layout.NAME_SUFFIX]]),
            credential=_text(fields[at[layout.CREDENTIAL]]),
            address_line1=_text(fields[practice["line1"]]) or "",
            address_line2=_text(fields[practice["line2"]]),
            city=_text(fields[practice["city"]]) or "",
            state=_text(fields[practice["state"]]) or "",
            postal_code=zip5(fields[practice["postal_code"]]) if country in (None, "US") else None,
            phone=phone,
            taxonomies=tuple(taxonomies),
        )
