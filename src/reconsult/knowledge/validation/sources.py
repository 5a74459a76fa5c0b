"""Every cited source exists; and the helper that finds ids given twice."""

from __future__ import annotations

from reconsult.knowledge.base import Knowledge


def check_sources(kb: Knowledge, problems: list[str]) -> None:  # noqa: C901 (one flat list of independent checks, each a few lines)
    """Every cited source id must exist."""

    def need(ids: list[str], where: str) -> None:
        for source_id in ids:
            if source_id not in kb.sources:
                problems.append(f"{where}: unknown source '{source_id}'")

    for p in kb.procedures.values():
        need(p.timeline.sources, f"procedures.yaml: {p.code}.timeline")
        if p.examples is not None:
            need(p.examples.sources, f"procedures.yaml: {p.code}.examples")
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


def duplicates(ids: list[str]) -> list[str]:
    """Return the ids that occur more than once, sorted."""
    return sorted({i for i in ids if ids.count(i) > 1})
