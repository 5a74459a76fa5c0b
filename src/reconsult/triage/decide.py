"""Decide: findings + case facts + knowledge -> Assessment. Pure, no I/O, no clock.

The steps, each a small function:

1. Keep the findings that are present (about the person, now) and apply to
   the procedure.
2. For each, pick the rule whose day window holds the days since the
   procedure; when the days are unknown, take that finding's most urgent
   window (doubt errs towards care). Steps 1 and 2 are in
   :mod:`reconsult.triage.decide_rules`.
3. Urgency is the most urgent of the rules that fired (red flags dominate,
   so adding a finding can never lower it). If nothing was understood, the
   policy's fallback applies: never "wait", and the red flags are shown.
4. "wait" needs a date to look again, so with unknown days it becomes
   "routine".
5. A finding an earlier answer left open (``case.earlier``) holds the answer at
   its level until it is stale, quoting the earlier words (triage.open_findings).
   Steps 3 to 5 are in :mod:`reconsult.triage.decide_levels`.
6. Options are the urgency's defaults, the fired rules' and the fact rules'
   options, each then gated by options.yaml (dissolving only for hyaluronic
   acid filler, no revision before tissues settle, no waiting with a red flag):
   :mod:`reconsult.triage.decide_options`.
"""

from __future__ import annotations

import datetime as dt

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import URGENCY_ORDER, Combination, OptionCode, Urgency, UrgencyText
from reconsult.triage.danger_questions import danger_questions
from reconsult.triage.decide_levels import (
    floor_for_words_not_understood,
    held_by_open_findings,
    level_from_findings,
    when_days_unknown,
)
from reconsult.triage.decide_options import choose_options
from reconsult.triage.decide_rules import Fired, fire_combinations, fire_rules, sign_urgency
from reconsult.triage.models import (
    Assessment,
    Case,
    DetectedFinding,
    FindingStatus,
    OptionAdvice,
    Reason,
    SourceRef,
    TimingSource,
    Unexplained,
)
from reconsult.triage.open_findings import holding, raised

__all__ = [
    "Fired",
    "choose_options",
    "decide",
    "fire_combinations",
    "fire_rules",
    "sign_urgency",
]


def decide(
    kb: Knowledge,
    case: Case,
    findings: list[DetectedFinding],
    today: dt.date,
    inferred_days: int | None = None,
    unexplained: list[Unexplained] | None = None,
) -> Assessment:
    """Decide urgency, options, reasons and dates for a case from its findings.

    Each step is a function below that names the safety rule it serves
    (docs/architecture.md). A step may only raise the urgency the steps before it
    gave, never lower it, except that "wait" needs a known day to look again.
    """
    procedure = case.procedure.value
    days, timing = _days_since_procedure(case, inferred_days)
    fired = fire_rules(kb, findings, procedure, days)
    combined = fire_combinations(kb, fired, procedure, days)
    understood = any(f.window.rule.urgency is not None for f in fired) or bool(combined)
    reasons = _rule_reasons(fired, combined)
    urgency, said = level_from_findings(kb, procedure, days, fired, combined, findings, unexplained)
    reasons += said
    urgency, said = floor_for_words_not_understood(
        kb, procedure, days, urgency, understood, findings, unexplained
    )
    reasons += said
    held = holding(kb, list(case.earlier), today)
    urgency, said = held_by_open_findings(kb, urgency, held, reasons)
    reasons += said
    urgency, said = when_days_unknown(kb, urgency, days, fired)
    reasons += said
    # The reasons that decided the level come first.
    reasons.sort(key=lambda r: r.urgency.rank if r.urgency is not None else len(URGENCY_ORDER))
    options, fact_reasons = choose_options(kb, case, urgency, days, fired, combined)
    reasons += fact_reasons
    text = _urgency_text(kb, urgency)
    return Assessment(
        id=case.id,
        procedure=case.procedure,
        urgency=urgency,
        headline=text.headline,
        detail=text.detail,
        options=options,
        option_advice=[_option_advice(kb, o) for o in options],
        reasons=reasons,
        findings=findings,
        understood=understood,
        unrecognised_text=[u.text for u in unexplained or []],
        days_since_procedure=days,
        timing_source=timing,
        timeline_summary=kb.procedures[procedure].timeline.summary,
        reassess_on=_reassess_on(kb, procedure, days, fired, today, urgency),
        product_fades_between=_fades_between(kb, procedure, days, today),
        watch_for=_watch_for(kb, procedure, days, findings),
        emergency_numbers=kb.policy.emergency_numbers,
        rules_fired=[f.window.rule.id for f in fired] + [c.id for c in combined],
        open_findings=raised(kb, reasons, held, today),
        sources=_sources(kb, procedure, reasons, options),
        knowledge_version=kb.version,
        assessed_on=today,
    )


