"""Resolve every rule's day window per procedure; check coverage, overlap and options."""

from __future__ import annotations

from reconsult.knowledge.base import Knowledge, WindowedRule
from reconsult.knowledge.schema import OptionCode, TimelineKey


def _window_problems(finding: str, procedure: str, rules: list[WindowedRule]) -> list[str]:
    """Check that sorted windows start at day 0, never overlap and leave no gap."""
    where = f"findings: {finding}: for {procedure}"
    if not rules:
        return [f"{where}: no rule covers this procedure"]
    problems = []
    if rules[0].start != 0:
        problems.append(f"{where}: days 0-{rules[0].start} are not covered")
    for before, after in zip(rules, rules[1:], strict=False):
        if before.end is None or before.end > after.start:
            problems.append(f"{where}: rules {before.rule.id} and {after.rule.id} overlap")
        elif before.end < after.start:
            problems.append(
                f"{where}: days {before.end}-{after.start} are not covered "
                f"(between {before.rule.id} and {after.rule.id})"
            )
    if rules[-1].end is not None:
        problems.append(f"{where}: days from {rules[-1].end} on are not covered")
    return problems


def build_windows(kb: Knowledge, problems: list[str]) -> dict[tuple[str, str], list[WindowedRule]]:  # noqa: C901 (one flat list of independent checks, each a few lines)
    """Resolve every rule's window per procedure and check coverage and options."""
    names = kb.known_names()
    windows: dict[tuple[str, str], list[WindowedRule]] = {}
    rule_ids: set[str] = set()
    for f in kb.findings.values():
        for name in f.procedures:
            if name not in names:
                problems.append(
                    f"findings: {f.code}: unknown procedure or group '{name}' "
                    f"(allowed: {sorted(names)})"
                )
        applies = kb.expand(f.procedures)
        per_procedure: dict[str, list[WindowedRule]] = {p: [] for p in applies}
        for r in f.rules:
            if r.id in rule_ids:
                problems.append(f"findings: {f.code}: rule id '{r.id}' is used twice")
            rule_ids.add(r.id)
            for name in r.procedures:
                if name not in names:
                    problems.append(f"findings: {f.code}: rule {r.id}: unknown procedure '{name}'")
            targets = kb.expand(r.procedures)
            offered: set[OptionCode] = set()
            for code in sorted(targets - applies):
                problems.append(
                    f"findings: {f.code}: rule {r.id} names {code}, "
                    "which the finding's procedures do not include"
                )
            for code in sorted(targets & applies):
                start = kb.day(r.days.from_, code)
                end = None if r.days.to is None else kb.day(r.days.to, code)
                for point, value in ((r.days.from_, start), (r.days.to, end)):
                    if isinstance(point, TimelineKey) and value is None:
                        problems.append(
                            f"findings: {f.code}: rule {r.id}: {code} has no '{point.value}' "
                            "timeline point"
                        )
                if start is None or (r.days.to is not None and end is None):
                    continue
                if end is not None and end <= start:
                    continue  # an empty window for this procedure: the rule does not apply
                w = WindowedRule(finding=f.code, rule=r, start=start, end=end)
                per_procedure[code].append(w)
                for option in r.options:
                    if kb.option_allowed(option, code, w.rule.urgency, (w.start, w.end)):
                        offered.add(option)
            for option in sorted(set(r.options) - offered, key=lambda o: o.value):
                problems.append(
                    f"findings: {f.code}: rule {r.id} offers {option.value}, which options.yaml "
                    "never allows for any of its procedures and days"
                )
        for code, rules in sorted(per_procedure.items()):
            rules.sort(key=lambda w: w.start)
            problems.extend(_window_problems(f.code, code, rules))
            windows[(f.code, code)] = rules
    return windows
