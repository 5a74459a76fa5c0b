"""Choose the options: the urgency's defaults, the fired rules' and the fact rules' options.

Each candidate is then gated by options.yaml (safety rule 5: dissolving only for
hyaluronic acid filler, no revision before the tissues settle, no waiting with
a red flag).
"""

from __future__ import annotations

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Combination, OptionCode, Urgency
from reconsult.triage.decide_rules import Fired
from reconsult.triage.models import Case, Reason


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
        # The rule names the case's fact by its field; the data says what it must be.
        if fact.when.holds(getattr(case, fact.when.fact.value)):
            candidates.update(fact.options)
            fact_reasons.append(Reason(text=fact.reason, rule=fact.id, sources=list(fact.sources)))
    span = None if days is None else (days, days + 1)
    allowed = [
        o for o in OptionCode if o in candidates and kb.option_allowed(o, procedure, urgency, span)
    ]
    return allowed, fact_reasons
