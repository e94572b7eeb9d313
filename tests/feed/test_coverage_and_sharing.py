"""Live coverage pinned at the top of a feed, the "craft your post" help, and share links to
the platforms' own pages (no third-party scripts)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.support import http
from tests.support.sse import SSEStream


def test_facilitators_post_live_coverage_pinned_at_the_top(live: str, conference: Any) -> None:
    url = f"/api/v1/sessions/{conference.session.pk}/posts"
    with SSEStream(f"{live}/api/v1/sessions/{conference.session.pk}/stream") as room:
        with conference.organiser.api(live) as api:
            official = api.post(url, json={"body": "Dr. Rivera opens: 3 lessons", "coverage": True})
        assert official.status_code == 201 and official.json()["coverage"] is True
        event = room.next()
        assert event.json["post"]["coverage"] is True
    with conference.attendee.api(live) as api:
        refused = api.post(url, json={"body": "Me too", "coverage": True})
        assert refused.status_code == 403 and refused.json()["code"] == "not_staff"
        api.post(url, json={"body": "An ordinary post"})
    page = http.get(f"{live}/e/conf/s/{conference.session.pk}/").text
    coverage_at = page.index('id="coverage"')
    assert page.index("Dr. Rivera opens") > coverage_at
    assert page.index("Dr. Rivera opens") < page.index('id="feed"')  # not among the posts


def test_the_composer_offers_hashtags_and_presenters(site: str, conference: Any) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    conference.session.hashtag = "keynote"
    conference.session.save(update_fields=["hashtag"])
    conference.session.presenters.add(conference.organiser.user)
    page = PageSession(site)
    page.login(conference.attendee.handle, PASSWORD)
    html = page.get(f"/e/conf/s/{conference.session.pk}/").text
    for chip in ('data-insert="#conf"', 'data-insert="#keynote"', 'data-insert="@olive"'):
        assert chip in html
    guide = http.get(f"{site}/guide/")
    assert guide.status_code == 200 and "Never identify a child or a family" in guide.text


def test_share_links_prefill_the_text_and_hashtags(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        post = api.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Families lead"}
        ).json()
    page = http.get(f"{site}/posts/{post['id']}/share/")
    assert page.status_code == 200
    assert "<script" not in page.text.split("<footer")[0].split("</header>")[1]
    x_link = next(
        line for line in page.text.split('"') if line.startswith("https://twitter.com/intent")
    )
    query = parse_qs(urlparse(x_link.replace("&amp;", "&")).query)
    assert query["text"] == ["Families lead #conf"]
    assert query["url"][0].endswith(f"/e/conf/s/{conference.session.pk}/#post-{post['id']}")
    to_mastodon = http.get(
        f"{site}/posts/{post['id']}/share/mastodon/", params={"instance": "@me@Example.Social"}
    )
    # Not a bare redirect to wherever the link says: a page that names the destination.
    assert to_mastodon.status_code == 200
    assert "You are leaving Backchannel" in to_mastodon.text
    assert "<strong>example.social</strong>" in to_mastodon.text
    onward = next(
        part.replace("&amp;", "&")
        for part in to_mastodon.text.split('href="')[1:]
        if part.startswith("https://")
    ).split('"')[0]
    assert onward.startswith("https://example.social/share?text=")
    for not_a_host in ["evil.example/path", "https://evil.example:8443", "user@evil.example/x"]:
        refused = http.get(
            f"{site}/posts/{post['id']}/share/mastodon/", params={"instance": not_a_host}
        )
        assert refused.status_code == 302, not_a_host  # back to the share page, with why
    bad = http.get(
        f"{site}/posts/{post['id']}/share/mastodon/", params={"instance": "javascript:alert(1)"}
    )
    assert bad.status_code == 302 and bad.headers["location"] == f"/posts/{post['id']}/share/"


def test_posts_of_join_code_events_are_not_shared(site: str, conference: Any) -> None:
    event = conference.event
    event.access = "code"
    event.join_code = "SECRET"
    event.save(update_fields=["access", "join_code"])
    with conference.attendee.api(site) as api:
        post = api.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Inside only"}
        ).json()
    assert http.get(f"{site}/posts/{post['id']}/share/").status_code == 404
