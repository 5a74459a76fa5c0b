"""Cross-reference checks over the whole knowledge base.

The schema checks each entry on its own; this module checks that entries fit
together: every reference resolves, every rule cites a source, each finding's
day windows cover every day for every procedure it applies to with no gap
and no overlap, and no rule offers an option that options.yaml forbids for
all of that rule's cases. For providers.yaml: every procedure has a fitting
specialty, fits name kept taxonomies, taxonomies name real boards, and nurse
and physician-assistant injectors never rank above level 3. For
danger_questions.yaml: every sign, procedure and source is known, each sign is
asked at most once per procedure, on days that exist, and every red flag of a
procedure is asked for it. For open findings: each level that leaves one open
says for how long, and every choice is worded. Problems are collected and raised together.
"""

from __future__ import annotations

import dataclasses
import string

from reconsult.errors import KnowledgeError
from reconsult.knowledge.base import Knowledge, WindowedRule
from reconsult.knowledge.provider_content import ProviderKind
from reconsult.knowledge.schema import (
    QUOTED_ROLES,
    URGENCY_ORDER,
    ClosingChoice,
    FindingKind,
    OptionCode,
    ProcedureCode,
    TimelineKey,
    Urgency,
)

CONTRACT_PROCEDURES = frozenset(code.value for code in ProcedureCode)


def _check_sources(kb: Knowledge, problems: list[str]) -> None:
    """Every cited source id must exist."""

    def need(ids: list[str], where: str) -> None:
        for source_id in ids:
            if source_id not in kb.sources:
                problems.append(f"{where}: unknown source '{source_id}'")

    for p in kb.procedures.values():
        need(p.timeline.sources, f"procedures.yaml: {p.code}.timeline")
    for f in kb.findings.values():
        for r in f.rules:
            need(r.sources, f"findings: {f.code}: rule {r.id}")
    for o in kb.options.values():
        need(o.sources, f"options.yaml: {o.code.value}")
    need(kb.policy.sources, "policy.yaml")
    need(kb.policy.help_now.sources, "policy.yaml: help_now")
    for c in kb.combinations:
        need(c.sources, f"combinations.yaml: {c.id}")
    for level, stays in kb.policy.open_findings.stays_open.items():
        need(stays.sources, f"policy.yaml: open_findings.stays_open.{level.value}")
    for f in kb.findings.values():
        if f.stays_open is not None:
            need(f.stays_open.sources, f"findings: {f.code}: stays_open")
    for fr in kb.policy.fact_rules:
        need(fr.sources, f"policy.yaml: fact rule {fr.id}")
    for name, question in kb.packet.questions:
        need(question.sources, f"packet.yaml: questions.{name}")
    for e in kb.packet.expectations:
        need(e.sources, f"packet.yaml: expectation {e.id}")
    pv = kb.providers
    for t in pv.taxonomies:
        need(t.sources, f"providers.yaml: taxonomy {t.code}")
    for b in pv.boards:
        need(b.sources, f"providers.yaml: board {b.id}")
    for fit in pv.fits:
        need(fit.sources, f"providers.yaml: fit {fit.id}")
    for check in pv.checks:
        need(check.sources, f"providers.yaml: check {check.id}")
    for flag in pv.red_flags:
        need(flag.sources, f"providers.yaml: red flag {flag.id}")
    for name, note in pv.notes.items():
        need(note.sources, f"providers.yaml: notes.{name}")


def _check_open_findings(kb: Knowledge, problems: list[str]) -> None:
    """Each level that leaves a finding open says how long; every choice is worded."""
    open_findings = kb.policy.open_findings
    where = "policy.yaml: open_findings"
    for level in open_findings.levels:
        if level not in open_findings.stays_open:
            problems.append(f"{where}: level {level.value} has no stays_open")
    for name in ("choices", "closed"):
        missing = set(ClosingChoice) - set(getattr(open_findings, name))
        if missing:
            problems.append(f"{where}.{name}: no words for {sorted(c.value for c in missing)}")
    for text, fields in ((open_findings.reason, {"sign", "date"}), (open_findings.stale, {"date"})):
        named = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        if named != fields:
            problems.append(f"{where}: '{text}' must name exactly {sorted(fields)}")


