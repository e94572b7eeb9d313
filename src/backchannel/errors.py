"""The errors actions raise. Views and the API turn them into 4xx answers with the message."""

from __future__ import annotations

from typing import Any

# What a 503 tells clients to wait before trying again (the database restarting or failing
# over): pages, the API and streams say the same.
RETRY_AFTER_SECONDS = 5


class ActionError(Exception):
    """A write that cannot happen, with a message meant for the person who asked."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def extra(self) -> dict[str, Any]:
        """More for the answer's body than the message (the API adds it as is)."""
        return {}


class Invalid(ActionError):
    status = 400
    code = "invalid"


class NotAllowed(ActionError):
    status = 403
    code = "forbidden"


class NotFound(ActionError):
    status = 404
    code = "not_found"


class Conflict(ActionError):
    status = 409
    code = "conflict"


class CautionNeeded(ActionError):
    """The caution check asks the author to look again before publishing (repeat with
    confirm). Carries the findings so the author sees exactly which passage and why."""

    status = 409
    code = "caution"

    def __init__(self, findings: list[Any], *, crisis_support: dict[str, Any] | None = None):
        super().__init__(
            "Before this goes out: a passage could be sensitive. Edit it, or confirm to post "
            "anyway."
        )
        self.findings = findings
        # Crisis resources when the draft also has crisis language: shown at once, confirmed
        # or not.
        self.crisis_support = crisis_support

    def extra(self) -> dict[str, Any]:
        return {
            "caution": [f.as_dict() for f in self.findings],
            "crisis_support": self.crisis_support,
        }


class RateLimited(ActionError):
    """Too many of something too quickly: try again after `retry_after` seconds."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = max(1, int(retry_after))
