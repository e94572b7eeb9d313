"""The posting contract of /api/v1, driven over HTTP against the running server."""

from __future__ import annotations

import threading
from typing import Any

from backchannel.feed.models import Post, Reaction
from backchannel.realtime.models import StreamEvent
from tests.support import http


def posts_url(session: Any) -> str:
    return f"/api/v1/sessions/{session.pk}/posts"


def test_post_is_created_listed_and_rendered(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        response = api.post(posts_url(conference.session), json={"body": "Hello #Conf @olive"})
        assert response.status_code == 201
        post = response.json()
        assert post["body"] == "Hello #Conf @olive"
        assert post["author"]["handle"] == "ada"
        assert '<a class="hashtag" href="/e/conf/tags/conf/">#Conf</a>' in post["body_html"]
        assert '<a class="mention" href="/u/olive/">@olive</a>' in post["body_html"]
        assert f'id="post-{post["id"]}"' in post["html"]

        listed = api.get(posts_url(conference.session)).json()
        assert [p["id"] for p in listed["posts"]] == [post["id"]]
    page = http.get(f"{site}/e/conf/s/{conference.session.pk}/")
    assert page.status_code == 200
    assert "Hello" in page.text and 'href="/u/olive/"' in page.text


def test_list_is_newest_first_and_paginates(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        ids = [
            api.post(posts_url(conference.session), json={"body": f"post {i}"}).json()["id"]
            for i in range(5)
        ]
        first = api.get(posts_url(conference.session), params={"limit": 2}).json()
        assert [p["id"] for p in first["posts"]] == ids[::-1][:2]
        second = api.get(
            posts_url(conference.session), params={"limit": 2, "before": first["next_before"]}
        ).json()
        assert [p["id"] for p in second["posts"]] == ids[::-1][2:4]
        last = api.get(
            posts_url(conference.session), params={"limit": 2, "before": second["next_before"]}
        ).json()
        assert [p["id"] for p in last["posts"]] == [ids[0]]
        assert last["next_before"] is None


def test_public_feed_is_readable_without_an_account(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        api.post(posts_url(conference.session), json={"body": "open to all"})
    response = http.get(f"{site}{posts_url(conference.session)}")
    assert response.status_code == 200
    assert response.json()["posts"][0]["body"] == "open to all"


def test_retried_client_id_returns_the_first_post(site: str, conference: Any) -> None:
    body = {"body": "only once", "client_id": "abc-123"}
    with conference.attendee.api(site) as api:
        first = api.post(posts_url(conference.session), json=body)
        again = api.post(posts_url(conference.session), json={**body, "body": "edited retry"})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["body"] == "only once"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Post.objects.filter(client_id="abc-123").count() == 1
    assert StreamEvent.objects.filter(type="post.created").count() == 1


def test_concurrent_retries_never_duplicate(live: str, conference: Any) -> None:
    results: list[int] = []

    def send() -> None:
        with conference.attendee.api(live) as api:
            response = api.post(
                posts_url(conference.session), json={"body": "race", "client_id": "race-1"}
            )
            results.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201] * 8
    assert Post.objects.filter(client_id="race-1").count() == 1


def test_same_client_id_from_two_authors_is_two_posts(site: str, conference: Any) -> None:
    for person in (conference.attendee, conference.organiser):
        with person.api(site) as api:
            response = api.post(
                posts_url(conference.session), json={"body": "x", "client_id": "same"}
            )
            assert response.status_code == 201
    assert Post.objects.filter(client_id="same").count() == 2


def test_replies_form_threads(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        root = api.post(posts_url(conference.session), json={"body": "root"}).json()
        reply = api.post(
            posts_url(conference.session), json={"body": "reply", "reply_to": root["id"]}
        ).json()
        nested = api.post(
            posts_url(conference.session), json={"body": "nested", "reply_to": reply["id"]}
        ).json()
        assert reply["reply_to"] == root["id"] and reply["thread_root"] == root["id"]
        assert nested["reply_to"] == reply["id"] and nested["thread_root"] == root["id"]
        elsewhere = api.post(
            posts_url(conference.other_session), json={"body": "x", "reply_to": root["id"]}
        )
        assert elsewhere.status_code == 400
        assert elsewhere.json()["field"] == "reply_to"
    page = http.get(f"{site}/e/conf/s/{conference.session.pk}/").text
    thread = page[page.index(f'data-root="{root["id"]}"') :]
    assert thread.index("root") < thread.index("reply") < thread.index("nested")


def test_likes_are_idempotent_and_counted(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        post = api.post(posts_url(conference.session), json={"body": "like me"}).json()
    url = f"/api/v1/posts/{post['id']}/reactions/like"
    with conference.organiser.api(site) as api:
        assert api.put(url).json() == {
            "post_id": post["id"],
            "kind": "like",
            "count": 1,
            "mine": True,
        }
        assert api.put(url).json()["count"] == 1
        assert api.get(f"/api/v1/posts/{post['id']}").json()["liked"] is True
    with conference.attendee.api(site) as api:
        assert api.put(url).json()["count"] == 2
        assert api.delete(url).json()["count"] == 1
        assert api.delete(url).json()["count"] == 1
        assert api.put(f"/api/v1/posts/{post['id']}/reactions/boo").status_code == 422
    assert Reaction.objects.count() == 1
    with conference.outsider.api(site) as api:
        assert api.put(url).status_code == 403


def test_delete_own_post_only(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        post = api.post(posts_url(conference.session), json={"body": "oops #gone"}).json()
    with conference.outsider.api(site) as api:
        assert api.delete(f"/api/v1/posts/{post['id']}").status_code == 403
    with conference.attendee.api(site) as api:
        assert api.delete(f"/api/v1/posts/{post['id']}").status_code == 204
        assert api.get(posts_url(conference.session)).json()["posts"] == []
        assert api.get(f"/api/v1/posts/{post['id']}").json()["deleted"] is True
    stored = Post.objects.get(pk=post["id"])
    assert stored.body == "" and stored.body_html == ""
    assert "oops" not in http.get(f"{site}/e/conf/tags/gone/").text


def test_organiser_can_delete_others_posts(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        post = api.post(posts_url(conference.session), json={"body": "off topic"}).json()
    with conference.organiser.api(site) as api:
        assert api.delete(f"/api/v1/posts/{post['id']}").status_code == 204


def test_posting_needs_membership_and_an_account(site: str, conference: Any) -> None:
    with conference.outsider.api(site) as api:
        response = api.post(posts_url(conference.session), json={"body": "let me in"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_member"
    anonymous = http.post(f"{site}{posts_url(conference.session)}", json={"body": "anon"})
    assert anonymous.status_code == 401
    bad_token = http.post(
        f"{site}{posts_url(conference.session)}",
        json={"body": "x"},
        headers={"Authorization": "Bearer bch_not-a-token"},
    )
    assert bad_token.status_code == 401
    assert Post.objects.count() == 0


def test_lobby_is_a_feed_of_its_own(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        event = api.get("/api/v1/events/conf").json()
        assert event["lobby"]["id"] == conference.lobby.pk
        assert [s["title"] for s in event["sessions"]] == ["Keynote", "Workshop"]
        response = api.post(posts_url(conference.lobby), json={"body": "hello lobby"})
        assert response.status_code == 201
    assert "hello lobby" in http.get(f"{site}/e/conf/lobby/").text
    assert "hello lobby" not in http.get(f"{site}/e/conf/s/{conference.session.pk}/").text


def test_room_page_loads_older_threads(site: str, conference: Any) -> None:
    import re

    with conference.attendee.api(site) as api:
        ids = [
            api.post(posts_url(conference.session), json={"body": f"thread {i}"}).json()["id"]
            for i in range(25)
        ]
    room = f"{site}/e/conf/s/{conference.session.pk}/"
    first = http.get(room).text
    shown = [int(i) for i in re.findall(r'class="thread" data-root="(\d+)"', first)]
    assert shown == ids[::-1][:20]
    older = re.search(r'href="\?before=(\d+)"', first)
    assert older and int(older.group(1)) == ids[5]
    rest = http.get(room, params={"before": older.group(1), "fragment": "threads"}).text
    assert "<html" not in rest
    assert [int(i) for i in re.findall(r'data-root="(\d+)"', rest)] == ids[::-1][20:]
    assert "Load older" not in rest
