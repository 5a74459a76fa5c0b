"""The loaded, cross-checked knowledge base as one immutable object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reconsult.knowledge.packet_content import PacketContent
from reconsult.knowledge.provider_content import (
    Moment,
    ProviderContent,
    RedFlag,
    SpecialtyFit,
    VettingCheck,
)
from reconsult.knowledge.records_access_content import RecordsAccess
from reconsult.knowledge.schema import (
    Combination,
    ContextRuleSpec,
    DangerQuestion,
    DayPoint,
    Finding,
    Lexicon,
    OptionCode,
    OptionSpec,
    Policy,
    Procedure,
    Recall,
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
    providers: ProviderContent  # specialties, boards, vetting checklist, red flags
    lexicon: Lexicon  # shared lay words: concepts for frames, clause breaks
    recall: Recall  # danger signs described for the meaning-based recall net
    records_access: RecordsAccess  # the right to one's records, per jurisdiction; the letter
    combinations: list[Combination] = field(default_factory=list)
    windows: dict[tuple[str, str], list[WindowedRule]] = field(default_factory=dict)
    # danger_questions.yaml, by sign code; asked_days resolves each question's window
    # per procedure: (sign, procedure) -> [start, end) days, end None: from then on.
    danger_questions: dict[str, DangerQuestion] = field(default_factory=dict)
    asked_days: dict[tuple[str, str], tuple[int, int | None]] = field(default_factory=dict)
    # The language its texts for people are in, and where it was read from (None: built
    # by hand, as tests do): knowledge.in_language finds the same base in another language.
    language: str = "en"
    directory: Path | None = None
    # specialty_fits() per procedure, filled on first use: a search asks once per provider.
    _fits: dict[str, tuple[SpecialtyFit, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

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

    def specialty_fits(self, procedure: str) -> list[SpecialtyFit]:
        """Return the fits whose procedures include ``procedure``, best level first, then by id."""
        fits = self._fits.get(procedure)
        if fits is None:
            found = [f for f in self.providers.fits if procedure in self.expand(f.procedures)]
            fits = self._fits.setdefault(
                procedure, tuple(sorted(found, key=lambda f: (f.level, f.id)))
            )
        return list(fits)

    def best_fit(self, procedure: str, codes: Iterable[str]) -> tuple[SpecialtyFit, str] | None:
        """Return the best fit for ``procedure`` among a provider's taxonomy ``codes``.

        The result is the fit of the lowest level (ties broken by fit id) that
        names one of the codes, with the first of ``codes`` (in the order
        given, e.g. primary specialty first) that it names; None if no listed
        specialty fits the procedure.
        """
        listed = list(dict.fromkeys(codes))
        for fit in self.specialty_fits(procedure):
            for code in listed:
                if code in fit.taxonomies:
                    return fit, code
        return None

    def checks_for(self, procedure: str | None) -> list[VettingCheck]:
        """Return the vetting checks that apply to ``procedure`` (None: every check), in order."""
        checks = self.providers.checks
        if procedure is None:
            return list(checks)
        return [c for c in checks if procedure in self.expand(c.procedures)]

    def red_flags_for(self, procedure: str | None, moment: Moment | None = None) -> list[RedFlag]:
        """Return the red flags for ``procedure`` (None: every procedure) at ``moment``, in order.

        ``moment`` None returns the flags for every moment.
        """
        flags = []
        for flag in self.providers.red_flags:
            if moment is not None and moment not in flag.moments:
                continue
            if procedure is not None and procedure not in self.expand(flag.procedures):
                continue
            flags.append(flag)
        return flags
