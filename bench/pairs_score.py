"""Score a minimal-pairs vignette file: both members of a pair must be answered right.

A minimal pair is two vignettes that differ in one deciding detail (it stopped;
another procedure; years ago; a friend; a worry; a denial; later in healing),
with ids ending in ``a`` and ``b`` (``mp-01a``, ``mp-01b``). A pair passes when
both members get their expected urgency and neither is offered a forbidden
option. Also printed: pairs whose members got the same answer although they
expect different ones (the deciding words did not count), emergency probes
answered ``emergency``, and forbidden options offered. Only figures are
printed, never the vignettes' words, so a sealed file can be scored too.

    .venv/bin/python bench/pairs_score.py bench/blind/pairs.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from reconsult import Case, assess

TODAY = dt.date(2026, 12, 6)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    try:
        rows = [json.loads(line) for line in args.file.read_text().splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    pairs: dict[str, dict[str, dict[str, object]]] = {}
    for row in rows:
        pairs.setdefault(row["id"][:-1], {})[row["id"][-1]] = row
    passed = same_answer = probes = probes_right = forbidden = 0
    complete = [p for p in pairs.values() if set(p) == {"a", "b"}]
    for pair in complete:
        answers = {}
        ok = True
        for side, row in pair.items():
            case = Case(
                procedure=row["procedure"],
                days_since_procedure=row["days_since_procedure"],
                prior_revisions=row["prior_revisions"],
                description=row["description"],
            )
            answer = assess(case, TODAY)
            expected = row["expected"]
            answers[side] = answer.urgency.value
            bad = set(answer.options) & set(expected.get("options_forbidden") or [])
            forbidden += len(bad)
            ok = ok and answer.urgency.value == expected["urgency"] and not bad
            if expected["urgency"] == "emergency":
                probes += 1
                probes_right += answer.urgency.value == "emergency"
        passed += ok
        differ = pair["a"]["expected"]["urgency"] != pair["b"]["expected"]["urgency"]
        same_answer += differ and answers["a"] == answers["b"]
    print(f"pairs passed                      {passed} of {len(complete)}")
    print(f"different expected, same answer   {same_answer}")
    print(f"emergency probes answered         {probes_right} of {probes}")
    print(f"forbidden options offered         {forbidden}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
