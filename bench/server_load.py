"""Load-test server mode on PostgreSQL with several workers, kill one mid-run, count the writes.

Run it as:

    .venv/bin/python bench/server_load.py [--seconds S] [--kill-at S] [--workers N]
                                          [--users N] [--accounts N] [--out FILE]

What it does, in order:

1. Drops and recreates a PostgreSQL database (``--database``, default ``reconsult_load``;
   the name must contain "load" so a real database cannot be dropped by mistake).
2. Starts ``reconsult serve --mode server --workers N`` on a free loopback port with
   ``RECONSULT_DATABASE_URL`` pointing at it, a throwaway data folder, every other
   ``RECONSULT_*`` variable removed, and the four rate limits raised to 1,000,000
   (``RECONSULT_LIMIT_SIGN_IN``, ``_SIGN_UP``, ``_ASSESSMENTS``, ``_UPLOADS``): all the
   load comes from 127.0.0.1, so the per-address limits would otherwise stop it within
   seconds. The server's output (tracebacks included) goes to ``--server-log``.
3. Signs up ``--accounts`` accounts (form sign-up, which sets the session cookie), gets
   an API token for each (``POST /api/v1/sessions``), and gives each account two cases:
   one with a procedure (so its journal entries are assessed), one without.
4. Runs ``--users`` virtual users for ``--seconds``. User ``i`` is account ``i % accounts``,
   so with more users than accounts some people have two tabs open and write to the same
   case at the same moment. Each user keeps one keep-alive connection (and opens a new
   one now and then, as a new visit would), waits a random think time between clicks, and
   does a mix of: the case list, a case overview, a journal entry (a write: its text
   carries a unique marker; the 303 is followed to the entry's page, which must show the
   marker), an assessment through the JSON API, the API's case list (which must list the
   account's two cases), and the consultation packet as text now and then.
5. At ``--kill-at`` seconds it SIGKILLs the worker holding the most client connections,
   notes which client connections that worker held, and watches for uvicorn's supervisor
   to start a replacement (a new worker process) and for the replacement to answer a
   request (probe connections, matched to the worker by their port).
6. Stops itself at ``--seconds`` (requests still in flight get up to the request timeout;
   a watchdog ends everything at ``--seconds`` + 60 s after the load started), stops the
   server, and counts in PostgreSQL (table ``case_journal``, column ``text``) which
   markers of acknowledged writes (a 303 to the new entry) are there: acknowledged,
   found, lost (must be 0). Writes whose request failed when the worker was killed are
   looked up too: committed or not, both are fine, since the person got no answer.

Nothing is retried: a failed request is recorded and the user goes on with a new
connection. Errors are counted by kind: HTTP 5xx, other unexpected statuses, wrong
answers (a journal page without its marker, an API case list without the account's
cases), timeouts, and connection errors, split into those on a connection the killed
worker held (the request was in flight when it died, or was sent just after on the
connection it had held) and all others (which should be 0).

Exit status: 0 when there were no errors other than those on the killed worker's
connections and no acknowledged write was lost; 1 otherwise; 2 when the database, the
server or the set-up failed; 3 when the watchdog had to end the run; 130 on Ctrl+C.
The server is stopped however the run ends.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil  # type: ignore[import-untyped]
import psycopg

REPO = Path(__file__).resolve().parents[1]
PARAPHRASES = REPO / "bench" / "paraphrases.jsonl"
HOST = "127.0.0.1"
START_TIMEOUT_S = 180.0
SETUP_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 15.0
WATCHDOG_SLACK_S = 60.0
KILL_WINDOW_S = 5.0
MAX_THINK_S = 4.0  # below uvicorn's 5 s keep-alive, so idle connections are not closed under us
PASSWORD = "load-test-password-123"
RAISED_LIMIT = "1000000"
LIMITS = ("SIGN_IN", "SIGN_UP", "ASSESSMENTS", "UPLOADS")

# What a virtual user does on each click, and how often (weights).
MIX: dict[str, int] = {
    "case_list": 15,  # GET /cases
    "overview": 25,  # GET /cases/<id>
    "journal_add": 15,  # POST /cases/<id>/journal/new, then GET the entry's page
    "api_assess": 20,  # POST /api/v1/assessments
    "api_cases": 15,  # GET /api/v1/cases
    "packet": 5,  # GET /cases/<id>/download/packet.txt
}
KINDS = (*MIX, "journal_view", "probe", "connect")


class LoadError(Exception):
    """A problem that stops the run before or instead of measuring."""


# --- texts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vignette:
    procedure: str
    days: int | None
    description: str


def load_vignettes(path: Path = PARAPHRASES) -> list[Vignette]:
    """The paraphrased vignettes shipped in bench/: words for journal entries and assessments."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            found.append(
                Vignette(item["procedure"], item.get("days_since_procedure"), item["description"])
            )
    if not found:
        raise LoadError(f"{path} has no vignettes")
    return found


# --- PostgreSQL ------------------------------------------------------------------------------


