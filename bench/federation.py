"""Federation: one post delivered to 1,000 remote followers spread over 200 servers.

    python bench/federation.py --posts 5

`backchannel serve` runs on core 0 with its queue worker (as `make demo` runs it), on the demo
database, federating at its loopback address. 200 fake fediverse servers (asyncio, one
listener each, on core 1) follow the demo's first plenary session: 1,000 followers, five per
server. Each server answers an inbox POST only after checking its draft-cavage signature and
its Digest with the session's public key, as Mastodon does (the key is handed over once, as a
server would cache it).

Two ways to reach the followers:
- `shared`: each server has a shared inbox (as Mastodon does): one delivery per server, 200 a post;
- `personal`: no shared inboxes: one delivery per follower, 1,000 a post.

For each, `--posts` posts are written through the API one after another; for each post the
time from its 201 until every server has verified its deliveries, and the server process's CPU
over that time. Reports signed deliveries per second, CPU per delivery and the server's memory.
Then the session's local fan-out: the time from sending a post (one kept-alive client) to its
arrival on an SSE stream of the session, and to its 201, without followers and with the 1,000
(`--latency-posts` each; `--latency-only` skips the deliveries; `--database-url` runs on a
scratch PostgreSQL database instead of SQLite).

Loopback only; bounded by --posts and a 120 s deadline per post.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import multiprocessing
import os
import subprocess
import threading
import time
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from harness import (
    BIN,
    MACHINE,
    Server,
    backchannel_server,
    latency_summary,
    proc_cpu_seconds,
    proc_kib,
    scratch_database,
)

SERVERS = 200
PER_SERVER = 5
GENERATOR_CORE = "1"


# The fake servers (a child process on core 1).


def _verify(public_key: Any, method: str, path: str, headers: dict[str, str], body: bytes) -> bool:
    try:
        fields = dict(
            part.split("=", 1) for part in headers["signature"].replace('"', "").split(",")
        )
        lines = []
        for name in fields["headers"].split():
            if name == "(request-target)":
                lines.append(f"(request-target): {method.lower()} {path}")
            else:
                lines.append(f"{name}: {headers[name]}")
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if headers.get("digest") != digest:
            return False
        public_key.verify(
            base64.b64decode(fields["signature"]),
            "\n".join(lines).encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
        return True
    except Exception:
        return False


def _servers_main(
    ports: list[int], key_pem: bytes, verified: Any, refused: Any, ready: Any
) -> None:
    os.sched_setaffinity(0, {int(GENERATOR_CORE)})
    public_key = serialization.load_pem_public_key(key_pem)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if _verify(public_key, method, path, headers, body):
                    with verified.get_lock():
                        verified.value += 1
                    writer.write(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
                else:
                    with refused.get_lock():
                        refused.value += 1
                    writer.write(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        for port in ports:
            await asyncio.start_server(handle, "127.0.0.1", port, backlog=256)
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


# The followers, written into the server's database before it starts.

_FOLLOWERS = """
import json, os
from django.utils import timezone
from backchannel.events.models import Session
from backchannel.federation.actions import key_of
from backchannel.federation.models import Follow, RemoteActor
ports, shared = json.loads(os.environ["BENCH_FOLLOWERS"])
session = Session.objects.get(pk={session_id})
key = key_of(session)
now = timezone.now()
actors = RemoteActor.objects.bulk_create([
    RemoteActor(
        uri=f"http://127.0.0.1:{{port}}/users/u{{n}}", domain=f"127.0.0.1:{{port}}",
        kind="Person", username=f"u{{n}}",
        inbox=f"http://127.0.0.1:{{port}}/users/u{{n}}/inbox",
        shared_inbox=f"http://127.0.0.1:{{port}}/inbox" if shared else "",
        key_id=f"http://127.0.0.1:{{port}}/users/u{{n}}#main-key", public_key_pem="-",
        fetched_at=now,
    )
    for port in ports for n in range({per_server})
])
Follow.objects.bulk_create([
    Follow(follower=actor, followed=key, activity_uri=actor.uri + "#follow") for actor in actors
])
print(key.public_pem)
"""


def _free_ports(count: int) -> list[int]:
    import socket

    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def _post(server: Server, body: str, http: Any = httpx) -> float:
    answer = http.post(
        f"{server.base}/api/v1/sessions/{server.session_id}/posts",
        json={"body": body},
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=30,
    )
    answer.raise_for_status()
    return time.perf_counter()


def _deliveries(args: argparse.Namespace, shared: bool) -> dict[str, Any]:
    ports = _free_ports(SERVERS)
    expected = SERVERS if shared else SERVERS * PER_SERVER
    verified = multiprocessing.Value("q", 0)
    refused = multiprocessing.Value("q", 0)
    ready = multiprocessing.Event()
    env = {
        "BACKCHANNEL_FEDERATION_ALLOW_PRIVATE": "true",
        "BACKCHANNEL_FEDERATION_ALLOW_HTTP": "true",
        "BACKCHANNEL_WORKER_INTERVAL": "0.05",
    }
    results: list[dict[str, float]] = []
    with (
        scratch_database(args.database_url) as database_url,
        backchannel_server(env_overrides=env, database_url=database_url, site_url=True) as server,
    ):
        script = _FOLLOWERS.format(session_id=server.session_id, per_server=PER_SERVER)
        pem = subprocess.run(
            [BIN, "manage", "shell", "-c", script],
            env={**server.env, "BENCH_FOLLOWERS": json.dumps([ports, shared])},
            check=True,
            capture_output=True,
        ).stdout
        fake = multiprocessing.Process(
            target=_servers_main, args=(ports, pem, verified, refused, ready), daemon=True
        )
        fake.start()
        ready.wait(30)
        try:
            for number in range(args.posts):
                start_count = verified.value
                cpu_before = proc_cpu_seconds(server.pid)
                posted = _post(server, f"Federated post {number} #ti2012")
                deadline = posted + 120
                while verified.value - start_count < expected:
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"only {verified.value - start_count} of {expected}")
                    time.sleep(0.002)
                seconds = time.perf_counter() - posted
                cpu = proc_cpu_seconds(server.pid) - cpu_before
                results.append({"seconds": seconds, "cpu": cpu})
            rss = proc_kib(server.pid)
        finally:
            fake.terminate()
    per_second = [expected / r["seconds"] for r in results]
    cpu_each = [r["cpu"] / expected * 1e6 for r in results]
    return {
        "mode": "shared inboxes" if shared else "personal inboxes",
        "followers": SERVERS * PER_SERVER,
        "servers": SERVERS,
        "deliveries_per_post": expected,
        "deliveries_per_second": sorted(round(v) for v in per_second),
        "server_cpu_us_per_delivery": sorted(round(v) for v in cpu_each),
        "refused_signatures": refused.value,
        "server_rss_kib": rss,
    }


def _fanout_latency(
    args: argparse.Namespace, followers: bool, separate_worker: bool = False
) -> dict[str, Any]:
    env = {
        "BACKCHANNEL_FEDERATION_ALLOW_PRIVATE": "true",
        "BACKCHANNEL_FEDERATION_ALLOW_HTTP": "true",
        "BACKCHANNEL_WORKER_INTERVAL": "0.05",
        "BACKCHANNEL_WORKER": "false" if separate_worker else "true",
    }
    latencies: list[float] = []
    answered: list[float] = []
    with (
        scratch_database(args.database_url) as database_url,
        backchannel_server(env_overrides=env, database_url=database_url, site_url=True) as server,
    ):
        fake = None
        worker = None
        if separate_worker:  # `backchannel worker` on its own, on the other core
            worker = subprocess.Popen(
                ["taskset", "-c", GENERATOR_CORE, BIN, "worker"],
                env={**server.env, "BACKCHANNEL_WORKER": "true"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        if followers:
            ports = _free_ports(SERVERS)
            script = _FOLLOWERS.format(session_id=server.session_id, per_server=PER_SERVER)
            pem = subprocess.run(
                [BIN, "manage", "shell", "-c", script],
                env={**server.env, "BENCH_FOLLOWERS": json.dumps([ports, False])},
                check=True,
                capture_output=True,
            ).stdout
            counters = (multiprocessing.Value("q", 0), multiprocessing.Value("q", 0))
            ready = multiprocessing.Event()
            fake = multiprocessing.Process(
                target=_servers_main, args=(ports, pem, *counters, ready), daemon=True
            )
            fake.start()
            ready.wait(30)
        arrived: dict[str, float] = {}
        opened = threading.Event()

        def read() -> None:
            url = f"{server.base}/api/v1/sessions/{server.session_id}/stream"
            with httpx.stream("GET", url, timeout=httpx.Timeout(10, read=120)) as stream:
                opened.set()
                for line in stream.iter_lines():
                    if line.startswith("data:") and "Latency probe" in line:
                        body = json.loads(line[5:])["post"]["body"]
                        arrived[body] = time.perf_counter()

        threading.Thread(target=read, daemon=True).start()
        opened.wait(10)
        time.sleep(0.5)  # let the stream subscribe (bench only: not a test)
        http = httpx.Client()  # one client, as a browser keeps its connection
        try:
            for number in range(args.latency_posts):
                body = f"Latency probe {number}"
                sent = time.perf_counter()
                answered.append((_post(server, body, http) - sent) * 1000)
                deadline = sent + 30
                while body not in arrived and time.perf_counter() < deadline:
                    time.sleep(0.001)
                latencies.append((arrived.get(body, deadline) - sent) * 1000)
                time.sleep(0.2)  # one post at a time: each post's deliveries are under way
        finally:
            http.close()
            if worker is not None:  # before the fake servers, whose absence it would retry
                worker.terminate()
                try:
                    worker.wait(30)
                except subprocess.TimeoutExpired:
                    worker.kill()
            if fake is not None:
                fake.terminate()
    return {
        "followers": SERVERS * PER_SERVER if followers else 0,
        "worker": "run apart (backchannel worker, core 1)"
        if separate_worker
        else "started by serve",
        **latency_summary(latencies),
        "answered": latency_summary(answered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=5)
    parser.add_argument("--latency-posts", type=int, default=100)
    parser.add_argument(
        "--latency-only", action="store_true", help="only the live fan-out's latency"
    )
    parser.add_argument(
        "--database-url", help="a PostgreSQL database to recreate for each server (default SQLite)"
    )
    args = parser.parse_args()
    os.sched_setaffinity(0, {int(GENERATOR_CORE)})
    report = {
        "machine": MACHINE,
        "load_average_at_start": os.getloadavg(),
        "database": "PostgreSQL" if args.database_url else "SQLite",
        "deliveries": []
        if args.latency_only
        else [_deliveries(args, shared=True), _deliveries(args, shared=False)],
        "fanout_latency_ms": [
            _fanout_latency(args, False),
            _fanout_latency(args, True),
            _fanout_latency(args, True, separate_worker=True),
        ],
    }
    print(json.dumps(report, indent=2))
    for row in report["deliveries"]:
        print(
            f"federation {row['mode']}: {row['deliveries_per_post']} signed deliveries a post, "
            f"{row['deliveries_per_second']} /s, {row['server_cpu_us_per_delivery']} µs CPU "
            f"each, {row['refused_signatures']} refused, RSS {row['server_rss_kib']} KiB"
        )
    for row in report["fanout_latency_ms"]:
        print(
            f"fan-out with {row['followers']} remote followers, worker {row['worker']}: "
            f"post to SSE p50 {row['p50']} ms, p95 {row['p95']} ms ({row['samples']} posts); "
            f"201 p50 {row['answered']['p50']} ms, p95 {row['answered']['p95']} ms"
        )


if __name__ == "__main__":
    main()
