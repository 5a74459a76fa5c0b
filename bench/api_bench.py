"""Load-test the JSON API: assessments per second and latency under concurrent clients.

Run by `make bench` as:

    .venv/bin/python bench/api_bench.py [--duration S] [--clients N] [--workers N] [--rate R]

It starts `reconsult serve` itself on a free loopback port with a fresh data folder, waits
until it answers, checks that every vignette gets a 200 with an urgency, warms it up, then
sends the vignettes' cases to POST /api/v1/assessments from N keep-alive connections in
two phases:

1. saturation (closed loop): each client sends its next case as soon as its answer
   arrives. This gives the most assessments per second the server manages, and the
   latency at that load. With N clients always waiting, Little's law fixes the mean
   latency at N / throughput, so p99 <= 100 ms with 50 clients needs about 500/s or more.
2. target rate (open loop): cases are due R times a second, whatever the server does,
   spread over the same N connections. Latency counts from when a case was due, so a
   server that falls behind is charged for the wait (no "coordinated omission").

The load generator is plain asyncio speaking HTTP/1.1 over keep-alive sockets: about
0.1 ms of CPU a request, so on a 2-core machine it leaves the cores to the server (it
reports its own CPU use and the server's next to the figures). The server is always
stopped, also on Ctrl+C or an error. Missing a target still exits 0 (the figures are the
point); any error (a non-2xx answer, a refused or dropped connection, a timeout) exits 1;
a server that does not start, or no vignettes, exits 2.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import http.client
import itertools
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEV_VIGNETTES = REPO.parent / "shared" / "benchmark" / "vignettes-dev.jsonl"
PARAPHRASES = REPO / "bench" / "paraphrases.jsonl"
HOST = "127.0.0.1"
PATH = "/api/v1/assessments"
READY_PATH = "/api/v1/procedures"
TARGET_RPS = 200.0
TARGET_P99_MS = 100.0
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 10.0
CASE_FIELDS = ("id", "procedure", "days_since_procedure", "prior_revisions", "description")


class BenchError(Exception):
    """A problem that stops the benchmark before it can measure (no vignettes, no server)."""


# --- the cases ---------------------------------------------------------------------------------


def default_vignettes() -> Path:
    """The development vignettes beside the clone, else the paraphrases shipped in bench/."""
    return DEV_VIGNETTES if DEV_VIGNETTES.exists() else PARAPHRASES


def load_bodies(path: Path) -> list[bytes]:
    """Read vignettes (JSON lines) and return each case as a JSON request body."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BenchError(f"cannot read {path}: {exc}") from exc
    bodies = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            vignette = json.loads(line)
            case = {key: vignette[key] for key in CASE_FIELDS if key in vignette}
        except (json.JSONDecodeError, TypeError) as exc:
            raise BenchError(f"{path}:{number}: not a JSON object: {exc}") from exc
        if "description" not in case or "procedure" not in case:
            raise BenchError(f"{path}:{number}: needs procedure and description")
        bodies.append(json.dumps(case).encode())
    if not bodies:
        raise BenchError(f"{path} has no vignettes")
    return bodies


