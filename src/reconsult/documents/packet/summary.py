"""Page 1 of the packet: the procedures, the person's words, the open signs, the urgency.

Page 1 stays one page. Its parts that vary in length (the note beside the
urgency, the open signs, the concerns or latest note) share an estimate of
the lines it has left for them (:class:`PageLines`), in lines of 10 pt text of
LINE_CHARS characters (a little fewer than a line holds, so the estimate
errs short). Measured with pdftotext on the longest cases (tests/documents/
test_packet_open_findings.py): each further procedure takes PROCEDURE_LINES.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

from reconsult.casefile.open_findings import OpenFinding, open_findings
from reconsult.casefile.schema import CaseFileData
from reconsult.documents.packet.model import Laid, OpenSign, SummaryProcedure
from reconsult.documents.packet.words import (
    ago,
    checked,
    headline_of,
    latest,
    say_date,
    shorten,
    sign_label,
)
from reconsult.knowledge import Knowledge

__all__ = [
    "PageLines",
    "SaidWords",
    "UrgencyPart",
    "least_words",
    "open_signs_part",
    "said_words",
    "summary_procedures",
    "urgency_note_part",
    "urgency_part",
]

WORDS_ON_SUMMARY: Final = 4  # concerns quoted on page 1 at most; the rest follow in full
WORDS_LENGTH: Final = 320  # characters of each concern quoted on page 1
OPEN_ON_SUMMARY: Final = 3  # open signs listed on page 1 at most; the history lists them all
OPEN_WORDS_LENGTH: Final = 64  # characters of each open sign's words on page 1
NOTE_LENGTH: Final = 100  # characters of the note quoted beside the urgency
SUMMARY_LINES: Final = {"A4": 25.0, "Letter": 21.5}  # with one procedure
PROCEDURE_LINES: Final = 3.6
LINE_CHARS: Final = 90


def summary_procedures(
    case: CaseFileData, today: dt.date, kb: Knowledge, us: bool
) -> list[SummaryProcedure]:
    words = kb.packet.wording
    rows = []
    for record in case.procedures:
        if record.performed_on is None:
            when = words.date_not_recorded
        else:
            when = say_date(record.performed_on, us)
            days = (today - record.performed_on).days
            if days >= 0:
                when += f" ({ago(days, words)})"
        who = ", ".join(x for x in (record.provider_name, record.practice_name) if x)
        rows.append(
            SummaryProcedure(
                name=kb.procedures[record.procedure].name, when=when, who=who or words.not_recorded
            )
        )
    return rows


class PageLines:
    """What is left of page 1 for its parts that vary, in estimated lines (SUMMARY_LINES)."""

    def __init__(self, case: CaseFileData, us: bool) -> None:
        extra = max(0, len(case.procedures) - 1) * PROCEDURE_LINES
        self.left = SUMMARY_LINES["Letter" if us else "A4"] - extra

    @staticmethod
    def of(text: str, after: float = 0.6, size: float = 1.0) -> float:
        """The lines a paragraph takes (``size``: its font size against 10 pt)."""
        return (math.ceil(len(text) * size / LINE_CHARS) + after) * size if text else 0.0

    def take(self, lines: float) -> None:
        """Count ``lines`` as used."""
        self.left -= lines

    def chars(self, keep: float, most: int, least: int = 40) -> int:
        """How many characters a paragraph may have, leaving ``keep`` lines."""
        return max(least, min(most, int((self.left - keep - 0.6) * LINE_CHARS)))


def quoted_note(case: CaseFileData) -> int | None:
    """The note page 1 quotes under what is wrong: the latest, when there are no concerns."""
    return None if case.concerns else latest(case.journal, lambda e: e.text.strip())


def least_words(case: CaseFileData, kb: Knowledge) -> float:
    """The lines the person's words take at their shortest: one line, and a line saying so."""
    intro = 0.0 if case.concerns else 1.3  # "From my note of ..."
    return intro + 1.6 + PageLines.of(kb.packet.wording.words_shortened, 0.3, 0.9)


class SaidWords(Laid):
    """What is wrong in the person's words for page 1."""

    intro: str
    paragraphs: list[str]
    shortened: bool


def said_words(case: CaseFileData, kb: Knowledge, us: bool, page: PageLines) -> SaidWords:
    """The concerns that fit on page 1, or else the latest note, shortened to fit.

    Concerns are quoted in order while they fit (at most WORDS_ON_SUMMARY, each
    at most WORDS_LENGTH characters); the first is always quoted, shortened to
    the room left. Whatever is shortened or left out follows in full.
    """
    words = kb.packet.wording
    more = page.of(words.words_shortened, 0.3, 0.9)
    if case.concerns:
        quoted: list[str] = []
        for concern in case.concerns[:WORDS_ON_SUMMARY]:
            text = shorten(concern, WORDS_LENGTH)[0]
            if page.of(text) > page.left - more:
                if quoted:
                    break
                text = shorten(concern, page.chars(more, WORDS_LENGTH))[0]
            page.take(page.of(text))
            quoted.append(text)
        shortened = len(case.concerns) > len(quoted) or any(
            text != " ".join(c.split()) for text, c in zip(quoted, case.concerns, strict=False)
        )
        return SaidWords(intro="", paragraphs=quoted, shortened=shortened)
    index = quoted_note(case)
    if index is None:
        return SaidWords(intro="", paragraphs=[], shortened=False)
    entry = case.journal[index]
    intro = words.words_from_note.format(date=say_date(entry.written_on, us))
    page.take(page.of(intro, 0.3))
    text, shortened = shorten(entry.text, page.chars(more, WORDS_LENGTH * 2))
    page.take(page.of(text))
    return SaidWords(intro=intro, paragraphs=[text], shortened=shortened)


