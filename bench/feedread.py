"""Feed read: requests per second and latency for a session's page and its posts API.

    python bench/feedread.py --seconds 15

The server runs on core 0 and this generator on core 1 (bench/harness.py), on the demo
conference with `--posts` extra posts in the plenary (so pages hold a full feed). Anonymous
readers fetch, closed-loop with `--concurrency` requests in flight:

  page: GET /e/ti2012/s/<plenary>/          (the server-rendered session page)
  api:  GET /api/v1/sessions/<plenary>/posts (the newest page of posts, JSON)

Each target runs for `--seconds` after a `--warmup`; reports requests/s, p50/p95/p99/max and
every status that was not 200, plus server and generator CPU. Loopback only, at most 120 s
per target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx
from harness import (
    MACHINE,
    CpuMeter,
    Server,
    backchannel_server,
    latency_summary,
    pin_load_generator,
)


async def seed(server: Server, count: int) -> None:
    limits = httpx.Limits(max_connections=8)
    headers = {"Authorization": f"Bearer {server.token}"}
    url = f"{server.base}/api/v1/sessions/{server.session_id}/posts"
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        for start in range(0, count, 8):
            await asyncio.gather(
                *(
                    client.post(url, json={"body": f"Seed post {n} #ti2012"}, headers=headers)
                    for n in range(start, min(count, start + 8))
                )
            )


async def measure(args: argparse.Namespace, server: Server, path: str) -> dict[str, object]:
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    measuring = False
    stop_at = time.perf_counter() + args.warmup + args.seconds
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=server.base, timeout=30, limits=limits) as client:

        async def reader() -> None:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                try:
                    status = str((await client.get(path)).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                if measuring:
                    latencies.append((time.perf_counter() - started) * 1000)
                    statuses[status] = statuses.get(status, 0) + 1

        readers = [asyncio.create_task(reader()) for _ in range(args.concurrency)]
        await asyncio.sleep(args.warmup)
        measuring = True
        meter = CpuMeter(server.pid)
        await asyncio.gather(*readers)
        cpu = meter.shares()
    ok = statuses.get("200", 0)
    return {
        "path": path,
        "requests_per_s": round(ok / cpu["elapsed_s"], 1),
        "answers": statuses,
        "latency_ms": latency_summary(latencies),
        **cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    args.seconds = max(1.0, min(args.seconds, 120.0))
    args.concurrency = max(1, min(args.concurrency, 256))
    pin_load_generator()

    with backchannel_server(handles=["jamal"]) as server:
        asyncio.run(seed(server, max(0, min(args.posts, 5000))))
        results = {
            "page": asyncio.run(measure(args, server, f"/e/ti2012/s/{server.session_id}/")),
            "api": asyncio.run(
                measure(args, server, f"/api/v1/sessions/{server.session_id}/posts")
            ),
        }
    print(json.dumps({"scenario": "feedread", **results, "machine": MACHINE}, indent=2))
    parts = []
    for name, result in results.items():
        lat = result["latency_ms"]
        assert isinstance(lat, dict)
        parts.append(
            f"{name} {result['requests_per_s']} req/s p50 {lat['p50']} ms p99 {lat['p99']} ms "
            f"(server cpu {result['server_cpu_share']})"
        )
    print(
        "SUMMARY feedread: "
        + "; ".join(parts)
        + f"; answers {[r['answers'] for r in results.values()]}"
    )


if __name__ == "__main__":
    main()
