"""Fan-out: N SSE viewers of one session, P posts per second for S seconds.

Starts the server pinned to core 0 (`taskset -c 0`) and runs this load generator on core 1, so
they do not compete. Viewers are raw asyncio sockets (no HTTP client library) that scan the
stream for `"body":"fo <n>"`, so the generator is cheap per event; it reports its own CPU share.

    python bench/fanout.py --viewers 1000 --rate 10 --seconds 20
    python bench/fanout.py --viewers 1000 --rate 10 --seconds 20 --target reference

`--target backchannel` (default) runs `backchannel serve` on a fresh SQLite database seeded with
the demo and posts through `POST /api/v1/sessions/{id}/posts` (caution checks and all);
`--target reference` runs bench/reference_server.py (bare ASGI SSE broadcast, no database) under
the same uvicorn. Prints one JSON object and a SUMMARY line. Loopback only, bounded in count
(at most 10,000 viewers) and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent / "backchannel"
MARK = re.compile(rb'"body":"fo (\d+)"')


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_kib(pid: int, field: str = "VmRSS") -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


class Viewer:
    __slots__ = ("count", "latencies", "ready", "tail")

    def __init__(self) -> None:
        self.count = 0
        self.latencies: list[float] = []
        self.ready = False
        self.tail = b""


async def run_viewer(
    viewer: Viewer, port: int, path: str, sent: dict[int, float], stop: asyncio.Event
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    try:
        while not stop.is_set():
            chunk = await reader.read(65536)
            if not chunk:
                return
            now = time.perf_counter()
            viewer.ready = True
            data = viewer.tail + chunk
            last_end = 0
            for match in MARK.finditer(data):
                started = sent.get(int(match.group(1)))
                if started is not None:
                    viewer.latencies.append((now - started) * 1000)
                viewer.count += 1
                last_end = match.end()
            # Keep a little of the end, in case a marker was cut between two reads.
            viewer.tail = data[max(last_end, len(data) - 40) :]
    finally:
        writer.close()


async def load(args: argparse.Namespace, port: int, server_pid: int, post: object) -> dict:
    sent: dict[int, float] = {}
    stop = asyncio.Event()
    viewers = [Viewer() for _ in range(args.viewers)]
    path = args.stream_path
    baseline_rss = proc_rss_kib(server_pid)
    tasks = []
    for start in range(0, args.viewers, 250):  # ramp up in batches: the accept backlog is finite
        for viewer in viewers[start : start + 250]:
            tasks.append(asyncio.create_task(run_viewer(viewer, port, path, sent, stop)))
        await asyncio.sleep(0.05)
    deadline = time.monotonic() + 60
    while sum(v.ready for v in viewers) < args.viewers and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    connected = sum(v.ready for v in viewers)
    await asyncio.sleep(1)
    connected_rss = proc_rss_kib(server_pid)

    cpu_before = proc_cpu_seconds(server_pid)
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter()
    accepted = 0
    total = int(args.rate * args.seconds)
    async with httpx.AsyncClient(timeout=30) as client:
        for n in range(total):
            sent[n] = time.perf_counter()
            if await post(client, n):  # type: ignore[operator]
                accepted += 1
            else:
                sent.pop(n, None)
            delay = wall + (n + 1) / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
    expected = accepted * connected
    drain_deadline = time.perf_counter() + 15
    while sum(v.count for v in viewers) < expected and time.perf_counter() < drain_deadline:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - wall
    server_cpu = proc_cpu_seconds(server_pid) - cpu_before
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    latencies = [x for v in viewers for x in v.latencies]
    delivered = sum(v.count for v in viewers)
    own_cpu = (own_after.ru_utime - own_before.ru_utime) + (
        own_after.ru_stime - own_before.ru_stime
    )
    return {
        "target": args.target,
        "viewers": args.viewers,
        "connected": connected,
        "rate_per_s": args.rate,
        "seconds": args.seconds,
        "posts_accepted": accepted,
        "deliveries": delivered,
        "expected_deliveries": expected,
        "lost": max(0, expected - delivered),
        "deliveries_per_s": round(delivered / elapsed, 1),
        "latency_ms": {
            "p50": percentile(latencies, 0.50),
            "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99),
            "max": round(max(latencies), 1) if latencies else None,
        },
        "server_cpu_share": round(server_cpu / elapsed, 2),
        "server_peak_rss_mib": round(proc_rss_kib(server_pid, "VmHWM") / 1024, 1),
        "server_kib_per_viewer": round((connected_rss - baseline_rss) / max(connected, 1), 1),
        "loadgen_cpu_share": round(own_cpu / elapsed, 2),
    }


def wait_until_up(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"the server at {url} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", choices=["backchannel", "reference"], default="backchannel")
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    args.viewers = max(1, min(args.viewers, 10_000))
    args.seconds = max(1.0, min(args.seconds, 120.0))
    args.rate = max(0.1, min(args.rate, 200.0))
    os.sched_setaffinity(0, {1})  # the load generator on core 1; the server gets core 0
    port = free_port()

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "BACKCHANNEL_DATA_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "LOG_LEVEL": "warning",
            "REDIS_URL": "",
            "BACKCHANNEL_CLIENT_BUFFER": "5000",
        }
        if args.target == "backchannel":
            subprocess.run([BIN, "demo", "--no-serve"], env=env, check=True, capture_output=True)
            token = subprocess.run(
                [BIN, "token", "create", "casey"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            command = [BIN, "serve", "--port", str(port)]
        else:
            command = [sys.executable, str(HERE / "reference_server.py"), str(port)]
        server = subprocess.Popen(
            ["taskset", "-c", "0", *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            if args.target == "backchannel":
                wait_until_up(f"{base}/api/v1/events/ti2012")
                session_id = httpx.get(f"{base}/api/v1/events/ti2012").json()["sessions"][0]["id"]
                args.stream_path = f"/api/v1/sessions/{session_id}/stream"
                headers = {"Authorization": f"Bearer {token}"}

                async def post(client: httpx.AsyncClient, n: int) -> bool:
                    response = await client.post(
                        f"{base}/api/v1/sessions/{session_id}/posts",
                        json={"body": f"fo {n}", "client_id": f"fo-{n}"},
                        headers=headers,
                    )
                    return response.status_code == 201
            else:
                wait_until_up(f"{base}/health")
                args.stream_path = "/stream"

                async def post(client: httpx.AsyncClient, n: int) -> bool:
                    response = await client.post(f"{base}/publish", json={"body": f"fo {n}"})
                    return response.status_code == 201

            result = asyncio.run(load(args, port, server.pid, post))
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
    result["machine"] = f"{os.cpu_count()} cores, server pinned to core 0, load generator to core 1"
    print(json.dumps(result, indent=2))
    lat = result["latency_ms"]
    print(
        f"SUMMARY fanout {args.target}: {result['connected']}/{args.viewers} viewers, "
        f"{args.rate}/s for {args.seconds}s: {result['deliveries_per_s']} deliveries/s, "
        f"lost {result['lost']}, p50 {lat['p50']} ms, p99 {lat['p99']} ms, max {lat['max']} ms, "
        f"server cpu {result['server_cpu_share']}, {result['server_kib_per_viewer']} KiB/viewer, "
        f"loadgen cpu {result['loadgen_cpu_share']}"
    )


if __name__ == "__main__":
    main()
