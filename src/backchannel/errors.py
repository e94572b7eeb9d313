"""The errors actions raise. Views and the API turn them into 4xx answers with the message."""

from __future__ import annotations


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
