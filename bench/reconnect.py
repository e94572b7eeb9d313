"""Reconnect storm: N viewers drop at once and resume with their last event id.

    python bench/reconnect.py --viewers 5000

The server runs on core 0 and this generator on core 1 (bench/harness.py). Every viewer
tracks the posts it has seen and the id of the last event. The run:

  1. N viewers connect to the plenary; `--before` posts arrive live;
  2. every connection is cut at once (as when a venue's Wi-Fi drops);
  3. `--away` posts are made while they are gone;
  4. all N reconnect at once with `Last-Event-ID`, while posts go on at `--rate` per second
     for `--during` seconds;
  5. the clock stops when every viewer has every post (or after `--timeout` seconds).

Reports the time until all were caught up, and per viewer what was missed and what arrived
twice (both must be zero), plus the server's CPU and the generator's. Loopback only, at most
10,000 viewers.
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
    pin_load_generator,
)


async def run(args: argparse.Namespace, server: Server) -> dict[str, object]:
    path = f"/api/v1/sessions/{server.session_id}/stream"
    url = f"{server.base}/api/v1/sessions/{server.session_id}/posts"
    headers = {"Authorization": f"Bearer {server.token}"}
    numbers = iter(range(1_000_000))
    posted: list[int] = []

    async with httpx.AsyncClient(timeout=30) as client:

        async def post() -> None:
            n = next(numbers)
            response = await client.post(url, json={"body": f"fo {n}"}, headers=headers)
            if response.status_code == 201:
                posted.append(n)

        async def all_have(viewers: list[Viewer], seconds: float) -> bool:
            deadline = time.perf_counter() + seconds
            want = set(posted)
            while time.perf_counter() < deadline:
                if all(want <= v.seen for v in viewers):
                    return True
                await asyncio.sleep(0.05)
            return False

        viewers = await connect_viewers(
            server.port, args.viewers, lambda i: Viewer(path, track_ids=True)
        )
        viewers = [v for v in viewers if v.status == 200]
        for _ in range(args.before):
            await post()
            await asyncio.sleep(0.1)
        live_ok = await all_have(viewers, 30)

        # The drop: every connection is cut at once.
        for viewer in viewers:
            viewer.close()
        await asyncio.sleep(0.5)
        for _ in range(args.away):
            await post()

        meter = CpuMeter(server.pid)
        started = time.perf_counter()
        previous = viewers

        def resume(i: int) -> Viewer:
            viewer = Viewer(path, track_ids=True, last_id=previous[i].last_id)
            viewer.seen = previous[i].seen  # one set per person across both connections
            viewer.duplicates = previous[i].duplicates
            return viewer

        async def keep_posting() -> None:
            end = time.perf_counter() + args.during
            while time.perf_counter() < end:
                await post()
                await asyncio.sleep(1 / args.rate)

        posting = asyncio.create_task(keep_posting())
        resumed = await connect_viewers(server.port, len(previous), resume, seconds=args.timeout)
        reconnected = time.perf_counter() - started
        await posting
        caught_up = await all_have(resumed, args.timeout)
        elapsed = time.perf_counter() - started
        cpu = meter.shares()
        want = set(posted)
        missed = [len(want - v.seen) for v in resumed]
        for viewer in resumed:
            viewer.close()

    return {
        "scenario": "reconnect",
        "viewers": args.viewers,
        "connected_before": len(viewers),
        "resumed": sum(1 for v in resumed if v.status == 200),
        "all_received_live_before_drop": live_ok,
        "posts": len(posted),
        "posts_while_away": args.away,
        "seconds_to_reconnect_all": round(reconnected, 2),
        "seconds_until_all_caught_up": round(elapsed, 2) if caught_up else None,
        "viewers_missing_posts": sum(1 for m in missed if m),
        "posts_missed_total": sum(missed),
        "duplicates_total": sum(v.duplicates for v in resumed),
        **cpu,
        "machine": MACHINE,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--viewers", type=int, default=5000)
    parser.add_argument("--before", type=int, default=10)
    parser.add_argument("--away", type=int, default=30)
    parser.add_argument("--during", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    args.viewers = max(1, min(args.viewers, 10_000))
    args.timeout = max(5.0, min(args.timeout, 120.0))
    pin_load_generator()
    with backchannel_server() as server:
        result = asyncio.run(run(args, server))
    print(json.dumps(result, indent=2))
    print(
        f"SUMMARY reconnect: {result['resumed']}/{args.viewers} viewers resumed, all caught up "
        f"in {result['seconds_until_all_caught_up']} s (reconnecting took "
        f"{result['seconds_to_reconnect_all']} s), {result['posts']} posts, missed "
        f"{result['posts_missed_total']}, duplicates {result['duplicates_total']}, "
        f"server cpu {result['server_cpu_share']}, loadgen cpu {result['loadgen_cpu_share']}"
    )


if __name__ == "__main__":
    main()
