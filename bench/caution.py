"""The caution check's cost: milliseconds per post for the whole check (rules and model).

    python bench/caution.py [--rounds 3]

Every hand-written post of the corpus (src/backchannel/care/corpus/, 4,000 posts from one word
to 280 characters, in eight families per kind) goes through `care.check.check` once per round,
in process, on one core; the first round warms up and is not counted. Prints JSON, then a
summary: mean, p50, p95, p99 and max per post, the cost for posts near 280 characters, the time
to load the shipped weights, and their size. The target (issue #13): p99 under 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from backchannel.care.check import check
from backchannel.care.model import WEIGHTS, TextModel
from backchannel.care.training import corpus


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})

    started = time.perf_counter()
    TextModel.from_file(WEIGHTS)
    load_ms = (time.perf_counter() - started) * 1000

    texts = [post.text for post in corpus.dedupe(corpus.hand_written())]
    for text in texts:  # warm-up: the model loads, the regular expressions compile
        check(text)
    times: list[float] = []
    long_times: list[float] = []
    for _ in range(args.rounds):
        for text in texts:
            begin = time.perf_counter()
            check(text)
            spent = (time.perf_counter() - begin) * 1000
            times.append(spent)
            if len(text) >= 240:
                long_times.append(spent)
    times.sort()
    long_times.sort()
    result = {
        "scenario": "caution check, in process",
        "machine": f"{os.cpu_count()} cores, this process pinned to core 0",
        "posts": len(texts),
        "rounds": args.rounds,
        "ms_per_post": {
            "mean": round(statistics.mean(times), 3),
            "p50": round(percentile(times, 0.50), 3),
            "p95": round(percentile(times, 0.95), 3),
            "p99": round(percentile(times, 0.99), 3),
            "max": round(times[-1], 3),
        },
        "ms_for_posts_of_240_chars_or_more": {
            "count": len(long_times) // max(1, args.rounds),
            "mean": round(statistics.mean(long_times), 3) if long_times else None,
            "p99": round(percentile(long_times, 0.99), 3) if long_times else None,
        },
        "model_load_ms": round(load_ms, 1),
        "weights_kib": round(Path(WEIGHTS).stat().st_size / 1024, 1),
    }
    json.dump(result, sys.stdout, indent=1)
    print()
    cost = result["ms_per_post"]
    print(
        f"caution check: mean {cost['mean']} ms, p99 {cost['p99']} ms, max {cost['max']} ms "
        f"per post over {len(texts)} posts x {args.rounds}; weights {result['weights_kib']} KiB, "
        f"loaded in {result['model_load_ms']} ms",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