def _check_help_now(kb: Knowledge, problems: list[str]) -> None:
    """Each emergency sign stands for findings with an emergency rule; names resolve."""
    help_now = kb.policy.help_now
    for sign in help_now.signs:
        for code in sign.findings:
            finding = kb.findings.get(code)
            if finding is None:
                problems.append(f"policy.yaml: help_now sign '{sign.text}': no finding '{code}'")
            elif not any(r.urgency is Urgency.emergency for r in finding.rules):
                problems.append(
                    f"policy.yaml: help_now sign '{sign.text}': finding '{code}' is never "
                    "an emergency, so it cannot be asked as one"
                )
    for code in kb.policy.feelings_first:
        if code not in kb.findings:
            problems.append(f"policy.yaml: feelings_first: unknown finding '{code}'")
    for code in help_now.crisis_findings:
        if code not in kb.findings:
            problems.append(f"policy.yaml: help_now crisis_findings: unknown finding '{code}'")
    ids = [sign.findings[0] for sign in help_now.signs]
    for dupe in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"policy.yaml: two help_now signs start with the finding '{dupe}'")
    unknown = set(help_now.filler_note_procedures) - kb.known_names()
    if unknown:
        problems.append(f"policy.yaml: help_now filler_note_procedures: unknown {sorted(unknown)}")


def _check_packet(kb: Knowledge, problems: list[str]) -> None:
    """Expectations have unique ids, name real procedures, and cover every procedure."""
    names = kb.known_names()
    ids = [e.id for e in kb.packet.expectations]
    for dupe in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"packet.yaml: expectation id '{dupe}' is used twice")
    for e in kb.packet.expectations:
        for name in e.procedures:
            if name not in names:
                problems.append(
                    f"packet.yaml: expectation {e.id}: unknown procedure or group '{name}' "
                    f"(allowed: {sorted(names)})"
                )
    covered = kb.expand(n for e in kb.packet.expectations for n in e.procedures)
    missing = sorted(set(kb.procedures) - covered)
    if missing:
        problems.append(f"packet.yaml: no expectation applies to {missing}")


def _duplicates(ids: list[str]) -> list[str]:
    """Return the ids that occur more than once, sorted."""
    return sorted({i for i in ids if ids.count(i) > 1})


def _check_providers(kb: Knowledge, problems: list[str]) -> None:
    """providers.yaml: unique ids, known taxonomies, boards and procedures, full coverage."""
    pv = kb.providers
    where = "providers.yaml"
    for kind, ids in (
        ("taxonomy code", [t.code for t in pv.taxonomies]),
        ("board id", [b.id for b in pv.boards]),
        ("fit id", [f.id for f in pv.fits]),
        ("check id", [c.id for c in pv.checks]),
        ("red flag id", [r.id for r in pv.red_flags]),
    ):
        for dupe in _duplicates(ids):
            problems.append(f"{where}: {kind} '{dupe}' is used twice")
    boards = {b.id for b in pv.boards}
    kinds = {t.code: t.kind for t in pv.taxonomies}
    for t in pv.taxonomies:
        for board_id in t.boards:
            if board_id not in boards:
                problems.append(
                    f"{where}: taxonomy {t.code}: unknown board '{board_id}' "
                    f"(allowed: {sorted(boards)})"
                )
    names = kb.known_names()

    def need_names(entry: str, procedures: list[str]) -> None:
        for name in procedures:
            if name not in names:
                problems.append(
                    f"{where}: {entry}: unknown procedure or group '{name}' "
                    f"(allowed: {sorted(names)})"
                )

    seen: dict[tuple[str, str], str] = {}  # (procedure, taxonomy) -> fit id
    for fit in pv.fits:
        need_names(f"fit {fit.id}", fit.procedures)
        for code in fit.taxonomies:
            if code not in kinds:
                problems.append(
                    f"{where}: fit {fit.id}: unknown taxonomy '{code}' "
                    "(add it to `taxonomies` first)"
                )
            elif kinds[code] is ProviderKind.injector and fit.level < 3:
                problems.append(
                    f"{where}: fit {fit.id}: {code} is a nurse or physician-assistant "
                    f"injector, so its level must be 3, not {fit.level}"
                )
            for procedure in sorted(kb.expand(fit.procedures)):
                other = seen.setdefault((procedure, code), fit.id)
                if other != fit.id:
                    problems.append(
                        f"{where}: fits {other} and {fit.id} both give {code} for {procedure}"
                    )
    covered = kb.expand(n for fit in pv.fits for n in fit.procedures)
    missing = sorted(set(kb.procedures) - covered)
    if missing:
        problems.append(f"{where}: no specialty fits {missing}")
    used = {code for fit in pv.fits for code in fit.taxonomies}
    for code in sorted(set(kinds) - used):
        problems.append(f"{where}: taxonomy {code} is in no fit, so no search would show it")
    linked = {link.url for c in pv.checks for link in c.links}
    named = {board_id for t in pv.taxonomies for board_id in t.boards}
    for b in pv.boards:
        if b.id not in named and b.lookup_url not in linked:
            problems.append(
                f"{where}: board {b.id} is named by no taxonomy and linked from no check"
            )
    for c in pv.checks:
        need_names(f"check {c.id}", c.procedures)
    for flag in pv.red_flags:
        need_names(f"red flag {flag.id}", flag.procedures)


