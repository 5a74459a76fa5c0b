"""Benchmark the reconsult assessment engine on the vignette set.

Run by `make bench` as:

    .venv/bin/python bench/assess_bench.py [--vignettes PATH] [--json OUT]

Scores urgency and options against each vignette's `expected` answer (see
../shared/benchmark/CONTRACT.md), times `assess()` in process, times the CLI's
cold start and batch run, and checks that the CLI agrees with the Python API.
It reports figures next to their targets and exits 0 even when targets are
missed; it exits non-zero on a missing or malformed file or a crash.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.metadata
import json
import math
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_VIGNETTES = REPO.parent / "shared" / "benchmark" / "vignettes-dev.jsonl"
TODAY = datetime.date(2026, 11, 21)
LEVELS = ("emergency", "urgent", "soon", "routine", "wait")
RANK = {level: index for index, level in enumerate(LEVELS)}
OPTION_CODES = frozenset(
    {
        "emergency_care",
        "contact_provider_now",
        "return_to_provider",
        "second_opinion",
        "request_records",
        "wait_and_monitor",
        "corrective_injection",
        "dissolve_filler",
        "revision_surgery",
    }
)
HELP_RUNS = 3
CLI_TIMEOUT_S = 600


class BenchError(Exception):
    """A problem that stops the benchmark before it can report (bad input, no engine)."""


@dataclass(frozen=True)
class Vignette:
    """One vignette: the person's case and the expected answer."""

    id: str
    procedure: str
    days_since_procedure: int | None
    prior_revisions: int
    description: str
    urgency: str
    required: tuple[str, ...]
    forbidden: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """The engine's answer reduced to plain codes."""

    urgency: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """A figure's target: the report field it applies to and how it is met."""

    section: str
    field: str
    op: str  # ">=" or "<="
    bound: float
    text: str

    def met(self, value: float | None) -> bool | None:
        """Whether the value meets the target; None when there is no value."""
        if value is None:
            return None
        return value >= self.bound if self.op == ">=" else value <= self.bound


TARGETS = (
    Target("urgency", "exact", ">=", 0.95, ">= 0.95"),
    Target("urgency", "emergency_recall", ">=", 1.0, "= 1.0"),
    Target("urgency", "urgent_or_worse_under", "<=", 0, "= 0"),
    Target("options", "required_recall", ">=", 0.95, ">= 0.95"),
    Target("options", "forbidden_offered", "<=", 0, "= 0"),
    Target("latency", "p99_ms", "<=", 10.0, "<= 10 ms"),
)


@dataclass(frozen=True)
class CliRun:
    """One run of the CLI: whether it succeeded, its wall time and output."""

    ok: bool
    ms: float
    stdout: str
    detail: str


# --- input -----------------------------------------------------------------------------------


def load_vignettes(path: Path) -> list[Vignette]:
    """Read and check the vignette file, one JSON object a line."""
    if not path.is_file():
        raise BenchError(f"vignettes file not found: {path}")
    with path.open(encoding="utf-8") as handle:
        lines = list(enumerate(handle, start=1))
    vignettes = [parse_vignette(line, f"{path}:{no}") for no, line in lines if line.strip()]
    if not vignettes:
        raise BenchError(f"no vignettes in {path}")
    ids = [v.id for v in vignettes]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BenchError(f"duplicate vignette ids in {path}: {', '.join(duplicates)}")
    return vignettes


def parse_vignette(line: str, where: str) -> Vignette:
    """Turn one JSON line into a Vignette, with an error that names the line."""
    try:
        row = json.loads(line)
        expected = row["expected"]
        vignette = Vignette(
            id=str(row["id"]),
            procedure=row["procedure"],
            days_since_procedure=row.get("days_since_procedure"),
            prior_revisions=row.get("prior_revisions", 0),
            description=row["description"],
            urgency=expected["urgency"],
            required=tuple(expected.get("options_required", ())),
            forbidden=tuple(expected.get("options_forbidden", ())),
        )
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise BenchError(f"{where}: malformed vignette ({exc!r})") from exc
    if vignette.urgency not in RANK:
        raise BenchError(f"{where}: unknown expected urgency {vignette.urgency!r}")
    unknown = sorted(set(vignette.required + vignette.forbidden) - OPTION_CODES)
    if unknown:
        raise BenchError(f"{where}: unknown expected option codes {unknown}")
    return vignette


# --- engine, in process ----------------------------------------------------------------------


