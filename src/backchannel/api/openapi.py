"""The OpenAPI document tells the truth about every answer, not only the happy ones.

Each view declares what is particular to it (403, 404, 409, 429 where a rate limit applies).
What every operation can answer because of how the API is served is added here, once: 401 (a
bearer token that is not valid, on any operation; no credentials, where signing in is needed),
400 and 413 (a body that cannot be read), 422 (input that does not fit the schema), 403 (a
browser session without its CSRF token, on writes), 404 (an address that names nothing) and 503
(the database briefly unreachable, with Retry-After). The Server-Sent Events streams, served
beside django-ninja by api/streams.py, are described here too (tests/api/test_openapi.py
keeps both true, with schemathesis against the running server)."""

from __future__ import annotations

import copy
from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}
INVALID = {"$ref": "#/components/schemas/InvalidInput"}

INVALID_INPUT_SCHEMA = {
    "title": "InvalidInput",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "The first problem, in words."},
        "code": {"type": "string", "enum": ["invalid"]},
        "errors": {
            "type": "array",
            "description": "Every problem: where (`loc`), what (`msg`), its kind (`type`).",
            "items": {"type": "object"},
        },
    },
    "required": ["detail", "code", "errors"],
}

_COMMON = {
    "401": "A bearer token that is not valid, or no credentials where signing in is needed.",
    "503": "The database is briefly unreachable; try again after `Retry-After` seconds.",
}
_WITH_BODY = {
    "400": "The body cannot be read: not JSON, not UTF-8, or not the expected shape.",
    "413": "The body is too large.",
}
_WRITE = {"403": "Not allowed, or a browser session's write without its CSRF token."}
_WITH_PATH = {"404": "The address names nothing you may see."}

WRITES = {"post", "put", "patch", "delete"}


def _error_response(description: str, schema: dict[str, Any] = ERROR) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """The document with every operation's common answers and the streams added."""
    schema = copy.deepcopy(schema)
    schema.setdefault("components", {}).setdefault("schemas", {})["InvalidInput"] = (
        INVALID_INPUT_SCHEMA
    )
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            extra = dict(_COMMON)
            if "requestBody" in operation:
                extra.update(_WITH_BODY)
            if method in WRITES:
                extra.update(_WRITE)
            if "{" in path:
                extra.update(_WITH_PATH)
            for status, description in extra.items():
                responses.setdefault(status, _error_response(description))
            if operation.get("parameters") or "requestBody" in operation:
                responses.setdefault(
                    "422", _error_response("The input does not fit the schema.", INVALID)
                )
            # Keys as strings, in order: a document generated twice is the same.
            operation["responses"] = {str(k): responses[k] for k in sorted(responses, key=str)}
    schema["paths"].update(copy.deepcopy(STREAMS))
    return schema


_POSITION = [
    {
        "name": "since",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999},
        "description": "Resume after this event id (as `Last-Event-ID`).",
    },
    {
        "name": "Last-Event-ID",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "pattern": "^[0-9]{0,18}$"},
        "description": "The id of the last event received: the stream replays what followed.",
    },
]


def _stream(summary: str, description: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": {
            "operationId": summary.lower().replace(" ", "_").replace("'", ""),
            "summary": summary,
            "description": description
            + "\n\nServer-Sent Events (`text/event-stream`): each event has an `id` (resume with "
            "`Last-Event-ID` or `?since=`), an `event` type and JSON `data`; the first is "
            "`event: ready` with the stream's position, heartbeats are comments. The server "
            "ends the stream when the right to read it goes (a suspension, a revoked token, a "
            "sign-out); clients reconnect and are refused.",
            "tags": ["streams"],
            "x-stream": True,
            "parameters": [*parameters, *_POSITION],
            "security": [{"TokenAuth": []}, {"BrowserSessionAuth": []}, {}],
            "responses": {
                "200": {
                    "description": "The stream: replay from the position given, then live.",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}},
                },
                "400": _error_response("`since` or `Last-Event-ID` is not an event id."),
                "401": _error_response(_COMMON["401"]),
                "403": _error_response("Suspended or banned at the event, or not allowed."),
                "404": _error_response("No such session or event, or one you may not read."),
                "405": _error_response("Streams are read with GET."),
                "503": _error_response(_COMMON["503"]),
            },
        }
    }


STREAMS = {
    "/api/v1/sessions/{session_id}/stream": _stream(
        "A session's live feed",
        "Posts, reactions, questions, polls and the wall's state of a session, for whoever may "
        "read its event.",
        [
            {
                "name": "session_id",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        ],
    ),
    "/api/v1/events/{slug}/moderation/stream": _stream(
        "An event's moderation queue",
        "Reports, held posts, caution and crisis alerts, for the event's facilitators.",
        [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
    ),
    "/api/v1/me/stream": _stream(
        "Your own stream",
        "Your direct messages, notifications and notices, for you only.",
        [],
    ),
}
