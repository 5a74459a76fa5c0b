"""Time the NPPES import against a DuckDB scan of the same file, and the radius search.

Run by `make bench` as:

    .venv/bin/python bench/providers_bench.py [--rows N] [--seed S] [--data-dir DIR]
        [--skip-generate] [--keep] [--no-import] [--postgres URL] [--searches N]
        [--workers N] [--json OUT]

1. The file. A full-size synthetic NPPES V2 monthly file (`--rows`, default 9,800,000 rows,
   about 11.6 GB) written by `tools/nppes_synthetic.py` into `--data-dir` (default
   `$RECONSULT_BENCH_DIR`, else `/tmp/reconsult-bench`; never inside the repository), in a
   folder named by generator version, rows and seed, with its truth beside it
   (`*.truth.json`). A later run reuses it; `--skip-generate` refuses to make it.
2. The reference. DuckDB, in a child process with its default threads (one per core) and
   memory limit, does the import's filter: `read_csv(path, all_varchar=true, header=true)`,
   keep entity type 1, not deactivated (or reactivated on or after), with one of the kept
   taxonomy codes in any of the 15 slots; project the NPI, names, practice address, dates
   and the 60 taxonomy slot columns into a table; count it. Wall time and peak RSS.
3. The import. `reconsult providers import <csv> --json` in a child process, with
   `RECONSULT_DATA_DIR` set to a fresh folder (SQLite), and with `--postgres URL` also
   against PostgreSQL (`RECONSULT_DATABASE_URL`; the directory in that database is
   replaced). Wall time, peak RSS, and the rows read and providers kept from its JSON
   report, then `reconsult providers status --json` for the directory's size, checked
   against the generator's truth. Targets: import time within 1.5x of DuckDB's, peak RSS
   at most 1 GB.
4. The search. In this process, on the database the import filled:
   `reconsult.providers.search.search_providers(database, zip_code=..., procedure=...,
   radius_miles=..., limit=50)` for `--searches` (default 1,000) searches over ZIPs drawn
   from the kept providers' ZIPs, every procedure of the knowledge base and radii of 10,
   25 and 50 miles, after 20 warm-up searches. Target: p99 at most 20 ms.

Peak RSS is the child's own high-water mark from `wait4` (the largest single process),
and the largest sum over its process tree sampled every 50 ms by psutil; the larger of
the two is judged. Missing a target exits 0 (a benchmark reports; the tests assert); an
import that is not there yet is reported as "not available yet" and the rest still runs;
an import that fails exits 1; no file (no room, `--skip-generate` with nothing cached) or
a DuckDB that cannot run exits 2.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # for tools.nppes_synthetic when run as a script

DEFAULT_ROWS = 9_800_000
TARGET_RATIO = 1.5  # import time / DuckDB time
TARGET_RSS_BYTES = 1_000_000_000  # 1 GB
TARGET_P99_MS = 20.0
RADII = (10.0, 25.0, 50.0)
POLL_S = 0.05
WARMUP_SEARCHES = 20


# --------------------------------------------------------------------------- children


@dataclass(frozen=True)
class Measured:
    """A finished child process: exit code, wall time, memory, and what it printed."""

    returncode: int
    wall_s: float
    maxrss_bytes: int  # wait4: the largest single process of the child's tree
    tree_peak_bytes: int  # psutil: the largest sampled sum over the child's process tree
    stdout: str
    stderr: str

    @property
    def peak_bytes(self) -> int:
        """The peak RSS judged against the target: the larger of the two measures."""
        return max(self.maxrss_bytes, self.tree_peak_bytes)


def _tree_rss(process: Any) -> int:
    """RSS of a psutil process and all its descendants (0 for any that just ended)."""
    import psutil

    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(command: Sequence[str], *, env: dict[str, str] | None = None) -> Measured:
    """Run ``command``, sampling its tree's RSS; reap it with wait4 for its own peak RSS."""
    import psutil

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        watched = psutil.Process(child.pid)
        tree_peak = 0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, _tree_rss(watched))
            time.sleep(POLL_S)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Measured(
            returncode=child.returncode,
            wall_s=wall,
            maxrss_bytes=usage.ru_maxrss * 1024,  # Linux reports KiB
            tree_peak_bytes=tree_peak,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def child_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """This environment without any RECONSULT_* setting, pointed at a throwaway data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECONSULT_")}
    env["RECONSULT_DATA_DIR"] = str(data_dir)
    if database_url:
        env["RECONSULT_DATABASE_URL"] = database_url
    return env


# --------------------------------------------------------------------------- the file


def data_root(argument: Path | None) -> Path:
    """The folder for the big files: --data-dir, $RECONSULT_BENCH_DIR or /tmp/reconsult-bench."""
    root = argument or Path(os.environ.get("RECONSULT_BENCH_DIR") or "/tmp/reconsult-bench")
    root = root.expanduser().resolve()
    if root == REPO or REPO in root.parents:
        raise SystemExit(f"error: --data-dir {root} is inside the repository; choose another")
    return root


def ensure_file(args: argparse.Namespace, root: Path) -> tuple[Any, float | None]:
    """The cached monthly file and its truth, made first if needed; (truth, seconds to make)."""
    from tools import nppes_synthetic as synthetic

    folder = root / f"nppes-g{synthetic.GENERATOR_VERSION}-r{args.rows}-s{args.seed}"
    csv_path = folder / synthetic.monthly_file_name()
    truth_path = csv_path.with_suffix(".truth.json")
    if truth_path.is_file() and csv_path.is_file():
        try:
            truth = synthetic.load_truth(truth_path)
        except (ValueError, KeyError, TypeError):
            truth = None
        if truth is not None and csv_path.stat().st_size == truth.bytes:
            return truth, None
    if args.skip_generate:
        raise SystemExit(f"error: no cached file at {csv_path} and --skip-generate was given")
    folder.mkdir(parents=True, exist_ok=True)
    need = int(args.rows * 1200 * 1.05) + (1 << 28)
    free = shutil.disk_usage(folder).free
    if free < need:
        raise SystemExit(
            f"error: {folder} has {free / 1e9:.1f} GB free; "
            f"the file needs about {need / 1e9:.1f} GB"
        )
    truth_path.unlink(missing_ok=True)  # the truth is written last: a cut-off file is remade
    print(
        f"writing {args.rows:,} rows to {csv_path} with {args.workers} worker(s) ...",
        file=sys.stderr,
    )
    started = time.perf_counter()
    truth = synthetic.write_monthly_csv(csv_path, args.rows, seed=args.seed, workers=args.workers)
    seconds = time.perf_counter() - started
    synthetic.save_truth(truth, truth_path)
    return truth, seconds


# --------------------------------------------------------------------------- the reference


def kept_codes() -> tuple[frozenset[str], str]:
    """The taxonomy codes the import keeps (the knowledge base's), or the generator's list."""
    try:
        from reconsult.knowledge import load_knowledge

        return frozenset(load_knowledge().providers.taxonomy_codes()), "knowledge base"
    except (ImportError, AttributeError) as exc:
        from tools.nppes_synthetic import COSMETIC_CODES

        return frozenset(COSMETIC_CODES), f"generator default ({exc.__class__.__name__})"


def reference_sql(csv_path: Path, codes: frozenset[str]) -> str:
    """DuckDB's version of the import's filter and projection, as one CREATE TABLE ... AS."""
    from reconsult.providers.nppes_layout import (
        DEACTIVATION_DATE,
        ENTITY_TYPE,
        REACTIVATION_DATE,
        REQUIRED_COLUMNS,
        TAXONOMY_SLOTS,
    )

    def ident(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def text(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    code_list = ", ".join(text(c) for c in sorted(codes))
    slots = " OR ".join(
        f"{ident(f'Healthcare Provider Taxonomy Code_{slot}')} IN ({code_list})"
        for slot in range(1, TAXONOMY_SLOTS + 1)
    )
    deactivated, reactivated = ident(DEACTIVATION_DATE), ident(REACTIVATION_DATE)
    return (
        f"CREATE TABLE kept AS SELECT {', '.join(ident(c) for c in REQUIRED_COLUMNS)} "
        f"FROM read_csv({text(str(csv_path))}, all_varchar = true, header = true) "
        f"WHERE {ident(ENTITY_TYPE)} = '1' "
        f"AND (coalesce({deactivated}, '') = '' OR try_strptime({reactivated}, '%m/%d/%Y') "
        f">= try_strptime({deactivated}, '%m/%d/%Y')) "
        f"AND ({slots})"
    )


def reference_child(csv_path: Path, codes_text: str) -> int:
    """In the child: run the DuckDB reference and print one JSON line (count, seconds)."""
    import duckdb

    codes = frozenset(codes_text.split(","))
    connection = duckdb.connect()
    threads = connection.execute("SELECT current_setting('threads')").fetchone()
    started = time.perf_counter()
    connection.execute(reference_sql(csv_path, codes))
    (count,) = connection.execute("SELECT count(*) FROM kept").fetchone() or (0,)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "count": count,
                "query_s": seconds,
                "threads": int(threads[0]) if threads else None,
                "duckdb": duckdb.__version__,
            }
        )
    )
    return 0


def run_reference(csv_path: Path, codes: frozenset[str]) -> dict[str, Any]:
    """Run the DuckDB reference in a child process; its figures, or SystemExit if it failed."""
    try:
        import duckdb  # noqa: F401  (checked here so a missing DuckDB exits 2 with words)
        import psutil  # noqa: F401
    except ImportError as exc:
        raise SystemExit(f"error: the reference needs duckdb and psutil: {exc}") from exc
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--reference-child",
        str(csv_path),
        ",".join(sorted(codes)),
    ]
    measured = run_measured(command)
    if measured.returncode != 0:
        raise SystemExit(f"error: DuckDB failed (exit {measured.returncode}):\n{measured.stderr}")
    result = json.loads(measured.stdout.strip().splitlines()[-1])
    return {
        "kept": result["count"],
        "wall_s": measured.wall_s,
        "query_s": result["query_s"],
        "threads": result["threads"],
        "duckdb": result["duckdb"],
        "maxrss_bytes": measured.maxrss_bytes,
        "tree_peak_bytes": measured.tree_peak_bytes,
        "peak_bytes": measured.peak_bytes,
    }


# --------------------------------------------------------------------------- the import


def reconsult_command() -> Path:
    """The reconsult script beside this Python (the venv's)."""
    return Path(sys.executable).parent / "reconsult"


def import_available() -> str | None:
    """None if `reconsult providers import --json` is there, else why not."""
    script = reconsult_command()
    if not script.is_file():
        return f"no {script}"
    probe = subprocess.run(
        [str(script), "providers", "import", "--help"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        return "`reconsult providers import` is not a command yet"
    if "--json" not in probe.stdout:
        return "`reconsult providers import` has no --json option yet"
    return None


def run_import(
    csv_path: Path, data_dir: Path, database_url: str | None, truth: Any
) -> dict[str, Any]:
    """Import the file with the CLI in a child process; its figures and the directory's size."""
    env = child_env(data_dir, database_url)
    script = str(reconsult_command())
    measured = run_measured([script, "providers", "import", str(csv_path), "--json"], env=env)
    figures: dict[str, Any] = {
        "database": "postgresql" if database_url else "sqlite",
        "returncode": measured.returncode,
        "wall_s": measured.wall_s,
        "maxrss_bytes": measured.maxrss_bytes,
        "tree_peak_bytes": measured.tree_peak_bytes,
        "peak_bytes": measured.peak_bytes,
    }
    if measured.returncode != 0:
        figures["error"] = (measured.stderr or measured.stdout).strip()[-2000:]
        return figures
    report = parse_json_output(measured.stdout)
    if report is not None:
        for key in ("rows_read", "providers_kept", "problem_count", "directory_size", "seconds"):
            figures[key] = report.get(key)
        figures["skipped"] = report.get("skipped")
    status = subprocess.run(
        [script, "providers", "status", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    parsed = parse_json_output(status.stdout) if status.returncode == 0 else None
    figures["directory_providers"] = parsed.get("providers") if parsed else None
    figures["expected_providers"] = len(truth.expected_in_us)
    figures["expected_rows"] = truth.lines - 1
    figures["database_url"] = database_url or sqlite_url(data_dir)
    return figures


def parse_json_output(text: str) -> dict[str, Any] | None:
    """The JSON object a command printed (the whole output, or its last line), or None."""
    text = text.strip()
    for candidate in (text, text.splitlines()[-1] if text else ""):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def sqlite_url(data_dir: Path) -> str:
    """The database URL reconsult uses for a data folder with no RECONSULT_DATABASE_URL."""
    try:
        from reconsult.settings import Settings

        return Settings(data_dir=data_dir, database_url=None).resolved_database_url()
    except Exception:  # pragma: no cover - settings changed shape; fall back to today's rule
        return f"sqlite:///{data_dir / 'reconsult.sqlite3'}"


# --------------------------------------------------------------------------- the search


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of the samples."""
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def run_searches(database_url: str, zips: Sequence[str], count: int, seed: int) -> dict[str, Any]:
    """Time ``count`` radius searches on the imported database, after a warm-up."""
    try:
        from reconsult.knowledge import load_knowledge
        from reconsult.knowledge.schema import ProcedureCode
        from reconsult.providers.search import search_providers
        from reconsult.storage import open_database
    except ImportError as exc:
        return {"error": f"not available yet ({exc})"}
    if not zips:
        return {"error": "no kept provider has a US ZIP"}
    kb = load_knowledge()
    known = getattr(kb, "procedures", None)
    procedures = [p.value for p in ProcedureCode if known is None or p.value in known]
    parameters = inspect.signature(search_providers).parameters
    radius_name = "radius_miles" if "radius_miles" in parameters else "radius"
    rng = random.Random(seed)
    plan = [
        (rng.choice(zips), rng.choice(procedures), RADII[i % len(RADII)])
        for i in range(count + WARMUP_SEARCHES)
    ]
    database = open_database(database_url)
    timings: list[float] = []
    hits: list[int] = []
    totals: list[int] = []
    try:
        for index, (zip_code, procedure, radius) in enumerate(plan):
            started = time.perf_counter()
            result = search_providers(
                database,
                zip_code=zip_code,
                procedure=procedure,
                limit=50,
                **{radius_name: radius},
            )
            elapsed = time.perf_counter() - started
            if index >= WARMUP_SEARCHES:
                timings.append(elapsed * 1000)
                hits.append(len(result.hits))
                totals.append(result.total)
    finally:
        close = getattr(database, "close", None)
        if close:
            close()
    radii = [r for _, _, r in plan[WARMUP_SEARCHES:]]
    by_radius = {
        f"{radius:g}": percentile(
            [t for t, r in zip(timings, radii, strict=True) if r == radius],
            99,
        )
        for radius in RADII
    }
    return {
        "searches": len(timings),
        "p50_ms": percentile(timings, 50),
        "p90_ms": percentile(timings, 90),
        "p99_ms": percentile(timings, 99),
        "max_ms": max(timings),
        "mean_hits": statistics.mean(hits),
        "mean_total": statistics.mean(totals),
        "empty_share": sum(1 for h in hits if h == 0) / len(hits),
        "p99_ms_by_radius": by_radius,
        "procedures": len(procedures),
        "zips": len(zips),
    }


# --------------------------------------------------------------------------- report


def gb(value: float | None) -> str:
    """Bytes as GB with two decimals, or '?'."""
    return "?" if value is None else f"{value / 1e9:.2f} GB"


def number(value: int | None) -> str:
    """An integer with thousands separators, or '?'."""
    return "?" if value is None else f"{value:,}"


def mark(met: bool | None) -> str:
    """'ok', 'MISSED' or '' for a target with no figure."""
    return "" if met is None else "ok" if met else "MISSED"


def judge(report: dict[str, Any]) -> None:
    """Add the targets and whether each was met."""
    reference = report["reference"]
    for run in report["imports"]:
        if "wall_s" not in run or run.get("returncode"):
            continue
        run["ratio_to_duckdb"] = run["wall_s"] / reference["wall_s"]
        run["met"] = {
            "time": run["ratio_to_duckdb"] <= TARGET_RATIO,
            "rss": run["peak_bytes"] <= TARGET_RSS_BYTES,
            "providers": run.get("directory_providers") == run.get("expected_providers"),
        }
        search = run.get("search") or {}
        if "p99_ms" in search:
            search["met"] = search["p99_ms"] <= TARGET_P99_MS
    expected = report["file"]["expected_kept"]
    reference["matches_truth"] = None if expected is None else reference["kept"] == expected


def render(report: dict[str, Any]) -> str:
    """The text report."""
    file, reference = report["file"], report["reference"]
    truth_words = {
        True: "as the generator's truth says",
        False: "DIFFERS from the generator's truth",
        None: "the import keeps other codes than the generator planted",
    }
    made = (
        f"generated in {file['generated_s']:.1f} s with {file['workers']} worker(s)"
        if file["generated_s"] is not None
        else "reused from the cache"
    )
    lines = [
        "== reconsult provider directory benchmark ==",
        f"python {report['python']}; {report['cpus']} CPUs; {report['memory_gb']:.1f} GB RAM",
        f"file: {file['path']}",
        f"  {file['rows']:,} rows, {gb(file['bytes'])}, {file['bytes_per_row']:,.0f} bytes/row "
        f"(real monthly: ~9.8 M rows, ~10-11 GB); {made}",
        f"  truth: {number(file['expected_kept'])} kept "
        f"({file['expected_in_us']:,} with a US ZIP), "
        f"{file['deactivated']:,} deactivated; codes from the {report['codes_from']} "
        f"({report['codes']} codes)",
        "",
        f"reference: DuckDB {reference['duckdb']} read_csv(all_varchar) + filter + projection, "
        f"{reference['threads']} threads",
        f"  wall {reference['wall_s']:.1f} s (query {reference['query_s']:.1f} s)   "
        f"peak RSS {gb(reference['peak_bytes'])}   kept {reference['kept']:,} "
        f"({truth_words[reference['matches_truth']]})",
    ]
    if report.get("import_skipped"):
        lines += ["", "import: skipped (--no-import)"]
    if report.get("import_unavailable"):
        lines += ["", f"import: not available yet ({report['import_unavailable']})"]
    for run in report["imports"]:
        lines += ["", f"import ({run['database']}): reconsult providers import FILE --json"]
        if run.get("returncode"):
            lines.append(f"  FAILED with exit {run['returncode']}: {run.get('error', '')}")
            continue
        met = run["met"]
        lines += [
            f"  wall {run['wall_s']:.1f} s = {run['ratio_to_duckdb']:.2f}x DuckDB   "
            f"target <= {TARGET_RATIO}x   {mark(met['time'])}",
            f"  peak RSS {gb(run['peak_bytes'])} (largest process {gb(run['maxrss_bytes'])})   "
            f"target <= {gb(TARGET_RSS_BYTES)}   {mark(met['rss'])}",
            f"  rows read {run.get('rows_read') or 0:,} of {run['expected_rows']:,}; "
            f"kept {run.get('providers_kept') or 0:,}; directory holds "
            f"{run.get('directory_providers') or 0:,}, expected {run['expected_providers']:,}   "
            f"{mark(met['providers'])}",
        ]
        search = run.get("search") or {}
        if "error" in search:
            lines.append(f"  search: {search['error']}")
        elif search:
            lines += [
                f"  search: {search['searches']:,} searches over {search['zips']:,} ZIPs, "
                f"{search['procedures']} procedures, radius {'/'.join(f'{r:g}' for r in RADII)} mi",
                f"    p50 {search['p50_ms']:.2f} ms  p90 {search['p90_ms']:.2f} ms  "
                f"p99 {search['p99_ms']:.2f} ms  max {search['max_ms']:.1f} ms   "
                f"target p99 <= {TARGET_P99_MS:g} ms   {mark(search['met'])}",
                "    p99 by radius: "
                + ", ".join(f"{r} mi {v:.2f} ms" for r, v in search["p99_ms_by_radius"].items()),
                f"    mean hits {search['mean_hits']:.1f} "
                f"(of {search['mean_total']:.1f} in range); "
                f"no hit in {search['empty_share']:.0%}",
            ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def run(args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    """Make or reuse the file, run the reference, the import(s) and the searches."""
    import psutil

    root = data_root(args.data_dir)
    truth, generated_s = ensure_file(args, root)
    codes, codes_from = kept_codes()
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "memory_gb": psutil.virtual_memory().total / 1e9,
        "codes_from": codes_from,
        "codes": len(codes),
        "file": {
            "path": str(truth.path),
            "rows": truth.rows,
            "bytes": truth.bytes,
            "bytes_per_row": truth.bytes_per_row,
            "generated_s": generated_s,
            "workers": args.workers,
            "seed": args.seed,
            # The truth holds for the generator's codes; None if the import keeps others.
            "expected_kept": len(truth.expected_kept) if codes == truth.cosmetic_codes else None,
            "expected_in_us": len(truth.expected_in_us),
            "deactivated": len(truth.deactivated),
        },
        "targets": {
            "import_vs_duckdb": TARGET_RATIO,
            "peak_rss_bytes": TARGET_RSS_BYTES,
            "search_p99_ms": TARGET_P99_MS,
        },
        "imports": [],
    }
    print("running the DuckDB reference ...", file=sys.stderr)
    report["reference"] = run_reference(truth.path, codes)
    status = 0
    unavailable = None if args.no_import else import_available()
    if args.no_import:
        report["import_skipped"] = True
    elif unavailable:
        report["import_unavailable"] = unavailable
    else:
        targets: list[str | None] = [None]
        if args.postgres:
            targets.append(args.postgres)
        for database_url in targets:
            run_dir = Path(tempfile.mkdtemp(prefix="import-", dir=root))
            label = "PostgreSQL" if database_url else "SQLite"
            print(f"importing into {label} ({run_dir}) ...", file=sys.stderr)
            try:
                figures = run_import(truth.path, run_dir, database_url, truth)
                if figures.get("returncode"):
                    status = 1
                elif args.searches:
                    print(f"timing {args.searches:,} searches ...", file=sys.stderr)
                    figures["search"] = run_searches(
                        figures["database_url"], truth.kept_zips, args.searches, args.seed
                    )
                figures.pop("database_url", None)
                figures["data_dir"] = str(run_dir)
                report["imports"].append(figures)
            finally:
                if not args.keep:
                    shutil.rmtree(run_dir, ignore_errors=True)
    judge(report)
    return report, status


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Time the NPPES import against DuckDB on a full-size synthetic file, "
        "and the radius search."
    )
    parser.add_argument(
        "--rows",
        type=positive_int,
        default=DEFAULT_ROWS,
        help="rows in the synthetic monthly file (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="folder for the file and the import's databases "
        "(default: $RECONSULT_BENCH_DIR or /tmp/reconsult-bench)",
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=os.cpu_count() or 1,
        help="processes that write the file (default: one per core)",
    )
    parser.add_argument(
        "--skip-generate", action="store_true", help="use the cached file; fail if there is none"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep each import's data folder (its database)"
    )
    parser.add_argument("--no-import", action="store_true", help="only the file and DuckDB")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also import into this PostgreSQL database (its directory is replaced), "
        "e.g. postgresql+psycopg://user@localhost/reconsult_bench",
    )
    parser.add_argument(
        "--searches",
        type=int,
        default=1000,
        help="timed radius searches after each import; 0 skips them (default: %(default)s)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the report as JSON")
    parser.add_argument(
        "--reference-child", nargs=2, metavar=("CSV", "CODES"), help=argparse.SUPPRESS
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark: 0 when it ran (met or not), 1 if the import failed, 2 if it could not."""
    args = parse_args(argv)
    if args.reference_child:
        csv_path, codes = args.reference_child
        return reference_child(Path(csv_path), codes)
    try:
        report, status = run(args)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render(report))
    return status


if __name__ == "__main__":
    sys.exit(main())
