"""The loaded, cross-checked knowledge base as one immutable object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reconsult.knowledge.packet_content import PacketContent
from reconsult.knowledge.schema import (
    Combination,
    ContextRuleSpec,
    DayPoint,
    Finding,
    OptionCode,
    OptionSpec,
    Policy,
    Procedure,
    Rule,
    Source,
    TimelineKey,
    Urgency,
)

ALL = "all"


@dataclass(frozen=True)
class WindowedRule:
    """A rule with its day window resolved for one procedure: [start, end)."""

    finding: str
    rule: Rule
    start: int
    end: int | None  # None: open-ended

    def contains(self, days: int) -> bool:
        """Return whether ``days`` since the procedure falls in this window."""
        return self.start <= days and (self.end is None or days < self.end)


@dataclass(frozen=True)
class Knowledge:
    """Everything clinical reconsult knows, validated; see reconsult.knowledge.validation."""

    version: str
    sources: dict[str, Source]
    procedures: dict[str, Procedure]
    findings: dict[str, Finding]
    options: dict[OptionCode, OptionSpec]
    policy: Policy
    context_rules: list[ContextRuleSpec]
    packet: PacketContent  # the consultation packet's questions, expectations, words
    combinations: list[Combination] = field(default_factory=list)
    windows: dict[tuple[str, str], list[WindowedRule]] = field(default_factory=dict)

    def expand(self, names: Iterable[str]) -> set[str]:
        """Expand procedure codes, group names and 'all' into procedure codes."""
        codes: set[str] = set()
        for name in names:
            if name == ALL:
                codes.update(self.procedures)
            elif name in self.procedures:
                codes.add(name)
            else:
                codes.update(c for c, p in self.procedures.items() if name in p.groups)
        return codes

    def known_names(self) -> set[str]:
        """Return every name a rule may use for procedures: codes, groups and 'all'."""
        groups = {g for p in self.procedures.values() for g in p.groups}
        return set(self.procedures) | groups | {ALL}

    def day(self, point: DayPoint, procedure: str) -> int | None:
        """Resolve a day boundary (a number or a timeline key) for one procedure."""
        if isinstance(point, TimelineKey):
            value: int | None = getattr(self.procedures[procedure].timeline, point.value)
            return value
        return point

    def option_allowed(
        self,
        option: OptionCode,
        procedure: str,
        urgency: Urgency | None,
        days: tuple[int, int | None] | None,
    ) -> bool:
        """Apply options.yaml's gates: may ``option`` be offered here?

        ``days`` is a range [start, end) of days since the procedure (a single
        day is ``(d, d + 1)``; ``end`` None is open-ended) or None when the
        days are unknown. The option passes if some day in the range passes.
        ``urgency`` None skips the urgency gate (used when checking rules that
        only steer options).
        """
        spec = self.options[option]
        proc = self.procedures[procedure]
        if spec.allowed_kinds is not None and proc.kind not in spec.allowed_kinds:
            return False
        if spec.allowed_procedures is not None:
            if procedure not in self.expand(spec.allowed_procedures):
                return False
        if urgency is not None and spec.allowed_urgency is not None:
            if urgency not in spec.allowed_urgency:
                return False
        if days is None:
            return not spec.needs_known_days and spec.not_before is None
        if spec.not_before is not None:
            first = self.day(spec.not_before, procedure)
            end = days[1]
            if first is not None and end is not None and end <= first:
                return False
        return True