def check_name(name: str) -> str:
    """Accept only a plain name with "load" in it: the database is dropped."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name) or "load" not in name:
        raise argparse.ArgumentTypeError(
            "use a lower-case name (letters, digits, _) containing 'load'; it is dropped first"
        )
    return name


def recreate_database(admin_url: str, name: str) -> None:
    """Drop the database if it exists (closing its connections) and create it empty."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url(admin_url: str, name: str, driver: str = "postgresql") -> str:
    """The admin URL with another database name (and optionally SQLAlchemy's driver prefix)."""
    info = psycopg.conninfo.conninfo_to_dict(admin_url)
    user = info.get("user") or "postgres"
    host = info.get("host") or HOST
    port = info.get("port") or "5432"
    password = f":{info['password']}" if info.get("password") else ""
    return f"{driver}://{user}{password}@{host}:{port}/{name}"


def find_markers(url: str, prefix: str) -> Counter[str]:
    """How many journal entries carry each marker of this run, read straight from PostgreSQL."""
    found: Counter[str] = Counter()
    pattern = re.compile(re.escape(prefix) + r"[0-9]+-[0-9]+")
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT text FROM case_journal WHERE text LIKE %s", (f"%{prefix}%",)
        ).fetchall()
    for (text,) in rows:
        found.update(pattern.findall(text))
    return found


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def serve_command(port: int, workers: int) -> list[str]:
    """`reconsult serve --mode server` from this Python's environment."""
    args = ["serve", "--mode", "server", "--host", HOST, "--port", str(port)]
    args += ["--workers", str(workers)]
    script = Path(sys.executable).with_name("reconsult")
    if script.exists():
        return [str(script), *args]
    launcher = "import sys; from reconsult.cli import main; sys.argv[0] = 'reconsult'; main()"
    return [sys.executable, "-c", launcher, *args]


def is_worker(process: psutil.Process) -> bool:
    """A uvicorn worker: a multiprocessing child started with spawn_main (not the tracker)."""
    try:
        return any("spawn_main" in part for part in process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


class Server:
    """`reconsult serve` in its own process group, stopped however the run ends."""

    def __init__(self, workers: int, db_url: str, log_path: Path) -> None:
        self.workers = workers
        self.db_url = db_url
        self.port = free_port()
        self.log_path = log_path
        self.data_dir = Path(tempfile.mkdtemp(prefix="reconsult-load-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.started_in: float | None = None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECONSULT_")}
        env["RECONSULT_DATA_DIR"] = str(self.data_dir)
        env["RECONSULT_DATABASE_URL"] = self.db_url
        for limit in LIMITS:  # all load comes from 127.0.0.1: raise the per-address limits
            env[f"RECONSULT_LIMIT_{limit}"] = RAISED_LIMIT
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                serve_command(self.port, self.workers),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        while time.monotonic() - began < START_TIMEOUT_S:
            if self.process.poll() is not None:
                raise LoadError(f"the server exited with {self.process.returncode}:\n{self.tail()}")
            if self.answers():
                self.started_in = time.monotonic() - began
                return
            time.sleep(0.2)
        raise LoadError(f"the server did not answer in {START_TIMEOUT_S:.0f} s:\n{self.tail()}")

    def answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=2) as sock:
                sock.sendall(
                    f"GET /account/sign-in HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                    "Connection: close\r\n\r\n".encode()
                )
                return sock.recv(64).startswith(b"HTTP/1.1 200")
        except OSError:
            return False

    def workers_now(self) -> list[psutil.Process]:
        if self.process is None:
            return []
        try:
            children = psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []
        return [c for c in children if is_worker(c)]

    def cpu_seconds(self) -> float:
        """CPU time of the server so far: live processes, plus workers already reaped."""
        if self.process is None:
            return 0.0
        try:
            parent = psutil.Process(self.process.pid)
            total = sum(parent.cpu_times()[:4])  # user, system, children_user, children_system
            for child in parent.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += sum(child.cpu_times()[:2])
            return float(total)
        except psutil.NoSuchProcess:
            return 0.0

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server output)"

    def stop(self) -> None:
        """SIGTERM to the supervisor (it stops its workers), then SIGKILL whatever is left."""
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._signal_group(process.pid, signal.SIGKILL)
                process.wait()
        if process is not None:
            self._signal_group(process.pid, signal.SIGKILL)  # a worker left behind
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def kill_now(self) -> None:
        """For the watchdog: SIGKILL the whole process group at once."""
        if self.process is not None:
            self._signal_group(self.process.pid, signal.SIGKILL)

    @staticmethod
    def _signal_group(pgid: int, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, sig)


def server_log_problems(text: str) -> dict[str, Any]:
    """Tracebacks and ERROR lines in the server's output, with the last line of each."""
    lines = text.splitlines()
    tracebacks = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    last_lines: Counter[str] = Counter()
    for start in tracebacks:
        for line in lines[start + 1 :]:
            if line and not line.startswith((" ", "\t", "Traceback", "During handling", "The ")):
                last_lines[line[:300]] += 1
                break
    errors = [line for line in lines if "ERROR" in line]
    return {
        "tracebacks": len(tracebacks),
        "error_lines": len(errors),
        "exceptions": dict(last_lines.most_common(20)),
        "first_error_lines": errors[:10],
    }


