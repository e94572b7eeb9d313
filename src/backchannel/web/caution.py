"""The caution prompt on pages without JavaScript: what the check found, passage by passage,
for the author to edit or confirm (the composer builds the same from the API's 409)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backchannel.care.findings import Finding


def passages(text: str, findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [
        {"kind": str(f.kind), "passage": text[f.start : f.end], "message": f.message}
        for f in findings
    ]
