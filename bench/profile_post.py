"""Where a post's CPU goes: N API posts in this process, with ingest's mix, no server.

    python bench/profile_post.py --posts 300            # CPU a post, unprofiled
    python bench/profile_post.py --posts 300 --profile  # and cProfile's top functions

A fresh SQLite database seeded with the demo, in a temporary directory; the posts go through
Django's whole request path (middleware, django-ninja, the action, the caution check) with
`django.test.Client`, so what is missing from `bench/ingest.py`'s figure is uvicorn, the
thread hand-off and the network. The first `--warmup` posts are not counted. Not a timed test:
use it to find what to make cheaper, then measure the change with `bench/ingest.py`.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import io
import json
import os
import pstats
import shutil
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
    args = parser.parse_args()

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
    if profiler:
        profiler.enable()
    for number in range(args.warmup, args.warmup + args.posts):
        post(number)
    if profiler:
        profiler.disable()
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


if __name__ == "__main__":
    main()
