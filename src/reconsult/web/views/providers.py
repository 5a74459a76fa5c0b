"""Shape directory providers for the provider pages: specialties, distances, the checklist.

Names, addresses and phone numbers are put in ordinary case by
:mod:`reconsult.providers.display` (shared with the command line) and
re-exported here for the routes. Everything clinical (what to check, which
board, the red flags) comes from the knowledge base.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babel.numbers import get_decimal_symbol

from reconsult import i18n
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.knowledge.provider_content import Moment, RedFlag
from reconsult.providers.display import (
    Phone,
    address_lines,
    credential_text,
    person_name,
    phone,
    readable,
)
from reconsult.providers.models import Provider, ProviderTaxonomy, SearchHit

__all__ = [
    "BoardLink",
    "CheckItem",
    "HitView",
    "Phone",
    "SpecialtyLine",
    "address_lines",
    "checklist",
    "credential_text",
    "distance_text",
    "fitting_codes",
    "flags_for",
    "hit_view",
    "person_name",
    "phone",
    "readable",
    "specialty_lines",
]


def distance_text(miles: float) -> str:
    """'Less than 1 mile away' or '2.3 miles away'."""
    if miles < 1:
        return _("Less than 1 mile away")
    # Rounded as before in every language; only the decimal mark is the language's own.
    number = f"{miles:.1f}".replace(".", get_decimal_symbol(i18n.current()))
    return _("%(miles)s miles away") % {"miles": number}


@dataclass(frozen=True)
class SpecialtyLine:
    """One specialty a provider listed, as the provider page shows it."""

    code: str
    plain_name: str | None  # None: a specialty the knowledge base does not describe
    official_name: str | None
    is_primary: bool
    license_number: str | None
    license_state: str | None


def specialty_lines(kb: Knowledge, provider: Provider) -> tuple[SpecialtyLine, ...]:
    """Every specialty the provider listed, the main one first."""
    listed = sorted(provider.taxonomies, key=lambda t: not t.is_primary)
    lines = []
    for taxonomy in listed:
        known = kb.providers.taxonomy(taxonomy.code)
        lines.append(
            SpecialtyLine(
                code=taxonomy.code,
                plain_name=known.plain_name if known else None,
                official_name=known.name if known else None,
                is_primary=taxonomy.is_primary,
                license_number=taxonomy.license_number,
                license_state=taxonomy.license_state,
            )
        )
    return tuple(lines)


@dataclass(frozen=True)
class HitView:
    """One search result as the list shows it."""

    npi: str
    name: str
    distance: str
    specialty: str
    is_primary: bool
    fit_reason: str
    needs_supervisor: bool
    address: tuple[str, ...]
    phone: Phone | None


def hit_view(kb: Knowledge, hit: SearchHit) -> HitView:
    """Shape one search hit for the results list."""
    known = kb.providers.taxonomy(hit.taxonomy.code)
    return HitView(
        npi=hit.provider.npi,
        name=person_name(hit.provider),
        distance=distance_text(hit.distance_miles),
        specialty=known.plain_name if known else hit.taxonomy.code,
        is_primary=hit.taxonomy.is_primary,
        fit_reason=hit.fit_reason,
        needs_supervisor=hit.needs_supervisor,
        address=address_lines(hit.provider),
        phone=phone(hit.provider.phone),
    )


@dataclass(frozen=True)
class BoardLink:
    """A board's lookup page and how to use it."""

    name: str
    url: str
    how: str
    home_page: bool


@dataclass(frozen=True)
class CheckItem:
    """One item of the vetting checklist, with the links that fit this provider."""

    id: str
    title: str
    how: str
    links: tuple[tuple[str, str], ...]  # (label, https URL)
    board_links: bool
    boards: tuple[BoardLink, ...]
    state_board: bool
    license_states: tuple[str, ...]


def _boards(kb: Knowledge, codes: Iterable[str]) -> tuple[BoardLink, ...]:
    """The boards of these taxonomies, each once, in the order first named."""
    seen: dict[str, BoardLink] = {}
    for code in codes:
        taxonomy = kb.providers.taxonomy(code)
        for board_id in taxonomy.boards if taxonomy else ():
            board = kb.providers.board(board_id)
            if board is not None and board_id not in seen:
                seen[board_id] = BoardLink(
                    board.name, board.lookup_url, board.how, board.lookup_is_home_page
                )
    return tuple(seen.values())


def fitting_codes(kb: Knowledge, procedure: str | None) -> list[str]:
    """The taxonomy codes that fit a procedure, best fit first (None: every kept code)."""
    if procedure is None:
        return [t.code for t in kb.providers.taxonomies]
    codes: dict[str, None] = {}
    for fit in kb.specialty_fits(procedure):
        codes.update(dict.fromkeys(fit.taxonomies))
    return list(codes)


def checklist(
    kb: Knowledge,
    procedure: str | None,
    *,
    taxonomies: Sequence[ProviderTaxonomy] | None = None,
) -> tuple[CheckItem, ...]:
    """The checks for a procedure (None: all), with board links for these listed specialties.

    Without a provider (``taxonomies`` None) the board links are those of every
    specialty that fits the procedure.
    """
    if taxonomies is None:
        codes = fitting_codes(kb, procedure)
        states: tuple[str, ...] = ()
    else:
        primary_first = sorted(taxonomies, key=lambda t: not t.is_primary)
        codes = [t.code for t in primary_first]
        states = tuple(dict.fromkeys(t.license_state for t in primary_first if t.license_state))
    boards = _boards(kb, codes)
    return tuple(
        CheckItem(
            id=check.id,
            title=check.title,
            how=check.how,
            links=tuple((link.label, link.url) for link in check.links),
            board_links=check.board_links,
            boards=boards if check.board_links else (),
            state_board=check.state_board,
            license_states=states if check.state_board else (),
        )
        for check in kb.checks_for(procedure)
    )


def flags_for(kb: Knowledge, procedure: str | None, *moments: Moment) -> tuple[RedFlag, ...]:
    """The red flags for a procedure at any of these moments, each once, in knowledge order."""
    found: dict[str, RedFlag] = {}
    for moment in moments:
        for flag in kb.red_flags_for(procedure, moment):
            found.setdefault(flag.id, flag)
    order = {flag.id: index for index, flag in enumerate(kb.providers.red_flags)}
    return tuple(sorted(found.values(), key=lambda flag: order[flag.id]))
