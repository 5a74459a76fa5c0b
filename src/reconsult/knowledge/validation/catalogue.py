"""Procedures, combinations, red flags, the lexicon and the recall net name what exists."""

from __future__ import annotations

from reconsult.knowledge.base import Knowledge
from reconsult.knowledge.schema import QUOTED_ROLES, FindingKind, ProcedureCode, Urgency
from reconsult.knowledge.validation.sources import duplicates

CONTRACT_PROCEDURES = frozenset(code.value for code in ProcedureCode)


def check_procedures(kb: Knowledge, problems: list[str]) -> None:
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


def check_combinations(kb: Knowledge, problems: list[str]) -> None:
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


def check_red_flags_stay_red(kb: Knowledge, problems: list[str]) -> None:
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


def check_lexicon_and_recall(kb: Knowledge, problems: list[str]) -> None:  # noqa: C901 (one flat list of independent checks, each a few lines)
    """Frames name known concepts; concepts, frames and recall signs cite known sources."""
    concepts = [c.code for c in kb.lexicon.concepts]
    quotable = {c.code for c in kb.lexicon.concepts if c.role in QUOTED_ROLES}
    for code in duplicates(concepts):
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
        if finding.contains and finding.kind not in {FindingKind.result, FindingKind.complication}:
            problems.append(
                f"findings: {finding.code}: only a complication or a look of the result "
                "has contains"
            )
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
