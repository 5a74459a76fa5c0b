"""The danger questions for one procedure and stage of healing. Pure: no I/O, no clock.

Before any calm answer, the interactive flows ask "Is any of this happening
now?" (docs/architecture.md safety rule 8). Which signs, and in what words, is knowledge
data (``knowledge/danger_questions.yaml``); this module only reads it:

* the questions come in the order of the procedure's ``red_flags``, then any
  others asked for it, in the file's order;
* a question is asked when the days since the procedure fall in its window for
  this procedure; when the days are unknown, every question for the procedure
  is asked (doubt asks more);
* :func:`questions_left` leaves out the signs the person's words already
  report or deny, as the web journey and ``reconsult assess`` do.
"""

from __future__ import annotations

from collections.abc import Iterable

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import DangerQuestion
from reconsult.triage.models import DetectedFinding, FindingStatus

__all__ = ["asked_window", "danger_questions", "questions_for", "questions_left"]


def asked_window(kb: Knowledge, code: str, procedure: str) -> tuple[int, int | None] | None:
    """Return the days [start, end) on which sign ``code`` is asked after ``procedure``.

    ``end`` None means from ``start`` on; the result is None when the sign is
    never asked for this procedure.
    """
    return kb.asked_days.get((code, procedure))


def questions_for(kb: Knowledge, procedure: str) -> list[DangerQuestion]:
    """Return every danger question asked for ``procedure`` on some day, in asking order."""
    order = list(dict.fromkeys([*kb.procedures[procedure].red_flags, *kb.danger_questions]))
    return [
        kb.danger_questions[code]
        for code in order
        if code in kb.danger_questions and (code, procedure) in kb.asked_days
    ]


def danger_questions(kb: Knowledge, procedure: str, days: int | None) -> list[DangerQuestion]:
    """Return the danger questions to ask ``days`` after ``procedure`` (None: not known)."""
    questions = questions_for(kb, procedure)
    if days is None:
        return questions
    asked = []
    for question in questions:
        start, end = kb.asked_days[(question.code, procedure)]
        if start <= days and (end is None or days < end):
            asked.append(question)
    return asked


def questions_left(
    kb: Knowledge, procedure: str, days: int | None, from_words: Iterable[DetectedFinding]
) -> list[DangerQuestion]:
    """Return the danger questions the person's words neither report nor deny.

    A sign mentioned only as a worry, in the past or about someone else is still
    asked: the question is about "right now".
    """
    decided = {
        f.code for f in from_words if f.status in (FindingStatus.present, FindingStatus.negated)
    }
    return [q for q in danger_questions(kb, procedure, days) if q.code not in decided]
