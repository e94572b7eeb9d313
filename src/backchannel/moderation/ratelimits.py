"""Rate limits on posting, reporting, signing up and signing in, answered with 429 and
Retry-After. Counted with `limits` (moving windows) in Redis when REDIS_URL is set, so every
process shares the counts, else in this process's memory."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from backchannel.errors import RateLimited

log = logging.getLogger(__name__)

_MESSAGES = {
    "post": "You are posting very quickly. Take a breath and try again in {wait}.",
    "report": "You have sent many reports in a short time. Try again in {wait}.",
    "signup": "Many accounts were created from this network just now. Try again in {wait}.",
    "login": "Too many failed sign-ins. For your account's safety, try again in {wait}.",
    "dm": "You are sending many messages quickly. Try again in {wait}.",
    "follow": "You are following many people quickly. Try again in {wait}.",
}


@functools.cache
def _limiter(url: str) -> tuple[Storage, MovingWindowRateLimiter]:
    options: dict[str, Any] = {}
    if url.startswith("redis"):
        # A limit must never hang a request: if Redis is slow or away, fail open (below).
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    storage = storage_from_string(url, **options)
    assert isinstance(storage, Storage)  # a synchronous storage, from a non-async:// URL
    return storage, MovingWindowRateLimiter(storage)


def _storage_url() -> str:
    return settings.REDIS_URL or "memory://"


@functools.cache
def _items(rates: str) -> list[RateLimitItem]:
    return parse_many(rates) if rates.strip() else []


def client_ip(request: HttpRequest) -> str:
    header = settings.BACKCHANNEL_CLIENT_IP_HEADER
    if header:
        value = request.headers.get(header, "")
        last = value.split(",")[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _checks(scope: str, keys: dict[str, str | None]) -> list[tuple[RateLimitItem, str, str]]:
    """(limit, namespace, key) for each configured limit of each known key."""
    checks = []
    for who, key in keys.items():
        if key is None:
            continue
        setting = f"BACKCHANNEL_RATE_{scope.upper()}" + ("_IP" if who == "ip" else "")
        for item in _items(getattr(settings, setting, "")):
            checks.append((item, f"{scope}:{who}", key))
    return checks


def _blocked_for(checks: list[tuple[RateLimitItem, str, str]]) -> int:
    """Seconds until every exhausted limit has room again (0: none is exhausted)."""
    _, limiter = _limiter(_storage_url())
    wait = 0.0
    for item, namespace, key in checks:
        if not limiter.test(item, namespace, key):
            reset = limiter.get_window_stats(item, namespace, key).reset_time
            wait = max(wait, reset - time.time())
    return math.ceil(wait) if wait > 0 else 0


def _refuse(scope: str, wait: int) -> RateLimited:
    message = _MESSAGES[scope].format(wait=_wait_words(wait))
    return RateLimited(message, retry_after=wait, code="rate_limited")


def enforce(scope: str, *, user: Any = None, ip: str | None = None) -> None:
    """Count one `scope` action (post, report, signup) by this person and address, or raise
    RateLimited (429) without counting it when a limit is used up."""
    if not settings.BACKCHANNEL_RATE_LIMITS:
        return
    user_key = str(user.pk) if user is not None and user.is_authenticated else None
    checks = _checks(scope, {"user": user_key, "ip": ip})
    wait = 0
    with _failing_open(scope):
        wait = _blocked_for(checks)
        if not wait:
            _, limiter = _limiter(_storage_url())
            for item, namespace, key in checks:
                limiter.hit(item, namespace, key)
    if wait:
        raise _refuse(scope, wait)


@contextlib.contextmanager
def _failing_open(scope: str) -> Iterator[None]:
    """While the counts' store (Redis) is unreachable, nothing is limited: refusing every post
    because a counter is away would be worse than a few minutes without limits. Logged."""
    try:
        yield
    except Exception:  # the storage's connection errors: redis.RedisError, OSError, ...
        log.warning("rate limits unavailable for %s; allowing", scope, exc_info=True)


def enforce_request(scope: str, request: HttpRequest, user: Any = None) -> None:
    enforce(scope, user=user if user is not None else request.user, ip=client_ip(request))


# Signing in: failures are counted per account and per address; while either is used up,
# every attempt is refused (even with the right password), so guessing cannot go on.
def _login_checks(handle: str, ip: str) -> list[tuple[RateLimitItem, str, str]]:
    checks = [
        (item, "login:account", handle.strip().lower())
        for item in _items(settings.BACKCHANNEL_RATE_LOGIN_FAILURES)
    ]
    checks += [
        (item, "login:ip", ip) for item in _items(settings.BACKCHANNEL_RATE_LOGIN_FAILURES_IP)
    ]
    return checks


def check_login_allowed(handle: str, ip: str) -> None:
    if not settings.BACKCHANNEL_RATE_LIMITS:
        return
    wait = 0
    with _failing_open("login"):
        wait = _blocked_for(_login_checks(handle, ip))
    if wait:
        raise _refuse("login", wait)


def record_login_failure(handle: str, ip: str) -> None:
    if not settings.BACKCHANNEL_RATE_LIMITS:
        return
    with _failing_open("login"):
        _, limiter = _limiter(_storage_url())
        for item, namespace, key in _login_checks(handle, ip):
            limiter.hit(item, namespace, key)


def reset() -> None:
    """Forget every count (tests; an operator after an incident)."""
    storage, _ = _limiter(_storage_url())
    with _failing_open("reset"):
        storage.reset()
