"""Open findings on the case pages: asked about on the note form, shown on the overview (issue 15).

A worrying sign told in a note stays open until the person says what became of
it (:mod:`reconsult.casefile.open_findings`). The note form asks about each one
that still holds (:func:`closing_questions`) and reads the answers into closings
for ``add_journal_entry`` (:func:`read_closings`). A note's answer is shown again
later with the findings that held it on its day (:func:`earlier_for`), so the
page shows that note's own answer. The wording is in the templates and the
knowledge base; here are only facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reconsult.casefile.open_findings import OpenFinding, holding_for
from reconsult.casefile.schema import CaseFileData, Closing, JournalEntry
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ClosingChoice
from reconsult.triage.models import EarlierFinding
from reconsult.triage.open_findings import stale_after
from reconsult.web.case.fields.notes import STILL_OPEN, closing_fields
from reconsult.web.case.forms import Field, FormState

__all__ = [
    "ClosingQuestion",
    "Held",
    "closing_questions",
    "earlier_for",
    "held_by",
    "read_closings",
    "still_open_typed",
]


@dataclass(frozen=True)
class ClosingQuestion:
    """One open finding on the note form: what was told, when, and the three fields about it."""

    found: OpenFinding
    label: str  # the finding's label in the knowledge base
    choice: Field  # what became of it ("still there" first)
    treated_by: Field  # with "seen": who treated it
    treated_on: Field  # with "seen": when

    @property
    def code(self) -> str:
        """The finding's code: it names the fields."""
        return self.found.raised.finding

    @property
    def told_on(self) -> dt.date:
        """The day the person wrote it."""
        return self.found.entry.written_on

    @property
    def words(self) -> str:
        """The person's words it was read from."""
        return self.found.raised.words

    @property
    def fields(self) -> tuple[Field, Field, Field]:
        """The fields in the order they are shown."""
        return (self.choice, self.treated_by, self.treated_on)


def closing_questions(kb: Knowledge, case: CaseFileData, day: dt.date) -> list[ClosingQuestion]:
    """Return a question for each open finding still holding the answer on ``day``."""
    questions = []
    for found in holding_for(kb, case, day):
        code = found.raised.finding
        choice, treated_by, treated_on = closing_fields(kb, code)
        questions.append(
            ClosingQuestion(found, kb.findings[code].label, choice, treated_by, treated_on)
        )
    return questions


def still_open_typed(questions: list[ClosingQuestion]) -> dict[str, str]:
    """Return the answers a new form starts with: every finding still there."""
    return {q.choice.name: STILL_OPEN for q in questions}


def read_closings(
    questions: list[ClosingQuestion], state: FormState, today: dt.date
) -> dict[str, Closing]:
    """Return the closings the checked form says, by finding code.

    "Still there" (or no answer) closes nothing. Who and when go with "seen"
    only: with another answer, whatever was typed in them is not checked or kept.
    """
    closings: dict[str, Closing] = {}
    for q in questions:
        picked = state.values.get(q.choice.name)
        if picked != ClosingChoice.seen.value:
            parts = (f"{q.treated_on.name}-{part}" for part in ("day", "month", "year"))
            for name in (q.treated_by.name, *parts):
                state.errors.pop(name, None)
        if picked is None or picked == STILL_OPEN:
            continue
        how = ClosingChoice(picked)
        if how is ClosingChoice.seen:
            closings[q.code] = Closing(
                how=how,
                said_on=today,
                treated_by=state.values.get(q.treated_by.name) or "",
                treated_on=state.values.get(q.treated_on.name),
            )
        else:
            closings[q.code] = Closing(how=how, said_on=today)
    return closings


@dataclass(frozen=True)
class Held:
    """A finding an earlier note told, open on the day of a later note, so holding its answer."""

    entry: JournalEntry  # the note that told it
    finding: EarlierFinding  # as the assessment takes it
    surely: bool  # False: closed on the later note's day, before or after it was written


def earlier_for(kb: Knowledge, case: CaseFileData, entry: JournalEntry) -> list[Held]:
    """Return the findings told in the notes before ``entry`` that held on its day.

    One closed that same day is kept with ``surely`` False: the note's own form
    closes first, so it usually did not hold; the stored urgency tells.
    """
    position = next(i for i, e in enumerate(case.journal) if e.id == entry.id)
    day = entry.written_on
    levels = kb.policy.open_findings.levels
    held: list[Held] = []
    for note in case.journal[:position]:
        for raised in note.raised:
            if raised.finding not in kb.findings or raised.urgency not in levels:
                continue  # a case kept with another version of the knowledge
            finding = EarlierFinding(
                finding=raised.finding,
                urgency=raised.urgency,
                said_on=note.written_on,
                words=raised.words,
            )
            closed = raised.closed
            if day > stale_after(kb, finding) or (closed is not None and closed.said_on < day):
                continue
            held.append(Held(note, finding, closed is None or closed.said_on > day))
    return held


def held_by(kb: Knowledge, case: CaseFileData, entry: JournalEntry) -> list[Held]:
    """Return the earlier findings that kept ``entry``'s answer at its level ([] if its own).

    The answer is the note's own when a finding it told itself is at that level;
    otherwise the findings open on its day at that level held it (those surely
    open first; else those closed that day).
    """
    level = entry.urgency
    if level is None or level not in kb.policy.open_findings.levels:
        return []
    if any(r.urgency is level for r in entry.raised):
        return []
    at_level = [h for h in earlier_for(kb, case, entry) if h.finding.urgency is level]
    return [h for h in at_level if h.surely] or at_level
