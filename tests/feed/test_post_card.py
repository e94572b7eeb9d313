"""A post's card: one renderer (feed/presenters.post_html) for the stream, the API and every
page, escaping what people typed, with the page's viewer's own likes and delete button."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.support.web import PageSession

_TOKEN_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


def _card(page: str, post_id: int) -> str:
    match = re.search(rf'<article [^>]*id="post-{post_id}".*?</article>', page, re.S)
    assert match, f"post {post_id} is not on the page"
    return match.group(0)


def _post(person: Any, site: str, session_id: int, **body: Any) -> dict[str, Any]:
    with person.api(site) as api:
        answer = api.post(f"/api/v1/sessions/{session_id}/posts", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_the_page_shows_the_card_the_stream_carries(site: str, conference: Any) -> None:
    root = _post(conference.attendee, site, conference.session.pk, body="Families lead #conf")
    reply = _post(
        conference.organiser, site, conference.session.pk, body="Agreed", reply_to=root["id"]
    )
    page = PageSession(site)
    page.login(conference.outsider.handle, PASSWORD)
    html = page.get(f"/e/conf/s/{conference.session.pk}/").text
    for post in (root, reply):
        on_page = _card(html, post["id"])
        assert _TOKEN_INPUT.search(on_page), "the page's forms carry its token"
        assert _TOKEN_INPUT.sub("", on_page) == post["html"]
        assert not _TOKEN_INPUT.search(post["html"]), "the stream's card is for no one"
    assert 'class="post post--reply"' in reply["html"]
    assert f'data-thread-root="{root["id"]}"' in reply["html"]
    assert "badge--official" in reply["html"] and "badge--official" not in root["html"]
    # The event's time zone (Europe/Berlin), as the page shows it.
    assert re.search(r'title="\d{1,2} \w{3} \d{4}, \d\d:\d\d Europe/Berlin"', root["html"])


def test_what_people_type_is_escaped_on_the_card(site: str, make_person: Any) -> None:
    from backchannel.events import actions
    from backchannel.events.queries import lobby_of

    mallory = make_person(
        "mallory",
        name='<b>Mal</b> "M" & co',
        affiliation="<script>alert(1)</script>",
        disclaimer="<i>Views</i> are my own",
    )
    event = actions.create_event(
        mallory.user,
        slug="esc",
        name="Escapes",
        hashtag="esc",
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 1),
        timezone="UTC",
    )
    lobby = lobby_of(event).pk
    card = _post(mallory, site, lobby, body="<img src=x onerror=alert(1)> hello")["html"]
    assert "<b>Mal</b>" not in card and "&lt;b&gt;Mal&lt;/b&gt; &quot;M&quot; &amp; co" in card
    assert "<script>" not in card and "&lt;script&gt;" in card
    assert "<i>Views</i>" not in card and "&lt;i&gt;Views&lt;/i&gt; are my own" in card
    assert "<img src=x" not in card


def test_a_viewer_sees_their_own_like_and_delete_button(site: str, conference: Any) -> None:
    mine = _post(conference.attendee, site, conference.session.pk, body="My own post")
    theirs = _post(conference.organiser, site, conference.session.pk, body="Their post")
    with conference.attendee.api(site) as api:
        liked = api.put(f"/api/v1/posts/{theirs['id']}/reactions/like")
    assert liked.status_code == 200
    page = PageSession(site)
    page.login(conference.attendee.handle, PASSWORD)
    html = page.get(f"/e/conf/s/{conference.session.pk}/").text

    own = _card(html, mine["id"])
    assert re.search(r'data-action="delete">', own), "the author can delete their post"
    assert 'aria-pressed="false"' in own
    other = _card(html, theirs["id"])
    assert 'data-action="delete" hidden>' in other
    assert 'aria-pressed="true"' in other and 'name="on" value="0"' in other
    assert '<span class="action__count">1</span>' in other


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_cards_date_is_what_django_would_format(language: str) -> None:
    """feed.presenters.card_date writes "j M Y" without Django's dateformat (issue #17)."""
    from django.utils import dateformat, translation

    from backchannel.feed.presenters import card_date

    moments = [dt.datetime(2026, month, day, 9, 5) for month in range(1, 13) for day in (1, 28)]
    moments.append(dt.datetime(987, 3, 9))
    with translation.override(language):
        for moment in moments:
            assert card_date(moment) == dateformat.format(moment, "j M Y"), moment


@pytest.mark.parametrize("tag", ["ti2012", "Families", "self_care", "año", "日本", "x"])
def test_a_hashtags_address_is_what_reverse_gives(tag: str) -> None:
    """feed.presenters.hashtag_url formats an ASCII tag's address (issue #17)."""
    from django.urls import reverse

    from backchannel.feed.presenters import hashtag_url

    assert hashtag_url("ti-2012", tag) == reverse("hashtag", args=["ti-2012", tag])
