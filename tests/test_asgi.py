"""The ASGI entry point's start-up (backchannel/asgi.py): what the first request would wait for
is loaded before the server says it has started."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine_independent

# In a process of its own: this one imported the URL map long ago. The lifespan protocol is
# spoken as uvicorn speaks it: start-up, then (once it is complete) shut-down.
SCRIPT = """
import asyncio, sys
import backchannel.asgi as asgi
from backchannel.care.model import shipped

assert "backchannel.urls" not in sys.modules, "imported too early to tell"
assert shipped.cache_info().currsize == 0

async def main():
    messages = [{"type": "lifespan.startup"}]
    started = asyncio.Event()
    sent = []

    async def receive():
        if messages:
            return messages.pop(0)
        await started.wait()
        return {"type": "lifespan.shutdown"}

    async def send(message):
        sent.append(message["type"])
        if message["type"] == "lifespan.startup.complete":
            assert "backchannel.urls" in sys.modules, "the URL map was not loaded"
            assert shipped.cache_info().currsize == 1, "the caution model was not loaded"
            started.set()

    await asgi.application({"type": "lifespan"}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"], sent

asyncio.run(main())
print("warm")
"""


def test_the_url_map_and_the_caution_model_are_loaded_before_start_up_completes(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "BACKCHANNEL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "REDIS_URL": "",
        "BACKCHANNEL_RELAY_SECONDS": "0",
        "LOG_LEVEL": "warning",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("warm")
