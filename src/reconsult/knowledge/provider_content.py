"""Who can help, and how to check them, as validated data (``providers.yaml``).

Which NUCC taxonomies (self-reported specialties in the CMS NPPES file) fit
which procedure and how well, the certifying boards and where a person can
look a doctor up, the vetting checklist, the red flags, and the notes shown
beside every search. Like every knowledge model, unknown keys are errors and
every entry cites sources. Cross-references (taxonomy codes in fits, board
ids, source ids, procedure names, duplicate ids, a procedure with no fit) are
checked in :mod:`reconsult.knowledge.validation`.

A taxonomy is what a provider told CMS about themselves; nobody checks it,
and it is not a board certification. Nothing here may say otherwise.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, PrivateAttr, StringConstraints

from reconsult.knowledge.schema import Code, PlainText, RuleId, Shown, Strict

__all__ = [
    "Board",
    "Link",
    "Moment",
    "Note",
    "ProviderContent",
    "ProviderKind",
    "ProviderNotes",
    "RedFlag",
    "SpecialtyFit",
    "Taxonomy",
    "VettingCheck",
]

# A NUCC Health Care Provider Taxonomy code, e.g. 208200000X.
TaxonomyCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}[0-9A-Z]{6}X$")]
# Only secure links leave reconsult's pages.
HttpsUrl = Annotated[
    str, StringConstraints(pattern=r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$")
]


class ProviderKind(StrEnum):
    """What sort of provider a taxonomy describes."""

    physician = "physician"
    dentist = "dentist"
    injector = "injector"  # NP, PA or RN: the page asks to confirm the supervising physician


class Taxonomy(Strict):
    """One NUCC taxonomy code the directory keeps, with its official and plain names."""

    code: TaxonomyCode
    name: PlainText  # the official NUCC display name, verbatim
    plain_name: Shown  # what a person calls it, e.g. "Plastic surgeon"
    kind: ProviderKind
    boards: list[RuleId] = Field(default_factory=list)  # ids of `boards` entries
    sources: list[RuleId] = Field(min_length=1)


class Board(Strict):
    """A place to check a certificate or a license, and how to use it."""

    id: RuleId
    name: PlainText
    lookup_url: HttpsUrl  # the public "is my doctor certified" search, or the home page
    lookup_is_home_page: bool  # True when no lookup page address could be confirmed
    how: Shown  # one or two sentences: what to type, what you will see
    sources: list[RuleId] = Field(min_length=1)


class SpecialtyFit(Strict):
    """How well some taxonomies fit some procedures, and the words shown on each result."""

    id: RuleId
    procedures: list[Code] = Field(min_length=1)  # codes, group names, or "all"
    taxonomies: list[TaxonomyCode] = Field(min_length=1)
    level: int = Field(ge=1, le=3)  # 1 fits best, 2 good, 3 also does this
    reason: Shown  # shown under each search result
    sources: list[RuleId] = Field(min_length=1)


class Link(Strict):
    """A labelled link to a page where something can be checked."""

    label: Shown
    url: HttpsUrl


class VettingCheck(Strict):
    """One item of the checklist a person works through for a provider."""

    id: RuleId
    title: Shown
    how: Shown
    links: list[Link] = Field(default_factory=list)
    board_links: bool = False  # add the lookup link of each board of the provider's specialties
    state_board: bool = False  # add "the medical board of <license state>"
    # Where the check applies (codes, groups, "all"); the page may skip it elsewhere.
    procedures: list[Code] = Field(default_factory=lambda: ["all"], min_length=1)
    sources: list[RuleId] = Field(min_length=1)


class Moment(StrEnum):
    """When a red flag matters."""

    choosing = "choosing"  # looking at search results
    consultation = "consultation"  # at a visit
    second_opinion = "second_opinion"
    returning = "returning"  # going back to the original provider


class RedFlag(Strict):
    """A warning sign about a provider, why it matters and what to do instead."""

    id: RuleId
    title: Shown
    text: Shown
    procedures: list[Code] = Field(min_length=1)  # codes, group names, or "all"
    moments: list[Moment] = Field(min_length=1)
    sources: list[RuleId] = Field(min_length=1)


class Note(Strict):
    """A short note shown beside search results, with its sources."""

    text: Shown
    sources: list[RuleId] = Field(min_length=1)


class ProviderNotes(Strict):
    """The notes every provider search shows."""

    self_reported: Note  # the specialty is self-reported to CMS, not board certification
    supervisor: Note  # for nurse and physician-assistant injectors
    reviews: Note  # reviews and rankings are weak evidence; nothing here is paid for
    realistic: Note  # the first provider may have done everything right

    def items(self) -> list[tuple[str, Note]]:
        """Return (field name, note) pairs in the order they are declared."""
        return [(name, getattr(self, name)) for name in type(self).model_fields]


class ProviderContent(Strict):
    """The whole ``providers.yaml``."""

    taxonomies: list[Taxonomy] = Field(min_length=1)
    boards: list[Board] = Field(min_length=1)
    fits: list[SpecialtyFit] = Field(min_length=1)
    checks: list[VettingCheck] = Field(min_length=1)
    red_flags: list[RedFlag] = Field(min_length=1)
    notes: ProviderNotes

    _by_code: dict[str, Taxonomy] = PrivateAttr(default_factory=dict)
    _by_board: dict[str, Board] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Index taxonomies by code and boards by id (the first wins; duplicates are errors)."""
        for taxonomy in self.taxonomies:
            self._by_code.setdefault(taxonomy.code, taxonomy)
        for board in self.boards:
            self._by_board.setdefault(board.id, board)

    def taxonomy_codes(self) -> frozenset[str]:
        """Return every taxonomy code the directory keeps."""
        return frozenset(self._by_code)

    def taxonomy(self, code: str) -> Taxonomy | None:
        """Return the taxonomy with this code, or None if the directory does not keep it."""
        return self._by_code.get(code)

    def board(self, board_id: str) -> Board | None:
        """Return the board with this id, or None."""
        return self._by_board.get(board_id)
