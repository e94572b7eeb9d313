"""`make bench`: the hot path's benchmarks in one command, one summary line each, and a guard.

    python bench/all.py             # run, print, compare with bench/recorded.json
    python bench/all.py --record    # the same, then write this run's figures there

Runs, in turn (each starts its own server, core 0, and generator, core 1):
- fan-out: 1,000 viewers of one session at 50 posts/s for 10 s, against Backchannel and the
  bare reference server (bench/reference_server.py), so the share of the reference's
  deliveries is measured on the same minute's machine;
- ingest: posts through the API, 16 in flight, SQLite, the caution check on, hashtags,
  mentions and replies in the mix (bench/ingest.py);
- instructions: the instructions 100 posts of the same mix execute in-process, counted by
  valgrind (bench/profile_post.py --instructions; skipped, and said, without valgrind);
- server instructions: the same count for the whole server process while 200 posts arrive
  over HTTP (bench/server_instructions.py): uvicorn, the bridge to Django's threads and the
  event loop as well.

The regression guard is not a timed test. It compares two figures with bench/recorded.json
and says so loudly when one grew by more than 20%:
- instructions a post, in-process and in the server: the same on a slow or a fast hour (two
  runs agree to 0.1% in-process, 0.5% in the server), so their growth is the code's: exit
  status 1;
- the server's CPU a post: what users feel, but this host's speed varies several-fold between
  days, so its growth alone is reported as the machine's unless the instructions grew too.
The load average at the start is printed; repeat a run that started above 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
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
    instructions = server_instructions = None
    if shutil.which("valgrind") and shutil.which("callgrind_control"):
        counted, line = _run("profile_post.py", "--posts", "100", "--instructions")
        instructions = counted["instructions_per_post"]
        print(line)
        counted, line = _run("server_instructions.py")
        server_instructions = counted["instructions_per_post"]
        print(line)
    else:
        print("SUMMARY instructions: skipped (no valgrind here: apt-get install valgrind)")

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
        "instructions_per_post": instructions,
        "server_instructions_per_post": server_instructions,
    }
    grown = _compare(figures)
    if args.record:
        RECORDED.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"recorded in {RECORDED.relative_to(HERE.parent)}")
    if grown:
        sys.exit(1)


def _compare(figures: dict[str, Any]) -> bool:
    """Whether posting grew more expensive than GROWTH_ALLOWED since the recorded run: by
    its instruction count when both runs have one, else by CPU a post."""
    if not RECORDED.exists():
        print("no recorded figure yet: run `make bench-record` on an idle machine")
        return False
    recorded = json.loads(RECORDED.read_text())
    cpu_before, cpu_now = recorded["ingest_cpu_ms_per_post"], figures["ingest_cpu_ms_per_post"]
    cpu_growth = cpu_now / cpu_before - 1
    cpu_verdict = (
        f"{cpu_now} ms of server CPU a post against {cpu_before} ms recorded on "
        f"{recorded['date']} ({cpu_growth:+.0%})"
    )
    counts = []
    for key, what in (
        ("instructions_per_post", "instructions a post in-process"),
        ("server_instructions_per_post", "instructions a post in the server"),
    ):
        before, now = recorded.get(key), figures[key]
        if before and now:
            growth = now / before - 1
            counts.append(
                (
                    growth,
                    f"{now / 1e6:.2f} million {what} against {before / 1e6:.2f} million "
                    f"({growth:+.1%})",
                )
            )
    if counts:
        verdicts = "; ".join(verdict for _, verdict in counts)
        if any(growth > GROWTH_ALLOWED for growth, _ in counts):
            _shout(f"posting got more expensive: {verdicts}; {cpu_verdict}.")
            return True
        print(f"SUMMARY guard: {verdicts}, allowed +{GROWTH_ALLOWED:.0%}; {cpu_verdict}")
        if cpu_growth > GROWTH_ALLOWED:
            print("(the CPU a post grew but the instructions did not: this host is slower now)")
        return False
    if cpu_growth > GROWTH_ALLOWED:
        _shout(f"posting got {cpu_growth:.0%} more expensive: {cpu_verdict}.")
        print(f"If the machine was busy (load {figures['load_average_at_start']}), run again.")
        return True
    print(f"SUMMARY guard: {cpu_verdict}, allowed +{GROWTH_ALLOWED:.0%}")
    return False


def _shout(message: str) -> None:
    banner = "!" * 78
    print(f"\n{banner}\nREGRESSION: {message}")
    print(f"Find the change (bench/profile_post.py --profile, py-spy) before it lands.\n{banner}")


if __name__ == "__main__":
    main()
