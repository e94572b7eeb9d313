"""What every benchmark shares: starting a server on one core, reading its CPU and memory from
/proc, raw-socket SSE viewers that cost the load generator little, and percentiles.

The server under test runs pinned to core 0 (`taskset -c 0`) and the load generator to core 1,
so the two never compete and runs compare. Only loopback addresses are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent / "backchannel"
SERVER_CORE = 0
LOADGEN_CORE = 1
ALL_CORES = f"0-{(os.cpu_count() or 1) - 1}"
MACHINE = f"{os.cpu_count()} cores, server pinned to core 0, load generator to core 1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pin_load_generator() -> None:
    """Pin this process to its core and allow enough sockets for 10,000 viewers."""
    os.sched_setaffinity(0, {LOADGEN_CORE})
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (granian serves from a child process)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def proc_cpu_seconds(pid: int) -> float:
    """CPU seconds of the process and its descendants."""
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def proc_kib(pid: int, field_name: str = "VmRSS") -> int:
    """A memory figure from /proc/<pid>/status, summed over the process and its descendants."""
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/status") as f:
                for line in f:
                    if line.startswith(field_name):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def latency_summary(values: list[float]) -> dict[str, float | None]:
    return {
        "samples": len(values),
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "max": round(max(values), 1) if values else None,
    }


class CpuMeter:
    """CPU share of the server and of this load generator over a measured window."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.started = time.perf_counter()
        self.server_before = proc_cpu_seconds(server_pid)
        self.own_before = own_cpu_seconds()

    def shares(self) -> dict[str, float]:
        elapsed = time.perf_counter() - self.started
        return {
            "elapsed_s": round(elapsed, 2),
            "server_cpu_share": round(
                (proc_cpu_seconds(self.server_pid) - self.server_before) / elapsed, 2
            ),
            "loadgen_cpu_share": round((own_cpu_seconds() - self.own_before) / elapsed, 2),
        }


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    port: int
    token: str = ""
    tokens: list[str] = field(default_factory=list)
    session_id: int = 0
    extra: dict[str, object] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)  # the server's environment

    @property
    def pid(self) -> int:
        """The server process itself (taskset execs it, so the pid is the server's)."""
        return self.process.pid


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"the server at {url} did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def backchannel_server(
    env_overrides: dict[str, str] | None = None,
    database_url: str | None = None,
    handles: tuple[str, ...] | list[str] = ("casey",),
    site_url: bool = False,
    workers: int = 1,
) -> Iterator[Server]:
    """`backchannel serve` on core 0, on a fresh database seeded with the demo; yields the
    server with API tokens for `handles` (the first is `token`) and the id of the demo's first
    plenary session. `site_url`: the server federates at its loopback address, as the demo.
    `workers` > 1: `serve --workers`, on every core (the generator's included: say so)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "BACKCHANNEL_DATA_DIR": tmp,
            "DATABASE_URL": database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "LOG_LEVEL": "warning",
            "REDIS_URL": "",
            "BACKCHANNEL_CLIENT_BUFFER": "5000",
            # A few bench authors post far faster than people do: the limits stay on (their
            # cost is part of what is measured) with ceilings the load never reaches.
            "BACKCHANNEL_RATE_POST": "1000000/minute",
            "BACKCHANNEL_RATE_POST_IP": "1000000/minute",
            **(env_overrides or {}),
        }
        if site_url:
            env["BACKCHANNEL_SITE_URL"] = f"http://127.0.0.1:{port}"
        subprocess.run([BIN, "migrate"], env=env, check=True, capture_output=True)
        subprocess.run([BIN, "demo", "--no-serve"], env=env, check=True, capture_output=True)
        tokens = [
            subprocess.run(
                [BIN, "token", "create", handle],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            for handle in handles
        ]
        process = subprocess.Popen(
            [
                *("taskset", "-c", str(SERVER_CORE) if workers == 1 else ALL_CORES),
                *(BIN, "serve", "--port", str(port), "--workers", str(workers)),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/api/v1/events/ti2012")
            event = httpx.get(f"{base}/api/v1/events/ti2012").json()
            session_id = next(s["id"] for s in event["sessions"] if s["kind"] == "plenary")
            yield Server(
                process,
                base,
                port,
                token=tokens[0],
                tokens=tokens,
                session_id=session_id,
                env=env,
            )
        finally:
            _stop(process)


@contextlib.contextmanager
def reference_server(server: str = "uvicorn") -> Iterator[Server]:
    """bench/reference_server.py (bare ASGI SSE broadcast, no database) on core 0."""
    port = free_port()
    process = subprocess.Popen(
        [
            "taskset",
            "-c",
            str(SERVER_CORE),
            sys.executable,
            str(HERE / "reference_server.py"),
            str(port),
            server,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/health")
        yield Server(process, base, port)
    finally:
        _stop(process)


# -- viewers ---------------------------------------------------------------------------------

MARK = b'"body":"fo '
# Replayed events carry the JSON as the database stored it (with a space after the colon).
SAMPLE_MARK = re.compile(rb'"body": ?"fo (\d+)"')
EVENT_ID = re.compile(rb"(?m)^id: (\d+)$")


class Viewer(asyncio.Protocol):
    """One SSE reader on a raw socket. It counts the bench's posts (`"body":"fo <n>"`) by a byte
    search, which costs the generator little per event; a sampled viewer also parses each marker
    to time post-to-delivery, and a tracked viewer keeps its last event id for resuming."""

    def __init__(
        self,
        path: str,
        sent: dict[int, float] | None = None,
        track_ids: bool = False,
        last_id: int | None = None,
    ) -> None:
        self.path = path
        self.sent = sent  # set on sampled viewers only
        self.track_ids = track_ids
        self.last_id = last_id
        self.count = 0
        self.latencies: list[float] = []
        self.seen: set[int] = set()  # post numbers, on tracked viewers (to find gaps)
        self.duplicates = 0
        self.status = 0
        self.ready = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self._tail = b""
        self._head = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        resume = f"Last-Event-ID: {self.last_id}\r\n" if self.last_id is not None else ""
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            f"{resume}\r\n"
        )
        self.transport.write(request.encode())  # type: ignore[union-attr]

    def data_received(self, data: bytes) -> None:
        if not self.ready.done():
            self._head += data
            if b"\r\n\r\n" not in self._head:
                return
            self.status = int(self._head.split(b" ", 2)[1])
            self.ready.set_result(self.status)
            data, self._head = self._head, b""
        now = time.perf_counter()
        # A marker cut between two reads is counted once: search the seam, then the chunk.
        seam = self._tail + data[: len(MARK) - 1]
        self.count += seam.count(MARK) + data.count(MARK)
        self._tail = data[-(len(MARK) - 1) :]
        if self.sent is not None or self.track_ids:
            self._parse(data, now)

    def _parse(self, data: bytes, now: float) -> None:
        # Sampled and tracked viewers keep the whole stream text between reads, so whole
        # events are parsed; they are few, so the cost stays small.
        text = self._head + data if self._head else data
        cut = text.rfind(b"\n\n")
        if cut < 0:
            self._head = text
            return
        complete, self._head = text[: cut + 2], text[cut + 2 :]
        for match in SAMPLE_MARK.finditer(complete):
            n = int(match.group(1))
            if self.sent is not None:
                started = self.sent.get(n)
                if started is not None:
                    self.latencies.append((now - started) * 1000)
            if self.track_ids:
                if n in self.seen:
                    self.duplicates += 1
                self.seen.add(n)
        if self.track_ids:
            ids = EVENT_ID.findall(complete)
            if ids:
                self.last_id = int(ids[-1])

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_result(0)
        if not self.closed.done():
            self.closed.set_result(None)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.abort()


async def connect_viewers(
    port: int,
    count: int,
    make: Callable[[int], Viewer],
    batch: int = 250,
    seconds: float = 120,
) -> list[Viewer]:
    """Open `count` viewers in batches (the accept backlog is finite); wait until their
    response headers arrive or `seconds` pass."""
    loop = asyncio.get_running_loop()
    viewers: list[Viewer] = []
    for start in range(0, count, batch):
        made = [make(i) for i in range(start, min(count, start + batch))]
        results = await asyncio.gather(
            *(loop.create_connection(lambda v=v: v, "127.0.0.1", port) for v in made),
            return_exceptions=True,
        )
        viewers.extend(
            v for v, r in zip(made, results, strict=True) if not isinstance(r, BaseException)
        )
        await asyncio.sleep(0.02)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(v.ready for v in viewers)), seconds)
    return viewers


@contextlib.contextmanager
def scratch_database(url: str | None) -> Iterator[str | None]:
    """A fresh database on the PostgreSQL server at `url` (its url), dropped afterwards;
    None (SQLite, made by `backchannel_server`) when there is no url."""
    if not url:
        yield None
        return
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
