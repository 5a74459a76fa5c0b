"""Estimate the reading age of the words people read on reconsult's pages.

Run by `make bench` as:

    .venv/bin/python bench/reading_age.py [--vignettes PATH]

Renders the pages in process (start, help, about, the procedure guides, every
question page, and the result page of every development vignette), takes our
text inside <main> (not the person's own words quoted back, nor the titles of
cited papers), and scores it with the Flesch-Kincaid grade level, counting
syllables with syllapy (an offline word list plus rules). Reading age is the
US grade plus 5. The NHS aims for a reading age of 9 to 11, and 11 to 14 for
medical content that is hard to simplify (research/ecosystem.md s.3.7).

Readability formulas only help prioritise: they reward short words and short
sentences, not clarity. This reports figures; it is not a test, and it exits 0
whatever the scores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import tempfile
from html import unescape
from pathlib import Path

import syllapy
from starlette.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.web.pages (the journey walker)

from reconsult.settings import Settings  # noqa: E402
from reconsult.web import create_app  # noqa: E402
from tests.web.pages import walk  # noqa: E402

DEFAULT_VIGNETTES = REPO.parent / "shared" / "benchmark" / "vignettes-dev.jsonl"
TODAY = dt.date(2026, 11, 21)
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
TARGET_AGE = 11  # the top of the NHS's 9-11 aim
MEDICAL_AGE = 14  # the top of its 11-14 allowance for hard medical content


def main_text(html: str) -> list[str]:
    """Return the sentences inside <main>: headings, list items and buttons end a sentence."""
    match = re.search(r"<main.*?</main>", html, re.S)
    body = match.group(0) if match else html
    body = re.sub(r"<(svg|style|script)\b.*?</\1>", " ", body, flags=re.S)
    # Not our words: the person's own (quoted back) and the titles of cited papers.
    body = re.sub(r"<(blockquote|q)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<ul class="sources">.*?</ul>', " ", body, flags=re.S)
    body = re.sub(r"<textarea\b.*?</textarea>", " ", body, flags=re.S)
    body = re.sub(r"</(h\d|li|p|button|dt|dd|legend|label|blockquote|a)>", ". ", body)
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    sentences = re.split(r"(?<=[.!?:])\s+", re.sub(r"\s+", " ", text))
    return [s for s in (s.strip(" .") for s in sentences) if WORD.search(s)]


def grade(sentences: list[str]) -> float:
    """Flesch-Kincaid grade: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    words = [w for s in sentences for w in WORD.findall(s)]
    if not words:
        return 0.0
    syllables = sum(max(1, syllapy.count(w)) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def pages(client: TestClient, vignettes: list[dict[str, object]]) -> dict[str, list[str]]:
    """Render every page kind; return page kind -> list of rendered HTML."""
    found: dict[str, list[str]] = {"plain pages": [], "guides": [], "questions": []}
    for path in ("/", "/help", "/about", "/guides"):
        found["plain pages"].append(client.get(path).text)
    procedures = [p["code"] for p in client.get("/api/v1/procedures").json()]
    found["guides"] = [client.get(f"/guides/{code}").text for code in procedures]
    walk(client, procedure="rhinoplasty", description="My nose is crooked.", confirm=False)
    for step in ("procedure", "when", "description", "warning-signs", "check"):
        found["questions"].append(client.get(f"/assessment/{step}").text)
    results: dict[str, list[str]] = {}
    for case in vignettes:
        where = walk(
            client,
            procedure=str(case["procedure"]),
            days_ago=case.get("days_since_procedure"),  # type: ignore[arg-type]
            description=str(case["description"]),
        )
        page = client.get(where)
        level = str(case.get("expected", {}).get("urgency", "result"))  # type: ignore[union-attr]
        results.setdefault(f"results: {level}", []).append(page.text)
    found.update(dict(sorted(results.items())))
    return found


def report(found: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Print and return median and worst reading age per page kind."""
    print(f"{'pages':22s} {'n':>3s} {'median age':>10s} {'worst age':>9s}")
    figures: dict[str, dict[str, float]] = {}
    everything: list[float] = []
    for kind, htmls in found.items():
        ages = [grade(main_text(h)) + 5 for h in htmls]
        everything += ages
        figures[kind] = {"n": len(ages), "median": statistics.median(ages), "worst": max(ages)}
        print(f"{kind:22s} {len(ages):3d} {statistics.median(ages):10.1f} {max(ages):9.1f}")
    median = statistics.median(everything)
    within = sum(age <= MEDICAL_AGE for age in everything)
    print(
        f"all pages: median reading age {median:.1f} (aim <= {TARGET_AGE}: "
        f"{'MET' if median <= TARGET_AGE else 'MISSED'}); "
        f"{within}/{len(everything)} pages within the medical allowance (<= {MEDICAL_AGE})"
    )
    return figures


def run() -> int:
    """Parse arguments, render the pages and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vignettes", type=Path, default=DEFAULT_VIGNETTES)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    vignettes = [json.loads(line) for line in args.vignettes.read_text().splitlines() if line]
    print(f"Reading age of reconsult's pages ({len(vignettes)} result pages from {args.vignettes})")
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)), today=lambda: TODAY)
        with TestClient(app, follow_redirects=False) as client:
            figures = report(pages(client, vignettes))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