def post_request(body: bytes, port: int) -> bytes:
    """The bytes of one keep-alive POST of a case."""
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def serve_command(port: int, workers: int) -> list[str]:
    """`reconsult serve` from this Python's environment (the script beside the interpreter)."""
    args = ["serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    script = Path(sys.executable).with_name("reconsult")
    if script.exists():
        return [str(script), *args]
    launcher = "import sys; from reconsult.cli import main; sys.argv[0] = 'reconsult'; main()"
    return [sys.executable, "-c", launcher, *args]


def clock_ticks() -> int:
    """Kernel clock ticks a second, for /proc CPU times."""
    return int(os.sysconf("SC_CLK_TCK")) if hasattr(os, "sysconf") else 100


class Server:
    """`reconsult serve` in its own process group, with a throwaway data folder."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.port = free_port()
        self.data_dir = Path(tempfile.mkdtemp(prefix="reconsult-api-bench-"))
        self.log_path = self.data_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server; raise BenchError if it does not answer in time."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECONSULT_")}
        env["RECONSULT_DATA_DIR"] = str(self.data_dir)  # never the person's own answers
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                serve_command(self.port, self.workers),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # one process group: the server and its workers
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the server exited with {self.process.returncode}:\n{self.log()}")
            if self.answers():
                return
            time.sleep(0.1)
        raise BenchError(f"the server did not answer in {START_TIMEOUT_S:.0f} s:\n{self.log()}")

    def answers(self) -> bool:
        """Whether the server gives 200 to a GET of the procedures."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
        try:
            connection.request("GET", READY_PATH)
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def log(self) -> str:
        """The last lines the server printed."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])
        except OSError:
            return "(no server output)"

    def stop(self) -> None:
        """Stop the server and its workers (Ctrl+C, then kill), and remove the data folder."""
        process = self.process
        if process is not None and process.poll() is None:
            self._signal_group(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._signal_group(process.pid, signal.SIGKILL)
                process.wait()
        if process is not None:
            self._signal_group(process.pid, signal.SIGKILL)  # any worker left behind
        shutil.rmtree(self.data_dir, ignore_errors=True)

    @staticmethod
    def _signal_group(pgid: int, sig: signal.Signals) -> None:
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def cpu_seconds(self) -> dict[int, float] | None:
        """CPU time used so far by each of the server's processes (Linux /proc; else None)."""
        if self.process is None or not Path("/proc/self/stat").exists():
            return None
        used = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile
            if int(fields[2]) == self.process.pid:  # the process group
                ticks = int(fields[11]) + int(fields[12])  # utime + stime
                used[int(stat.parent.name)] = ticks / clock_ticks()
        return used


@contextmanager
def running_server(workers: int) -> Iterator[Server]:
    """A started server that is stopped however the block ends."""
    server = Server(workers)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- the load generator ------------------------------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; return its status and whether the server closes."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split(None, 2)[1])
    length: int | None = None
    chunked = closes = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            closes = b"close" in value
    if chunked:
        while size := int((await reader.readline()).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass  # trailers
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        closes = True
    return status, closes


@dataclass
class Phase:
    """One timed run of load and what it measured."""

    name: str
    clients: int
    duration: float
    rate: float | None  # cases due a second (open loop), or None (closed loop)
    # Go on past the duration (closed loop) until every connection has had this many
    # answers: a warm-up must reach every worker, and a cold one can take seconds.
    min_answers: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, successful answers
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    generator_cpu: float = 0.0
    server_cpu: float | None = None
    # Cores kept busy by each server process, busiest first: connections are shared out
    # among the workers when they open, not per request, so one worker may get most.
    process_cpus: list[float] = field(default_factory=list)
    other_cpu: float | None = None  # everything else on the machine meanwhile


class Load:
    """N keep-alive clients sending cases in turn, closed loop or at a fixed rate."""

    def __init__(self, port: int, requests: Sequence[bytes], timeout: float) -> None:
        self.port = port
        self.requests = requests
        self.timeout = timeout

    async def run(self, phase: Phase) -> None:
        """Run the phase's clients until its duration is over and their answers are in."""
        self.phase = phase
        self.sent = itertools.count()
        self.start = time.perf_counter()
        self.deadline = self.start + phase.duration
        await asyncio.gather(*(self.client() for _ in range(phase.clients)))
        phase.elapsed = time.perf_counter() - self.start

    def next_due(self, answered: int) -> tuple[int, float] | None:
        """The next case to send and when it is due, or None when the phase is over."""
        k = next(self.sent)
        if self.phase.rate is None:
            now = time.perf_counter()
            more = answered < self.phase.min_answers and now < self.deadline + self.timeout
            return (k, now) if now < self.deadline or more else None
        due = self.start + k / self.phase.rate
        return (k, due) if due < self.deadline else None

    async def client(self) -> None:
        """One connection: send a case, read the answer, again until the phase is over."""
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        answered = 0
        while (turn := self.next_due(answered)) is not None:
            k, due = turn
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                async with asyncio.timeout(self.timeout):
                    if writer is None:
                        reader, writer = await asyncio.open_connection(HOST, self.port)
                    assert reader is not None
                    writer.write(self.requests[k % len(self.requests)])
                    status, closes = await read_response(reader)
            except TimeoutError:  # before OSError, of which it is a subclass
                self.phase.errors[f"no answer in {self.timeout:g} s"] += 1
                await close(writer)
                writer = None
                continue
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                self.phase.errors[error_name(exc)] += 1
                await close(writer)
                writer = None
                await asyncio.sleep(0.01)  # do not spin on a refused connection
                continue
            answered += 1
            if 200 <= status < 300:
                self.phase.latencies.append(time.perf_counter() - due)
            else:
                self.phase.errors[f"HTTP {status}"] += 1
            if closes:
                await close(writer)
                writer = None
        await close(writer)


def error_name(exc: BaseException) -> str:
    """A short name for a connection error, to count alike errors together."""
    if isinstance(exc, asyncio.IncompleteReadError):
        return "connection dropped mid-answer"
    if isinstance(exc, ValueError | IndexError):
        return "unreadable HTTP answer"
    return type(exc).__name__


async def close(writer: asyncio.StreamWriter | None) -> None:
    """Close a connection, ignoring a peer that is already gone."""
    if writer is not None:
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass


def machine_cpu_seconds() -> float | None:
    """CPU time all processes on the machine have used so far (Linux /proc/stat; else None)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    # user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait
    ticks = [int(value) for value in fields[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / clock_ticks()


def other_work(seconds: float = 1.0) -> float | None:
    """Cores kept busy by the rest of the machine over a short look, before the server starts."""
    before = machine_cpu_seconds()
    time.sleep(seconds)
    after = machine_cpu_seconds()
    return None if before is None or after is None else (after - before) / seconds


def run_phase(server: Server, load: Load, phase: Phase) -> Phase:
    """Run one phase, recording the CPU time of this process, the server and the machine."""
    server_before = server.cpu_seconds()
    machine_before = machine_cpu_seconds()
    cpu_before = time.process_time()
    asyncio.run(load.run(phase))
    phase.generator_cpu = time.process_time() - cpu_before
    server_after = server.cpu_seconds()
    machine_after = machine_cpu_seconds()
    if server_before is not None and server_after is not None:
        used = {pid: t - server_before.get(pid, 0.0) for pid, t in server_after.items()}
        phase.server_cpu = sum(used.values())
        elapsed = phase.elapsed or math.nan
        phase.process_cpus = sorted((t / elapsed for t in used.values()), reverse=True)
    if machine_before is not None and machine_after is not None and phase.server_cpu is not None:
        phase.other_cpu = max(
            0.0, machine_after - machine_before - phase.server_cpu - phase.generator_cpu
        )
    return phase


def check_answers(port: int, bodies: Sequence[bytes]) -> list[str]:
    """Send each case once; return a line for each that does not get a 200 with an urgency."""
    problems = []
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        for body in bodies:
            connection.request("POST", PATH, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            answer = json.loads(payload) if response.status == 200 else {}
            if not isinstance(answer, dict) or "urgency" not in answer:
                problems.append(f"HTTP {response.status} for {body[:80]!r}: {payload[:200]!r}")
    except (OSError, http.client.HTTPException, json.JSONDecodeError) as exc:
        problems.append(f"checking the answers failed: {exc!r}")
    finally:
        connection.close()
    return problems


# --- figures -----------------------------------------------------------------------------------


def percentile(sorted_samples: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile of already sorted samples."""
    if not sorted_samples:
        return None
    rank = max(1, math.ceil(pct / 100 * len(sorted_samples)))
    return sorted_samples[rank - 1]


def figures(phase: Phase) -> dict[str, Any]:
    """The figures of one phase, latencies in milliseconds."""
    samples = sorted(phase.latencies)
    ok = len(samples)
    elapsed = phase.elapsed or math.nan

    def ms(value: float | None) -> float | None:
        return None if value is None else value * 1000

    return {
        "phase": phase.name,
        "clients": phase.clients,
        "duration_s": phase.duration,
        "offered_per_s": phase.rate,
        "elapsed_s": phase.elapsed,
        "requests": ok + sum(phase.errors.values()),
        "ok": ok,
        "errors": sum(phase.errors.values()),
        "error_kinds": dict(phase.errors),
        "assessments_per_s": ok / elapsed,
        "p50_ms": ms(percentile(samples, 50)),
        "p90_ms": ms(percentile(samples, 90)),
        "p99_ms": ms(percentile(samples, 99)),
        "max_ms": ms(samples[-1] if samples else None),
        "mean_ms": ms(sum(samples) / ok if ok else None),
        # CPUs kept busy on average (1.0 = one core all the time).
        "generator_cpus": phase.generator_cpu / elapsed,
        "server_cpus": None if phase.server_cpu is None else phase.server_cpu / elapsed,
        "other_cpus": None if phase.other_cpu is None else phase.other_cpu / elapsed,
        "server_process_cpus": phase.process_cpus,
        # Server CPU time per answer: the figure least moved by other work on the machine.
        "server_cpu_ms_per_answer": (
            None if phase.server_cpu is None or not ok else 1000 * phase.server_cpu / ok
        ),
    }


def check_targets(phases: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each phase's figures against the issue's targets (>= 200/s, p99 <= 100 ms)."""
    targets = []
    for phase in phases:
        if phase["offered_per_s"] is None:
            rps = phase["assessments_per_s"]
            targets.append(
                {
                    "figure": f"{phase['phase']}: assessments/s",
                    "target": f">= {TARGET_RPS:g}",
                    "met": rps >= TARGET_RPS,
                }
            )
        p99 = phase["p99_ms"]
        targets.append(
            {
                "figure": f"{phase['phase']}: p99 latency",
                "target": f"<= {TARGET_P99_MS:g} ms",
                "met": p99 is not None and p99 <= TARGET_P99_MS,
            }
        )
    return targets


# --- report ------------------------------------------------------------------------------------


def fmt(value: float | None, unit: str = "", digits: int = 1) -> str:
    """A number for display ('n/a' when missing)."""
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}{unit}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows in aligned columns: the first left, the rest right."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def render(report: dict[str, Any]) -> str:
    """The text report."""
    setup = report["setup"]
    other = setup["other_cpus_before"]
    lines = [
        "== reconsult API load benchmark ==",
        f"server:    reconsult serve, {setup['workers']} worker(s), http://{HOST}:<free port>",
        f"clients:   {setup['clients']} keep-alive connections, asyncio HTTP/1.1 (this process)",
        f"cases:     {setup['vignettes']} (n = {setup['cases']}), POST {PATH}",
        f"machine:   {setup['cpus']} CPUs, Python {setup['python']}, "
        f"{fmt(other, digits=2)} of them busy with other work before the start",
    ]
    if other is not None and other > 0.2:
        lines.append("           other work was running: figures may be lower than the machine's")
    phases = report["phases"]
    rows = [
        [
            p["phase"],
            str(p["requests"]),
            str(p["errors"]),
            fmt(p["assessments_per_s"]),
            fmt(p["p50_ms"]),
            fmt(p["p90_ms"]),
            fmt(p["p99_ms"]),
            fmt(p["max_ms"]),
            fmt(p["server_cpu_ms_per_answer"], digits=2),
            fmt(p["server_cpus"], digits=2),
            fmt(p["generator_cpus"], digits=2),
            fmt(p["other_cpus"], digits=2),
        ]
        for p in phases
    ]
    headers = ["phase", "requests", "errors", "assess/s"]
    headers += ["p50 ms", "p90 ms", "p99 ms", "max ms", "CPU ms/ans"]
    headers += ["srv CPUs", "gen CPUs", "other CPUs"]
    lines += ["", table(headers, rows)]
    lines.append(
        "CPU ms/ans: server CPU time per answer. CPUs: cores kept busy by the server, this "
        "load generator, and other work on the machine"
    )
    warmup = report["warmup"]
    if warmup is not None:
        lines.append(
            f"warm-up (not measured): {warmup['requests']} requests in "
            f"{warmup['elapsed_s']:.1f} s, slowest {fmt(warmup['max_ms'], ' ms', 0)} "
            "(the first answers of a cold worker)"
        )
    for p in phases:
        split = ", ".join(f"{cpus:.2f}" for cpus in p["server_process_cpus"] if cpus >= 0.01)
        lines.append(f"{p['phase']}: cores busy per server process: {split or 'n/a'}")
    for p in phases:
        for kind, count in sorted(p["error_kinds"].items()):
            lines.append(f"ERROR ({p['phase']}): {count} x {kind}")
    lines.extend(f"ERROR (before measuring): {problem}" for problem in report["answer_problems"])
    lines += ["", "== targets (the issue: >= 200/s, p99 <= 100 ms, 50 clients, loopback) =="]
    target_rows = [
        [t["figure"], t["target"], "PASS" if t["met"] else "MISS"] for t in report["targets"]
    ]
    lines.append(table(["figure", "target", "status"], target_rows))
    closed = next((p for p in phases if p["offered_per_s"] is None), None)
    if closed is not None and closed["assessments_per_s"] > 0:
        lines.append(
            f"Little's law: {closed['clients']} clients / "
            f"{closed['assessments_per_s']:.0f} per s = "
            f"{1000 * closed['clients'] / closed['assessments_per_s']:.0f} ms mean latency "
            "at saturation"
        )
    return "\n".join(lines)


# --- main --------------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Start the server, check and warm it, run the phases and gather the report."""
    bodies = load_bodies(args.vignettes)
    other_before = other_work()
    phases = [Phase("saturation", args.clients, args.duration, None)]
    if args.rate > 0:
        phases.append(Phase(f"{args.rate:g}/s offered", args.clients, args.duration, args.rate))
    print(f"starting reconsult serve with {args.workers} worker(s) ...", file=sys.stderr)
    with running_server(args.workers) as server:
        requests = [post_request(body, server.port) for body in bodies]
        load = Load(server.port, requests, args.timeout)
        print(f"checking {len(bodies)} cases, warming up {args.warmup:g} s ...", file=sys.stderr)
        problems = check_answers(server.port, bodies)
        warmed: dict[str, Any] | None = None
        if args.warmup > 0:
            warmup = Phase("warm-up", args.clients, args.warmup, None, min_answers=2)
            run_phase(server, load, warmup)
            problems += [f"warm-up: {n} x {kind}" for kind, n in sorted(warmup.errors.items())]
            warmed = figures(warmup)
        for phase in phases:
            print(f"{phase.name}: {phase.clients} clients, {phase.duration:g} s", file=sys.stderr)
            run_phase(server, load, phase)
    measured = [figures(phase) for phase in phases]
    return {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "setup": {
            "workers": args.workers,
            "clients": args.clients,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "vignettes": str(args.vignettes),
            "cases": len(bodies),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "other_cpus_before": other_before,
            "generator": "asyncio HTTP/1.1 keep-alive",
        },
        "warmup": warmed,
        "answer_problems": problems,
        "phases": measured,
        "targets": check_targets(measured),
    }


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="Load-test the reconsult JSON API.")
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds of load per phase (default 10)"
    )
    parser.add_argument(
        "--clients", type=positive_int, default=50, help="concurrent connections (default 50)"
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=os.cpu_count() or 1,
        help="server worker processes (default: one per CPU, %(default)s here)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=TARGET_RPS,
        help="cases a second for the open-loop phase (default %(default)g; 0 skips it)",
    )
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds of unmeasured load first (default 5)"
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for one answer (default 30)"
    )
    parser.add_argument(
        "--vignettes",
        type=Path,
        default=default_vignettes(),
        help="JSON-lines cases to send (default: the development vignettes)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the report as JSON")
    parser.add_argument(
        "--fail-on-miss", action="store_true", help="exit 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    if args.duration <= 0:
        parser.error("--duration must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark: 0 ran cleanly, 1 errors (or a miss with --fail-on-miss), 2 could not."""
    args = parse_args(argv)
    # Ctrl+C, `kill -INT` (even when started in the background, where a shell ignores
    # SIGINT) and a plain `kill` all take the KeyboardInterrupt path, which stops the server.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        report = benchmark(args)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the server is stopped", file=sys.stderr)
        return 130
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render(report))
    if report["answer_problems"] or any(p["errors"] for p in report["phases"]):
        return 1
    missed = any(not t["met"] for t in report["targets"])
    return 1 if args.fail_on_miss and missed else 0


if __name__ == "__main__":
    sys.exit(main())
