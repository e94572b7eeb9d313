"""The blog over HTTP: articles by organisers (Markdown made safe, drafts, tags, covers, the
caution check before publishing, "Explore more posts", RSS and Atom), and comments that are
posts of the linked feed, live on its stream, under the same caution check, moderation,
reports and rate limits as any post."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest
from PIL import Image

from backchannel.blog.models import Article
from backchannel.feed.models import Post
from tests.conftest import PASSWORD
from tests.support import http
from tests.support.feeds import assert_valid_atom
from tests.support.sse import SSEStream
from tests.support.web import PageSession

CHILD = "Jamie (12) was placed in foster care last spring."
S = "/api/v1"


def _signed_in(live: str, person: Any) -> PageSession:
    page = PageSession(live)
    page.login(person.user.username, PASSWORD)
    return page


def _write(live: str, person: Any, slug: str = "conf", **fields: Any) -> httpx.Response:
    payload = {"title": "What we learned", "body": "Plenty.", **fields}
    with person.api(live) as client:
        return client.post(f"{S}/events/{slug}/articles", json=payload)


@pytest.fixture
def article(base_url: str, conference: Any) -> dict[str, Any]:
    """A published article linked to the Keynote."""
    response = _write(
        base_url,
        conference.organiser,
        title="Keynote: what we heard",
        summary="Notes from the opening keynote.",
        body="## The main points\n\nFamilies first. [Slides](https://example.org/slides)",
        tags=["keynote", "#Families"],
        session=conference.session.pk,
        publish=True,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_an_organiser_writes_a_draft_then_publishes_it(site: str, conference: Any) -> None:
    response = _write(
        site,
        conference.organiser,
        title="Draft thoughts",
        body="# Title\n\n<script>alert(1)</script> [click](javascript:alert(1)) **bold**",
        tags=["one", "two"],
    )
    assert response.status_code == 201
    draft = response.json()
    assert draft["status"] == "draft" and draft["published_at"] is None
    assert draft["tags"] == ["one", "two"] and draft["slug"] == "draft-thoughts"
    html = draft["body_html"]
    assert "<script" not in html and 'href="javascript' not in html
    assert "<strong>bold</strong>" in html
    assert "<h2>Title</h2>" in html  # the page has its own h1

    # Nobody else sees a draft, in the list or by its address.
    with http.client(site) as anonymous:
        assert anonymous.get(f"{S}/blog/articles/draft-thoughts").status_code == 404
        assert anonymous.get("/blog/draft-thoughts/").status_code == 404
        assert anonymous.get(f"{S}/blog/articles").json()["articles"] == []
    with conference.attendee.api(site) as client:
        assert client.get(f"{S}/blog/articles/draft-thoughts").status_code == 404

    # Published, it is everyone's; its address stays when the title changes afterwards.
    with conference.organiser.api(site) as client:
        published = client.put(
            f"{S}/blog/articles/draft-thoughts",
            json={"title": "Draft thoughts", "body": "Now final.", "publish": True},
        ).json()
        assert published["status"] == "published" and published["published_at"]
        renamed = client.put(
            f"{S}/blog/articles/draft-thoughts",
            json={"title": "Final thoughts", "body": "Now final.", "publish": True},
        )
    assert renamed.status_code == 200 and renamed.json()["slug"] == "draft-thoughts"
    with http.client(site) as anonymous:
        page = anonymous.get("/blog/draft-thoughts/")
        assert page.status_code == 200 and "Final thoughts" in page.text
        listed = anonymous.get(f"{S}/blog/articles").json()["articles"]
        assert [a["title"] for a in listed] == ["Final thoughts"]


def test_only_organisers_write_and_change_articles(
    site: str, conference: Any, article: dict[str, Any]
) -> None:
    for person in (conference.attendee, conference.outsider):
        assert _write(site, person).status_code == 403
        with person.api(site) as client:
            url = f"{S}/blog/articles/{article['slug']}"
            assert client.put(url, json={"title": "Mine", "body": "x"}).status_code == 403
            assert client.delete(url).status_code == 403
    assert Article.objects.get().title == "Keynote: what we heard"


def test_bad_articles_are_refused_and_change_nothing(site: str, conference: Any) -> None:
    cases = [
        ({"title": ""}, 400),
        ({"body": "x" * 20_001}, 400),
        ({"tags": ["not a tag!"]}, 400),
        ({"tags": [f"t{n}" for n in range(9)]}, 400),
        ({"session": conference.other_session.pk + 1000}, 400),
        ({"title": 5}, 422),
    ]
    for fields, status in cases:
        response = _write(site, conference.organiser, **fields)
        assert response.status_code == status, (fields, response.text)
        assert "detail" in response.json()
    assert not Article.objects.exists()


def test_publishing_runs_the_caution_check(site: str, conference: Any) -> None:
    body = f"A story from our program.\n\n{CHILD}"
    held = _write(site, conference.organiser, title="A story", body=body, publish=True)
    assert held.status_code == 409
    findings = held.json()["caution"]
    assert any(f["kind"] == "child_identity" for f in findings)
    # The offsets point into the checked text: the title, the summary, then the body.
    assert not Article.objects.exists()
    # A draft is not checked; publishing it is, and confirming publishes it.
    draft = _write(site, conference.organiser, title="A story", body=body)
    assert draft.status_code == 201
    url = f"{S}/blog/articles/a-story"
    with conference.organiser.api(site) as client:
        assert (
            client.put(url, json={"title": "A story", "body": body, "publish": True}).status_code
            == 409
        )
        confirmed = client.put(
            url, json={"title": "A story", "body": body, "publish": True, "confirm": True}
        )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "published"


def test_a_comment_joins_the_linked_feed_live(
    live: str, conference: Any, article: dict[str, Any]
) -> None:
    session = conference.session
    with SSEStream(f"{live}{S}/sessions/{session.pk}/stream") as room:
        with conference.attendee.api(live) as client:
            response = client.post(
                f"{S}/blog/articles/{article['slug']}/comments",
                json={"body": "Loved this #families", "client_id": "c-1"},
            )
        assert response.status_code == 201, response.text
        comment = response.json()
        assert comment["session_id"] == session.pk
        assert comment["article"] == {
            "id": article["id"],
            "title": "Keynote: what we heard",
            "url": f"/blog/{article['slug']}/",
        }
        event = room.next()
        assert event.type == "post.created"
        post = event.json["post"]
        assert post["id"] == comment["id"] and post["article"]["title"] == "Keynote: what we heard"
        assert "From the blog" in post["html"] and f"/blog/{article['slug']}/" in post["html"]

    # It is a post of the Keynote's feed, and the article's comment.
    with http.client(live) as anonymous:
        feed = anonymous.get(f"{S}/sessions/{session.pk}/posts").json()["posts"]
        assert [p["id"] for p in feed] == [comment["id"]]
        comments = anonymous.get(f"{S}/blog/articles/{article['slug']}/comments").json()
        assert [p["id"] for p in comments["posts"]] == [comment["id"]]
        page = anonymous.get(f"/e/conf/s/{session.pk}/")
        assert "From the blog" in page.text and "Keynote: what we heard" in page.text
        # The session page lists the articles whose comments join it.
        assert (
            f'<li><a href="/blog/{article["slug"]}/">Keynote: what we heard</a></li>' in page.text
        )
        article_page = anonymous.get(f"/blog/{article['slug']}/").text
        assert "Loved this" in article_page and "1 comment here" in article_page

    # A retry with the same client_id is the same comment, never a copy.
    with conference.attendee.api(live) as client:
        again = client.post(
            f"{S}/blog/articles/{article['slug']}/comments",
            json={"body": "Loved this #families", "client_id": "c-1"},
        )
    assert again.status_code == 201 and again.json()["id"] == comment["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert Post.objects.count() == 1


def test_an_article_without_a_session_takes_comments_in_the_lobby(
    site: str, conference: Any
) -> None:
    created = _write(site, conference.organiser, title="Welcome", body="Hello", publish=True)
    slug = created.json()["slug"]
    assert created.json()["comments_feed"] == conference.lobby.pk
    with conference.attendee.api(site) as client:
        response = client.post(f"{S}/blog/articles/{slug}/comments", json={"body": "Hi all"})
    assert response.status_code == 201 and response.json()["session_id"] == conference.lobby.pk


def test_comments_meet_everything_posts_meet(
    site: str, conference: Any, article: dict[str, Any], make_person: Any, settings: Any
) -> None:
    from backchannel.moderation.actions import set_session_moderation

    url = f"{S}/blog/articles/{article['slug']}/comments"

    def comment(person: Any, **payload: Any) -> httpx.Response:
        with person.api(site) as client:
            return client.post(url, json=payload)

    # The caution check: 409 with the findings, nothing written; confirm publishes.
    held = comment(conference.attendee, body=CHILD)
    assert held.status_code == 409 and held.json()["caution"]
    assert not Post.objects.exists()
    # Not a member of the event: as for posts.
    refused = comment(conference.outsider, body="Hello")
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_member"
    # Bad input.
    assert comment(conference.attendee, body="").status_code == 400
    assert comment(conference.attendee, body="x" * 281).status_code == 400
    assert comment(conference.attendee, body="Hi", reply_to=999999).status_code == 400
    assert not Post.objects.exists()

    # Pre-moderation of the linked session holds comments for a facilitator.
    set_session_moderation(
        conference.organiser.user, conference.session, premoderated=True, slow_mode_seconds=0
    )
    waiting = comment(conference.attendee, body="Held for a look")
    assert waiting.status_code == 202 and waiting.json()["status"] == "held"
    with http.client(site) as anonymous:
        listed = anonymous.get(url).json()["posts"]
    assert listed == []
    set_session_moderation(
        conference.organiser.user, conference.session, premoderated=False, slow_mode_seconds=0
    )

    # Reports reach the moderation queue; a hidden comment leaves the article.
    shown = comment(conference.attendee, body="A comment someone reports").json()
    reporter = make_person("rita", name="Rita Reporter")
    from backchannel.events.actions import join_event

    join_event(reporter.user, conference.event)
    with reporter.api(site) as client:
        report = client.post(f"{S}/posts/{shown['id']}/reports", json={"reason": "spam"})
    assert report.status_code == 201, report.text
    with conference.organiser.api(site) as client:
        queue = client.get(f"{S}/events/conf/moderation/queue").json()
        reported = {item["post"]["id"]: item for item in queue["items"]}[shown["id"]]
        assert reported["report_count"] == 1
        assert reported["post"]["article"]["title"] == "Keynote: what we heard"
        hidden = client.post(
            f"{S}/posts/{shown['id']}/moderation", json={"action": "hide", "reason": "spam"}
        )
        assert hidden.status_code == 200, hidden.text
    with http.client(site) as anonymous:
        assert anonymous.get(url).json()["posts"] == []

    # Rate limits: the posting limit counts comments too.
    settings.BACKCHANNEL_RATE_POST = "1/minute"
    from backchannel import ratelimits

    ratelimits.reset()
    assert comment(conference.attendee, body="One").status_code == 201
    limited = comment(conference.attendee, body="Two")
    assert limited.status_code == 429 and "retry-after" in limited.headers


def test_closed_comments_and_read_only_events_refuse_comments(
    site: str, conference: Any, article: dict[str, Any]
) -> None:
    url = f"{S}/blog/articles/{article['slug']}/comments"
    with conference.organiser.api(site) as client:
        client.put(
            f"{S}/blog/articles/{article['slug']}",
            json={
                "title": "Keynote: what we heard",
                "body": "x",
                "session": conference.session.pk,
                "comments_open": False,
                "publish": True,
            },
        )
    with conference.attendee.api(site) as client:
        closed = client.post(url, json={"body": "Hello"})
    assert closed.status_code == 403 and closed.json()["code"] == "comments_closed"
    with http.client(site) as anonymous:
        assert (
            "Comments on this article are closed."
            in anonymous.get(f"/blog/{article['slug']}/").text
        )

    Article.objects.update(comments_open=True)
    conference.event.after_event = "read_only"
    conference.event.save()  # the conference ended in July
    with conference.attendee.api(site) as client:
        frozen = client.post(url, json={"body": "Hello"})
    assert frozen.status_code == 403 and frozen.json()["code"] == "read_only"
    assert not Post.objects.exists()


def test_commenting_without_javascript(site: str, conference: Any, article: dict[str, Any]) -> None:
    page = _signed_in(site, conference.attendee)
    path = f"/blog/{article['slug']}/"
    sent = page.submit(f"{path}comment/", {"body": "Thanks for the notes"}, form_page=path)
    assert sent.status_code == 302
    post = Post.objects.get()
    assert sent.headers["location"] == f"{path}#post-{post.pk}"
    assert post.article_id is not None and post.session_id == conference.session.pk
    # The caution check sends the draft back with what it found, and writes nothing.
    again = page.submit(f"{path}comment/", {"body": CHILD}, form_page=path)
    assert again.status_code == 409
    assert "Before this goes out" in again.text and "Jamie (12)" in again.text
    assert Post.objects.count() == 1


def _png(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_cover_image_is_resized_stripped_and_described(
    site: str, conference: Any, article: dict[str, Any]
) -> None:
    page = _signed_in(site, conference.organiser)
    edit = f"/blog/{article['slug']}/edit/"
    token = page.csrf_from(edit)
    fields = {
        "csrfmiddlewaretoken": token,
        "title": "Keynote: what we heard",
        "body": "Families first.",
        "session": str(conference.session.pk),
        "comments_open": "on",
        "cover_alt": "A full room listening to the keynote",
        "publish": "1",
    }
    headers = {"Referer": site}
    saved = page.client.post(
        edit,
        data=fields,
        files={"cover": ("room.jpg", _png(3000, 1500), "image/jpeg")},
        headers=headers,
    )
    assert saved.status_code == 302, saved.text[:2000]
    article_page = http.get(f"{site}/blog/{article['slug']}/").text
    assert 'alt="A full room listening to the keynote"' in article_page
    cover_url = f"/blog/{article['slug']}/cover/1.webp"
    assert cover_url in article_page
    cover = http.get(f"{site}{cover_url}")
    assert cover.headers["content-type"] == "image/webp"
    assert "immutable" in cover.headers["cache-control"]
    image = Image.open(io.BytesIO(cover.content))
    assert image.size == (1600, 800)
    assert b"SecretCam" not in cover.content and not image.getexif()

    # Not an image: the form says so, and the cover stays.
    bad = page.client.post(
        edit,
        data={**fields, "csrfmiddlewaretoken": page.csrf_from(edit)},
        files={"cover": ("x.jpg", b"not an image", "image/jpeg")},
        headers=headers,
    )
    assert bad.status_code == 200 and "not an image we can read" in bad.text
    assert Article.objects.get().cover_version == 1


def test_explore_more_posts_and_tags(site: str, conference: Any) -> None:
    for title, tags in (("First", ["care"]), ("Second", ["policy"]), ("Third", ["care"])):
        assert (
            _write(site, conference.organiser, title=title, tags=tags, publish=True).status_code
            == 201
        )
    with http.client(site) as anonymous:
        second = anonymous.get("/blog/second/").text
        assert "Explore more posts" in second
        assert 'href="/blog/first/" rel="prev"' in second
        assert 'href="/blog/third/" rel="next"' in second
        tagged = anonymous.get("/blog/tags/care/").text
        assert "First" in tagged and "Third" in tagged and "Second" not in tagged
        listed = anonymous.get(f"{S}/blog/articles?tag=care").json()["articles"]
        assert [a["title"] for a in listed] == ["Third", "First"]
    # Members of the event see each article once (not once per registration).
    with conference.organiser.api(site) as client:
        mine = client.get(f"{S}/blog/articles").json()["articles"]
    assert [a["title"] for a in mine] == ["Third", "Second", "First"]


def test_blog_feeds(site: str, conference: Any, article: dict[str, Any]) -> None:
    _write(site, conference.organiser, title="Not yet", body="draft")
    with http.client(site) as anonymous:
        rss = anonymous.get("/blog/feed.rss")
        atom = anonymous.get("/blog/feed.atom")
    assert rss.headers["content-type"].startswith("application/rss+xml")
    titles = [e.text for e in ET.fromstring(rss.content).iter("title")]
    assert "Keynote: what we heard" in titles and "Not yet" not in titles
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = assert_valid_atom(atom.content)
    assert [e.find("a:title", ns).text for e in entries] == ["Keynote: what we heard"]
    categories = [c.get("term") for c in entries[0].findall("a:category", ns)]
    assert sorted(categories) == ["families", "keynote"]


def test_join_code_events_articles_stay_with_their_members(
    site: str, conference: Any, make_person: Any
) -> None:
    from backchannel.events import actions as event_actions

    private = event_actions.create_event(
        conference.organiser.user,
        slug="closed",
        name="Closed meeting",
        access="code",
        starts_on=conference.event.starts_on,
        ends_on=conference.event.ends_on,
    )
    response = _write(site, conference.organiser, slug="closed", title="Internal", publish=True)
    assert response.status_code == 201
    with conference.outsider.api(site) as client:
        assert client.get(f"{S}/blog/articles/internal").status_code == 404
        assert client.get(f"{S}/blog/articles").json()["articles"] == []
    with http.client(site) as anonymous:
        assert anonymous.get("/blog/internal/").status_code == 404
        assert "Internal" not in anonymous.get("/blog/feed.rss").text
    member = make_person("mia", name="Mia Member")
    event_actions.join_event(member.user, private, code=private.join_code)
    with member.api(site) as client:
        assert client.get(f"{S}/blog/articles/internal").status_code == 200


def test_deleting_an_article_keeps_its_comments_in_the_feed(
    site: str, conference: Any, article: dict[str, Any]
) -> None:
    with conference.attendee.api(site) as client:
        client.post(f"{S}/blog/articles/{article['slug']}/comments", json={"body": "Kept"})
    with conference.organiser.api(site) as client:
        assert client.delete(f"{S}/blog/articles/{article['slug']}").status_code == 204
    post = Post.objects.get()
    assert post.article_id is None and post.body == "Kept"
    with http.client(site) as anonymous:
        page = anonymous.get(f"/e/conf/s/{conference.session.pk}/").text
    assert "Kept" in page and "From the blog" not in page
