"""The caution check for the composer: findings as the author types."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from backchannel import ratelimits
from backchannel.care import support
from backchannel.care.check import MAX_TEXT, check
from backchannel.events.queries import get_session_for
from backchannel.orgs.queries import posting_standing

from .auth import SIGNED_IN, actor
from .schemas import CrisisSupport, Error, Id

router = Router(tags=["care"])


class CautionIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT, description="The draft to check.")
    session_id: Id | None = Field(
        None,
        description="The session the draft is for: crisis resources then name its event's "
        "own lines and contact.",
    )


class FindingOut(Schema):
    kind: str = Field(
        description="child_identity, health_detail, contact_info, crisis, harassment or policy"
    )
    start: int = Field(description="Offset of the passage in the text (code points).")
    end: int = Field(description="Offset just after the passage.")
    severity: str = Field(description="low informs; medium and high ask to confirm")
    message: str


class CautionOut(Schema):
    findings: list[FindingOut]
    asks_to_confirm: bool = Field(
        description="Publishing needs `confirm: true` (a medium or high finding)."
    )
    crisis: bool = Field(description="Crisis language: show the author crisis resources.")
    crisis_support: CrisisSupport | None = Field(
        None, description="With crisis language: the resources, worded for who may be at risk."
    )


@router.post(
    "/caution/check",
    auth=SIGNED_IN,
    response={200: CautionOut, 401: Error, 404: Error, 422: Error, 429: Error},
)
def caution_check(request: HttpRequest, payload: CautionIn) -> Any:
    """Check a draft for details that could identify a child or family, health details,
    contact details, crisis language and harassment. Nothing is stored. Limited per person
    and address (429), generously: the composer checks as its author types."""
    ratelimits.enforce("caution", user=actor(request))  # only here: the check itself is pure
    standing = posting_standing(actor(request))  # the author's organisation's terms
    findings = check(payload.text, standing.terms if standing else ())
    if payload.session_id is not None:
        event: Any = get_session_for(actor(request), payload.session_id).event
    else:
        event = _ANY_EVENT
    return {
        "findings": [f.as_dict() for f in findings],
        "asks_to_confirm": any(f.asks_to_confirm for f in findings),
        "crisis": any(f.kind == "crisis" for f in findings),
        "crisis_support": support.for_post(findings, payload.text, event),
    }


class _AnyEvent:
    """Resources when the draft's event is not said: the defaults."""

    name = "the event"
    crisis_contact = ""
    crisis_line_list: list[str] = []


_ANY_EVENT = _AnyEvent()
