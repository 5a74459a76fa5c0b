"""The emergency answer's first screen: what to do now, who to call, what to tell them.

Two ways lead here: a sign ticked on the journey's first question ("Is any of
this happening now?", knowledge ``help_now.signs``), or words the engine read as
an emergency. Both give the same first screen, built here from the knowledge
base; the reasons, options and sources follow below it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date

from reconsult import i18n
from reconsult.i18n import gettext as _
from reconsult.i18n import ngettext
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import EmergencySign, Source, Urgency
from reconsult.triage.models import Assessment, FindingStatus

__all__ = ["EmergencyView", "from_assessment", "from_screen", "screen_choices", "sign_id"]


@dataclass(frozen=True)
class EmergencyView:
    """What fits on one phone screen, in reading order."""

    headline: str  # "Get emergency help now."
    heading: str  # the care card's heading: the action
    card: str  # the care card's kind (CSS), policy.yaml's for emergency
    card_prefix: str  # what screen readers hear before the heading
    script: list[str]  # what to tell the call handler, the person's own details filled in
    filler_note: str | None
    crisis: bool  # a sign of a mental health crisis: the crisis lines come first
    signs: list[str]  # the signs reported, in the person's terms
    sources: list[Source]  # behind the rules that fired only


def sign_id(sign: EmergencySign) -> str:
    """Return the stable id of a first-question sign (its first finding code)."""
    return sign.findings[0]


def screen_choices(kb: Knowledge) -> list[tuple[str, str]]:
    """Return the first question's choices: (id, words), in the knowledge base's order."""
    return [(sign_id(s), s.text) for s in kb.policy.help_now.signs]


def _when(days: int | None, today: dt.date) -> str | None:
    if days is None:
        return None
    on = today - dt.timedelta(days=days)
    if days == 0:
        # Translators: fills {when} in the knowledge base's "I had {procedure} {when}."
        return _("today")
    # Translators: a day and month without the year, in Unicode CLDR form ("7 December").
    day_month = format_date(on, _("d MMMM"), locale=i18n.current())
    return ngettext("%(num)d day ago, on %(date)s", "%(num)d days ago, on %(date)s", days) % {
        "num": days,
        "date": day_month,
    }


def _script(kb: Knowledge, procedure: str | None, when: str | None, signs: list[str]) -> list[str]:
    words = kb.policy.help_now.script
    lines: list[str] = []
    if procedure is not None:
        name = kb.procedures[procedure].name
        if when is not None:
            lines.append(words.procedure.format(procedure=name, when=when))
        else:
            lines.append(words.procedure_no_date.format(procedure=name))
    if signs:
        lines.append(words.signs.format(signs="; ".join(signs)))
    return lines + list(words.always)


def _crisis(kb: Knowledge, codes: set[str]) -> bool:
    return bool(codes & set(kb.policy.help_now.crisis_findings))


def _texts(kb: Knowledge) -> dict[str, str]:
    text = kb.policy.urgency(Urgency.emergency)
    return {
        "headline": text.headline,
        "heading": text.card_heading or text.headline,
        "card": text.card.value if text.card else Urgency.emergency.value,
        "card_prefix": text.card_prefix or "",
    }


def _sources(kb: Knowledge, ids: list[str]) -> list[Source]:
    seen = list(dict.fromkeys(ids))
    return [kb.sources[i] for i in seen]


def from_screen(kb: Knowledge, ticked: list[str]) -> EmergencyView:
    """The answer to a yes on the first question: no procedure or date known yet."""
    help_now = kb.policy.help_now
    chosen = [s for s in help_now.signs if sign_id(s) in ticked]
    codes = {code for s in chosen for code in s.findings}
    texts = [s.text for s in chosen]
    source_ids = [
        source
        for code in sorted(codes)
        for rule in kb.findings[code].rules
        if rule.urgency is Urgency.emergency
        for source in rule.sources
    ]
    return EmergencyView(
        **_texts(kb),
        script=_script(kb, None, None, texts),
        filler_note=help_now.filler_note if any(s.filler_note for s in chosen) else None,
        crisis=_crisis(kb, codes),
        signs=texts,
        sources=_sources(kb, source_ids),
    )


def from_assessment(kb: Knowledge, a: Assessment) -> EmergencyView:
    """The first screen of an emergency the engine found in the words or the ticks."""
    help_now = kb.policy.help_now
    deciding = [r for r in a.reasons if r.urgency is Urgency.emergency]
    codes = {r.finding for r in deciding if r.finding is not None}
    labels = [f.label for f in a.findings if f.code in codes and f.status is FindingStatus.present]
    procedure = a.procedure.value
    filler = procedure in kb.expand(help_now.filler_note_procedures)
    return EmergencyView(
        **_texts(kb),
        script=_script(kb, procedure, _when(a.days_since_procedure, a.assessed_on), labels),
        filler_note=help_now.filler_note if filler else None,
        crisis=_crisis(kb, codes),
        signs=labels,
        sources=_sources(kb, [s for r in a.reasons for s in r.sources]),
    )
