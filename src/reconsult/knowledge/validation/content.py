"""packet.yaml and providers.yaml: unique ids, known names, every procedure covered."""

from __future__ import annotations

from reconsult.knowledge.base import Knowledge
from reconsult.knowledge.provider_content import ProviderKind
from reconsult.knowledge.validation.sources import duplicates


def check_packet(kb: Knowledge, problems: list[str]) -> None:
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


def check_providers(kb: Knowledge, problems: list[str]) -> None:  # noqa: C901 (one flat list of independent checks, each a few lines)
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
        for dupe in duplicates(ids):
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
