"""Fan-out: N SSE viewers of one session, P posts per second for S seconds.

    python bench/fanout.py --viewers 5000 --rate 10 --seconds 20
    python bench/fanout.py --viewers 5000 --rate 10 --seconds 20 --target reference

The server runs on core 0 and this generator on core 1 (bench/harness.py). Every viewer counts
the bench's posts with a byte search; one in `--sample-every` also times each delivery, so the
generator's own cost stays far below the server's (its CPU share is reported).

`--target backchannel` (default) runs `backchannel serve` on a fresh SQLite database seeded
with the demo and posts through `POST /api/v1/sessions/{id}/posts`; `--target reference` runs
bench/reference_server.py (a bare ASGI SSE broadcast with no database) under the same ASGI
server. Memory per viewer is the server's RSS growth from before the viewers connect to after.
Prints one JSON object and a SUMMARY line. Loopback only, at most 10,000 viewers and 120 s.
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
    Viewer,
    backchannel_server,
    connect_viewers,
    latency_summary,
    pin_load_generator,
    proc_kib,
    reference_server,
)


async def load(args: argparse.Namespace, server: Server) -> dict[str, object]:
    sent: dict[int, float] = {}
    if args.target == "backchannel":
        path = f"/api/v1/sessions/{server.session_id}/stream"
        url = f"{server.base}/api/v1/sessions/{server.session_id}/posts"
        headers = {"Authorization": f"Bearer {server.token}"}
    else:
        path, url, headers = "/stream", f"{server.base}/publish", {}

    baseline_kib = proc_kib(server.pid)
    started = time.perf_counter()
    viewers = await connect_viewers(
        server.port,
        args.viewers,
        lambda i: Viewer(path, sent if i % args.sample_every == 0 else None),
    )
    connect_seconds = time.perf_counter() - started
    connected = [v for v in viewers if v.status == 200]
    await asyncio.sleep(2)  # let the server settle before reading its memory
    connected_kib = proc_kib(server.pid)

    pad = "x" * max(0, args.event_bytes - 100) if args.target == "reference" else ""

    def body(n: int) -> dict[str, str]:
        return {"body": f"fo {n}", "client_id": f"fo-{n}", **({"pad": pad} if pad else {})}

    accepted = 0
    failures: dict[str, int] = {}
    meter = CpuMeter(server.pid)
    total = int(args.rate * args.seconds)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def post(n: int) -> None:
            nonlocal accepted
            sent[n] = time.perf_counter()
            try:
                response = await client.post(url, json=body(n), headers=headers)
            except httpx.HTTPError as exc:
                failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
                sent.pop(n, None)
                return
            if response.status_code == 201:
                accepted += 1
            else:
                failures[str(response.status_code)] = failures.get(str(response.status_code), 0) + 1
                sent.pop(n, None)

        # Posts go out on schedule, each in its own task, so one slow answer never delays
        # the next post (a sequential loop would lower the rate exactly when it matters).
        posting = []
        wall = time.perf_counter()
        for n in range(total):
            posting.append(asyncio.create_task(post(n)))
            delay = wall + (n + 1) / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        await asyncio.gather(*posting)
    post_seconds = time.perf_counter() - wall
    expected = accepted * len(connected)
    drain_deadline = time.perf_counter() + 20
    while sum(v.count for v in connected) < expected and time.perf_counter() < drain_deadline:
        await asyncio.sleep(0.05)
    cpu = meter.shares()
    delivered = sum(v.count for v in connected)
    latencies = [x for v in connected for x in v.latencies]
    for viewer in viewers:
        viewer.close()

    return {
        "target": args.target,
        "server": args.server,
        "viewers": args.viewers,
        "connected": len(connected),
        "connect_seconds": round(connect_seconds, 1),
        "rate_per_s": args.rate,
        "event_bytes": args.event_bytes or None,
        "seconds": args.seconds,
        "posting_seconds": round(post_seconds, 1),
        "posts_accepted": accepted,
        "post_failures": failures,
        "deliveries": delivered,
        "expected_deliveries": expected,
        "lost": max(0, expected - delivered),
        "deliveries_per_s": round(delivered / cpu["elapsed_s"], 1),
        "latency_ms": latency_summary(latencies),
        "sampled_viewers": sum(1 for v in connected if v.sent is not None),
        **cpu,
        "server_peak_rss_mib": round(proc_kib(server.pid, "VmHWM") / 1024, 1),
        "server_kib_per_viewer": round((connected_kib - baseline_kib) / max(len(connected), 1), 1),
        "machine": MACHINE,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", choices=["backchannel", "reference"], default="backchannel")
    parser.add_argument("--server", choices=["uvicorn", "granian"], default="uvicorn")
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--sample-every", type=int, default=25)
    parser.add_argument(
        "--event-bytes",
        type=int,
        default=0,
        help="reference only: pad each post so its event is about this long (Backchannel's "
        "post.created is about 2,600 bytes, the card included; unpadded, the reference's is 80)",
    )
    args = parser.parse_args()
    args.viewers = max(1, min(args.viewers, 10_000))
    args.seconds = max(1.0, min(args.seconds, 120.0))
    args.rate = max(0.1, min(args.rate, 200.0))
    args.sample_every = max(1, args.sample_every)
    pin_load_generator()

    if args.target == "backchannel":
        if args.server != "uvicorn":
            parser.error("Backchannel serves with uvicorn (see docs/performance.md)")
        context = backchannel_server()
    else:
        context = reference_server(server=args.server)
    with context as server:
        result = asyncio.run(load(args, server))
    print(json.dumps(result, indent=2))
    lat = result["latency_ms"]
    assert isinstance(lat, dict)
    print(
        f"SUMMARY fanout {args.target}/{args.server}: {result['connected']}/{args.viewers} "
        f"viewers, {args.rate}/s for {args.seconds}s: {result['deliveries_per_s']} deliveries/s, "
        f"lost {result['lost']}, p50 {lat['p50']} ms, p99 {lat['p99']} ms, max {lat['max']} ms, "
        f"server cpu {result['server_cpu_share']}, {result['server_kib_per_viewer']} KiB/viewer, "
        f"loadgen cpu {result['loadgen_cpu_share']}"
    )


if __name__ == "__main__":
    main()