def _days_since_procedure(case: Case, inferred_days: int | None) -> tuple[int | None, TimingSource]:
    """Return the days since the procedure and where they come from.

    Safety rule 6 (same input, same output): the form's date always wins over a
    date read from the words, and no date is ever guessed. Unknown days are kept
    unknown, so each finding takes its most urgent window (``fire_rules``).
    """
    if case.days_since_procedure is not None:
        return case.days_since_procedure, TimingSource.intake
    if inferred_days is not None:
        return inferred_days, TimingSource.words
    return None, TimingSource.unknown


def _rule_reasons(fired: list[Fired], combined: list[Combination]) -> list[Reason]:
    """Return a reason for every rule and combination that fired, quoting the words.

    Safety rules 1 and 2: every present finding that applies to the procedure
    is answered by its own rule, so none is dropped on the way to the level.
    """
    reasons = [
        Reason(
            text=f.window.rule.reason,
            finding=f.finding.code,
            quote=f.finding.quote,
            rule=f.window.rule.id,
            urgency=f.window.rule.urgency,
            sources=list(f.window.rule.sources),
        )
        for f in fired
    ]
    reasons += [
        Reason(
            text=c.reason,
            finding=c.all_of[0],
            rule=c.id,
            urgency=c.urgency,
            sources=list(c.sources),
        )
        for c in combined
    ]
    return reasons


def _reassess_on(
    kb: Knowledge,
    procedure: str,
    days: int | None,
    fired: list[Fired],
    today: dt.date,
    urgency: Urgency,
) -> dt.date | None:
    """Return when to look again for a 'wait' answer: the earliest end of a wait window."""
    if urgency is not Urgency.wait or days is None:
        return None
    ends = [
        f.window.end
        for f in fired
        if f.window.rule.urgency is Urgency.wait and f.window.end is not None
    ]
    end = min(ends) if ends else kb.procedures[procedure].timeline.judge
    return today + dt.timedelta(days=max(end - days, 1))


def _fades_between(
    kb: Knowledge, procedure: str, days: int | None, today: dt.date
) -> tuple[dt.date, dt.date] | None:
    """Return the dates a temporary product is expected to wear off, if still ahead."""
    fade = kb.procedures[procedure].timeline.fade
    if fade is None or days is None or days >= fade[1]:
        return None
    first = today + dt.timedelta(days=max(fade[0] - days, 0))
    return first, today + dt.timedelta(days=fade[1] - days)


def _watch_for(
    kb: Knowledge, procedure: str, days: int | None, findings: list[DetectedFinding]
) -> list[str]:
    """List the danger signs of this procedure and stage, then what the person worries about.

    The signs are the danger questions asked at this stage (a nose at four months
    is not told to watch for a swollen calf); with the days unknown, all of them.
    """
    labels = [kb.findings[q.code].label for q in danger_questions(kb, procedure, days)]
    for finding in findings:
        if finding.status is FindingStatus.hypothetical and finding.label not in labels:
            labels.append(finding.label)
    return labels


def _urgency_text(kb: Knowledge, urgency: Urgency) -> UrgencyText:
    """Return the policy's headline and detail for this level."""
    return next(u for u in kb.policy.urgencies if u.level is urgency)


def _option_advice(kb: Knowledge, option: OptionCode) -> OptionAdvice:
    """Return what one option means, in plain words, and what it costs in time."""
    return OptionAdvice(
        code=option,
        label=kb.options[option].label,
        explanation=kb.options[option].explanation,
        time_cost=kb.options[option].time_cost,
    )


def _sources(
    kb: Knowledge, procedure: str, reasons: list[Reason], options: list[OptionCode]
) -> list[SourceRef]:
    """Return every source the answer rests on: its reasons', the timeline's, the options'."""
    source_ids: list[str] = []
    for reason in reasons:
        source_ids.extend(s for s in reason.sources if s not in source_ids)
    source_ids.extend(s for s in kb.procedures[procedure].timeline.sources if s not in source_ids)
    for option in options:
        source_ids.extend(s for s in kb.options[option].sources if s not in source_ids)
    return [_source_ref(kb, s) for s in source_ids]


def _source_ref(kb: Knowledge, source_id: str) -> SourceRef:
    """Return the public view of one source."""
    s = kb.sources[source_id]
    return SourceRef(
        id=s.id,
        title=s.title,
        publisher=s.publisher,
        year=s.year,
        url=str(s.url) if s.url else None,
        file=s.file,
    )