# --- HTTP/1.1 over asyncio streams -----------------------------------------------------------


class Closed(ConnectionError):
    """The server closed the connection without (all of) an answer."""


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str:
        values = self.headers.get(name, [])
        return values[0] if values else ""


class Connection:
    """One keep-alive HTTP/1.1 connection to the server."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.port = int(writer.get_extra_info("sockname")[1])

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(HOST, port, limit=2**22)
        return cls(reader, writer)

    def usable(self) -> bool:
        return not (self.reader.at_eof() or self.writer.is_closing())

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Answer:
        lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        return await self._read()

    async def _read(self) -> Answer:
        status_line = await self.reader.readline()
        if not status_line:
            raise Closed("the server closed the connection before answering")
        status = int(status_line.split(None, 2)[1])
        headers: dict[str, list[str]] = defaultdict(list)
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise Closed("the server closed the connection in the headers")
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()].append(value.strip())
        body = b""
        try:
            if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
                parts = []
                while size := int((await self.reader.readline()).split(b";")[0], 16):
                    parts.append((await self.reader.readexactly(size + 2))[:-2])
                while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                body = b"".join(parts)
            elif headers.get("content-length"):
                body = await self.reader.readexactly(int(headers["content-length"][0]))
        except asyncio.IncompleteReadError as exc:
            raise Closed("the server closed the connection in the body") from exc
        if "close" in ",".join(headers.get("connection", [])).lower():
            self.writer.close()
        return Answer(status, dict(headers), body)


# --- the people ------------------------------------------------------------------------------


@dataclass
class Account:
    email: str
    cookie: str = ""
    token: str = ""
    cases: list[str] = field(default_factory=list)  # [with a procedure, without]
    procedure_id: str = ""


@dataclass
class Sample:
    kind: str
    start: float  # seconds since the load started, when the request was sent
    seconds: float
    outcome: str  # "ok" or an error kind
    port: int
    detail: str = ""


@dataclass
class Write:
    marker: str
    start: float
    outcome: str  # "ok" (a 303 to the new entry) or an error kind
    port: int


@dataclass
class KillReport:
    pid: int | None = None
    at: float | None = None  # seconds since the load started
    workers_before: int = 0
    connections_held: int = 0
    ports: set[int] = field(default_factory=set)
    replacement_pid: int | None = None
    replacement_seen_after: float | None = None
    replacement_served_after: float | None = None
    note: str = ""


class Load:
    """The virtual users, the kill, and everything they record."""

    def __init__(self, args: argparse.Namespace, server: Server, vignettes: Sequence[Vignette]):
        self.args = args
        self.server = server
        self.port = server.port
        self.vignettes = vignettes
        self.run_id = secrets.token_hex(3)
        self.prefix = f"LOADMARK-{self.run_id}-"
        self.samples: list[Sample] = []
        self.writes: list[Write] = []
        self.accounts: list[Account] = []
        self.kill = KillReport()
        self.t0 = 0.0
        self.reconnects = Counter[str]()
        self.worker_events: list[tuple[float, str, int]] = []  # (time, "started"/"ended", pid)
        self.workers_seen: set[int] = set()

    def now(self) -> float:
        return time.monotonic() - self.t0

    def base_headers(self) -> dict[str, str]:
        return {"Host": f"{HOST}:{self.port}", "User-Agent": "reconsult-server-load"}

    # -- set-up: accounts and cases (no timing, any failure stops the run) --

    async def setup(self) -> None:
        self.accounts = [
            Account(f"load-{self.run_id}-{i}@example.org") for i in range(self.args.accounts)
        ]
        gate = asyncio.Semaphore(4)

        async def one(account: Account) -> None:
            async with gate:
                await self._setup_account(account)

        await asyncio.gather(*(one(a) for a in self.accounts))

    async def _setup_account(self, account: Account) -> None:
        conn = await Connection.open(self.port)
        try:
            form = {"email": account.email, "new_password": PASSWORD, "confirm": PASSWORD}
            answer = await conn.request("POST", "/account/sign-up", *self._form(form))
            cookie = next(
                (c for c in answer.headers.get("set-cookie", []) if "reconsult_session=" in c), ""
            )
            if answer.status != 303 or not cookie:
                raise LoadError(f"sign-up answered {answer.status}: {answer.body[:300]!r}")
            account.cookie = cookie.split(";", 1)[0]
            body = json.dumps({"email": account.email, "password": PASSWORD}).encode()
            answer = await conn.request("POST", "/api/v1/sessions", self._json_headers(), body)
            if answer.status != 201:
                raise LoadError(f"POST /api/v1/sessions answered {answer.status}")
            account.token = json.loads(answer.body)["token"]
            for _ in range(2):
                answer = await conn.request("POST", "/cases", self._cookie_headers(account))
                location = answer.header("location")
                if answer.status != 303 or not location.startswith("/cases/"):
                    raise LoadError(f"POST /cases answered {answer.status} {location!r}")
                account.cases.append(location.split("?", 1)[0])
            day = dt.date.today() - dt.timedelta(days=10)
            form = {
                "procedure": "filler_hyaluronic_acid",
                "performed_on-day": str(day.day),
                "performed_on-month": str(day.month),
                "performed_on-year": str(day.year),
                "provider_name": "Dr Load Test",
            }
            headers, body = self._form(form, account)
            answer = await conn.request("POST", f"{account.cases[0]}/procedures/new", headers, body)
            location = answer.header("location")
            if answer.status != 303 or "#procedure-" not in location:
                raise LoadError(f"adding a procedure answered {answer.status} {location!r}")
            account.procedure_id = location.split("#procedure-", 1)[1]
        finally:
            await conn.close()

    def _cookie_headers(self, account: Account) -> dict[str, str]:
        return {**self.base_headers(), "Cookie": account.cookie}

    def _json_headers(self, account: Account | None = None) -> dict[str, str]:
        headers = {**self.base_headers(), "Content-Type": "application/json"}
        if account is not None:
            headers["Authorization"] = f"Bearer {account.token}"
        return headers

    def _form(
        self, fields: dict[str, str], account: Account | None = None
    ) -> tuple[dict[str, str], bytes]:
        headers = self._cookie_headers(account) if account else self.base_headers()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers, urlencode(fields).encode()

    # -- the load --

    async def run(self) -> None:
        self.t0 = time.monotonic()
        end = self.args.seconds
        users = [
            asyncio.create_task(self.user(i, self.accounts[i % len(self.accounts)], end))
            for i in range(self.args.users)
        ]
        self.workers_seen = {w.pid for w in self.server.workers_now()}
        helpers = [asyncio.create_task(self.watch_workers(end))]
        if self.args.kill_at is not None:
            helpers.append(asyncio.create_task(self.kill_one(end)))
        interrupted = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, interrupted.set)
        stop: asyncio.Future[Any] = asyncio.create_task(interrupted.wait())
        everyone: asyncio.Future[Any] = asyncio.gather(*users)
        try:
            # Each user stops at the end; one still waiting gets up to the request timeout.
            await asyncio.wait(
                [everyone, stop],
                timeout=end + self.args.timeout + 5,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
            for task in [*users, *helpers, stop, everyone]:
                task.cancel()
            await asyncio.gather(*users, *helpers, stop, everyone, return_exceptions=True)
        if interrupted.is_set():
            raise KeyboardInterrupt
        for task in users:
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]

    async def user(self, number: int, account: Account, end: float) -> None:
        rng = random.Random(f"{self.args.seed}-{number}")
        conn: Connection | None = None
        writes = 0
        kinds, weights = list(MIX), list(MIX.values())
        await asyncio.sleep(rng.uniform(0, 1.0))  # do not all start on the same tick
        while self.now() < end:
            if conn is not None and (not conn.usable() or rng.random() < self.args.reconnect):
                self.reconnects["closed by server" if not conn.usable() else "new visit"] += 1
                await conn.close()
                conn = None
            if conn is None:
                try:
                    conn = await asyncio.wait_for(Connection.open(self.port), self.args.timeout)
                except (OSError, TimeoutError) as exc:
                    self.samples.append(Sample("connect", self.now(), 0.0, error_kind(exc), 0))
                    await asyncio.sleep(0.5)
                    continue
            kind = rng.choices(kinds, weights)[0]
            case = account.cases[0 if rng.random() < 0.7 else 1]
            ok = await self.click(conn, rng, account, case, kind, number, writes)
            if kind == "journal_add":
                writes += 1
            if not ok:
                await conn.close()
                conn = None
            if self.args.think > 0:
                await asyncio.sleep(min(rng.expovariate(1 / self.args.think), MAX_THINK_S))
        if conn is not None:
            await conn.close()

    async def click(
        self,
        conn: Connection,
        rng: random.Random,
        account: Account,
        case: str,
        kind: str,
        number: int,
        writes: int,
    ) -> bool:
        """Do one thing a person would do; return False if the connection is no good now."""
        if kind == "case_list":
            answer = await self.timed(conn, kind, "GET", "/cases", self._cookie_headers(account))
            return answer is not None
        if kind == "overview":
            answer = await self.timed(conn, kind, "GET", case, self._cookie_headers(account))
            return answer is not None
        if kind == "packet":
            path = f"{case}/download/packet.txt"
            answer = await self.timed(conn, kind, "GET", path, self._cookie_headers(account))
            return answer is not None
        if kind == "api_cases":
            answer = await self.timed(
                conn, kind, "GET", "/api/v1/cases", self._json_headers(account), check=self._lists
            )
            return answer is not None
        vignette = rng.choice(self.vignettes)
        if kind == "api_assess":
            case_in: dict[str, Any] = {
                "procedure": vignette.procedure,
                "description": vignette.description,
            }
            if vignette.days is not None:
                case_in["days_since_procedure"] = vignette.days
            answer = await self.timed(
                conn,
                kind,
                "POST",
                "/api/v1/assessments",
                self._json_headers(account),
                json.dumps(case_in).encode(),
            )
            return answer is not None
        # journal_add: a write with a unique marker, then the page it redirects to.
        marker = f"{self.prefix}{number}-{writes}"
        fields = {"text": f"{vignette.description} [{marker}]"}
        if case == account.cases[0]:
            fields["procedure_id"] = account.procedure_id
        headers, body = self._form(fields, account)
        start = self.now()
        answer = await self.timed(
            conn, kind, "POST", f"{case}/journal/new", headers, body, expect=303, check=_to_entry
        )
        sample = self.samples[-1]
        self.writes.append(Write(marker, start, sample.outcome, conn.port))
        if answer is None:
            return False
        if sample.outcome != "ok":
            return True
        location = answer.header("location")
        view = await self.timed(
            conn,
            "journal_view",
            "GET",
            location,
            self._cookie_headers(account),
            check=lambda a: marker.encode() in a.body or "marker missing",
        )
        return view is not None

    def _lists(self, answer: Answer) -> bool | str:
        ids = {item["id"] for item in json.loads(answer.body)}
        return True if len(ids) >= 2 else f"{len(ids)} cases listed"

    async def timed(
        self,
        conn: Connection,
        kind: str,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes = b"",
        *,
        expect: int = 200,
        check: Any = None,
    ) -> Answer | None:
        """Send one request and record it; None when the connection failed or timed out."""
        start = self.now()
        began = time.perf_counter()
        try:
            answer = await asyncio.wait_for(
                conn.request(method, path, headers, body), self.args.timeout
            )
        except (OSError, TimeoutError, ValueError, IndexError) as exc:
            seconds = time.perf_counter() - began
            outcome = error_kind(exc)
            self.samples.append(Sample(kind, start, seconds, outcome, conn.port, repr(exc)[:200]))
            return None
        seconds = time.perf_counter() - began
        outcome, detail = "ok", ""
        if answer.status != expect:
            outcome = "http_5xx" if answer.status >= 500 else "unexpected_status"
            detail = f"{method} {path} -> {answer.status} {answer.body[:200]!r}"
        elif check is not None:
            verdict = check(answer)
            if verdict is not True:
                outcome, detail = "wrong_answer", f"{method} {path}: {verdict}"
        self.samples.append(Sample(kind, start, seconds, outcome, conn.port, detail))
        return answer

    # -- the kill --

    async def watch_workers(self, end: float) -> None:
        """Note every worker process that ends or starts during the run."""
        while self.now() < end:
            now = {w.pid for w in self.server.workers_now()}
            at = self.now()
            for pid in sorted(self.workers_seen - now):
                self.worker_events.append((at, "ended", pid))
            for pid in sorted(now - self.workers_seen):
                self.worker_events.append((at, "started", pid))
            self.workers_seen = now
            await asyncio.sleep(0.1)

    async def kill_one(self, end: float) -> None:
        await asyncio.sleep(max(0.0, self.args.kill_at - self.now()))
        report = self.kill
        workers = self.server.workers_now()
        report.workers_before = len(workers)
        if not workers:
            report.note = "no worker processes found"
            return
        held: dict[int, set[int]] = {}
        for worker in workers:
            try:
                held[worker.pid] = {
                    c.raddr.port
                    for c in worker.net_connections(kind="tcp")
                    if c.raddr and c.status == psutil.CONN_ESTABLISHED
                }
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                held[worker.pid] = set()
        victim = max(workers, key=lambda w: len(held[w.pid]))
        report.pid = victim.pid
        report.ports = held[victim.pid]
        report.connections_held = len(report.ports)
        os.kill(victim.pid, signal.SIGKILL)
        report.at = self.now()
        # Wait for uvicorn's supervisor to start a replacement, then for it to answer.
        replacement: psutil.Process | None = None
        while self.now() < end and replacement is None:
            await asyncio.sleep(0.1)
            for at, what, pid in self.worker_events:
                if what == "started" and at >= report.at:
                    report.replacement_pid = pid
                    report.replacement_seen_after = at - report.at
                    with contextlib.suppress(psutil.NoSuchProcess):
                        replacement = psutil.Process(pid)
                    break
        if replacement is None:
            report.note = "no replacement worker appeared before the end"
            return
        while self.now() < end:
            if await self.probe(replacement):
                report.replacement_served_after = self.now() - report.at
                return
            await asyncio.sleep(0.5)
        report.note = "the replacement did not answer a probe before the end"

    async def probe(self, worker: psutil.Process) -> bool:
        """Open a new connection, ask for a page, and say whether ``worker`` answered it."""
        try:
            conn = await Connection.open(self.port)
        except OSError as exc:
            self.samples.append(Sample("probe", self.now(), 0.0, error_kind(exc), 0))
            return False
        try:
            answer = await self.timed(conn, "probe", "GET", "/account/sign-in", self.base_headers())
            if answer is None:
                return False
            try:
                ports = {c.raddr.port for c in worker.net_connections(kind="tcp") if c.raddr}
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                return False
            return conn.port in ports
        finally:
            await conn.close()


def _to_entry(answer: Answer) -> bool | str:
    location = answer.header("location")
    return True if "/journal/" in location else f"redirected to {location!r}"


def error_kind(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, OSError):  # ConnectionError, Closed and refused connections included
        return "connection"
    return "bad_answer"  # a response we could not parse


# --- figures ---------------------------------------------------------------------------------


def percentile(ordered: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return None
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency(values: Iterable[float]) -> dict[str, Any]:
    ordered = sorted(values)
    ms = {
        f"p{p}_ms": None if (v := percentile(ordered, p)) is None else round(v * 1000, 1)
        for p in (50, 95, 99)
    }
    return {
        "count": len(ordered),
        **ms,
        "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
    }


def classify(load: Load) -> tuple[dict[str, int], list[Sample], list[Sample]]:
    """Count errors by kind; connection errors on the killed worker's connections apart."""
    kill = load.kill
    counts: Counter[str] = Counter()
    on_killed: list[Sample] = []
    others: list[Sample] = []
    for sample in load.samples:
        if sample.outcome == "ok":
            continue
        if (
            sample.outcome == "connection"
            and kill.at is not None
            and sample.port in kill.ports
            and sample.start < kill.at + KILL_WINDOW_S  # not a later connection on a reused port
        ):
            on_killed.append(sample)
            counts["connection_on_killed_worker"] += 1
            continue
        others.append(sample)
        if sample.outcome == "connection" and kill.at is not None:
            in_window = kill.at <= sample.start + sample.seconds <= kill.at + KILL_WINDOW_S
            counts["connection_in_kill_window" if in_window else "connection_outside"] += 1
        else:
            counts[sample.outcome] += 1
    return dict(counts), on_killed, others


