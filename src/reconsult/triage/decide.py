"""Decide: findings + case facts + knowledge -> Assessment. Pure, no I/O, no clock.

The steps, each a small function below:

1. Keep the findings that are present (about the person, now) and apply to
   the procedure.
2. For each, pick the rule whose day window holds the days since the
   procedure; when the days are unknown, take that finding's most urgent
   window (doubt errs towards care).
3. Urgency is the most urgent of the rules that fired (red flags dominate,
   so adding a finding can never lower it). If nothing was understood, the
   policy's fallback applies: never "wait", and the red flags are shown.
4. "wait" needs a date to look again, so with unknown days it becomes
   "routine".
5. A finding an earlier answer left open (``case.earlier``) holds the answer at
   its level until it is stale, quoting the earlier words (triage.open_findings).
6. Options are the urgency's defaults, the fired rules' and the fact rules'
   options, each then gated by options.yaml (dissolving only for hyaluronic
   acid filler, no revision before tissues settle, no waiting with a red flag).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reconsult.knowledge import Knowledge, WindowedRule
from reconsult.knowledge.schema import (
    URGENCY_ORDER,
    Combination,
    FindingKind,
    OptionCode,
    Urgency,
)
from reconsult.triage.danger_questions import danger_questions
from reconsult.triage.models import (
    Assessment,
    Case,
    DetectedFinding,
    FindingSource,
    FindingStatus,
    OptionAdvice,
    Reason,
    SourceRef,
    TimingSource,
    Unexplained,
)
from reconsult.triage.open_findings import holding, open_reasons, raised


@dataclass(frozen=True)
class Fired:
    """A rule that fired for a finding."""

    finding: DetectedFinding
    window: WindowedRule


def _most_urgent(rules: list[WindowedRule]) -> WindowedRule:
    """Pick the window whose urgency is highest; urgency-free rules count least."""

    def rank(w: WindowedRule) -> int:
        return w.rule.urgency.rank if w.rule.urgency is not None else len(URGENCY_ORDER)

    return min(rules, key=rank)


def _counts(finding: DetectedFinding) -> bool:
    """Return whether a finding drives the answer: present, or a past fact about the treatment.

    Context findings describe the treatment itself ("done on holiday two years
    ago"), so being in the past does not make them less true.
    """
    if finding.status is FindingStatus.present:
        return True
    return finding.kind is FindingKind.context and finding.status is FindingStatus.past


def fire_rules(
    kb: Knowledge, findings: list[DetectedFinding], procedure: str, days: int | None
) -> list[Fired]:
    """Return the rule that fires for each present finding that applies to the procedure."""
    fired: list[Fired] = []
    seen: set[str] = set()
    for finding in findings:
        if not _counts(finding) or finding.code in seen:
            continue
        windows = kb.windows.get((finding.code, procedure))
        if not windows:
            continue
        seen.add(finding.code)
        if days is None:
            window = _most_urgent(windows)
        else:
            window = next(w for w in windows if w.contains(days))
        fired.append(Fired(finding=finding, window=window))
    return fired


def sign_urgency(kb: Knowledge, code: str, procedure: str, days: int | None) -> Urgency | None:
    """Return the urgency a finding would get for this procedure and day, if present.

    Used to say, ahead of time, which warning signs need emergency help and which
    need a call to the clinic; the same windows as ``fire_rules``, so the page and
    the answer never disagree. Unknown days give the most urgent window.
    """
    windows = kb.windows.get((code, procedure))
    if not windows:
        return None
    if days is None:
        return _most_urgent(windows).rule.urgency
    return next(w for w in windows if w.contains(days)).rule.urgency


def fire_combinations(
    kb: Knowledge, fired: list[Fired], procedure: str, days: int | None
) -> list[Combination]:
    """Return the combinations whose findings are all present for this procedure and day."""
    present = {f.finding.code for f in fired if f.finding.status is FindingStatus.present}
    result = []
    for c in kb.combinations:
        if procedure not in kb.expand(c.procedures) or not set(c.all_of) <= present:
            continue
        if c.any_of and not present.intersection(c.any_of):
            continue
        start = kb.day(c.days.from_, procedure) or 0
        end = None if c.days.to is None else kb.day(c.days.to, procedure)
        if days is not None and (days < start or (end is not None and days >= end)):
            continue
        result.append(c)
    return result


def choose_options(
    kb: Knowledge,
    case: Case,
    urgency: Urgency,
    days: int | None,
    fired: list[Fired],
    combined: list[Combination],
) -> tuple[list[OptionCode], list[Reason]]:
    """Collect candidate options, gate them; return them in contract order, with fact reasons."""
    procedure = case.procedure.value
    candidates: set[OptionCode] = set()
    fact_reasons: list[Reason] = []
    for text in kb.policy.urgencies:
        if text.level is urgency:
            candidates.update(text.default_options)
    for f in fired:
        candidates.update(f.window.rule.options)
    for c in combined:
        candidates.update(c.options)
    for fact in kb.policy.fact_rules:
        if procedure not in kb.expand(fact.procedures):
            continue
        applies = (fact.when == "prior_revisions" and case.prior_revisions > 0) or (
            fact.when == "unknown_product_procedure"
        )
        if applies:
            candidates.update(fact.options)
            fact_reasons.append(Reason(text=fact.reason, rule=fact.id, sources=list(fact.sources)))
    span = None if days is None else (days, days + 1)
    allowed = [
        o for o in OptionCode if o in candidates and kb.option_allowed(o, procedure, urgency, span)
    ]
    return allowed, fact_reasons


def _reassess_on(
    kb: Knowledge, procedure: str, days: int | None, fired: list[Fired], today: dt.date
) -> dt.date | None:
    """Return when to look again for a 'wait' answer: the earliest end of a wait window."""
    if days is None:
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


def _unexplained_floor(
    kb: Knowledge, unexplained: list[Unexplained]
) -> tuple[Urgency | None, list[Reason]]:
    """Return the least urgency words we could not explain allow, and why (safety rule 3).

    Words close in meaning to a danger sign (the recall net) give the policy's
    possible-danger floor, naming the sign and quoting the words; other words
    about the body that no finding explains give the unexplained floor.
    """
    policy = kb.policy
    signs = {s.finding: s for s in kb.recall.signs}
    reasons: list[Reason] = []
    named: set[str] = set()
    for u in unexplained:
        if u.possible_sign is None or u.possible_sign in named:
            continue
        named.add(u.possible_sign)
        label = kb.findings[u.possible_sign].label
        reasons.append(
            Reason(
                text=policy.possible_danger_reason.format(sign=label),
                finding=u.possible_sign,
                quote=u.text,
                rule="possible-danger-sign",
                urgency=policy.possible_danger_floor,
                sources=[*signs[u.possible_sign].sources, *kb.recall.sources],
            )
        )
    if reasons:
        return policy.possible_danger_floor, reasons
    about_body = [u for u in unexplained if u.about_body]
    if about_body:
        reason = Reason(
            text=policy.unexplained_reason,
            quote=about_body[0].text,
            rule="unexplained-words",
            urgency=policy.unexplained_floor,
            sources=list(policy.sources),
        )
        return policy.unexplained_floor, [reason]
    return None, []


def decide(
    kb: Knowledge,
    case: Case,
    findings: list[DetectedFinding],
    today: dt.date,
    inferred_days: int | None = None,
    unexplained: list[Unexplained] | None = None,
) -> Assessment:
    """Decide urgency, options, reasons and dates for a case from its findings."""
    procedure = case.procedure.value
    proc = kb.procedures[procedure]
    if case.days_since_procedure is not None:
        days, timing = case.days_since_procedure, TimingSource.intake
    elif inferred_days is not None:
        days, timing = inferred_days, TimingSource.words
    else:
        days, timing = None, TimingSource.unknown

    fired = fire_rules(kb, findings, procedure, days)
    combined = fire_combinations(kb, fired, procedure, days)
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
    cited = list(kb.policy.sources)  # policy reasons cite the policy's sources
    graded = [f.window.rule.urgency for f in fired if f.window.rule.urgency is not None]
    graded += [c.urgency for c in combined]
    understood = bool(graded)
    policy = kb.policy
    within = days is None or days < proc.timeline.judge
    not_understood = policy.unrecognised_within_judge if within else policy.unrecognised_after_judge
    if understood:
        urgency = min(graded, key=lambda u: u.rank)
    elif findings and unexplained is not None and not unexplained:
        # Everything was read, and nothing is happening now (safety rule 3 holds:
        # there are no words we could not explain). Without a reading's list of
        # unexplained words (None), nothing is known to be explained.
        urgency = (
            policy.nothing_active_within_judge if within else policy.nothing_active_after_judge
        )
        reasons.append(Reason(text=policy.nothing_active_reason, urgency=urgency, sources=cited))
    else:
        urgency = not_understood
        reasons.append(Reason(text=policy.unrecognised_reason, urgency=urgency, sources=cited))
    floor, floor_reasons = _unexplained_floor(kb, unexplained or [])
    if floor is not None and floor.rank < urgency.rank:
        urgency = floor
    reasons += floor_reasons
    if understood and unexplained and not any(f.source is FindingSource.words for f in findings):
        # Only ticked signs were understood, none of the words: the words' own answer
        # still stands, and a ticked sign only adds to it (safety rules 1, 3 and 8).
        if not_understood.rank < urgency.rank:
            urgency = not_understood
            reasons.append(Reason(text=policy.unrecognised_reason, urgency=urgency, sources=cited))
    held = holding(kb, list(case.earlier), today)
    for reason in open_reasons(kb, held, reasons):
        reasons.append(reason)
        if reason.urgency is not None and reason.urgency.rank < urgency.rank:
            urgency = reason.urgency  # an open finding holds the answer at its level
    if days is None and fired:
        reasons.append(Reason(text=kb.policy.unknown_days_reason, sources=cited))
    if urgency is Urgency.wait and days is None:
        urgency = Urgency.routine
        reasons.append(
            Reason(text=kb.policy.wait_needs_known_days_reason, urgency=urgency, sources=cited)
        )

    # The reasons that decided the level come first.
    reasons.sort(key=lambda r: r.urgency.rank if r.urgency is not None else len(URGENCY_ORDER))
    options, fact_reasons = choose_options(kb, case, urgency, days, fired, combined)
    reasons += fact_reasons
    text = next(u for u in kb.policy.urgencies if u.level is urgency)
    source_ids: list[str] = []
    for reason in reasons:
        source_ids.extend(s for s in reason.sources if s not in source_ids)
    source_ids.extend(s for s in proc.timeline.sources if s not in source_ids)
    for option in options:
        source_ids.extend(s for s in kb.options[option].sources if s not in source_ids)
    return Assessment(
        id=case.id,
        procedure=case.procedure,
        urgency=urgency,
        headline=text.headline,
        detail=text.detail,
        options=options,
        option_advice=[
            OptionAdvice(
                code=o,
                label=kb.options[o].label,
                explanation=kb.options[o].explanation,
                time_cost=kb.options[o].time_cost,
            )
            for o in options
        ],
        reasons=reasons,
        findings=findings,
        understood=understood,
        unrecognised_text=[u.text for u in unexplained or []],
        days_since_procedure=days,
        timing_source=timing,
        timeline_summary=proc.timeline.summary,
        reassess_on=_reassess_on(kb, procedure, days, fired, today)
        if urgency is Urgency.wait
        else None,
        product_fades_between=_fades_between(kb, procedure, days, today),
        watch_for=_watch_for(kb, procedure, days, findings),
        emergency_numbers=kb.policy.emergency_numbers,
        rules_fired=[f.window.rule.id for f in fired] + [c.id for c in combined],
        open_findings=raised(kb, reasons, held, today),
        sources=[_source_ref(kb, s) for s in source_ids],
        knowledge_version=kb.version,
        assessed_on=today,
    )


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


__all__ = [
    "Fired",
    "choose_options",
    "decide",
    "fire_combinations",
    "fire_rules",
    "sign_urgency",
]
