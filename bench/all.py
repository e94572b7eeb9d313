"""`make bench`: the hot path's benchmarks in one command, one summary line each, and a guard.

    python bench/all.py             # run, print, compare with bench/recorded.json
    python bench/all.py --record    # the same, then write this run's figures there

Runs, in turn (each starts its own server, core 0, and generator, core 1):
- fan-out: 1,000 viewers of one session at 50 posts/s for 10 s, against Backchannel and the
  bare reference server (bench/reference_server.py), so the share of the reference's
  deliveries is measured on the same minute's machine;
- ingest: posts through the API, 16 in flight, SQLite, the caution check on, hashtags,
  mentions and replies in the mix (bench/ingest.py).

The regression guard is not a timed test: it compares the server's CPU per post with the
figure recorded in bench/recorded.json and says so loudly when it grew by more than 20%
(exit status 1). CPU per post is steadier than posts/s on a busy machine, but not immune:
the load average at the start is printed; repeat a run that started above 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from harness import MACHINE

HERE = Path(__file__).resolve().parent
RECORDED = HERE / "recorded.json"
GROWTH_ALLOWED = 0.20


def _run(script: str, *options: str) -> tuple[dict[str, Any], str]:
    """Run one benchmark; its JSON report and its SUMMARY line."""
    done = subprocess.run(
        [sys.executable, str(HERE / script), *options],
        check=True,
        capture_output=True,
        text=True,
    )
    report, _, summary = done.stdout.rpartition("SUMMARY")
    return json.loads(report), "SUMMARY " + summary.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="write this run to recorded.json")
    parser.add_argument("--seconds", type=float, default=20.0, help="ingest's measured seconds")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    print(f"load average at start: {load:.2f}" + ("  (busy machine: repeat)" if load > 1 else ""))
    fanout_options = ("--viewers", "1000", "--rate", "50", "--seconds", "10")
    ours, line = _run("fanout.py", *fanout_options)
    print(line)
    reference, line = _run("fanout.py", *fanout_options, "--target", "reference")
    print(line)
    ingest, line = _run("ingest.py", "--seconds", str(args.seconds))
    print(line)

    share = ours["deliveries_per_s"] / max(reference["deliveries_per_s"], 1)
    print(
        f"SUMMARY fanout share: Backchannel delivered {share:.2f} of the reference's "
        f"deliveries, lost {ours['lost']} (target ≥ 0.95, 0 lost)"
    )
    figures = {
        "date": dt.date.today().isoformat(),
        "machine": MACHINE,
        "load_average_at_start": round(load, 2),
        "ingest_posts_per_s": ingest["posts_per_s"],
        "ingest_cpu_ms_per_post": ingest["server_cpu_ms_per_post"],
        "ingest_p99_ms": ingest["latency_ms"]["p99"],
        "fanout_share_of_reference": round(share, 3),
        "fanout_lost": ours["lost"],
    }
    grown = _compare(figures)
    if args.record:
        RECORDED.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"recorded in {RECORDED.relative_to(HERE.parent)}")
    if grown:
        sys.exit(1)


def _compare(figures: dict[str, Any]) -> bool:
    """Whether CPU per post grew by more than GROWTH_ALLOWED since the recorded run."""
    if not RECORDED.exists():
        print("no recorded figure yet: run `make bench-record` on an idle machine")
        return False
    recorded = json.loads(RECORDED.read_text())
    before, now = recorded["ingest_cpu_ms_per_post"], figures["ingest_cpu_ms_per_post"]
    growth = now / before - 1
    verdict = f"{now} ms of server CPU a post against {before} ms recorded on {recorded['date']}"
    if growth > GROWTH_ALLOWED:
        banner = "!" * 78
        print(f"\n{banner}\nREGRESSION: posting got {growth:.0%} more expensive: {verdict}.")
        print("Find the change (bench/ingest.py, py-spy) before it lands; or, if the machine")
        print(f"was busy (load {figures['load_average_at_start']}), run again.\n{banner}")
        return True
    print(f"SUMMARY guard: {verdict} ({growth:+.0%}, allowed +{GROWTH_ALLOWED:.0%})")
    return False


if __name__ == "__main__":
    main()
