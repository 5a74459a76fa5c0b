"""The urgency, step by step: what the findings give, then floors that may only raise it.

Each step returns the level and the reasons it adds; each names the safety
rule of docs/architecture.md it serves.
"""

from __future__ import annotations

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Combination, Urgency
from reconsult.triage.decide_rules import Fired
from reconsult.triage.models import (
    POSSIBLE_DANGER_RULE,
    UNEXPLAINED_RULE,
    DetectedFinding,
    EarlierFinding,
    FindingSource,
    Reason,
    Unexplained,
)
from reconsult.triage.open_findings import open_reasons


def level_from_findings(
    kb: Knowledge,
    procedure: str,
    days: int | None,
    fired: list[Fired],
    combined: list[Combination],
    findings: list[DetectedFinding],
    unexplained: list[Unexplained] | None,
) -> tuple[Urgency, list[Reason]]:
    """Return the level the findings give, and the policy's reason when no rule graded it.

    Safety rules 1 and 2: the level is the most urgent of the fired rules, so a
    present emergency finding makes the answer an emergency and adding a
    finding never lowers it. Safety rule 3: when no rule graded anything, the
    answer is the policy's not-understood level, unless everything was read and
    nothing is happening now (there are then no words left unexplained).
    """
    policy = kb.policy
    graded = [f.window.rule.urgency for f in fired if f.window.rule.urgency is not None]
    graded += [c.urgency for c in combined]
    if graded:
        return min(graded, key=lambda u: u.rank), []
    cited = list(policy.sources)  # policy reasons cite the policy's sources
    if findings and unexplained is not None and not unexplained:
        # Without a reading's list of unexplained words (None), nothing is known to be
        # explained.
        within = _within_judge(kb, procedure, days)
        urgency = (
            policy.nothing_active_within_judge if within else policy.nothing_active_after_judge
        )
        return urgency, [Reason(text=policy.nothing_active_reason, urgency=urgency, sources=cited)]
    urgency = _not_understood(kb, procedure, days)
    return urgency, [Reason(text=policy.unrecognised_reason, urgency=urgency, sources=cited)]


def floor_for_words_not_understood(
    kb: Knowledge,
    procedure: str,
    days: int | None,
    urgency: Urgency,
    understood: bool,
    findings: list[DetectedFinding],
    unexplained: list[Unexplained] | None,
) -> tuple[Urgency, list[Reason]]:
    """Raise the level for words no finding explains; return it with the reasons added.

    Safety rule 3: words close in meaning to a danger sign give at least the
    policy's possible-danger floor, other words about the body the unexplained
    floor. Safety rules 1, 3 and 8: when only ticked signs were understood, none
    of the words, the words' own not-understood answer still stands, and a
    ticked sign only adds to it.
    """
    floor, reasons = _unexplained_floor(kb, unexplained or [])
    if floor is not None and floor.rank < urgency.rank:
        urgency = floor
    from_words = any(f.source is FindingSource.words for f in findings)
    if understood and unexplained and not from_words:
        not_understood = _not_understood(kb, procedure, days)
        if not_understood.rank < urgency.rank:
            urgency = not_understood
            cited = list(kb.policy.sources)
            reasons.append(
                Reason(text=kb.policy.unrecognised_reason, urgency=urgency, sources=cited)
            )
    return urgency, reasons


def held_by_open_findings(
    kb: Knowledge, urgency: Urgency, held: list[EarlierFinding], reasons: list[Reason]
) -> tuple[Urgency, list[Reason]]:
    """Hold the level at that of every open finding from earlier notes; return the reminders.

    Safety rule 7 (nothing told is forgotten): a finding an earlier answer left
    open, and not yet stale, keeps later answers at least at its level, quoting
    the earlier words, unless this answer already tells it at that level or higher.
    """
    added = open_reasons(kb, held, reasons)
    for reason in added:
        if reason.urgency is not None and reason.urgency.rank < urgency.rank:
            urgency = reason.urgency
    return urgency, added


def when_days_unknown(
    kb: Knowledge, urgency: Urgency, days: int | None, fired: list[Fired]
) -> tuple[Urgency, list[Reason]]:
    """Say when the days are unknown, and turn "wait" into "routine" then.

    Safety rule 5 (options never contradict the facts) and the doubt-errs-towards-
    care principle of rule 4: "wait" needs a day to look again, which unknown
    days cannot give, so the answer is "routine" and says why.
    """
    if days is not None:
        return urgency, []
    cited = list(kb.policy.sources)
    reasons = []
    if fired:
        reasons.append(Reason(text=kb.policy.unknown_days_reason, sources=cited))
    if urgency is Urgency.wait:
        urgency = Urgency.routine
        reasons.append(
            Reason(text=kb.policy.wait_needs_known_days_reason, urgency=urgency, sources=cited)
        )
    return urgency, reasons


def _within_judge(kb: Knowledge, procedure: str, days: int | None) -> bool:
    """Return whether the result cannot be judged yet (unknown days count as too early)."""
    return days is None or days < kb.procedures[procedure].timeline.judge


def _not_understood(kb: Knowledge, procedure: str, days: int | None) -> Urgency:
    """Return the policy's level for words not understood at this stage (safety rule 3)."""
    policy = kb.policy
    if _within_judge(kb, procedure, days):
        return policy.unrecognised_within_judge
    return policy.unrecognised_after_judge


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
                rule=POSSIBLE_DANGER_RULE,
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
            rule=UNEXPLAINED_RULE,
            urgency=policy.unexplained_floor,
            sources=list(policy.sources),
        )
        return policy.unexplained_floor, [reason]
    return None, []
