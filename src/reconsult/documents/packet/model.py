"""The consultation packet as laid out: one frozen :class:`Packet` and its parts.

:func:`~reconsult.documents.packet.build.build_packet` fills it in; the text,
HTML and PDF layouts print it. The packet's fixed words are not copied here
one by one: :attr:`Packet.wording` holds the knowledge base's
:class:`~reconsult.knowledge.packet_content.PacketWording`, and the layouts
read headings, labels and intros from it. The fields below are what the case
fills in.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from reconsult.knowledge.packet_content import PacketWording

__all__ = [
    "Event",
    "ExpectationGroup",
    "Laid",
    "OpenSign",
    "Packet",
    "PhotoGroup",
    "PhotoTile",
    "ProductGroup",
    "Question",
    "QuestionGroup",
    "SummaryProcedure",
    "VettedCheck",
    "VettedProvider",
]


class Laid(BaseModel):
    """Base of the packet's parts: frozen, like the letter."""

    model_config = ConfigDict(frozen=True)


class SummaryProcedure(Laid):
    """One procedure on the summary page."""

    name: str
    when: str
    who: str


class Event(Laid):
    """One dated thing in the history: a procedure, a note, photos, a visit, a request."""

    date: str
    heading: str
    details: list[str] = []
    quote_label: str = ""
    quote: str = ""  # the person's (or a provider's) own words, kept as written
    raised_label: str = ""
    raised: list[str] = []  # a note's signs kept open: still open, or what became of each


class OpenSign(Laid):
    """A worrying sign told in a note that the person has not closed, as page 1 lists it."""

    sign: str  # the finding's plain label
    told: str  # the day it was told and the person's words
    status: str  # still counting until a day, or past its time
    level: str  # the urgency code it drove while it counts; "" once past its time


class ProductGroup(Laid):
    """The products and implants of one procedure."""

    heading: str
    items: list[tuple[str, list[tuple[str, str]]]]  # (heading, [(label, value)])


class PhotoTile(Laid):
    """One photo as printed, with its caption.

    ``src`` is the print copy, made only for a layout that shows photos: None
    when none was asked for (the text form never reads a photo), "" when the
    photo cannot be shown.
    """

    caption: str
    day: str
    alt: str
    note: str = ""  # the person's note on the photo
    src: str | None = None  # a data: URI of the print copy


class PhotoGroup(Laid):
    """Photos from one angle (of one procedure): earliest and latest first, then the rest."""

    heading: str
    rows: list[list[PhotoTile]]
    note: str = ""


class Question(Laid):
    """A question to ask, with why it is worth asking."""

    text: str
    hint: str = ""


class QuestionGroup(Laid):
    """Questions under one heading; the first group (no heading) is the four standard ones."""

    heading: str
    questions: list[Question]


class VettedCheck(Laid):
    """One check of the vetting checklist, as the person left it."""

    title: str
    result: str  # in words: fine, worrying, not checked yet
    found: str = ""  # what they found, in their words


class VettedProvider(Laid):
    """What the person checked about one provider, and the warning signs they noticed."""

    heading: str  # the provider's name
    details: list[str]  # when, NPI, which treatment, how many checks done
    checks: list[VettedCheck]
    flags: list[str]  # titles of the warning signs noticed
    note: str = ""


class ExpectationGroup(Laid):
    """What to expect after one procedure."""

    heading: str
    judge: str
    reversible: str
    points: list[str]


class Packet(Laid):
    """The filled-in packet, ready to lay out as text, HTML or PDF."""

    wording: PacketWording  # the packet's fixed words: headings, labels, intros
    title: str
    language: str
    page_size: str
    made_on: str
    person: list[tuple[str, str]]
    procedures: list[SummaryProcedure]
    words_intro: str
    words: list[str]
    words_more: str  # says the words go on later; empty when all are on page 1
    open_signs: list[OpenSign]  # empty: the part is left out
    open_more: str  # says more are open than page 1 lists; empty when all are listed
    urgency_level: str  # the level's code, or "" when no check has been made
    urgency: list[str]  # what reconsult said, and when
    urgency_note: str  # the note it was about, quoted, when its words are not quoted above
    urgency_more: list[str]  # a later note not checked, when to look again, check again
    emergency_intro: str
    emergency_signs: list[str]
    emergency_numbers: str
    events: list[Event]
    concerns: list[str]  # in full, only when page 1 had to shorten them
    products: list[ProductGroup]
    photo_groups: list[PhotoGroup]
    goals: list[str]
    vetting: list[VettedProvider]  # empty: the section is left out
    question_groups: list[QuestionGroup]
    expectation_points: list[str]  # for every procedure in the case
    expectation_groups: list[ExpectationGroup]
    sources: list[str]
