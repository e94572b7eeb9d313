"""The OpenAPI document tells the truth: every operation documents the answers it can give
(checked on the document), and schemathesis drives every operation with
generated input, valid and not, and checks each answer against the document: no server error,
documented status codes, content types, headers and bodies that fit their schemas.

Bounded for `make test`: a fixed derandomised seed and a few examples per operation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from backchannel.api import api
from tests.support.http import IN_PROCESS, in_process_app

OPERATIONS = [
    (path, method, operation)
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method, operation in methods.items()
]

# Operations where a rate limit applies (ratelimits.py): each documents 429.
RATE_LIMITED = {
    "POST /api/v1/sessions/{session_id}/posts",
    "POST /api/v1/posts/{post_id}/reports",
    "POST /api/v1/sessions/{session_id}/questions",
    "POST /api/v1/polls/{poll_id}/responses",
    "POST /api/v1/blog/articles/{article_slug}/comments",
    "POST /api/v1/dms/{handle}",
    "POST /api/v1/dms/messages/{message_id}/report",
    "PUT /api/v1/users/{handle}/follow",
    "POST /api/v1/caution/check",
    "POST /api/v1/events/{slug}/join",
    "GET /api/v1/events/{slug}/search",
    "PUT /api/v1/me/password",
    "POST /api/v1/me/deletion",
}


def test_every_operation_documents_what_it_can_answer() -> None:
    missing = []
    for path, method, operation in OPERATIONS:
        name = f"{method.upper()} {path}"
        codes = set(operation["responses"])
        needed = {"401", "503"}
        if "requestBody" in operation:
            needed |= {"400", "422"}
        if operation.get("parameters"):
            needed |= {"422"} if not operation.get("x-stream") else {"400"}
        if "{" in path:
            needed.add("404")
        if name in RATE_LIMITED:
            needed.add("429")
        if needed - codes:
            missing.append(f"{name}: {sorted(needed - codes)}")
    assert missing == []
    declared = {f"{m.upper()} {p}" for p, m, _ in OPERATIONS}
    assert declared >= RATE_LIMITED, RATE_LIMITED - declared


def test_the_streams_are_in_the_document() -> None:
    paths = api.get_openapi_schema()["paths"]
    for path in (
        "/api/v1/sessions/{session_id}/stream",
        "/api/v1/events/{slug}/moderation/stream",
        "/api/v1/me/stream",
    ):
        answer = paths[path]["get"]["responses"]["200"]
        assert "text/event-stream" in answer["content"]


def test_a_bad_token_gets_the_documented_401(live: str, conference: Any) -> None:
    """What a generated client met: POST a post with a bad token, get an undocumented 401."""
    url = f"/api/v1/sessions/{conference.session.pk}/posts"
    answer = httpx.post(
        live + url, json={"body": "hi"}, headers={"Authorization": "Bearer bch_not-a-token"}
    )
    assert answer.status_code == 401
    documented = api.get_openapi_schema()["paths"]["/api/v1/sessions/{session_id}/posts"]
    assert "401" in documented["post"]["responses"]
    assert set(answer.json()) >= {"detail", "code"}


# Schemathesis's standard checks, with two answers it does not know as ours:
# - a request that fits the schema may still break a rule the schema cannot say (a picture
#   that does not decode, a name of spaces, an end before its start): 400, with the field;
# - a body past the size limit is refused with 413 before it is read.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 409, 429]
            },
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429]
            },
        }
    }
)
# The streams never end by themselves: tests/realtime drives them.
document = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG).exclude(
    path_regex=r".*/stream$"
)
# The upload goes over the wire: in this process, werkzeug writes a generated part name with
# control characters as they are, where HTTP clients escape them, and the part is lost.
UPLOADS = r"^/api/v1/me/avatar$"
uploads = document.include(path_regex=UPLOADS)
# Everything else is called in this process, through the WSGI side the server runs
# (tests/support/http.py).
generated = document.exclude(path_regex=UPLOADS)
generated.app = in_process_app


@pytest.fixture
def caller(site: str, conference: Any) -> dict[str, str]:
    """An attendee's credentials (a member of the conference)."""
    return {"Authorization": f"Bearer {conference.attendee.token}"}


# A fixed derandomised seed and a few examples per operation.
BOUNDED = settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@generated.parametrize()
@BOUNDED
def test_every_operation_answers_as_documented(case: Any, caller: Any) -> None:
    case.call_and_validate(base_url=IN_PROCESS, headers=caller)


@uploads.parametrize()
@BOUNDED
def test_uploads_answer_as_documented(case: Any, live: str, conference: Any) -> None:
    headers = {"Authorization": f"Bearer {conference.attendee.token}"}
    case.call_and_validate(base_url=live, headers=headers)
