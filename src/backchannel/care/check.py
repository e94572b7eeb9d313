"""The caution check: every detector over a post, overlapping findings of a kind merged."""

from __future__ import annotations

from collections.abc import Iterable

from . import detectors
from .findings import SEVERITY_ORDER, Finding

MAX_TEXT = 10_000  # posts are 280 characters; comments and bios a little more


def check(text: str, policy_terms: Iterable[str] = ()) -> list[Finding]:
    """Findings in the order they appear in the text."""
    # Curly apostrophes read as straight ones (same length, so the spans stay true).
    text = text[:MAX_TEXT].replace("\u2019", "'")
    found = [
        *detectors.contact_info(text),
        *detectors.child_identity(text),
        *detectors.health_detail(text),
        *detectors.crisis(text),
        *detectors.harassment(text),
        *detectors.policy(text, policy_terms),
    ]
    return _merge(found)


def _merge(findings: list[Finding]) -> list[Finding]:
    """One finding per overlapping passage of a kind: the widest span, the highest severity."""
    merged: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.kind, f.start, -f.end)):
        last = merged[-1] if merged else None
        if last is not None and last.kind == finding.kind and finding.start < last.end:
            keep = (
                last
                if SEVERITY_ORDER[last.severity] >= SEVERITY_ORDER[finding.severity]
                else finding
            )
            merged[-1] = Finding(
                last.kind, last.start, max(last.end, finding.end), keep.severity, keep.message
            )
        else:
            merged.append(finding)
    return sorted(merged, key=lambda f: (f.start, f.kind))
