"""Post-to-delivery latency over HTTP and SSE against a local `backchannel serve`.

Starts its own server (SQLite, in-process broker) on a temporary database seeded with the demo,
opens N SSE viewers of one session, sends P posts through the API at a steady rate, and measures
for every post the time from sending the request to each viewer receiving the event.

    python bench/latency.py --viewers 50 --posts 200 --rate 20

Prints one JSON object and a one-line summary. Loopback only; bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent / "backchannel"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def viewer(
    client: httpx.AsyncClient,
    url: str,
    sent: dict[str, float],
    seen: list[float],
    ready: asyncio.Event,
    stop: asyncio.Event,
) -> int:
    received = 0
    async with client.stream("GET", url) as response:
        ready.set()
        event_type = ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event_type = line[6:].strip()
            elif line.startswith("data:") and event_type == "post.created":
                post = json.loads(line[5:])["post"]
                started = sent.get(post["body"])
                if started is not None:
                    seen.append(time.perf_counter() - started)
                    received += 1
            if stop.is_set():
                break
    return received


async def run(
    args: argparse.Namespace, base: str, token: str, session_id: int
) -> dict[str, object]:
    sent: dict[str, float] = {}
    latencies: list[float] = []
    stop = asyncio.Event()
    limits = httpx.Limits(max_connections=args.viewers + 10)
    timeout = httpx.Timeout(30.0, read=None)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        readies = [asyncio.Event() for _ in range(args.viewers)]
        stream = f"{base}/api/v1/sessions/{session_id}/stream"
        tasks = [
            asyncio.create_task(viewer(client, stream, sent, latencies, ready, stop))
            for ready in readies
        ]
        await asyncio.gather(*(r.wait() for r in readies))
        posting_started = time.perf_counter()
        status_errors = 0
        async with httpx.AsyncClient(timeout=30) as poster:
            for i in range(args.posts):
                body = f"bench {i} {time.time_ns()}"
                sent[body] = time.perf_counter()
                response = await poster.post(
                    f"{base}/api/v1/sessions/{session_id}/posts",
                    json={"body": body, "client_id": f"bench-{i}-{os.getpid()}"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                if response.status_code != 201:
                    status_errors += 1
                delay = posting_started + (i + 1) / args.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
        deadline = time.perf_counter() + 10
        expected = args.posts * args.viewers
        while len(latencies) < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    ms = [v * 1000 for v in latencies]
    return {
        "viewers": args.viewers,
        "posts": args.posts,
        "rate_per_s": args.rate,
        "deliveries": len(ms),
        "expected_deliveries": expected,
        "lost": expected - len(ms),
        "post_errors": status_errors,
        "latency_ms": {
            "p50": round(percentile(ms, 0.50), 1),
            "p95": round(percentile(ms, 0.95), 1),
            "p99": round(percentile(ms, 0.99), 1),
            "max": round(max(ms), 1) if ms else None,
            "mean": round(statistics.fmean(ms), 1) if ms else None,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="posts per second")
    args = parser.parse_args()
    args.viewers = max(1, min(args.viewers, 2000))
    args.posts = max(1, min(args.posts, 5000))

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "BACKCHANNEL_DATA_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "LOG_LEVEL": "warning",
        }
        subprocess.run([BIN, "demo", "--no-serve"], env=env, check=True, capture_output=True)
        token = subprocess.run(
            [BIN, "token", "create", "casey"], env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
        port = free_port()
        server = subprocess.Popen(
            [BIN, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    event = httpx.get(f"{base}/api/v1/events/ti2012", timeout=1).json()
                    break
                except (httpx.TransportError, ValueError):
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start")
            session_id = event["sessions"][0]["id"]
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            wall = time.perf_counter()
            result = asyncio.run(run(args, base, token, session_id))
            cpu_after = resource.getrusage(resource.RUSAGE_SELF)
            elapsed = time.perf_counter() - wall
            result["loadgen_cpu_share"] = round(
                (
                    (cpu_after.ru_utime - cpu_before.ru_utime)
                    + (cpu_after.ru_stime - cpu_before.ru_stime)
                )
                / elapsed,
                2,
            )
            with open(f"/proc/{server.pid}/status") as status:
                rss = next(line for line in status if line.startswith("VmHWM"))
            result["server_peak_rss_kib"] = int(rss.split()[1])
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(json.dumps(result, indent=2))
    latency = result["latency_ms"]
    assert isinstance(latency, dict)
    print(
        f"SUMMARY latency: {args.viewers} viewers, {args.posts} posts at {args.rate}/s: "
        f"lost {result['lost']}, p50 {latency['p50']} ms, p99 {latency['p99']} ms, "
        f"max {latency['max']} ms"
    )


if __name__ == "__main__":
    main()
