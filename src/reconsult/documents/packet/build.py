"""Fill in the consultation packet for a case: :func:`build_packet`.

Everything the packet says is filled in here from a
:class:`~reconsult.casefile.schema.CaseFileData` and the knowledge base, so
the text, HTML and PDF layouts print the same packet. Page 1 is laid out in
:mod:`~reconsult.documents.packet.summary`, the history in
:mod:`~reconsult.documents.packet.history`, the photos in
:mod:`~reconsult.documents.packet.photos` and the rest in
:mod:`~reconsult.documents.packet.sections`.
"""

from __future__ import annotations

import datetime as dt

from reconsult.casefile.schema import CaseFileData
from reconsult.documents.packet.history import events
from reconsult.documents.packet.model import Packet
from reconsult.documents.packet.photos import photo_groups
from reconsult.documents.packet.sections import (
    expectations,
    procedures_in,
    products,
    questions,
    source_line,
    vetting,
)
from reconsult.documents.packet.summary import (
    PageLines,
    least_words,
    open_signs_part,
    said_words,
    summary_procedures,
    urgency_note_part,
    urgency_part,
)
from reconsult.documents.packet.words import is_us, language_of, say_date
from reconsult.knowledge import Knowledge, load_knowledge

__all__ = ["build_packet"]


def build_packet(
    case: CaseFileData,
    today: dt.date,
    knowledge: Knowledge | None = None,
    *,
    photos: bool = True,
) -> Packet:
    """Fill in the consultation packet for ``case``, as of ``today``.

    ``photos``: make each photo's print copy, for a layout that shows them;
    the text form passes False, and then no photo's bytes are read.
    """
    kb = knowledge or load_knowledge()
    words = kb.packet.wording
    us = is_us(case)
    procedures = procedures_in(case, kb)
    # Page 1 gives room first to what reconsult said, then to the open signs,
    # then to the words of the note it said it about, then to the concerns or
    # latest note; each leaves room for the shortest of those after it.
    page = PageLines(case, us)
    urgency = urgency_part(case, today, kb, us)
    page.take(sum(page.of(line, 0.5) for line in [*urgency.lines, *urgency.more]))
    least = least_words(case, kb)
    least_note = 1.5 if urgency.about is not None else 0.0
    open_signs, more_open = open_signs_part(case, today, kb, us, page, least + least_note)
    urgency_note = urgency_note_part(case, urgency.about, kb, us, page, least)
    said = said_words(case, kb, us, page)
    shortened = said.shortened
    points, groups, expectation_sources = expectations(procedures, kb)
    help_now = kb.policy.help_now
    person = [(words.name, case.person_name)] if case.person_name else []
    if case.date_of_birth is not None:
        person.append((words.date_of_birth, say_date(case.date_of_birth, us)))
    cited = [s for q in kb.packet.questions.in_order() for s in q.sources]
    cited += expectation_sources + help_now.sources
    return Packet(
        wording=words,
        title=f"{words.title}: {case.person_name or case.title}",
        language=language_of(case),
        page_size="Letter" if us else "A4",
        made_on=words.made_on.format(date=say_date(today, us)),
        person=person,
        procedures=summary_procedures(case, today, kb, us),
        words_intro=said.intro,
        words=said.paragraphs,
        words_more=words.words_shortened if shortened else "",
        open_signs=open_signs,
        open_more=words.open_more if more_open else "",
        urgency_level=urgency.level,
        urgency=urgency.lines,
        urgency_note=urgency_note,
        urgency_more=urgency.more,
        emergency_intro=help_now.heading,
        emergency_signs=[sign.text for sign in help_now.signs],
        emergency_numbers=kb.policy.emergency_numbers,
        events=events(case, today, kb, us),
        concerns=list(case.concerns) if shortened and case.concerns else [],
        products=products(case, kb, us),
        photo_groups=photo_groups(case, kb, us, copies=photos),
        goals=list(case.goals),
        vetting=vetting(case, kb, us),
        question_groups=questions(procedures, kb),
        expectation_points=points,
        expectation_groups=groups,
        sources=[source_line(kb, s) for s in dict.fromkeys(cited)],
    )
