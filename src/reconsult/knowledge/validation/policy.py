"""policy.yaml: urgency words, "Get help now", open findings and fact rules fit together."""

from __future__ import annotations

import string

from reconsult.knowledge.base import Knowledge
from reconsult.knowledge.schema import (
    ALARM_COLOURS,
    URGENCY_ORDER,
    CaseFact,
    ClosingChoice,
    Urgency,
)
from reconsult.knowledge.validation.sources import duplicates


def check_open_findings(kb: Knowledge, problems: list[str]) -> None:
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


def check_urgencies(kb: Knowledge, problems: list[str]) -> None:
    """Each level is worded once; a card is whole; a calm level never looks urgent."""
    where = "policy.yaml: urgencies"
    levels = [u.level for u in kb.policy.urgencies]
    if sorted(levels, key=URGENCY_ORDER.index) != list(URGENCY_ORDER):
        missing = [u.value for u in URGENCY_ORDER if u not in levels]
        twice = sorted({u.value for u in levels if levels.count(u) > 1})
        problems.append(
            f"{where} must list each of the five levels once (missing: {missing}, twice: {twice})"
        )
    labels = [u.label.casefold() for u in kb.policy.urgencies]
    for dupe in duplicates(labels):
        problems.append(f"{where}: two levels have the label '{dupe}'")
    calm = (Urgency.routine, Urgency.wait)
    for text in kb.policy.urgencies:
        card = (text.card, text.card_prefix, text.card_heading)
        if any(part is not None for part in card) and None in card:
            problems.append(
                f"{where}: {text.level.value}: a care card needs card, card_prefix and "
                "card_heading together"
            )
        if text.level in calm and (text.card is not None or text.colour in ALARM_COLOURS):
            problems.append(
                f"{where}: {text.level.value} is a calm answer: no care card, and no "
                f"{' or '.join(c.value for c in ALARM_COLOURS)}"
            )
        if text.level not in calm and text.card is None:
            problems.append(f"{where}: {text.level.value} needs a care card")


def check_help_now(kb: Knowledge, problems: list[str]) -> None:
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


def check_fact_rules(kb: Knowledge, problems: list[str]) -> None:
    """Fact rules have unique ids, name known procedures, and compare with known codes."""
    names = kb.known_names()
    ids = [fact.id for fact in kb.policy.fact_rules]
    for dupe in duplicates(ids):
        problems.append(f"policy.yaml: fact rule id '{dupe}' is used twice")
    for fact in kb.policy.fact_rules:
        where = f"policy.yaml: fact rule {fact.id}"
        for name in fact.procedures:
            if name not in names:
                problems.append(
                    f"{where}: unknown procedure or group '{name}' (allowed: {sorted(names)})"
                )
        test = fact.when
        if test.fact is CaseFact.procedure and test.equals not in kb.procedures:
            problems.append(
                f"{where}: when: unknown procedure '{test.equals}' "
                f"(allowed: {sorted(kb.procedures)})"
            )
