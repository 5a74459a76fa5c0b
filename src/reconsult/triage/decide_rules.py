"""Fire the knowledge base's rules: one window per present finding, and combinations.

For each finding that counts (present, or a past fact about the treatment) and
applies to the procedure, the rule whose day window holds the days since the
procedure fires; with the days unknown, the finding's most urgent window (doubt
errs towards care).
"""

from __future__ import annotations

from dataclasses import dataclass

from reconsult.knowledge import Knowledge, WindowedRule
from reconsult.knowledge.schema import URGENCY_ORDER, Combination, FindingKind, Urgency
from reconsult.triage.models import DetectedFinding, FindingStatus


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
