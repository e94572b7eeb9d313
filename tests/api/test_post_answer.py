"""The answer to a post is PostOut's, byte for byte.

api/feed.py `posted` encodes the data the stream carried without django-ninja validating it
into PostOut again (issue #17). Each answer here is read back into PostOut and encoded by the
API's renderer: any key the schema does not have, a missing default, another order or another
encoding of a value makes the bytes differ.
"""

from __future__ import annotations

from typing import Any

from backchannel.api.schemas import RENDERER, PostOut


def posts_url(session: Any) -> str:
    return f"/api/v1/sessions/{session.pk}/posts"


def assert_is_post_out(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    validated = PostOut.model_validate(response.json()).model_dump()
    assert response.content.decode() == RENDERER.render(
        None,  # type: ignore[arg-type]  # the renderer does not read the request
        validated,
        response_status=response.status_code,
    )
    return dict(response.json())


def test_a_post_and_a_reply_with_a_mention_answer_as_post_out(site: str, conference: Any) -> None:
    conference.attendee.user.affiliation = "Riverside Clinic"
    conference.attendee.user.disclaimer = "Views are my own"
    conference.attendee.user.save()
    with conference.attendee.api(site) as api:
        first = api.post(posts_url(conference.session), json={"body": "Hello #conf"})
        assert first.status_code == 201
        post = assert_is_post_out(first)
        assert post["author"]["affiliation"] == "Riverside Clinic"
        assert post["created_at"].endswith("Z") and post["crisis_support"] is None
        assert post["liked"] is None and post["html"]

        reply = api.post(
            posts_url(conference.session),
            json={"body": "@olive agreed #conf", "reply_to": post["id"]},
        )
        assert reply.status_code == 201
        assert assert_is_post_out(reply)["reply_to"] == post["id"]


def test_a_replayed_post_answers_as_post_out(site: str, conference: Any) -> None:
    body = {"body": "only once", "client_id": "answer-1"}
    with conference.attendee.api(site) as api:
        first = api.post(posts_url(conference.session), json=body)
        again = api.post(posts_url(conference.session), json=body)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert assert_is_post_out(again) == assert_is_post_out(first)


def test_crisis_resources_answer_as_post_out(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        response = api.post(
            posts_url(conference.session), json={"body": "honestly I want to end my life"}
        )
    assert response.status_code == 201
    support = assert_is_post_out(response)["crisis_support"]
    assert support["about"] == "self" and support["lines"]


def test_a_held_post_answers_202_as_post_out(site: str, conference: Any) -> None:
    conference.session.premoderated = True
    conference.session.save()
    with conference.attendee.api(site) as api:
        response = api.post(posts_url(conference.session), json={"body": "a question"})
    assert response.status_code == 202
    assert assert_is_post_out(response)["status"] == "held"
