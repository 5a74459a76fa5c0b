"""Shape directory providers for the provider pages: readable names, phones, the checklist.

CMS writes NPPES names and addresses in capitals ("MARIA RIVERA-LOPEZ",
"350 5TH AVE"), which are hard to read and some screen readers spell out
letter by letter; they are shown in ordinary case. Everything clinical (what
to check, which board, the red flags) comes from the knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reconsult.knowledge import Knowledge
from reconsult.knowledge.provider_content import Moment, RedFlag
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

# Words kept in capitals: Roman numerals in names, compass points and box numbers in addresses.
_KEEP = frozenset({"II", "III", "IV", "VI", "NE", "NW", "SE", "SW", "PO", "US", "USA"})
_ORDINAL = re.compile(r"\d+(ST|ND|RD|TH)")
_PIECES = re.compile(r"([A-Za-z0-9\u00C0-\u024F]+)")
_SHORT_SUFFIX = {"JR": "Jr.", "SR": "Sr."}


def _word(word: str) -> str:
    if _ORDINAL.fullmatch(word):
        return word.lower()  # 5TH -> 5th
    if any(ch.isdigit() for ch in word) or len(word) == 1 or word in _KEEP:
        return word  # 100A, a middle initial, NW
    if word.startswith("MC") and len(word) > 3:
        return "Mc" + word[2:].capitalize()  # MCDONALD -> McDonald
    return word.capitalize()


def readable(text: str | None) -> str:
    """Put text CMS wrote in capitals into ordinary case; leave mixed-case text alone."""
    if not text:
        return ""
    if any(ch.islower() for ch in text):
        return text
    return _PIECES.sub(lambda m: _word(m.group(1)), text)


def credential_text(credential: str | None) -> str:
    """'M.D., F.A.C.S.' -> 'MD, FACS'; 'MD PHD' -> 'MD, PhD'."""
    if not credential:
        return ""
    parts = [p for p in re.split(r"[,;\s]+", credential.replace(".", "")) if p]
    return ", ".join("PhD" if p.upper() == "PHD" else p.upper() for p in parts)


def person_name(provider: Provider) -> str:
    """The name as a person would say it: 'Maria Rivera-Lopez, MD'."""
    middle = readable(provider.middle_name)
    if len(middle) == 1:
        middle += "."
    name = " ".join(
        p for p in (readable(provider.first_name), middle, readable(provider.last_name)) if p
    )
    if provider.suffix:
        suffix = provider.suffix.replace(".", "").strip()
        name += " " + _SHORT_SUFFIX.get(suffix.upper(), readable(suffix))
    credential = credential_text(provider.credential)
    return f"{name}, {credential}" if credential else name


def address_lines(provider: Provider) -> tuple[str, ...]:
    """The practice address as lines: street, second line, 'New York, NY 10001'."""
    lines = [readable(provider.address_line1), readable(provider.address_line2)]
    lines.append(f"{readable(provider.city)}, {provider.state} {provider.postal_code}")
    return tuple(line for line in lines if line)


@dataclass(frozen=True)
class Phone:
    """A phone number as shown ('(212) 555-0100') and as a tel: link target."""

    text: str
    href: str


def phone(digits: str | None) -> Phone | None:
    """Format a US phone number CMS wrote as digits; None if there is none."""
    if not digits:
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:
        return Phone(f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", f"tel:+1{digits}")
    return Phone(digits, f"tel:{digits}")


def distance_text(miles: float) -> str:
    """'Less than 1 mile away' or '2.3 miles away'."""
    if miles < 1:
        return "Less than 1 mile away"
    return f"{miles:.1f} miles away"


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
