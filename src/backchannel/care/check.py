"""The caution check: the rules and the text model over a post, overlapping findings of a kind
merged. A finding is raised when a rule or the model says so (docs/care.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import detectors, spanish
from .crisis import About, who_is_at_risk
from .findings import MESSAGES, SEVERITY_ORDER, Finding, Kind, Severity
from .model import TextModel, shipped

MAX_TEXT = 10_000  # posts are 280 characters; comments and bios a little more

_CRISIS_MESSAGE = {
    About.SELF: MESSAGES["crisis"],
    About.SOMEONE_ELSE: MESSAGES["crisis_someone_else"],
    About.DANGER: MESSAGES["crisis_danger"],
}
_SELF_ONLY = re.compile(r"\b(?:I|I'm|I've|I was|I am|my own|me|my)\b", re.IGNORECASE)


def prepare(text: str) -> str:
    # Curly apostrophes read as straight ones (same length, so the spans stay true).
    return text[:MAX_TEXT].replace("\u2019", "'")


def check(text: str, policy_terms: Iterable[str] = ()) -> list[Finding]:
    """Findings in the order they appear in the text."""
    text = prepare(text)
    if spanish.is_spanish(text):
        # The text model reads English only: Spanish posts get the Spanish rules, and the
        # language-neutral rules (emails, phone numbers) with their messages in Spanish.
        rules = [
            spanish.translate(f, MESSAGES)
            for f in rule_findings(text, policy_terms)
            if f.kind != Kind.CRISIS  # English crisis rules misread Spanish ("suicidio")
        ]
        found = [*spanish.findings(text), *rules]
    else:
        rules = rule_findings(text, policy_terms)
        found = [*rules, *_beside(rules, model_findings(text, shipped()))]
    return _speak_about_crisis(text, _merge(found))


def _beside(rules: list[Finding], model: list[Finding]) -> list[Finding]:
    """The model's findings where no rule of the same kind already points: a rule's passage is
    the more precise ("Tyler, 9" rather than the whole sentence)."""
    return [
        m
        for m in model
        if not any(r.kind == m.kind and r.start < m.end and m.start < r.end for r in rules)
    ]


def rule_findings(text: str, policy_terms: Iterable[str] = ()) -> list[Finding]:
    """What the rules alone find (the training report measures them apart)."""
    return [
        *detectors.contact_info(text),
        *detectors.child_identity(text),
        *detectors.health_detail(text),
        *detectors.crisis(text),
        *detectors.harassment(text),
        *detectors.policy(text, policy_terms),
    ]


def model_findings(text: str, model: TextModel) -> list[Finding]:
    """The text model's flags as findings: the flagged sentence is the passage."""
    found = []
    for flag in model.flags(text):
        kind = Kind(flag.kind)
        passage = text[flag.start : flag.end]
        if kind == Kind.HEALTH_DETAIL:
            own = not detectors.people_in(text, flag.start, flag.end) and bool(
                _SELF_ONLY.search(passage)
            )
            severity = Severity.LOW if own else Severity.MEDIUM
            message = MESSAGES["health_self" if own else "health_other"]
        elif kind == Kind.CRISIS:
            severity, message = Severity.HIGH, MESSAGES["crisis"]
        elif kind == Kind.CHILD_IDENTITY:
            severity, message = Severity.MEDIUM, MESSAGES["child"]
        elif kind == Kind.CONTACT_INFO:
            severity, message = Severity.MEDIUM, MESSAGES["contact"]
        else:
            severity, message = Severity.MEDIUM, MESSAGES["hostile"]
        found.append(Finding(kind, flag.start, flag.end, severity, message))
    return found


def _speak_about_crisis(text: str, findings: list[Finding]) -> list[Finding]:
    """Crisis findings say who may be at risk, read from the whole post."""
    if not any(f.kind == Kind.CRISIS for f in findings):
        return findings
    if spanish.is_spanish(text):
        about = spanish.about(text)
        message = spanish.crisis_message(about)
    else:
        about = who_is_at_risk(text)
        message = _CRISIS_MESSAGE[about]
    return [
        Finding(f.kind, f.start, f.end, f.severity, message, str(about))
        if f.kind == Kind.CRISIS
        else f
        for f in findings
    ]


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