def _check_procedures(kb: Knowledge, problems: list[str]) -> None:
    """Exactly the contract's procedure codes; red flags name real findings."""
    missing = CONTRACT_PROCEDURES - set(kb.procedures)
    extra = set(kb.procedures) - CONTRACT_PROCEDURES
    if missing:
        problems.append(f"procedures.yaml: missing procedures {sorted(missing)}")
    if extra:
        problems.append(
            f"procedures.yaml: unknown procedures {sorted(extra)} "
            f"(allowed: {sorted(CONTRACT_PROCEDURES)})"
        )
    for p in kb.procedures.values():
        for code in p.red_flags:
            if code not in kb.findings:
                problems.append(f"procedures.yaml: {p.code}.red_flags: unknown finding '{code}'")
        t = p.timeline
        if not t.settle <= t.judge <= t.revision:
            problems.append(
                f"procedures.yaml: {p.code}: the timeline must run settle <= judge <= revision"
            )


def _check_combinations(kb: Knowledge, problems: list[str]) -> None:
    """Combinations name real findings and procedures, and have unique ids."""
    names = kb.known_names()
    seen: set[str] = set()
    for c in kb.combinations:
        if c.id in seen:
            problems.append(f"combinations.yaml: id '{c.id}' is used twice")
        seen.add(c.id)
        for code in [*c.all_of, *c.any_of]:
            if code not in kb.findings:
                problems.append(f"combinations.yaml: {c.id}: unknown finding '{code}'")
        for name in c.procedures:
            if name not in names:
                problems.append(f"combinations.yaml: {c.id}: unknown procedure '{name}'")


def _check_red_flags_stay_red(kb: Knowledge, problems: list[str]) -> None:
    """A danger sign is never 'routine' or 'wait', and the fallback is never 'wait'."""
    calm = {Urgency.routine, Urgency.wait}
    for f in kb.findings.values():
        if f.kind is not FindingKind.red_flag:
            continue
        for r in f.rules:
            if r.urgency is None or r.urgency in calm:
                problems.append(
                    f"findings: {f.code}: rule {r.id} is a red flag, so its urgency must be "
                    "emergency, urgent or soon"
                )
    for name in ("unrecognised_within_judge", "unrecognised_after_judge"):
        if getattr(kb.policy, name) is Urgency.wait:
            problems.append(f"policy.yaml: {name} must not be 'wait' (safety rule 3)")


# How calm each kind of finding is, most serious first (when_mild must go down this list).
KIND_ORDER = {
    FindingKind.red_flag: 0,
    FindingKind.complication: 1,
    FindingKind.result: 2,
    FindingKind.expected: 3,
    FindingKind.context: 4,
}


def _check_lexicon_and_recall(kb: Knowledge, problems: list[str]) -> None:
    """Frames name known concepts; concepts, frames and recall signs cite known sources."""
    concepts = [c.code for c in kb.lexicon.concepts]
    quotable = {c.code for c in kb.lexicon.concepts if c.role in QUOTED_ROLES}
    for code in _duplicates(concepts):
        problems.append(f"lexicon.yaml: concept {code} is defined twice")
    for concept in kb.lexicon.concepts:
        for source in concept.sources:
            if source not in kb.sources:
                problems.append(f"lexicon.yaml: {concept.code}: unknown source {source!r}")
    for finding in kb.findings.values():
        if finding.when_mild is not None:
            mild = kb.findings.get(finding.when_mild)
            if mild is None:
                problems.append(f"findings: {finding.code}: when_mild: unknown finding")
            elif KIND_ORDER[mild.kind] <= KIND_ORDER[finding.kind]:
                problems.append(
                    f"findings: {finding.code}: when_mild must name a calmer kind of finding "
                    f"({mild.code} is {mild.kind.value})"
                )
        if finding.contains and finding.kind is not FindingKind.result:
            problems.append(f"findings: {finding.code}: only a look of the result has contains")
        for code in finding.contains:
            if code not in kb.findings:
                problems.append(f"findings: {finding.code}: contains: unknown finding {code!r}")
        for index, frame in enumerate(finding.frames):
            where = f"findings: {finding.code}: frames[{index}]"
            for code in frame.concepts:
                if code not in concepts:
                    problems.append(f"{where}: unknown concept {code!r} (see lexicon.yaml)")
            if not any(code in quotable for code in frame.concepts):
                problems.append(
                    f"{where}: needs a concept whose role is symptom, detail or course "
                    "(its words are the finding's quote)"
                )
            for source in frame.sources:
                if source not in kb.sources:
                    problems.append(f"{where}: unknown source {source!r}")
    for sign in kb.recall.signs:
        named = kb.findings.get(sign.finding)
        if named is None:
            problems.append(f"recall.yaml: unknown finding {sign.finding!r}")
        elif named.kind not in (FindingKind.red_flag, FindingKind.complication):
            problems.append(f"recall.yaml: {sign.finding} is not a danger sign or complication")
        for source in sign.sources:
            if source not in kb.sources:
                problems.append(f"recall.yaml: {sign.finding}: unknown source {source!r}")
    for source in kb.recall.sources:
        if source not in kb.sources:
            problems.append(f"recall.yaml: unknown source {source!r}")
    for name in ("unexplained_floor", "possible_danger_floor"):
        if getattr(kb.policy, name) in (Urgency.routine, Urgency.wait):
            problems.append(f"policy.yaml: {name} must not be calm (safety rule 3)")


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


