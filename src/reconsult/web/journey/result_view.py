"""Shape an Assessment into what the result page shows: the care card first, then why.

Care cards follow the NHS rules (research/ecosystem.md s.3.4-3.5), each level's
card as policy.yaml words it: emergency, urgent and soon get a card whose heading
is the action; routine gets none; wait gets calm "too early to judge" content, and
its warning signs folded away. An
emergency's first screen (what to do, who to call, what to say) comes from
``emergency_view``. The warning signs to watch for are the danger questions for
this procedure and stage of healing, not every sign of the procedure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reconsult.i18n import N_, long_date, ngettext
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage.danger_questions import danger_questions
from reconsult.triage.decide import sign_urgency
from reconsult.triage.models import (
    OPEN_FINDING_RULE,
    Assessment,
    FindingSource,
    FindingStatus,
    TimingSource,
)
from reconsult.web.journey.emergency_view import from_assessment
from reconsult.web.views.timeline import build_timeline

__all__ = [
    "CareCard",
    "NotedFinding",
    "ResultView",
    "WhyItem",
    "answer_context",
    "result_view",
]

# Translated where they are shown (result_view), in the language of the request.
_STATUS_WORDS = {
    FindingStatus.negated: N_("You said you do not have this"),
    FindingStatus.hypothetical: N_("You said you are worried this could happen"),
    FindingStatus.past: N_("You said this happened before"),
    FindingStatus.someone_else: N_("You said this was about someone else"),
    FindingStatus.resolved: N_("You said this has stopped or gone"),
}


@dataclass(frozen=True)
class CareCard:
    """One care card: its kind (CSS), hidden prefix, heading and bullet list."""

    kind: str
    hidden_prefix: str
    heading: str
    lead: str
    items: list[str]


@dataclass(frozen=True)
class WhyItem:
    """One reason: what we did with it, and the person's words or tick that led to it."""

    text: str
    quote: str | None
    ticked: bool


@dataclass(frozen=True)
class NotedFinding:
    """Something we read but did not count as happening now, and why."""

    label: str
    quote: str
    status: str


@dataclass(frozen=True)
class ResultView:
    """Everything the result page needs, in reading order."""

    assessment: Assessment
    procedure_name: str
    card: CareCard | None
    emergency_signs: list[str]
    other_signs: list[str]
    why: list[WhyItem]
    feelings: list[WhyItem]  # how the person feels: said first, after what to do
    held: list[WhyItem]  # signs told in an earlier note, still open: said right after what to do
    noted: list[NotedFinding]
    days_text: str


def _days_text(a: Assessment) -> str:
    if a.days_since_procedure is None:
        return _("You did not tell us when you had it.")
    days = a.days_since_procedure
    on = long_date(a.assessed_on - dt.timedelta(days=days))
    if a.timing_source is TimingSource.words:
        if days == 0:
            return _("You had it today (from your words), on %(date)s.") % {"date": on}
        return ngettext(
            "You had it %(num)d day ago (from your words), on %(date)s.",
            "You had it %(num)d days ago (from your words), on %(date)s.",
            days,
        ) % {"num": days, "date": on}
    if days == 0:
        return _("You had it today, on %(date)s.") % {"date": on}
    return ngettext(
        "You had it %(num)d day ago, on %(date)s.",
        "You had it %(num)d days ago, on %(date)s.",
        days,
    ) % {"num": days, "date": on}


def result_view(kb: Knowledge, a: Assessment) -> ResultView:
    """Build the result page's view of an assessment (no clinical decisions here)."""
    procedure = kb.procedures[a.procedure.value]
    text = kb.policy.urgency(a.urgency)  # its card, if any, is policy.yaml's
    # The card lists what made the answer this urgent, not every finding.
    deciding = {r.finding for r in a.reasons if r.finding is not None and r.urgency is a.urgency}
    present = [f for f in a.findings if f.status is FindingStatus.present and f.code in deciding]
    # A sign told in an earlier note that holds this answer was told too, on its day.
    told = [f.label for f in present] + [
        kb.findings[r.finding].label
        for r in a.reasons
        if r.rule == OPEN_FINDING_RULE
        and r.urgency is a.urgency
        and r.finding in kb.findings
        and r.finding not in {f.code for f in present}
    ]
    card: CareCard | None = None
    if text.card is not None:
        card = CareCard(
            kind=text.card.value,
            hidden_prefix=text.card_prefix or "",
            heading=text.card_heading or text.headline,
            lead=_("You told us about:") if told else "",
            items=list(dict.fromkeys(told)),
        )
    emergency_signs: list[str] = []
    other_signs: list[str] = []
    code = a.procedure.value
    for question in danger_questions(kb, code, a.days_since_procedure):
        urgency = sign_urgency(kb, question.code, code, a.days_since_procedure)
        (emergency_signs if urgency is Urgency.emergency else other_signs).append(question.question)
    asked = {question.code for question in danger_questions(kb, code, a.days_since_procedure)}
    for f in a.findings:  # worries the person raised, beyond this stage's signs
        worry = f.label.capitalize()
        if f.status is FindingStatus.hypothetical and f.code not in asked:
            if worry not in other_signs:
                other_signs.append(worry)
    why = [
        WhyItem(
            text=r.text,
            quote=r.quote or _quote_for(a, r.finding),
            ticked=_ticked(a, r.finding),
        )
        for r in a.reasons
    ]
    first = set(kb.policy.feelings_first)
    feelings = [item for item, r in zip(why, a.reasons, strict=True) if r.finding in first]
    held = [item for item, r in zip(why, a.reasons, strict=True) if r.rule == OPEN_FINDING_RULE]
    why = [
        item
        for item, r in zip(why, a.reasons, strict=True)
        if r.finding not in first and r.rule != OPEN_FINDING_RULE
    ]
    # From the words only: a "no" on the danger questions is shown on the check page.
    noted = [
        NotedFinding(label=f.label, quote=f.quote, status=_(_STATUS_WORDS[f.status]))
        for f in a.findings
        if f.status in _STATUS_WORDS and f.source is FindingSource.words
    ]
    return ResultView(
        assessment=a,
        procedure_name=procedure.name,
        card=card,
        emergency_signs=emergency_signs,
        other_signs=other_signs,
        why=why,
        feelings=feelings,
        held=held,
        noted=noted,
        days_text=_days_text(a),
    )


def answer_context(
    kb: Knowledge, a: Assessment, reminder_url: str, *, close_url: str | None = None
) -> dict[str, Any]:
    """Return what ``_answer.html`` needs to show one assessment.

    ``close_url``: where to say what became of a sign an earlier note left open,
    when one still holds this answer (a case's note form).
    """
    emergency = a.urgency is Urgency.emergency
    return {
        "a": a,
        "view": result_view(kb, a),
        "timeline": build_timeline(kb, a.procedure.value, a.days_since_procedure),
        "is_emergency": emergency,
        "emergency": from_assessment(kb, a) if emergency else None,
        "help": kb.policy.help_now,
        "reminder_url": reminder_url,
        "close_url": close_url,
    }


def _quote_for(a: Assessment, code: str | None) -> str | None:
    for f in a.findings:
        if f.code == code and f.status is FindingStatus.present:
            return f.quote
    return None


def _ticked(a: Assessment, code: str | None) -> bool:
    return any(
        f.code == code and f.source is FindingSource.checklist and f.status is FindingStatus.present
        for f in a.findings
    )
