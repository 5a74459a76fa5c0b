"""Time the assessment of long messages (issue 13: one long post must not starve the rest).

Builds messages of about ``--chars`` characters each by joining the descriptions
of a vignette file in turn (with full stops, and a second set with every full
stop, question and exclamation mark removed, the slowest shape for a reader
that works sentence by sentence), assesses each in process after a warm-up,
and prints the median, p99 and maximum time per message next to the target
(10,000 characters: median <= 60 ms). ``--write FILE`` also writes the messages
in the benchmark contract's format, for the API load test:

    .venv/bin/python bench/long_messages.py --write bench/results/long.jsonl
    .venv/bin/python bench/api_bench.py --vignettes bench/results/long.jsonl

A benchmark reports figures; it exits 0 whether or not the target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

from reconsult import Case, assess

TODAY = dt.date(2026, 12, 6)
TARGET_MS = 60.0
PROCEDURES = ["filler_hyaluronic_acid", "rhinoplasty", "breast_augmentation", "liposuction"]


def messages(descriptions: list[str], count: int, chars: int) -> list[str]:
    """Join descriptions in turn into ``count`` messages of about ``chars`` characters."""
    result, index = [], 0
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < chars:
            parts.append(descriptions[index % len(descriptions)])
            index += 1
        result.append(" ".join(parts)[:chars])
    return result


def without_stops(text: str) -> str:
    """Remove the sentence ends, as in a long message typed without punctuation."""
    return text.translate(str.maketrans({".": " ", "!": " ", "?": " "}))


def time_all(texts: list[str], passes: int) -> list[float]:
    """Assess every text ``passes`` times after one warm-up; return milliseconds per call."""
    cases = [
        Case(procedure=PROCEDURES[i % len(PROCEDURES)], days_since_procedure=10, description=t)
        for i, t in enumerate(texts)
    ]
    for case in cases:
        assess(case, TODAY)
    times = []
    for _ in range(passes):
        for case in cases:
            start = time.perf_counter()
            assess(case, TODAY)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--vignettes", type=Path, default=Path(__file__).with_name("paraphrases.jsonl")
    )
    parser.add_argument("--count", type=int, default=20, help="messages per shape (default 20)")
    parser.add_argument("--chars", type=int, default=10_000, help="characters per message")
    parser.add_argument("--passes", type=int, default=3, help="timed passes (default 3)")
    parser.add_argument(
        "--write", type=Path, metavar="FILE", help="also write the messages as JSONL"
    )
    args = parser.parse_args()
    try:
        lines = args.vignettes.read_text(encoding="utf-8").splitlines()
        descriptions = [json.loads(line)["description"] for line in lines if line.strip()]
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read vignettes from {args.vignettes}: {exc}", file=sys.stderr)
        return 2
    plain = messages(descriptions, args.count, args.chars)
    shapes = {"with full stops": plain, "without full stops": [without_stops(t) for t in plain]}
    print(f"{args.count} messages of {args.chars:,} characters per shape, {args.passes} passes")
    head = f"{'shape':20s}  {'median':>8s}  {'p99':>8s}  {'max':>8s}"
    print(f"{head}  target median <= {TARGET_MS:.0f} ms")
    for name, texts in shapes.items():
        times = sorted(time_all(texts, args.passes))
        p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
        median = statistics.median(times)
        status = "ok" if median <= TARGET_MS else "MISSED"
        print(f"{name:20s}  {median:6.1f}ms  {p99:6.1f}ms  {times[-1]:6.1f}ms  {status}")
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        with args.write.open("w", encoding="utf-8") as out:
            for i, text in enumerate(plain + shapes["without full stops"]):
                case = {
                    "id": f"long-{i:03d}",
                    "procedure": PROCEDURES[i % len(PROCEDURES)],
                    "days_since_procedure": 10,
                    "prior_revisions": 0,
                    "description": text,
                }
                out.write(json.dumps(case) + "\n")
        print(f"wrote {2 * args.count} messages to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