def build_windows(kb: Knowledge, problems: list[str]) -> dict[tuple[str, str], list[WindowedRule]]:
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


AskedDays = dict[tuple[str, str], tuple[int, int | None]]


def _check_danger_questions(kb: Knowledge, problems: list[str]) -> AskedDays:
    """Resolve each danger question's windows per procedure and check them.

    Returns (sign, procedure) -> [start, end) days. A question may be asked for a
    procedure whose red_flags do not list it (suicidal thoughts after any
    procedure), but every red flag must be asked for its procedure on some days:
    otherwise the checklist would never offer it.
    """
    where = "danger_questions.yaml"
    names = kb.known_names()
    asked: AskedDays = {}
    for q in kb.danger_questions.values():
        finding = kb.findings.get(q.code)
        if finding is None:
            problems.append(f"{where}: {q.code}: unknown finding code '{q.code}'")
        for index, window in enumerate(q.asked):
            entry = f"{where}: {q.code}: asked[{index}]"
            for source_id in window.sources:
                if source_id not in kb.sources:
                    problems.append(f"{entry}: unknown source '{source_id}'")
            for name in window.procedures:
                if name not in names:
                    problems.append(
                        f"{entry}: unknown procedure or group '{name}' (allowed: {sorted(names)})"
                    )
            for code in sorted(kb.expand(window.procedures)):
                if finding is not None and code not in kb.expand(finding.procedures):
                    problems.append(f"{entry}: the finding does not apply to {code}")
                start = kb.day(window.days.from_, code)
                end = None if window.days.to is None else kb.day(window.days.to, code)
                if start is None or (window.days.to is not None and end is None):
                    problems.append(f"{entry}: {code} has no such timeline point")
                    continue
                if end is not None and end <= start:
                    problems.append(f"{entry}: never asked for {code} (days {start}-{end})")
                    continue
                if (q.code, code) in asked:
                    problems.append(f"{entry}: asked twice for {code}; give it one window")
                    continue
                asked[(q.code, code)] = (start, end)
    for p in kb.procedures.values():
        for code in p.red_flags:
            if code in kb.findings and (code, p.code) not in asked:
                problems.append(
                    f"procedures.yaml: {p.code}.red_flags: {code} is never asked "
                    f"(add a window for {p.code} to {code} in {where})"
                )
    return asked


def validate(kb: Knowledge) -> Knowledge:
    """Check the whole knowledge base; return it with resolved windows or raise."""
    problems: list[str] = []
    _check_procedures(kb, problems)
    _check_sources(kb, problems)
    _check_combinations(kb, problems)
    _check_packet(kb, problems)
    _check_providers(kb, problems)
    _check_red_flags_stay_red(kb, problems)
    _check_lexicon_and_recall(kb, problems)
    _check_help_now(kb, problems)
    _check_open_findings(kb, problems)
    for text in kb.policy.urgencies:
        if text.level is not Urgency.routine and not text.card_heading:
            problems.append(
                f"policy.yaml: urgency {text.level} needs a card_heading (its care card)"
            )
    levels = [u.level for u in kb.policy.urgencies]
    if sorted(levels, key=URGENCY_ORDER.index) != list(URGENCY_ORDER):
        problems.append("policy.yaml: urgencies must list each of the five levels once")
    missing_options = set(OptionCode) - set(kb.options)
    if missing_options:
        problems.append(f"options.yaml: missing options {sorted(o.value for o in missing_options)}")
    windows = build_windows(kb, problems) if not missing_options else {}
    asked = _check_danger_questions(kb, problems)
    if problems:
        raise KnowledgeError("the knowledge base has problems:\n" + "\n".join(problems))
    return dataclasses.replace(kb, windows=windows, asked_days=asked)
