"""An event's short code: six characters people read off a screen or a table card and type
on their phones ("K7P M3Q"), so none of them can be mistaken for another: no 0/O, 1/I/L.
Typed codes are forgiving: any case, spaces, dashes or a leading # are ignored."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # without 0 O 1 I L
LENGTH = 6
_TYPED_APART = re.compile(r"[\s\-_.#·]+")
_CODE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_code(taken: Callable[[str], bool]) -> str:
    """A random code that `taken` says is free (31^6, about 890 million, so a retry is rare)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not taken(code):
            return code


def normalise(typed: str) -> str | None:
    """The code someone typed, as stored; None when it cannot be a code."""
    code = _TYPED_APART.sub("", typed).upper()
    return code if _CODE.fullmatch(code) else None


def spaced(code: str) -> str:
    """As printed and shown: two groups of three are easier to read out and type."""
    return f"{code[:3]} {code[3:]}" if len(code) == LENGTH else code
