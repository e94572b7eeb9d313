"""Names people share with other actors. A handle is also a fediverse name (`acct:sam_k@host`),
and so is an event's address (`acct:ti2012@host`, docs/federation.md): they must never be the
same word. Events sit above accounts, so they register their check here when the app starts
(events/apps.py), and a new handle is refused when any registered check says it is taken."""

from __future__ import annotations

from collections.abc import Callable

_checks: list[Callable[[str], bool]] = []


def register_taken_check(check: Callable[[str], bool]) -> None:
    _checks.append(check)


def taken_elsewhere(name: str) -> bool:
    return any(check(name) for check in _checks)
