"""Rate limits on posting, reporting, signing up, signing in, join codes, password checks,
tokens, search and the caution check, answered with 429 and Retry-After. Counted with `limits`
(moving windows) in Redis when REDIS_URL is set, so every process shares the counts, else in
this process's memory.

Each limit is enforced in one place: the action it limits (feed.actions.create_post counts
posts, wherever they come from). The address a request comes from is set for the request by
web.middleware.RequestAddress; an action run outside a request (an operator's command, the
demo, an import) is not limited.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import time
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from backchannel.errors import ActionError, RateLimited

log = logging.getLogger(__name__)

_MESSAGES = {
    "post": "You are posting very quickly. Take a breath and try again in {wait}.",
    "report": "You have sent many reports in a short time. Try again in {wait}.",
    "signup": "Many accounts were created from this network just now. Try again in {wait}.",
    "login": "Too many failed sign-ins. For your account's safety, try again in {wait}.",
    "join_code": "Too many wrong join codes. Check the code with the organisers and try again "
    "in {wait}.",
    "password": "Too many wrong passwords. For your account's safety, try again in {wait}.",
    "token": "You have created many tokens just now. Try again in {wait}.",
    "search": "You are searching very quickly. Try again in {wait}.",
    "caution": "Too many checks in a short time. Try again in {wait}.",
    "reset": "Many reset links were asked for just now. Try again in {wait}.",
    "dm": "You are sending many messages quickly. Try again in {wait}.",
    "follow": "You are following many people quickly. Try again in {wait}.",
}


class Someone(Protocol):
    """Whoever acts: a signed-in person (counted by id) or a visitor (by address only)."""

    pk: Any

    @property
    def is_authenticated(self) -> bool: ...


# The address of the request being answered (None outside a request).
_address: ContextVar[str | None] = ContextVar("request_address", default=None)


@contextlib.contextmanager
def counting_from(address: str) -> Iterator[None]:
    """Within: actions count against `address` (the middleware, around each request)."""
    token = _address.set(address)
    try:
        yield
    finally:
        _address.reset(token)


def request_address() -> str | None:
    return _address.get()


class ProcessMemoryStorage(MemoryStorage):
    """`limits`' memory storage, expiring old entries at most once a second.

    The library starts a thread to expire entries 10 ms after a hit whenever none is running:
    under a steady stream of posts that is a new thread every 10 ms, measured at a fifth of a
    post's CPU (issue #17, docs/performance.md). Entries now go at most a second later than
    they would have; the counts are unchanged (a window's test ignores expired entries)."""

    EXPIRY_EVERY_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        self._next_expiry = 0.0
        super().__init__(uri, wrap_exceptions, **options)

    # The library calls this private method (name-mangled) before every write;
    # tests/test_ratelimits.py checks that it still does.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now < self._next_expiry:
            return
        self._next_expiry = now + self.EXPIRY_EVERY_SECONDS
        super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


@functools.cache
def _limiter(url: str) -> tuple[Storage, MovingWindowRateLimiter]:
    if url.startswith("memory"):
        memory = ProcessMemoryStorage()
        return memory, MovingWindowRateLimiter(memory)
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


def enforce(scope: str, *, user: Someone | None = None, account: str | None = None) -> None:
    """Count one `scope` action (post, report, signup) by this person and the request's
    address, or raise RateLimited (429) without counting it when a limit is used up.
    `account`: the key to count under when there is no signed-in person (an e-mail address
    asking for a reset). Outside a request nothing is counted."""
    ip = _address.get()
    if not settings.BACKCHANNEL_RATE_LIMITS or ip is None:
        return
    user_key = str(user.pk) if user is not None and user.is_authenticated else account
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


# Guesses (a password at sign-in or before deleting an account, a join code): failures are
# counted per account and per address; while either is used up every attempt is refused, even
# a right one, so guessing cannot go on.
_FAILURE_SETTINGS = {
    "login": "BACKCHANNEL_RATE_LOGIN_FAILURES",
    "join_code": "BACKCHANNEL_RATE_JOIN_CODE_FAILURES",
    "password": "BACKCHANNEL_RATE_PASSWORD_FAILURES",
}


def account_key(handle: str) -> str:
    """A handle as the account it names: NFKC-folded like Django folds usernames (a
    full-width letter is the same letter), then case-folded."""
    return unicodedata.normalize("NFKC", handle).strip().casefold()


def _failure_checks(scope: str, account: str, ip: str) -> list[tuple[RateLimitItem, str, str]]:
    setting = _FAILURE_SETTINGS[scope]
    checks = [(item, f"{scope}:account", account) for item in _items(getattr(settings, setting))]
    ip_rates = getattr(settings, setting + "_IP", "")
    checks += [(item, f"{scope}:ip", ip) for item in _items(ip_rates)] if ip_rates else []
    return checks


def _check_guesses_allowed(scope: str, account: str, ip: str) -> None:
    """429 while this account or address has used up its wrong guesses of `scope`."""
    wait = 0
    with _failing_open(scope):
        wait = _blocked_for(_failure_checks(scope, account, ip))
    if wait:
        raise _refuse(scope, wait)


def _record_wrong_guess(scope: str, account: str, ip: str) -> None:
    with _failing_open(scope):
        _, limiter = _limiter(_storage_url())
        for item, namespace, key in _failure_checks(scope, account, ip):
            limiter.hit(item, namespace, key)


@contextlib.contextmanager
def guessing(scope: str, account: str, *, wrong: str) -> Iterator[None]:
    """Around the check of a secret (a password, a join code) for `account`: refused while
    its guesses are used up, and an ActionError with code `wrong` counts as a wrong guess.
    Outside a request nothing is counted."""
    ip = _address.get()
    if not settings.BACKCHANNEL_RATE_LIMITS or ip is None:
        yield
        return
    _check_guesses_allowed(scope, account, ip)
    try:
        yield
    except ActionError as exc:
        if exc.code == wrong:
            _record_wrong_guess(scope, account, ip)
        raise


# Sign-in is Django's form: the page checks before it and counts a failure after it.
def check_login_allowed(handle: str) -> None:
    ip = _address.get()
    if settings.BACKCHANNEL_RATE_LIMITS and ip is not None:
        _check_guesses_allowed("login", account_key(handle), ip)


def record_login_failure(handle: str) -> None:
    ip = _address.get()
    if settings.BACKCHANNEL_RATE_LIMITS and ip is not None:
        _record_wrong_guess("login", account_key(handle), ip)


def reset() -> None:
    """Forget every count (tests; an operator after an incident)."""
    storage, _ = _limiter(_storage_url())
    with _failing_open("reset"):
        storage.reset()
