"""Instructions the running server spends a post, end to end (valgrind's callgrind).

    python bench/server_instructions.py                 # 200 posts, 4 in flight
    python bench/server_instructions.py --posts 400 --concurrency 8

`bench/profile_post.py --instructions` counts a post inside Django; this counts the whole
`backchannel serve` process while the same mix of posts arrives over HTTP: uvicorn, the
bridge to the request threads, Django, the stream's hand-over, and whatever the event loop
does meanwhile. The server runs under callgrind with counting off; it is switched on for the
measured posts only (after `--warmup`). Like the in-process count, it does not depend on how
fast the host is that hour, so two commits compare on any day; timers that run by the clock
(heartbeats, the relay's polling) add a little noise. Not a timed test: about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from harness import BIN, free_port, wait_until_up
from ingest import AUTHORS, _post_body


async def _post_all(
    base: str, tokens: list[str], first: int, count: int, concurrency: int, floor: bool = False
) -> None:
    event = httpx.get(f"{base}/api/v1/events/ti2012").json()
    sessions = [s["id"] for s in event["sessions"]]
    latest: dict[int, int] = {}
    numbers = iter(range(first, first + count))
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:

        async def worker(w: int) -> None:
            headers = {"Authorization": f"Bearer {tokens[w % len(tokens)]}"}
            for number in numbers:
                session = sessions[number % len(sessions)]
                body = _post_body(number, AUTHORS[(w + 1) % len(AUTHORS)], latest.get(session))
                if floor:  # the same request without its text: refused before the action
                    del body["body"]
                response = await client.post(
                    f"/api/v1/sessions/{session}/posts", json=body, headers=headers
                )
                if floor and response.status_code == 422:
                    continue
                if response.status_code != 201:
                    raise SystemExit(f"post {number}: {response.status_code} {response.text}")
                latest[session] = response.json()["id"]

        await asyncio.gather(*(worker(w) for w in range(concurrency)))


def _counting(pid: int, switch: str) -> None:
    """Turn callgrind's counting on or off in the server (quietly: stdout is the report)."""
    subprocess.run(["callgrind_control", "-i", switch, str(pid)], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--keep", default="", help="copy callgrind's output file here")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="count the same posts without their text: authenticated and refused (422) by "
        "validation, so only the server, middleware and django-ninja run, not the action",
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (Debian's valgrind package)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": tmp,
            "BACKCHANNEL_DATA_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "LOG_LEVEL": "warning",
            "REDIS_URL": "",
            "BACKCHANNEL_RATE_POST": "1000000/minute",
            "BACKCHANNEL_RATE_POST_IP": "1000000/minute",
            "BACKCHANNEL_WORKER": "0",  # the queue's worker is a process of its own
            "PYTHONHASHSEED": "0",
        }
        if "PYTHONPATH" in os.environ:  # another commit's src/, to compare with
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        subprocess.run([BIN, "migrate"], env=env, check=True, capture_output=True)
        subprocess.run([BIN, "demo", "--no-serve"], env=env, check=True, capture_output=True)
        tokens = [
            subprocess.run(
                [BIN, "token", "create", handle],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            for handle in AUTHORS
        ]
        out_file = Path(tmp) / "callgrind.out"
        process = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out_file}",
                sys.executable,
                BIN,
                "serve",
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"{base}/api/v1/events/ti2012", seconds=300)
            asyncio.run(_post_all(base, tokens, 0, args.warmup, args.concurrency))
            _counting(process.pid, "on")
            started = time.perf_counter()
            asyncio.run(
                _post_all(base, tokens, args.warmup, args.posts, args.concurrency, args.floor)
            )
            _counting(process.pid, "off")
            elapsed = time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(timeout=120)
        totals = [int(t) for t in re.findall(r"^totals: (\d+)", out_file.read_text(), re.M)]
        if args.keep:  # for callgrind_annotate
            shutil.copy(out_file, args.keep)
    per_post = sum(totals) // args.posts
    result = {
        "scenario": "server_instructions_floor" if args.floor else "server_instructions",
        "posts": args.posts,
        "concurrency": args.concurrency,
        "instructions_per_post": per_post,
        "wall_s_under_valgrind": round(elapsed, 1),
        "mix": "as bench/ingest.py",
        "tool": "valgrind --tool=callgrind, PYTHONHASHSEED=0",
    }
    print(json.dumps(result, indent=2))
    what = "refused post (the floor)" if args.floor else "post"
    print(
        f"SUMMARY {result['scenario']}: {per_post / 1e6:.2f} million instructions a {what} "
        "in the server, end to end"
    )


if __name__ == "__main__":
    main()
