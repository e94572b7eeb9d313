"""Where a post's CPU goes: N API posts in this process, with ingest's mix, no server.

    python bench/profile_post.py --posts 300            # CPU a post, unprofiled
    python bench/profile_post.py --posts 300 --profile  # and cProfile's top functions
    python bench/profile_post.py --posts 100 --instructions  # instructions a post (valgrind)

A fresh SQLite database seeded with the demo, in a temporary directory; the posts go through
Django's whole request path (middleware, django-ninja, the action, the caution check) with
`django.test.Client`, so what is missing from `bench/ingest.py`'s figure is uvicorn, the
thread hand-off and the network. The first `--warmup` posts are not counted. Not a timed test:
use it to find what to make cheaper, then measure the change with `bench/ingest.py`.

`--instructions` runs the same under valgrind's callgrind and counts the instructions the
measured posts execute (with `PYTHONHASHSEED=0`). Unlike CPU time, the count does not depend
on how fast the host happens to be that hour (this machine's speed varies several-fold
between days), so two commits can be compared on any day, a few per cent apart. About
a hundred times slower than a plain run: a hundred posts take two or three minutes.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ingest import AUTHORS, _post_body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--callers", default="", help="also who calls functions matching this")
    parser.add_argument("--callees", default="", help="also what functions matching this call")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order (tottime...)")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions a post under valgrind"
    )
    args = parser.parse_args()
    if args.instructions and not os.environ.get(_UNDER_CALLGRIND):
        count_instructions(args)
        return
    under_callgrind = bool(os.environ.get(_UNDER_CALLGRIND))

    tmp = tempfile.mkdtemp(prefix="bench-profile-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # the database and media
    os.environ.update(
        {
            "BACKCHANNEL_DATA_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "REDIS_URL": "",
            "LOG_LEVEL": "warning",
            "BACKCHANNEL_RATE_POST": "1000000/minute",
            "BACKCHANNEL_RATE_POST_IP": "1000000/minute",
            "DJANGO_SETTINGS_MODULE": "backchannel.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from backchannel.accounts.actions import create_api_token_for_handle
    from backchannel.demo import seed_demo
    from backchannel.events.models import Event

    call_command("migrate", verbosity=0)
    seed_demo()
    tokens = [create_api_token_for_handle(handle, name="bench")[1] for handle in AUTHORS]
    sessions = list(Event.objects.get(slug="ti2012").sessions.values_list("pk", flat=True))
    client = Client(raise_request_exception=True, HTTP_HOST="127.0.0.1")
    latest: dict[int, int] = {}

    def post(number: int) -> None:
        session = sessions[number % len(sessions)]
        body = _post_body(number, AUTHORS[(number + 1) % len(AUTHORS)], latest.get(session))
        response = client.post(
            f"/api/v1/sessions/{session}/posts",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {tokens[number % len(tokens)]}"},
        )
        if response.status_code != 201:
            raise SystemExit(f"post {number}: {response.status_code} {response.content[:300]!r}")
        latest[session] = response.json()["id"]

    for number in range(args.warmup):
        post(number)
    profiler = cProfile.Profile() if args.profile else None
    started = time.process_time()
    if under_callgrind:
        _callgrind("--instr=on")
    if profiler:
        profiler.enable()
    for number in range(args.warmup, args.warmup + args.posts):
        post(number)
    if profiler:
        profiler.disable()
    if under_callgrind:
        _callgrind("--instr=off")
        return  # the parent reads the count
    cpu_ms = 1000 * (time.process_time() - started) / args.posts
    result = {
        "scenario": "profile_post",
        "posts": args.posts,
        "cpu_ms_per_post": round(cpu_ms, 3),
        "profiled": bool(profiler),
        "mix": "as bench/ingest.py",
    }
    print(json.dumps(result, indent=2))
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
        stats.print_stats(args.top)
        if args.callers:
            stats.print_callers(args.callers)
        if args.callees:
            stats.print_callees(args.callees)
        print(out.getvalue())
    print(
        f"SUMMARY profile_post: {result['cpu_ms_per_post']} ms CPU a post in-process"
        + (" (profiled: slower than real)" if profiler else "")
    )


_UNDER_CALLGRIND = "BENCH_PROFILE_UNDER_CALLGRIND"


def _callgrind(switch: str) -> None:
    """Turn callgrind's counting on or off in this process (it is the one valgrind runs)."""
    subprocess.run(["callgrind_control", switch, str(os.getpid())], check=True, capture_output=True)


def count_instructions(args: argparse.Namespace) -> None:
    """Run this script again under callgrind, counting only the measured posts."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian's valgrind package)")
    out_dir = tempfile.mkdtemp(prefix="bench-callgrind-")
    atexit.register(shutil.rmtree, out_dir, ignore_errors=True)
    out_file = Path(out_dir) / "callgrind.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out_file}",
        sys.executable,
        __file__,
        f"--posts={args.posts}",
        f"--warmup={args.warmup}",
    ]
    env = {**os.environ, _UNDER_CALLGRIND: "1", "PYTHONHASHSEED": "0"}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    totals = re.search(r"^totals: (\d+)", out_file.read_text(), re.MULTILINE)
    if totals is None:
        raise SystemExit(f"no instruction count in {out_file}")
    per_post = int(totals.group(1)) / args.posts
    result = {
        "scenario": "profile_post_instructions",
        "posts": args.posts,
        "instructions_per_post": round(per_post),
        "mix": "as bench/ingest.py",
        "tool": "valgrind --tool=callgrind, PYTHONHASHSEED=0",
    }
    print(json.dumps(result, indent=2))
    print(f"SUMMARY profile_post: {per_post / 1e6:.2f} million instructions a post in-process")


if __name__ == "__main__":
    main()