class UrgencyPart(Laid):
    """How urgent reconsult last said it was, and the note it said it about."""

    level: str  # the level's code, or "" when no check has been made
    lines: list[str]  # what it said, and when
    about: int | None = None  # the note it was about, when page 1 does not already quote it
    more: list[str] = []  # what follows the note's words


def urgency_part(case: CaseFileData, today: dt.date, kb: Knowledge, us: bool) -> UrgencyPart:
    """The latest answer, dated, beside the words of its own note (issue 15).

    Page 1 quotes the concerns or the latest note; the latest answer can be
    about an earlier note (a later one was never checked). An answer is never
    shown beside another note's words alone: unless its own note is the one
    quoted above, its words are quoted with it (:func:`urgency_note_part`), and a
    later note without an answer is named as not checked.
    """
    words = kb.packet.wording
    index = latest(case.journal, checked)
    if index is None:
        return UrgencyPart(level="", lines=[words.urgency_none])
    entry = case.journal[index]
    said = words.urgency_said.format(
        date=say_date(entry.written_on, us), headline=headline_of(entry, kb)
    )
    lines = [said]
    days = (today - entry.written_on).days
    if days >= 0:
        lines.append(words.urgency_ago.format(ago=ago(days, words)))
    more = []
    later = latest(case.journal, lambda e: e.text.strip() and not checked(e))
    if later is not None:
        day = case.journal[later].written_on
        if (day, later) > (entry.written_on, index):
            more.append(words.urgency_unchecked.format(date=say_date(day, us)))
    if entry.reassess_on is not None:
        more.append(words.urgency_look_again.format(date=say_date(entry.reassess_on, us)))
    more.append(words.urgency_recheck)
    level = entry.urgency.value if entry.urgency else ""
    about = None if quoted_note(case) == index else index
    return UrgencyPart(level=level, lines=lines, about=about, more=more)


def urgency_note_part(
    case: CaseFileData, about: int | None, kb: Knowledge, us: bool, page: PageLines, keep: float
) -> str:
    """The words of the note the urgency was about, as much as fits leaving ``keep`` lines."""
    if about is None:
        return ""
    entry = case.journal[about]
    told = kb.packet.wording.urgency_note.format(date=say_date(entry.written_on, us), words="")
    room = page.chars(keep, NOTE_LENGTH + len(told), least=0) - len(told)
    words = shorten(entry.text, max(NOTE_LENGTH // 4, room))[0]
    note = kb.packet.wording.urgency_note.format(date=say_date(entry.written_on, us), words=words)
    page.take(page.of(note, 0.5))
    return note


def _open_status(found: OpenFinding, today: dt.date, kb: Knowledge, us: bool) -> str:
    """Whether an open sign still holds the answer on ``today``, or is past its time."""
    words = kb.packet.wording
    until = say_date(found.holds_until, us)
    if found.holds_on(today):
        return words.open_holds.format(date=until)
    return words.open_stale.format(stale=kb.policy.open_findings.stale.format(date=until))


def _open_sign(
    found: OpenFinding, length: int, today: dt.date, kb: Knowledge, us: bool
) -> OpenSign:
    """One open sign for page 1, its words cut to ``length`` characters."""
    said = shorten(found.raised.words, length)[0]
    return OpenSign(
        sign=sign_label(found.raised.finding, kb),
        told=kb.packet.wording.open_told.format(
            date=say_date(found.entry.written_on, us), words=said
        ),
        status=_open_status(found, today, kb, us),
        level=found.raised.urgency.value if found.holds_on(today) else "",
    )


def open_signs_part(
    case: CaseFileData, today: dt.date, kb: Knowledge, us: bool, page: PageLines, keep: float
) -> tuple[list[OpenSign], bool]:
    """The signs still open for page 1: those that count first, then those past their time.

    At most OPEN_ON_SUMMARY, as many as fit leaving ``keep`` lines, but always
    the first (its words shortened further if need be); and whether more are
    open (the history lists them all).
    """
    words = kb.packet.wording
    found = open_findings(kb, case)
    counting = [f for f in found if f.holds_on(today)]
    past = [f for f in reversed(found) if not f.holds_on(today)]  # latest first
    ordered = counting + past
    if not ordered:
        return [], False
    page.take(2.2 + page.of(words.open_intro, 0.3, 0.9))  # the heading and the intro
    more = page.of(words.open_more, 0.3, 0.9) if len(ordered) > 1 else 0.0
    signs: list[OpenSign] = []
    for f in ordered[:OPEN_ON_SUMMARY]:
        sign = _open_sign(f, OPEN_WORDS_LENGTH, today, kb, us)
        lines = 1 + page.of(f"{sign.told} {sign.status}", 0.3)
        if lines > page.left - keep - more:
            if signs:
                break
            sign = _open_sign(f, OPEN_WORDS_LENGTH // 2, today, kb, us)
            lines = 1 + page.of(f"{sign.told} {sign.status}", 0.3)
        page.take(lines)
        signs.append(sign)
    cut = len(ordered) > len(signs)
    page.take(more if cut else 0.0)
    return signs, cut
