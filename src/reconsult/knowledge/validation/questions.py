"""danger_questions.yaml: every sign is asked on days that exist, every red flag is asked."""

from __future__ import annotations

from reconsult.knowledge.base import Knowledge

AskedDays = dict[tuple[str, str], tuple[int, int | None]]


def check_danger_questions(kb: Knowledge, problems: list[str]) -> AskedDays:  # noqa: C901 (one flat list of independent checks, each a few lines)
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