def import_engine() -> tuple[Any, float]:
    """Import the reconsult package; return it and the import time in ms."""
    start = time.perf_counter()
    try:
        module = importlib.import_module("reconsult")
    except ModuleNotFoundError as exc:
        if exc.name != "reconsult":
            raise
        raise BenchError("cannot import reconsult: install the project into the venv") from exc
    elapsed = (time.perf_counter() - start) * 1000
    missing = [name for name in ("Case", "assess") if not hasattr(module, name)]
    if missing:
        raise BenchError(f"reconsult does not export {', '.join(missing)}")
    return module, elapsed


def engine_version(module: Any) -> str:
    """The installed reconsult version, or the package's __version__, or '?'."""
    try:
        return importlib.metadata.version("reconsult")
    except importlib.metadata.PackageNotFoundError:
        return str(getattr(module, "__version__", "?"))


def case_kwargs(vignette: Vignette) -> dict[str, Any]:
    """The keyword arguments of the engine's Case for one vignette, id aside."""
    return {
        "procedure": vignette.procedure,
        "days_since_procedure": vignette.days_since_procedure,
        "prior_revisions": vignette.prior_revisions,
        "description": vignette.description,
    }


def build_cases(case_cls: Any, vignettes: Sequence[Vignette]) -> tuple[list[Any], bool]:
    """Build one Case per vignette, passing id= unless Case rejects it; say which."""
    try:
        return [case_cls(id=v.id, **case_kwargs(v)) for v in vignettes], True
    except (TypeError, ValueError):
        return [case_cls(**case_kwargs(v)) for v in vignettes], False


def code(value: Any) -> str:
    """The plain code of a str Enum member (or of a plain string)."""
    return str(getattr(value, "value", value))


def to_answer(result: Any, vignette_id: str) -> Answer:
    """Reduce an assess() result to codes, checking the urgency is a known level."""
    urgency = code(result.urgency)
    if urgency not in RANK:
        raise BenchError(f"{vignette_id}: assess() returned unknown urgency {urgency!r}")
    return Answer(urgency, tuple(code(option) for option in result.options))


