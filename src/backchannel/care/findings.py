"""What the caution check says about a post: a finding per passage, with a calm message."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    CHILD_IDENTITY = "child_identity"
    HEALTH_DETAIL = "health_detail"
    CONTACT_INFO = "contact_info"
    CRISIS = "crisis"
    HARASSMENT = "harassment"
    POLICY = "policy"


class Severity(StrEnum):
    """`low` informs; `medium` and `high` ask the author to confirm before publishing."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


SEVERITY_ORDER = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int  # offsets in the checked text (code points), end exclusive
    end: int
    severity: Severity
    message: str
    # Crisis only: who is at risk (care/crisis.py), to offer the help that fits. Not part of
    # the findings' public form (as_dict): the API says it beside them.
    about: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["about"]
        data["kind"] = str(self.kind)
        data["severity"] = str(self.severity)
        return data

    @property
    def asks_to_confirm(self) -> bool:
        # Crisis language never blocks: it brings up resources instead (see care.check).
        return self.kind != Kind.CRISIS and self.severity != Severity.LOW


MESSAGES = {
    "email": "This looks like an email address. Posts are public; share contact details "
    "privately instead.",
    "phone": "This looks like a phone number. Posts are public; share contact details "
    "privately instead.",
    "address": "This looks like a street address. Posts are public and stay public.",
    "child": "This could identify a child or family (a name or initials with an age, school, "
    "place, diagnosis or placement). Could you leave out the details that point to them?",
    "health_other": "This shares a specific person's health details. Do you have their "
    "permission to make it public?",
    "health_self": "This shares your own health details publicly. That is your choice; "
    "just be sure before it goes out.",
    # Crisis wording follows safe-messaging guidance (docs/care.md): warm, direct, no blame,
    # nothing about methods, and always a next step.
    "crisis": "It sounds like you may be going through something really painful. You are not "
    "alone, and support is available right now.",
    "crisis_someone_else": "It sounds like someone you know may be at risk. If they could be in "
    "danger now, call emergency services; a facilitator here can help you, quietly.",
    "crisis_danger": "It sounds like someone may be in danger. If anyone is in immediate danger, "
    "call emergency services now; then tell a facilitator or venue security.",
    "insult": "This could read as an attack on a person. Could you make the point about "
    "the idea instead?",
    "hostile": "This could read as hostile toward a person or a group. Could you make the point "
    "about the idea instead?",
    "contact": "This looks like someone's contact details. Posts are public; share contact "
    "details privately instead.",
    "threat": "This could read as a threat. Posts that threaten people are removed.",
    "demeaning": "This describes a group of people in a demeaning way.",
    "slur": "This word is a slur and hurts people. Please choose another.",
    "policy": "Your organisation's social-media policy asks members to avoid “{term}”.",
}
