"""Procedure guide pages generated from the knowledge base.

Each guide says, for one procedure: the warning signs and how fast to act on
them, what is normal and when (the timeline), what can be undone, and what to
ask. Everything shown comes from the knowledge base; the choices made here are
about layout, and that a sign with no clear urgency goes on the urgent card.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from reconsult.i18n import N_
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ProcedureKind, Urgency
from reconsult.triage.decide import sign_urgency
from reconsult.web.templating import render
from reconsult.web.views.timeline import TimelineView, build_timeline

__all__ = [
    "GuideGroup",
    "GuideLink",
    "GuideView",
    "SignCard",
    "SourceItem",
    "guide_groups",
    "guide_view",
    "router",
]

router = APIRouter(include_in_schema=False)

# NHS care cards, each level's as policy.yaml words it. A sign whose rules give no
# clear urgency gets the urgent level's card: doubt errs towards help.
_UNSURE_LEVEL = Urgency.urgent
# Translated where a card is made, in the language of the request.
_UNSURE_HEADING = N_("Get help straight away if:")
_INJECTIONS = N_("Injections and fillers")
_SURGERY = N_("Surgery")


@dataclass(frozen=True)
class SignCard:
    """One care card of warning signs that share how fast to act."""

    kind: str
    hidden_prefix: str
    heading: str
    signs: tuple[str, ...]
    note: str | None  # e.g. what to do as well if you had filler


@dataclass(frozen=True)
class SourceItem:
    """A cited source as the page shows it."""

    title: str
    publisher: str
    year: int
    url: str | None


@dataclass(frozen=True)
class GuideView:
    """Everything one guide page shows, in reading order."""

    code: str
    name: str
    cards: tuple[SignCard, ...]
    timeline: TimelineView
    summary: str
    reversible: str
    questions: tuple[str, ...]
    sources: tuple[SourceItem, ...]


@dataclass(frozen=True)
class GuideLink:
    """A link to one guide."""

    name: str
    href: str


@dataclass(frozen=True)
class GuideGroup:
    """A heading on the index page and the guides under it."""

    heading: str
    guides: tuple[GuideLink, ...]


def guide_groups(kb: Knowledge) -> tuple[GuideGroup, ...]:
    """List every procedure's guide, injections first, then surgery."""
    groups: dict[str, list[GuideLink]] = {_INJECTIONS: [], _SURGERY: []}
    for code, proc in kb.procedures.items():
        heading = _SURGERY if proc.kind is ProcedureKind.surgery else _INJECTIONS
        groups[heading].append(GuideLink(name=proc.name, href=f"/guides/{code}"))
    return tuple(GuideGroup(_(h), tuple(links)) for h, links in groups.items() if links)


def _sign_cards(kb: Knowledge, code: str) -> tuple[SignCard, ...]:
    """Group the procedure's warning signs by the most urgent answer each would get."""
    proc = kb.procedures[code]
    carded = [text for text in kb.policy.urgencies if text.card is not None]
    by_level: dict[Urgency | None, list[str]] = {}
    for finding in proc.red_flags:
        urgency = sign_urgency(kb, finding, code, None)  # days unknown: the most urgent window
        level = urgency if any(text.level is urgency for text in carded) else None
        by_level.setdefault(level, []).append(kb.findings[finding].label)
    cards: list[SignCard] = []
    for text in sorted(carded, key=lambda t: t.level.rank):
        if text.level not in by_level or text.card is None:
            continue
        note = None
        if text.level is Urgency.emergency and proc.kind is ProcedureKind.filler:
            note = kb.policy.help_now.filler_note
        cards.append(
            SignCard(
                kind=text.card.value,
                hidden_prefix=text.card_prefix or "",
                # Translators: a care card's heading: "Contact the clinic today if you have:".
                heading=_("%(action)s if you have:") % {"action": text.card_heading}
                if text.card_heading
                else _(_UNSURE_HEADING),
                signs=tuple(by_level[text.level]),
                note=note,
            )
        )
    if None in by_level:
        unsure = kb.policy.urgency(_UNSURE_LEVEL)
        kind = unsure.card.value if unsure.card else _UNSURE_LEVEL.value
        cards.append(
            SignCard(
                kind, unsure.card_prefix or "", _(_UNSURE_HEADING), tuple(by_level[None]), None
            )
        )
    return tuple(cards)


def guide_view(kb: Knowledge, code: str) -> GuideView:
    """Build one procedure's guide from the knowledge base."""
    proc = kb.procedures[code]
    sources = tuple(
        SourceItem(
            title=s.title,
            publisher=s.publisher,
            year=s.year,
            url=str(s.url) if s.url is not None else None,
        )
        for s in (kb.sources[i] for i in proc.timeline.sources)
    )
    return GuideView(
        code=code,
        name=proc.name,
        cards=_sign_cards(kb, code),
        timeline=build_timeline(kb, code, None),
        summary=proc.timeline.summary,
        reversible=proc.reversible,
        questions=tuple(proc.questions),
        sources=sources,
    )


@router.get("/guides", response_class=HTMLResponse)
def guides_page(request: Request) -> HTMLResponse:
    """List the guide to each procedure."""
    kb: Knowledge = request.app.state.reconsult.knowledge
    return render(request, "guides.html", {"groups": guide_groups(kb)})


@router.get("/guides/{code}", response_class=HTMLResponse)
def guide_page(request: Request, code: str) -> HTMLResponse:
    """Show what is normal, the warning signs and what can be done for one procedure."""
    kb: Knowledge = request.app.state.reconsult.knowledge
    if code not in kb.procedures:
        raise HTTPException(status_code=404)
    view = guide_view(kb, code)
    return render(request, "guide.html", {"guide": view, "timeline": view.timeline})
