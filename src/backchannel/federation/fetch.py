"""Talking to other servers safely. Every request has timeouts; every answer is read up to a
size limit; and no request reaches a private, loopback or link-local address (a remote server
naming one must not make us probe our own network) unless BACKCHANNEL_FEDERATION_ALLOW_PRIVATE
says so (tests and a peer on the same machine). The address is checked when the connection
is made, after the name is resolved, so a name that resolves to a private address, or a
redirect to one, is refused too. JSON-LD contexts are never fetched: documents are read as
plain JSON with the ActivityStreams names."""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import json
import socket
import ssl
from typing import Any

import httpcore
import httpx
from django.conf import settings

from . import signatures
from .actors import ACTIVITY_JSON

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_DOCUMENT_BYTES = 1_000_000
USER_AGENT = "Backchannel (+https://github.com/backchannel; ActivityPub)"
ACCEPT = f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class FetchError(Exception):
    """The remote answer could not be had or read: no connection, refused address, too big,
    not JSON, or a status other than 2xx."""


def _allowed(address: str) -> bool:
    if settings.BACKCHANNEL_FEDERATION_ALLOW_PRIVATE:
        return True
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _public_address(host: str, port: int) -> str:
    """The first address `host` resolves to, if every one of them is allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"{host} does not resolve") from exc
    addresses = [str(entry[4][0]) for entry in found]
    if not addresses or not all(_allowed(address) for address in addresses):
        raise httpcore.ConnectError(f"{host} is not a public address")
    return addresses[0]


class _GuardedBackend(httpcore.SyncBackend):
    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        # TLS still checks the certificate against the name: the connection only goes to
        # the address that was checked.
        return super().connect_tcp(_public_address(host, port), port, *args, **kwargs)


class _GuardedAsyncBackend(httpcore.AnyIOBackend):
    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        address = await asyncio.to_thread(_public_address, host, port)
        return await super().connect_tcp(address, port, *args, **kwargs)


def _headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"User-Agent": USER_AGENT, **(extra or {})}


def client() -> httpx.Client:
    transport = httpx.HTTPTransport(retries=0)
    transport._pool._network_backend = _GuardedBackend()
    return httpx.Client(
        transport=transport, timeout=TIMEOUT, follow_redirects=True, max_redirects=3
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    # Made once: loading the system's certificates costs about 20 ms each time.
    return ssl.create_default_context()


def async_client(*, per_host: int) -> httpx.AsyncClient:
    """For deliveries to one server: `per_host` connections at most."""
    limits = httpx.Limits(max_connections=per_host, max_keepalive_connections=per_host)
    transport = httpx.AsyncHTTPTransport(retries=0, limits=limits, verify=_tls())
    transport._pool._network_backend = _GuardedAsyncBackend()
    return httpx.AsyncClient(transport=transport, timeout=TIMEOUT, follow_redirects=False)


def _read_limited(response: httpx.Response) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_DOCUMENT_BYTES:
        raise FetchError("The document is too large.")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_DOCUMENT_BYTES:
            raise FetchError("The document is too large.")
    return bytes(body)


def get_json(
    url: str, *, signer: tuple[str, str] | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """GET an ActivityStreams (or JRD) document as a JSON object. `signer`: (key id, private
    PEM) to sign the request with, for servers in "authorized fetch" mode."""
    if not url.startswith(("https://", "http://")):
        raise FetchError("Only http(s) addresses are fetched.")
    extra = {"Accept": ACCEPT, **(headers or {})}
    if signer is not None:
        key_id, private_pem = signer
        signed = signatures.sign("GET", url, key_id=key_id, private_pem=private_pem)
        extra.update({name: value for name, value in signed.items() if name != "Host"})
    try:
        with client() as http, http.stream("GET", url, headers=_headers(extra)) as response:
            if response.status_code >= 300:
                raise FetchError(f"{url} answered {response.status_code}.")
            body = _read_limited(response)
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {exc}"[:300]) from exc
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise FetchError(f"{url} did not answer JSON.") from exc
    if not isinstance(document, dict):
        raise FetchError(f"{url} did not answer a JSON object.")
    return document
