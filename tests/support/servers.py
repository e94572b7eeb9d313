"""Real `backchannel serve` processes (and a private redis-server) for multi-process tests."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent / "backchannel"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([BIN, *args], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def demo_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A fresh database with the demo seeded, for processes to share."""
    env = _environment(tmp_path, **extra)
    if env["DATABASE_URL"].startswith("sqlite:"):
        # Seeding takes ten seconds; copying a directory seeded once takes none.
        shutil.copytree(_seeded_sqlite_demo(), tmp_path, dirs_exist_ok=True)
    else:
        cli(env, "demo", "--no-serve")
    return env


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "BACKCHANNEL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LOG_LEVEL": "warning",
        "REDIS_URL": "",
        # These tests post quickly as one person; the limits are tested in tests/moderation.
        "BACKCHANNEL_RATE_POST": "10000/minute",
        **extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


_seeded: Path | None = None


def _seeded_sqlite_demo() -> Path:
    """A directory with the demo seeded on SQLite (database, secret key, static files), made
    once per test process and copied by each test that needs one."""
    global _seeded
    if _seeded is None:
        directory = Path(tempfile.mkdtemp(prefix="bc-demo-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        cli(_environment(directory), "demo", "--no-serve")
        _seeded = directory
    return _seeded


class Server:
    def __init__(self, env: dict[str, str], port: int | None = None) -> None:
        # A port free a moment ago may be taken as another socket's ephemeral port before the
        # server binds it (seen under CI with many clients): then try a fresh one, unless the
        # test asked for this port.
        for attempt in range(3):
            self.port = port or free_port()
            try:
                self._start(env)
                return
            except _PortTaken:
                if port is not None or attempt == 2:
                    raise

    def _start(self, env: dict[str, str]) -> None:
        self.url = f"http://127.0.0.1:{self.port}"
        # Its log goes to a file, so a server that does not start says why.
        log, name = tempfile.mkstemp(prefix="bc-serve-", suffix=".log")
        self.log = Path(name)
        self.process = subprocess.Popen(
            [BIN, "serve", "--port", str(self.port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        os.close(log)
        # Generous: a busy two-core machine may take a while to import Django and migrate.
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/events/ti2012", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-3000:]
                self.crash()
                kind = _PortTaken if "address already in use" in tail else RuntimeError
                raise kind(f"the server on port {self.port} did not start:\n{tail}")
            time.sleep(0.1)

    def crash(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.unlink(missing_ok=True)


class _PortTaken(RuntimeError):
    """The server could not bind its port: something took it after `free_port` chose it."""


class RedisServer:
    """A private redis-server on a free loopback port (never the machine's shared one)."""

    def __init__(self, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


def postgres_binaries() -> Path | None:
    """Debian's PostgreSQL server programs (initdb, pg_ctl), newest version first."""
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


class PostgresCluster:
    """A private PostgreSQL cluster on a free loopback port, in its own directory, which a
    test may stop and start at will (never the machine's shared server). PostgreSQL refuses to
    run as root, so as root it runs as the `postgres` user."""

    def __init__(self, directory: Path) -> None:
        binaries = postgres_binaries()
        if binaries is None:
            raise FileNotFoundError("initdb")
        self.bin = binaries
        self.port = free_port()
        self.data = directory / "pgdata"
        self.socket_dir = directory / "pgsocket"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(directory, user="postgres")
            shutil.chown(self.socket_dir, user="postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.socket_dir} "
            "-c fsync=off -c full_page_writes=off -c max_connections=50"
        )
        # With a log file, so the server does not hold this process's output pipes open.
        log = str(self.socket_dir / "postgres.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "30", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        """`immediate` is a crash: no checkpoint, recovery from the WAL on the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