def timed_pass(
    assess: Callable[..., Any], cases: Sequence[Any], vignettes: Sequence[Vignette]
) -> tuple[list[Answer], list[float]]:
    """Assess every case once; return the answers and each call's time in ms."""
    answers: list[Answer] = []
    times: list[float] = []
    for case, vignette in zip(cases, vignettes, strict=True):
        start = time.perf_counter_ns()
        try:
            result = assess(case, today=TODAY)
        except Exception as exc:
            exc.add_note(f"while assessing vignette {vignette.id}")
            raise
        times.append((time.perf_counter_ns() - start) / 1e6)
        answers.append(to_answer(result, vignette.id))
    return answers, times


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of the samples."""
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def run_engine(
    engine: Any, vignettes: Sequence[Vignette], passes: int
) -> tuple[list[Answer], dict[str, Any]]:
    """Assess once as warm-up, then time `passes` passes; return the answers and latency."""
    cases, accepts_id = build_cases(engine.Case, vignettes)
    answers, warm_times = timed_pass(engine.assess, cases, vignettes)
    samples: list[float] = []
    unstable: set[str] = set()
    for _ in range(passes):
        again, times = timed_pass(engine.assess, cases, vignettes)
        samples.extend(times)
        unstable.update(v.id for v, a, b in zip(vignettes, answers, again, strict=True) if a != b)
    latency = {
        "passes": passes,
        "calls": len(samples),
        "case_accepts_id": accepts_id,
        "first_call_ms": warm_times[0],
        "warmup_pass_median_ms": statistics.median(warm_times),
        "median_ms": statistics.median(samples),
        "p99_ms": percentile(samples, 99),
        "max_ms": max(samples),
        "unstable_ids": sorted(unstable),
    }
    return answers, latency


# --- scores ----------------------------------------------------------------------------------


def ratio(num: int, den: int) -> float | None:
    """num / den, or None when den is 0."""
    return num / den if den else None


def gap(vignette: Vignette, answer: Answer) -> int:
    """Levels by which the answer is less urgent than expected (negative: more urgent)."""
    return RANK[answer.urgency] - RANK[vignette.urgency]


def score_urgency(vignettes: Sequence[Vignette], answers: Sequence[Answer]) -> dict[str, Any]:
    """Urgency figures: exact match, under- and over-triage, emergency recall."""
    gaps = [gap(v, a) for v, a in zip(vignettes, answers, strict=True)]
    emergency = [g for v, g in zip(vignettes, gaps, strict=True) if v.urgency == "emergency"]
    serious = [g for v, g in zip(vignettes, gaps, strict=True) if RANK[v.urgency] <= 1]
    n = len(gaps)
    exact = sum(g == 0 for g in gaps)
    under = sum(g > 0 for g in gaps)
    over = sum(g < 0 for g in gaps)
    return {
        "n": n,
        "exact_count": exact,
        "exact": ratio(exact, n),
        "under_count": under,
        "under_rate": ratio(under, n),
        "over_count": over,
        "over_rate": ratio(over, n),
        "emergency_expected": len(emergency),
        "emergency_answered": sum(g == 0 for g in emergency),
        "emergency_recall": ratio(sum(g == 0 for g in emergency), len(emergency)),
        "urgent_or_worse_expected": len(serious),
        "urgent_or_worse_under": sum(g > 0 for g in serious),
        "under_by_more_than_one": sum(g > 1 for g in gaps),
    }


def option_gaps(vignette: Vignette, answer: Answer) -> tuple[list[str], list[str], list[str]]:
    """Required options not offered, forbidden options offered, unknown codes offered."""
    offered = set(answer.options)
    return (
        sorted(set(vignette.required) - offered),
        sorted(set(vignette.forbidden) & offered),
        sorted(offered - OPTION_CODES),
    )


def score_options(vignettes: Sequence[Vignette], answers: Sequence[Answer]) -> dict[str, Any]:
    """Option figures: micro recall of required options, forbidden and unknown codes offered."""
    gaps = [option_gaps(v, a) for v, a in zip(vignettes, answers, strict=True)]
    required = sum(len(set(v.required)) for v in vignettes)
    missing = sum(len(g[0]) for g in gaps)
    return {
        "required_total": required,
        "required_offered": required - missing,
        "required_recall": ratio(required - missing, required),
        "forbidden_offered": sum(len(g[1]) for g in gaps),
        "vignettes_with_forbidden": sum(bool(g[1]) for g in gaps),
        "unknown_codes": sorted({c for g in gaps for c in g[2]}),
    }


def confusion(vignettes: Sequence[Vignette], answers: Sequence[Answer]) -> dict[str, Any]:
    """Counts of expected (rows) by answered (columns) urgency."""
    matrix = {e: dict.fromkeys(LEVELS, 0) for e in LEVELS}
    for vignette, answer in zip(vignettes, answers, strict=True):
        matrix[vignette.urgency][answer.urgency] += 1
    return {"levels": list(LEVELS), "expected_by_answered": matrix}


def find_misses(vignettes: Sequence[Vignette], answers: Sequence[Answer]) -> list[dict[str, Any]]:
    """Every vignette with a wrong urgency or option problem, worst under-triage first."""
    misses = []
    for vignette, answer in zip(vignettes, answers, strict=True):
        missing, forbidden, unknown = option_gaps(vignette, answer)
        levels = gap(vignette, answer)
        if levels or missing or forbidden or unknown:
            misses.append(
                {
                    "id": vignette.id,
                    "procedure": vignette.procedure,
                    "expected": vignette.urgency,
                    "answered": answer.urgency,
                    "levels_under": levels,
                    "missing_required": missing,
                    "forbidden_offered": forbidden,
                    "unknown_offered": unknown,
                    "options": list(answer.options),
                    "description": vignette.description,
                }
            )
    return sorted(misses, key=lambda m: (-m["levels_under"], -len(m["forbidden_offered"])))


# --- command line ----------------------------------------------------------------------------


def find_cli(explicit: Path | None) -> Path | None:
    """Locate the reconsult executable: --cli, beside this Python, the repo venv, or PATH."""
    if explicit is not None:
        return explicit
    for candidate in (Path(sys.executable).parent / "reconsult", REPO / ".venv/bin/reconsult"):
        if candidate.is_file():
            return candidate
    found = shutil.which("reconsult")
    return Path(found) if found else None


def run_cli(cli: Path, args: Sequence[str]) -> CliRun:
    """Run the CLI once and time it; a non-zero exit, timeout or OSError is a failure."""
    command = [str(cli), *args]
    start = time.perf_counter()
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return CliRun(False, (time.perf_counter() - start) * 1000, "", f"{command}: {exc}")
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        return CliRun(
            False, elapsed, result.stdout, f"`{' '.join(args)}` exited {result.returncode}:\n{tail}"
        )
    return CliRun(True, elapsed, result.stdout, "")


def parse_cli_output(stdout: str) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Read the batch jsonl output by id; return it and any lines that are not usable."""
    by_id: dict[str, dict[str, Any]] = {}
    problems: list[dict[str, Any]] = []
    for no, line in enumerate(stdout.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            by_id[str(row["id"])] = row
        except (json.JSONDecodeError, KeyError, TypeError):
            problems.append(disagreement(f"line {no}", "unreadable", "", line[:80]))
    return by_id, problems


def disagreement(vid: str, what: str, in_process: Any, cli: Any) -> dict[str, Any]:
    """One difference between the in-process and CLI answers."""
    return {"id": vid, "field": what, "in_process": in_process, "cli": cli}


def compare_answers(
    vignettes: Sequence[Vignette], answers: Sequence[Answer], cli: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Differences between the in-process answers and the CLI's, vignette by vignette."""
    found = []
    for vignette, answer in zip(vignettes, answers, strict=True):
        row = cli.get(vignette.id)
        if row is None:
            found.append(disagreement(vignette.id, "missing", answer.urgency, None))
            continue
        if row.get("urgency") != answer.urgency:
            found.append(disagreement(vignette.id, "urgency", answer.urgency, row.get("urgency")))
        options = row.get("options")
        if options != list(answer.options):
            same_set = isinstance(options, list) and sorted(options) == sorted(answer.options)
            what = "options order" if same_set else "options"
            found.append(disagreement(vignette.id, what, list(answer.options), options))
    extra = sorted(set(cli) - {v.id for v in vignettes})
    found.extend(disagreement(vid, "unexpected id", None, vid) for vid in extra)
    return found


def measure_cli(
    cli: Path | None, path: Path, vignettes: Sequence[Vignette], answers: Sequence[Answer]
) -> dict[str, Any]:
    """Time `assess --help` and a batch run, and compare the batch answers with in-process ones."""
    if cli is None:
        return {"path": None, "errors": ["reconsult executable not found (use --cli or --no-cli)"]}
    report: dict[str, Any] = {"path": str(cli), "errors": [], "help_median_ms": None}
    helps = [run_cli(cli, ["assess", "--help"]) for _ in range(HELP_RUNS)]
    report["errors"].extend(sorted({run.detail for run in helps if not run.ok}))
    if all(run.ok for run in helps):
        report["help_median_ms"] = statistics.median(run.ms for run in helps)
    batch = run_cli(cli, ["assess", "--input", str(path), "--format", "jsonl"])
    report["batch_ms"] = batch.ms if batch.ok else None
    if not batch.ok:
        report["errors"].append(batch.detail)
        return report
    rows, problems = parse_cli_output(batch.stdout)
    report["disagreements"] = problems + compare_answers(vignettes, answers, rows)
    differing = {d["id"] for d in report["disagreements"]}
    report["agreeing"] = sum(v.id not in differing for v in vignettes)
    return report


# --- report ----------------------------------------------------------------------------------


def check_targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with its figure and whether it is met."""
    checked = []
    for target in TARGETS:
        value = report.get(target.section, {}).get(target.field)
        checked.append(
            {
                "figure": f"{target.section}.{target.field}",
                "value": value,
                "target": target.text,
                "met": target.met(value),
            }
        )
    return checked


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()
) -> str:
    """Lay rows out under headers in aligned columns; columns in `right` align right."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        """One aligned line."""
        padded = (
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def fmt_ratio(value: float | None, num: int, den: int) -> str:
    """A ratio with its counts, e.g. '0.933 (84/90)'."""
    return "n/a" if value is None else f"{value:.3f} ({num}/{den})"


def fmt_ms(value: float | None) -> str:
    """Milliseconds for display."""
    if value is None:
        return "n/a"
    return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"


def status(met: bool | None) -> str:
    """Target status for display."""
    return {True: "ok", False: "MISSED", None: "n/a"}[met]


def figure_row(report: dict[str, Any], key: str, label: str, value: str) -> list[str]:
    """A table row for one figure, with its target and status when it has one."""
    for target in check_targets(report):
        if target["figure"] == key:
            return [label, value, target["target"], status(target["met"])]
    return [label, value, "", ""]


def figure_table(report: dict[str, Any], figures: Sequence[tuple[str, str, str]]) -> str:
    """A table of (report key, label, value) figures with their targets and status."""
    rows = [figure_row(report, key, label, value) for key, label, value in figures]
    return table(["figure", "value", "target", "status"], rows)


def render_scores(report: dict[str, Any]) -> str:
    """The urgency and option figures, with targets."""
    u, o, n = report["urgency"], report["options"], report["urgency"]["n"]
    emergency = fmt_ratio(u["emergency_recall"], u["emergency_answered"], u["emergency_expected"])
    required = fmt_ratio(o["required_recall"], o["required_offered"], o["required_total"])
    figures = [
        ("urgency.exact", "urgency exact match", fmt_ratio(u["exact"], u["exact_count"], n)),
        (
            "urgency.under_rate",
            "under-triage rate (less urgent)",
            fmt_ratio(u["under_rate"], u["under_count"], n),
        ),
        (
            "urgency.over_rate",
            "over-triage rate (more urgent)",
            fmt_ratio(u["over_rate"], u["over_count"], n),
        ),
        ("urgency.emergency_recall", "emergency recall", emergency),
        (
            "urgency.urgent_or_worse_under",
            "urgent-or-worse answered less urgent",
            f"{u['urgent_or_worse_under']} of {u['urgent_or_worse_expected']}",
        ),
        (
            "urgency.under_by_more_than_one",
            "answered > 1 level less urgent",
            str(u["under_by_more_than_one"]),
        ),
        ("options.required_recall", "required options offered (micro)", required),
        (
            "options.forbidden_offered",
            "forbidden options offered",
            f"{o['forbidden_offered']} (in {o['vignettes_with_forbidden']} vignettes)",
        ),
        (
            "options.unknown_codes",
            "unknown option codes offered",
            ", ".join(o["unknown_codes"]) or "none",
        ),
    ]
    return figure_table(report, figures)


def render_confusion(report: dict[str, Any]) -> str:
    """The confusion matrix, expected by answered."""
    matrix = report["confusion"]["expected_by_answered"]
    rows = [
        [expected, *(str(matrix[expected][a]) for a in LEVELS), str(sum(matrix[expected].values()))]
        for expected in LEVELS
    ]
    totals = [sum(matrix[e][a] for e in LEVELS) for a in LEVELS]
    rows.append(["total", *map(str, totals), str(sum(totals))])
    return table(["expected \\ answered", *LEVELS, "total"], rows, right=range(1, len(LEVELS) + 2))


def render_misses(report: dict[str, Any], show_text: bool) -> str:
    """The misses, one line each, optionally followed by the person's words."""
    misses = report["misses"]
    if not misses:
        return "none"
    rows = []
    for miss in misses:
        levels = miss["levels_under"]
        triage = f"under {levels}" if levels > 0 else f"over {-levels}" if levels < 0 else ""
        rows.append(
            [
                miss["id"],
                miss["procedure"],
                miss["expected"],
                miss["answered"],
                triage,
                ", ".join(miss["missing_required"]),
                ", ".join(
                    miss["forbidden_offered"] + [f"unknown:{c}" for c in miss["unknown_offered"]]
                ),
            ]
        )
    headers = [
        "id",
        "procedure",
        "expected",
        "answered",
        "triage",
        "missing required",
        "offered wrongly",
    ]
    text = table(headers, rows)
    if show_text:
        details = [f"{m['id']}: {m['description']}\n    offered: {m['options']}" for m in misses]
        text += "\n\n" + "\n".join(details)
    return text


def render_latency(report: dict[str, Any]) -> str:
    """In-process latency figures, with the p99 target."""
    lat = report["latency"]
    figures = [
        ("engine.import_ms", "import reconsult", fmt_ms(report["engine"]["import_ms"])),
        ("latency.first_call_ms", "first assess() call", fmt_ms(lat["first_call_ms"])),
        (
            "latency.warmup_pass_median_ms",
            "warm-up pass median",
            fmt_ms(lat["warmup_pass_median_ms"]),
        ),
        ("latency.median_ms", "median per vignette", fmt_ms(lat["median_ms"])),
        ("latency.p99_ms", "p99 per vignette", fmt_ms(lat["p99_ms"])),
        ("latency.max_ms", "max per vignette", fmt_ms(lat["max_ms"])),
    ]
    unstable = ", ".join(lat["unstable_ids"]) or "none"
    return figure_table(report, figures) + f"\nanswers changed between passes: {unstable}"


def render_cli(report: dict[str, Any]) -> str:
    """CLI cold-start figures and agreement with the in-process answers."""
    cli = report["cli"]
    if cli.get("skipped"):
        return "skipped (--no-cli)"
    lines = [
        f"executable: {cli['path'] or 'not found'}",
        f"`reconsult assess --help` (median of {HELP_RUNS}): {fmt_ms(cli.get('help_median_ms'))}",
        f"batch `assess --input ... --format jsonl` (1 run): {fmt_ms(cli.get('batch_ms'))}",
    ]
    if "disagreements" in cli:
        lines.append(f"batch answers agreeing with in-process: {cli['agreeing']}/{report['n']}")
        rows = [
            [d["id"], d["field"], json.dumps(d["in_process"]), json.dumps(d["cli"])]
            for d in cli["disagreements"]
        ]
        if rows:
            lines.append(table(["id", "field", "in process", "cli"], rows))
    lines.extend(f"ERROR: {error}" for error in cli["errors"])
    return "\n".join(lines)


def render_summary(report: dict[str, Any]) -> str:
    """How many targets are met, naming the missed ones."""
    targets = report["targets"]
    missed = [t["figure"] for t in targets if t["met"] is not True]
    met = len(targets) - len(missed)
    return f"targets met: {met}/{len(targets)}" + (
        f" (not met: {', '.join(missed)})" if missed else ""
    )


def render_header(report: dict[str, Any]) -> str:
    """What was run: vignettes, engine, Python and the fixed date."""
    engine = report["engine"]
    accepts_id = "yes" if report["latency"]["case_accepts_id"] else "no"
    return "\n".join(
        [
            f"vignettes: {report['vignettes']} (n = {report['n']})",
            f"engine:    reconsult {engine['version']} ({engine['file']})",
            f"python:    {report['python']}; today = {report['today']}; Case(id=) {accepts_id}",
        ]
    )


def render(report: dict[str, Any], show_text: bool) -> str:
    """The whole text report."""
    lat = report["latency"]
    timing = f"{lat['passes']} passes after 1 warm-up, {lat['calls']} calls"
    sections = [
        ("reconsult assessment benchmark", render_header(report)),
        ("scores", render_scores(report)),
        ("confusion matrix (rows expected, columns answered)", render_confusion(report)),
        (f"misses ({len(report['misses'])})", render_misses(report, show_text)),
        (f"latency in process ({timing})", render_latency(report)),
        ("command line (cold start)", render_cli(report)),
        ("summary", render_summary(report)),
    ]
    return "\n\n".join(f"== {title} ==\n{body}" for title, body in sections)


# --- main ------------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Run everything and gather the report."""
    path = args.vignettes.resolve()
    vignettes = load_vignettes(path)
    engine, import_ms = import_engine()
    print(f"assessing {len(vignettes)} vignettes, 1 + {args.passes} passes ...", file=sys.stderr)
    answers, latency = run_engine(engine, vignettes, args.passes)
    report: dict[str, Any] = {
        "vignettes": str(path),
        "n": len(vignettes),
        "today": TODAY.isoformat(),
        "python": platform.python_version(),
        "engine": {
            "version": engine_version(engine),
            "file": str(getattr(engine, "__file__", "?")),
            "import_ms": import_ms,
        },
        "urgency": score_urgency(vignettes, answers),
        "options": score_options(vignettes, answers),
        "confusion": confusion(vignettes, answers),
        "misses": find_misses(vignettes, answers),
        "latency": latency,
    }
    if args.no_cli:
        report["cli"] = {"skipped": True, "errors": []}
    else:
        print("timing the command line ...", file=sys.stderr)
        report["cli"] = measure_cli(find_cli(args.cli), path, vignettes, answers)
    report["targets"] = check_targets(report)
    return report


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description="Benchmark the reconsult assessment engine.")
    parser.add_argument(
        "--vignettes",
        type=Path,
        default=DEFAULT_VIGNETTES,
        help="vignettes jsonl (default: %(default)s)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the report as JSON")
    parser.add_argument(
        "--passes",
        type=positive_int,
        default=20,
        help="timed passes after the warm-up (default: %(default)s)",
    )
    parser.add_argument("--cli", type=Path, help="reconsult executable (default: beside python)")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line checks")
    parser.add_argument(
        "--show-text", action="store_true", help="print each miss's description and offered options"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when it ran (targets met or not), non-zero when it could not."""
    args = parse_args(argv)
    try:
        report = benchmark(args)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render(report, args.show_text))
    return 1 if report["cli"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
