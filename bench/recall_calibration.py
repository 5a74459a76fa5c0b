"""Calibrate the recall net's thresholds on our own vignette sets (never the sealed one).

For each (similarity, margin) pair in a grid, assess every vignette of the given
files with those thresholds and print the figures that matter for the net: urgent-
or-worse cases answered less urgent (the net exists to bring these to zero),
over-triage (what the net costs), and exact match. Pick the pair that keeps
under-triage lowest at an over-triage you accept, then write it in recall.yaml.

    .venv/bin/python bench/recall_calibration.py bench/blind/tuning.jsonl bench/paraphrases.jsonl
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

from reconsult import Case, assess
from reconsult.knowledge import load_knowledge

LEVELS = ["emergency", "urgent", "soon", "routine", "wait"]
TODAY = dt.date(2026, 12, 6)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--similarity", type=float, nargs="+", default=[0.5, 0.55, 0.6, 0.65, 0.7])
    parser.add_argument("--margin", type=float, nargs="+", default=[0.0, 0.05, 0.1, 0.15])
    args = parser.parse_args()
    if any("sealed" in f.name for f in args.files):
        print("the sealed set is never used to calibrate", file=sys.stderr)
        return 2
    vignettes = [json.loads(line) for f in args.files for line in f.open() if line.strip()]
    base = load_knowledge()
    print(f"{len(vignettes)} vignettes")
    print("similarity  margin  exact  under(urgent+)  under  over")
    for similarity in args.similarity:
        for margin in args.margin:
            recall = base.recall.model_copy(update={"similarity": similarity, "margin": margin})
            kb = dataclasses.replace(base, recall=recall)
            exact = under = under_urgent = over = 0
            for v in vignettes:
                case = Case(
                    procedure=v["procedure"],
                    days_since_procedure=v["days_since_procedure"],
                    prior_revisions=v["prior_revisions"],
                    description=v["description"],
                )
                got = LEVELS.index(assess(case, TODAY, kb).urgency.value)
                want = LEVELS.index(v["expected"]["urgency"])
                exact += got == want
                under += got > want
                under_urgent += got > want and want <= 1
                over += got < want
            n = len(vignettes)
            print(
                f"{similarity:10.2f}  {margin:6.2f}  {exact / n:5.3f}  {under_urgent:14d}"
                f"  {under:5d}  {over:4d}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