def report(load: Load, args: argparse.Namespace, cpu: dict[str, Any]) -> dict[str, Any]:
    duration = args.seconds
    done = list(load.samples)
    ok = [s for s in done if s.outcome == "ok"]
    errors, on_killed, others = classify(load)
    by_kind = {
        kind: latency(s.seconds for s in ok if s.kind == kind)
        | {"errors": sum(1 for s in done if s.kind == kind and s.outcome != "ok")}
        for kind in KINDS
        if any(s.kind == kind for s in done)
    }
    kill = load.kill
    kill_info: dict[str, Any] = {
        "requested_at_s": args.kill_at,
        "worker_pid": kill.pid,
        "killed_at_s": None if kill.at is None else round(kill.at, 2),
        "workers_before": kill.workers_before,
        "client_connections_it_held": kill.connections_held,
        "replacement_pid": kill.replacement_pid,
        "replacement_started_after_s": _round(kill.replacement_seen_after),
        "replacement_answered_after_s": _round(kill.replacement_served_after),
        "workers_at_end": len(load.workers_seen),
        "note": kill.note,
        "worker_events": [
            {"at_s": round(at, 2), "event": what, "pid": pid}
            for at, what, pid in load.worker_events
        ],
        "other_workers_ended": sorted(
            {pid for _, what, pid in load.worker_events if what == "ended" and pid != kill.pid}
        ),
    }
    if kill.at is not None:
        kill_info["failed_in_flight"] = sum(1 for s in on_killed if s.start < kill.at)
        kill_info["failed_sent_after_kill_on_its_connections"] = sum(
            1 for s in on_killed if s.start >= kill.at
        )
        kill_info["failed_by_kind"] = dict(Counter(s.kind for s in on_killed))
    return {
        "duration_s": duration,
        "users": args.users,
        "accounts": args.accounts,
        "workers": args.workers,
        "think_mean_s": args.think,
        "requests": len(done),
        "requests_ok": len(ok),
        "requests_per_s": round(len(done) / duration, 1),
        "errors": errors,
        "errors_not_caused_by_the_kill": len(others),
        "error_examples": [
            {"kind": s.kind, "at_s": round(s.start, 2), "outcome": s.outcome, "detail": s.detail}
            for s in others[:20]
        ],
        "latency_ok": latency(s.seconds for s in ok),
        "latency_by_kind": by_kind,
        "reconnects": dict(load.reconnects),
        "kill": kill_info,
        "cpu": cpu,
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def count_writes(load: Load, url: str) -> dict[str, Any]:
    found = find_markers(url, load.prefix)
    acknowledged = [w for w in load.writes if w.outcome == "ok"]
    failed = [w for w in load.writes if w.outcome != "ok"]
    lost = [w.marker for w in acknowledged if found[w.marker] == 0]
    committed_anyway = [w.marker for w in failed if found[w.marker] > 0]
    known = {w.marker for w in load.writes}
    return {
        "attempted": len(load.writes),
        "acknowledged": len(acknowledged),
        "found": len(acknowledged) - len(lost),
        "lost": len(lost),
        "lost_markers": lost[:20],
        "failed": len(failed),
        "failed_by_outcome": dict(Counter(w.outcome for w in failed)),
        "failed_but_committed": len(committed_anyway),
        "duplicated": sum(1 for m, n in found.items() if n > 1),
        "unknown_markers": sum(1 for m in found if m not in known),
        "rows_with_markers": sum(found.values()),
    }


def fmt(value: Any, unit: str = "") -> str:
    return "-" if value is None else f"{value}{unit}"


def render(result: dict[str, Any]) -> str:
    out = [
        f"reconsult server load: {result['workers']} workers on PostgreSQL, {result['users']} "
        f"users over {result['accounts']} accounts, {result['duration_s']} s, think time "
        f"{result['think_mean_s']} s (mean)",
        f"server started in {fmt(result['server_started_in_s'], ' s')}, set-up took "
        f"{fmt(result['setup_s'], ' s')}; machine: {result['machine']}",
        "",
        f"requests: {result['requests']} ({result['requests_per_s']}/s), "
        f"ok {result['requests_ok']}",
    ]
    lat = result["latency_ok"]
    out.append(
        f"latency (answered as expected): p50 {fmt(lat['p50_ms'])} ms, p95 {fmt(lat['p95_ms'])} "
        f"ms, p99 {fmt(lat['p99_ms'])} ms, max {fmt(lat['max_ms'])} ms"
    )
    out.append("")
    out.append(
        f"{'kind':<14}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for kind, row in result["latency_by_kind"].items():
        out.append(
            f"{kind:<14}{row['count']:>8}{row['errors']:>8}{fmt(row['p50_ms']):>9}"
            f"{fmt(row['p95_ms']):>9}{fmt(row['p99_ms']):>9}{fmt(row['max_ms']):>9}"
        )
    out.append("")
    errors = result["errors"]
    out.append(
        "errors: "
        + (", ".join(f"{k} {v}" for k, v in sorted(errors.items())) if errors else "none")
    )
    out.append(f"errors not caused by the kill: {result['errors_not_caused_by_the_kill']}")
    for example in result["error_examples"][:10]:
        out.append(f"  {example}")
    kill = result["kill"]
    if kill["worker_pid"] is not None:
        out.append(
            f"kill: worker {kill['worker_pid']} (1 of {kill['workers_before']}, holding "
            f"{kill['client_connections_it_held']} client connections) SIGKILLed at "
            f"{kill['killed_at_s']} s; requests failed on its connections: "
            f"{kill.get('failed_in_flight', 0)} in flight, "
            f"{kill.get('failed_sent_after_kill_on_its_connections', 0)} sent just after on a "
            f"connection it had held ({kill.get('failed_by_kind', {})})"
        )
        out.append(
            f"replacement: pid {fmt(kill['replacement_pid'])}, started after "
            f"{fmt(kill['replacement_started_after_s'], ' s')}, first answer after "
            f"{fmt(kill['replacement_answered_after_s'], ' s')}; workers at the end "
            f"{kill['workers_at_end']}" + (f" ({kill['note']})" if kill["note"] else "")
        )
        out.append(
            "worker processes that ended besides the killed one: "
            + (", ".join(map(str, kill["other_workers_ended"])) or "none")
        )
    elif kill["requested_at_s"] is not None:
        out.append(f"kill: not done ({kill['note']})")
    writes = result["writes"]
    out.append(
        f"writes: {writes['attempted']} attempted, {writes['acknowledged']} acknowledged, "
        f"{writes['found']} found in PostgreSQL, LOST {writes['lost']}; "
        f"{writes['failed']} failed ({writes['failed_by_outcome']}), of which "
        f"{writes['failed_but_committed']} were committed anyway; duplicated "
        f"{writes['duplicated']}"
    )
    cpu = result["cpu"]
    out.append(
        f"CPU (cores busy on average): server {fmt(cpu.get('server_cores'))}, load generator "
        f"{fmt(cpu.get('generator_cores'))} (server CPU a request "
        f"{fmt(cpu.get('server_cpu_ms_per_request'), ' ms')}), "
        f"whole machine {fmt(cpu.get('machine_cores'))} of "
        f"{cpu.get('cpus')}; load average {cpu.get('loadavg_before')} -> "
        f"{cpu.get('loadavg_after')}"
    )
    log = result["server_log"]
    out.append(
        f"server log ({result['server_log_path']}): {log['tracebacks']} tracebacks, "
        f"{log['error_lines']} ERROR lines"
    )
    for line, n in log["exceptions"].items():
        out.append(f"  {n} x {line}")
    out.append("")
    out.append(f"verdict: {result['verdict']}")
    return "\n".join(out)


# --- the run ---------------------------------------------------------------------------------


class Watchdog:
    """Ends the whole run if it outlives its bound, the server first."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.timer: threading.Timer | None = None

    def arm(self, seconds: float) -> None:
        self.timer = threading.Timer(seconds, self.fire)
        self.timer.daemon = True
        self.timer.start()

    def fire(self) -> None:
        print("watchdog: the run outlived its bound; stopping the server", file=sys.stderr)
        self.server.kill_now()
        os._exit(3)

    def disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()


def machine_busy() -> float:
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


_T0 = time.monotonic()


def progress(message: str) -> None:
    """Say what the run is doing, on stderr, with the time since it began."""
    print(f"[{time.monotonic() - _T0:6.1f} s] {message}", file=sys.stderr, flush=True)


def benchmark(args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    vignettes = load_vignettes()
    progress(f"recreating database {args.database}")
    recreate_database(args.admin_url, args.database)
    sa_url = database_url(args.admin_url, args.database, "postgresql+psycopg")
    plain_url = database_url(args.admin_url, args.database)
    server = Server(args.workers, sa_url, args.server_log)
    watchdog = Watchdog(server)
    try:
        progress(f"starting {args.workers} workers on port {server.port}")
        server.start()
        load = Load(args, server, vignettes)
        progress(f"signing up {args.accounts} accounts, two cases each")
        began = time.monotonic()
        try:
            asyncio.run(asyncio.wait_for(load.setup(), SETUP_TIMEOUT_S))
        except (OSError, TimeoutError, ValueError) as exc:
            raise LoadError(f"set-up failed: {exc!r}\n{server.tail()}") from exc
        setup_s = time.monotonic() - began
        watchdog.arm(args.seconds + WATCHDOG_SLACK_S)
        me = psutil.Process()
        cpu0 = (server.cpu_seconds(), sum(me.cpu_times()[:2]), machine_busy(), time.monotonic())
        load_before = os.getloadavg()
        progress(
            f"load: {args.users} users for {args.seconds} s"
            + (f", killing a worker at {args.kill_at:g} s" if args.kill_at is not None else "")
        )
        asyncio.run(load.run())
        wall = time.monotonic() - cpu0[3]
        progress(f"load done ({wall:.1f} s); stopping the server")
        cpus = psutil.cpu_count() or 1
        cpu = {
            "cpus": cpus,
            "server_cores": round((server_cpu := server.cpu_seconds() - cpu0[0]) / wall, 2),
            "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, len(load.samples)), 1),
            "generator_cores": round((sum(me.cpu_times()[:2]) - cpu0[1]) / wall, 2),
            "machine_cores": round((machine_busy() - cpu0[2]) / wall, 2),
            "loadavg_before": [round(x, 1) for x in load_before],
            "loadavg_after": [round(x, 1) for x in os.getloadavg()],
        }
        workers_at_end = len(server.workers_now())
    finally:
        server.stop()
        log_text = args.server_log.read_text(errors="replace") if args.server_log.exists() else ""
    try:
        progress("counting the writes in PostgreSQL")
        writes = count_writes(load, plain_url)
    finally:
        watchdog.disarm()
    result = report(load, args, cpu)
    result |= {
        "server_started_in_s": _round(server.started_in, 1),
        "setup_s": round(setup_s, 1),
        "load_wall_s": round(wall, 1),
        "workers_at_end": workers_at_end,
        "writes": writes,
        "server_log_path": str(args.server_log),
        "server_log": server_log_problems(log_text),
        "machine": f"{platform.machine()}, {psutil.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
        "database": args.database,
        "run_id": load.run_id,
        "rate_limits_raised_to": int(RAISED_LIMIT),
    }
    passed = result["errors_not_caused_by_the_kill"] == 0 and writes["lost"] == 0
    result["verdict"] = (
        "PASS: no errors apart from requests on the killed worker's connections, "
        "no acknowledged write lost"
        if passed
        else "FAIL: see the errors and lost writes above"
    )
    if args.drop_after:
        drop_database(args.admin_url, args.database)
    return result, 0 if passed else 1


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load-test reconsult's server mode on PostgreSQL, killing a worker mid-run.",
    )
    parser.add_argument("--seconds", type=positive, default=300, help="load duration (300)")
    parser.add_argument(
        "--kill-at", type=float, default=None, help="SIGKILL a worker after S s (half the run)"
    )
    parser.add_argument("--no-kill", action="store_true", help="kill no worker")
    parser.add_argument("--workers", type=positive, default=4, help="server workers (4)")
    parser.add_argument("--users", type=positive, default=50, help="virtual users (50)")
    parser.add_argument("--accounts", type=positive, default=40, help="accounts (40)")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean think time between clicks, s (1.0)"
    )
    parser.add_argument(
        "--reconnect",
        type=float,
        default=0.02,
        help="chance a click opens a new connection, as a new visit would (0.02)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="request timeout, s (30)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument(
        "--database", type=check_name, default="reconsult_load", help="database to (re)create"
    )
    parser.add_argument(
        "--admin-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL URL used to drop and create the database",
    )
    parser.add_argument("--drop-after", action="store_true", help="drop the database at the end")
    parser.add_argument(
        "--server-log",
        type=Path,
        default=REPO / "bench" / "results" / "server_load.server.log",
        help="where the server's output goes",
    )
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args(argv)
    if args.no_kill:
        args.kill_at = None
    elif args.kill_at is None:
        args.kill_at = args.seconds / 2
    if args.kill_at is not None and not 0 < args.kill_at < args.seconds:
        parser.error("--kill-at must fall inside the run")
    if args.think < 0 or not 0 <= args.reconnect <= 1:
        parser.error("--think must be >= 0 and --reconnect between 0 and 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        result, status = benchmark(args)
    except KeyboardInterrupt:
        print("interrupted; the server was stopped", file=sys.stderr)
        return 130
    except (LoadError, psycopg.Error, OSError) as exc:
        print(f"server_load: {exc}", file=sys.stderr)
        return 2
    print(render(result))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"report written to {args.out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
