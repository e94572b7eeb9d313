"""Ingest: posts accepted per second through `POST /api/v1/sessions/{id}/posts`.

    python bench/ingest.py --seconds 20
    python bench/ingest.py --seconds 20 --database postgresql://postgres@127.0.0.1:5432/postgres

The server runs on core 0 and this generator on core 1 (bench/harness.py). `--authors` demo
accounts post concurrently (`--concurrency` requests in flight in all), each post with a fresh
`client_id`, spread over the demo's sessions as a conference would. The first `--warmup`
seconds are not counted. The caution check runs on every post, as in production (the posts
are benign, so none waits for confirmation). Reports accepted posts/s, the latency of each
answer (p50/p95/p99/max) and every answer that was not 201, plus the server's and the
generator's CPU. The generator
sends as fast as the server answers (closed loop): posts/s is the server's capacity.

With `--database postgresql://…` a fresh database is created on that server for the run and
dropped after it. Loopback only, at most 120 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid

import httpx
from harness import (
    MACHINE,
    CpuMeter,
    Server,
    backchannel_server,
    latency_summary,
    pin_load_generator,
    proc_kib,
    scratch_database,
)

AUTHORS = ["jamal", "maria_f", "lin_wei", "sam_k", "priya", "tomas", "grace_h", "devon"]


def _post_body(number: int, someone: str, reply_to: int | None) -> dict[str, object]:
    """A conference's mix: every post has a hashtag, every third mentions someone, every
    fourth replies to the session's newest post."""
    body: dict[str, object] = {
        "body": f"Notes from the session, point {number} #ti2012"
        + (f" cc @{someone}" if number % 3 == 0 else ""),
        "client_id": uuid.uuid4().hex,
    }
    if number % 4 == 0 and reply_to is not None:
        body["reply_to"] = reply_to
    return body


async def load(args: argparse.Namespace, server: Server, tokens: list[str]) -> dict[str, object]:
    event = httpx.get(f"{server.base}/api/v1/events/ti2012").json()
    sessions = [s["id"] for s in event["sessions"]]
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=64)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    accepted = 0
    counter = 0
    latest: dict[int, int] = {}  # session → its newest post, for replies
    measuring = False
    stop_at = time.perf_counter() + args.warmup + args.seconds

    async with httpx.AsyncClient(base_url=server.base, timeout=30, limits=limits) as client:

        async def worker(w: int) -> None:
            nonlocal accepted, counter
            headers = {"Authorization": f"Bearer {tokens[w % len(tokens)]}"}
            while time.perf_counter() < stop_at:
                counter += 1
                session = sessions[counter % len(sessions)]
                body = _post_body(counter, AUTHORS[(w + 1) % len(AUTHORS)], latest.get(session))
                started = time.perf_counter()
                try:
                    response = await client.post(
                        f"/api/v1/sessions/{session}/posts", json=body, headers=headers
                    )
                    status = str(response.status_code)
                    if status == "201":
                        latest[session] = response.json()["id"]
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                if not measuring:
                    continue
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
                if status == "201":
                    accepted += 1

        workers = [asyncio.create_task(worker(w)) for w in range(args.concurrency)]
        await asyncio.sleep(args.warmup)
        measuring = True
        meter = CpuMeter(server.pid)
        await asyncio.gather(*workers)
        cpu = meter.shares()

    return {
        "scenario": "ingest",
        "database": "postgresql" if args.database else "sqlite",
        "concurrency": args.concurrency,
        "server_workers": args.workers,
        "authors": len(tokens),
        "seconds": args.seconds,
        "posts_accepted": accepted,
        "posts_per_s": round(accepted / cpu["elapsed_s"], 1),
        "server_cpu_ms_per_post": round(
            1000 * cpu["server_cpu_share"] * cpu["elapsed_s"] / max(accepted, 1), 2
        ),
        "mix": "a hashtag in every post, a mention in every third, a reply in every fourth",
        "answers": statuses,
        "latency_ms": latency_summary(latencies),
        **cpu,
        "server_peak_rss_mib": round(proc_kib(server.pid, "VmHWM") / 1024, 1),
        "caution_check": "on: every post is checked (these posts are benign, so none waits)",
        "machine": MACHINE,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--authors", type=int, default=8)
    parser.add_argument("--database", default="", help="a PostgreSQL url (default: SQLite)")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (more than 1: on every core)"
    )
    args = parser.parse_args()
    args.seconds = max(1.0, min(args.seconds, 120.0))
    args.concurrency = max(1, min(args.concurrency, 256))
    authors = AUTHORS[: max(1, min(args.authors, len(AUTHORS)))]
    pin_load_generator()

    with (
        scratch_database(args.database) as database_url,
        backchannel_server(
            database_url=database_url, handles=authors, workers=args.workers
        ) as server,
    ):
        result = asyncio.run(load(args, server, server.tokens))
    print(json.dumps(result, indent=2))
    lat = result["latency_ms"]
    assert isinstance(lat, dict)
    print(
        f"SUMMARY ingest {result['database']}: {result['posts_per_s']} posts/s accepted, "
        f"{result['server_cpu_ms_per_post']} ms server CPU a post, "
        f"p50 {lat['p50']} ms, p99 {lat['p99']} ms, max {lat['max']} ms, answers "
        f"{result['answers']}, server cpu {result['server_cpu_share']}, "
        f"loadgen cpu {result['loadgen_cpu_share']} (caution check on)"
    )


if __name__ == "__main__":
    main()
