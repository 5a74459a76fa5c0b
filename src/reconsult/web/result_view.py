"""Shape an Assessment into what the result page shows: the care card first, then why.

Care cards follow the NHS rules (research/ecosystem.md s.3.4-3.5): emergency,
urgent and soon get a card whose heading is the action; routine gets none; wait
gets plain "too early to judge" content and one safety-net card.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage.decide import sign_urgency
from reconsult.triage.models import Assessment, FindingSource, FindingStatus, TimingSource

__all__ = ["CareCard", "NotedFinding", "ResultView", "WhyItem", "result_view"]

# Screen readers hear this before the card heading (NHS care card markup).
_CARD_KIND = {
    Urgency.emergency: ("emergency", "Immediate action required:"),
    Urgency.urgent: ("urgent", "Urgent advice:"),
    Urgency.soon: ("non-urgent", "Non-urgent advice:"),
    Urgency.wait: ("urgent", "Urgent advice:"),  # the safety net
}

_STATUS_WORDS = {
    FindingStatus.negated: "You said you do not have this",
    FindingStatus.hypothetical: "You said you are worried this could happen",
    FindingStatus.past: "You said this happened before",
    FindingStatus.someone_else: "You said this was about someone else",
    FindingStatus.resolved: "You said this has stopped or gone",
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
    safety_net: CareCard | None
    emergency_signs: list[str]
    other_signs: list[str]
    why: list[WhyItem]
    noted: list[NotedFinding]
    days_text: str


def _days_text(a: Assessment) -> str:
    if a.days_since_procedure is None:
        return "You did not tell us when you had it."
    days = a.days_since_procedure
    when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    source = " (from your words)" if a.timing_source is TimingSource.words else ""
    on = a.assessed_on - dt.timedelta(days=days)
    return f"You had it {when}{source}, on {on.day} {on:%B %Y}."


def result_view(kb: Knowledge, a: Assessment) -> ResultView:
    """Build the result page's view of an assessment (no clinical decisions here)."""
    procedure = kb.procedures[a.procedure.value]
    text = next(u for u in kb.policy.urgencies if u.level is a.urgency)
    # The card lists what made the answer this urgent, not every finding.
    deciding = {r.finding for r in a.reasons if r.finding is not None and r.urgency is a.urgency}
    present = [f for f in a.findings if f.status is FindingStatus.present and f.code in deciding]
    card: CareCard | None = None
    if a.urgency in (Urgency.emergency, Urgency.urgent, Urgency.soon):
        kind, prefix = _CARD_KIND[a.urgency]
        card = CareCard(
            kind=kind,
            hidden_prefix=prefix,
            heading=text.card_heading or text.headline,
            lead="You told us about:" if present else "",
            items=[f.label for f in present],
        )
    emergency_signs: list[str] = []
    other_signs: list[str] = []
    for code in procedure.red_flags:
        label = kb.findings[code].label
        urgency = sign_urgency(kb, code, a.procedure.value, a.days_since_procedure)
        (emergency_signs if urgency is Urgency.emergency else other_signs).append(label)
    for label in a.watch_for:  # worries the person raised, beyond the procedure's signs
        if label not in emergency_signs and label not in other_signs:
            other_signs.append(label)
    safety_net: CareCard | None = None
    if a.urgency is Urgency.wait:
        kind, prefix = _CARD_KIND[Urgency.wait]
        safety_net = CareCard(
            kind=kind,
            hidden_prefix=prefix,
            heading=text.card_heading or text.headline,
            lead="",
            items=[],
        )
    why = [
        WhyItem(
            text=r.text,
            quote=r.quote or _quote_for(a, r.finding),
            ticked=_ticked(a, r.finding),
        )
        for r in a.reasons
    ]
    # From the words only: a "no" on the danger questions is shown on the check page.
    noted = [
        NotedFinding(label=f.label, quote=f.quote, status=_STATUS_WORDS[f.status])
        for f in a.findings
        if f.status in _STATUS_WORDS and f.source is FindingSource.words
    ]
    return ResultView(
        assessment=a,
        procedure_name=procedure.name,
        card=card,
        safety_net=safety_net,
        emergency_signs=emergency_signs,
        other_signs=other_signs,
        why=why,
        noted=noted,
        days_text=_days_text(a),
    )


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
