"""Fixtures for federation's tests: a small fediverse server on loopback, and the test
conference federating in this process (tests/support/fediverse.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.fediverse import Peer, start_peer


@pytest.fixture
def peer() -> Iterator[Peer]:
    server = start_peer()
    yield server
    server.server.shutdown()


@pytest.fixture
def federating(site: str, settings: Any, conference: Any) -> Any:
    settings.BACKCHANNEL_SITE_URL = site
    settings.BACKCHANNEL_FEDERATION_ALLOW_HTTP = True
    settings.BACKCHANNEL_FEDERATION_ALLOW_PRIVATE = True  # the peer is on loopback
    conference.event.federates = True
    conference.event.save(update_fields=["federates"])
    return conference


@pytest.fixture
def federating_live(live: str, settings: Any, conference: Any) -> Any:
    """The conference federating on the running server (`live`), the peers on loopback."""
    settings.BACKCHANNEL_SITE_URL = live
    settings.BACKCHANNEL_FEDERATION_ALLOW_HTTP = True
    settings.BACKCHANNEL_FEDERATION_ALLOW_PRIVATE = True
    conference.event.federates = True
    conference.event.save(update_fields=["federates"])
    return conference
