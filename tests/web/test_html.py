"""The pages as a validator reads them: well-formed HTML5 (html5lib, strict), one id each, a
label for every field, one description, and `<time datetime>` values HTML accepts (no more than
three digits of a second). The Nu checker needs Java, which this project does not install;
these are the rules of it that pages here have broken."""

from __future__ import annotations

import re
from typing import Any

import html5lib
import pytest
from django.test import Client

# A valid HTML "global date and time string" (or a date): at most three digits of a second.
VALID_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
NS = "{http://www.w3.org/1999/xhtml}"


def check_page(html: str, where: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        document = parser.parse(html)
    except html5lib.html5parser.ParseError as exc:  # pragma: no cover - the message is the point
        line = parser.errors[-1][0] if parser.errors else "?"
        pytest.fail(f"{where}: not well-formed HTML ({exc}) near {line}")
    elements = list(document.iter())
    ids = [e.get("id") for e in elements if e.get("id")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"{where}: ids used twice: {duplicates}"
    labelled_for = {e.get("for") for e in elements if e.tag == NS + "label"}
    inside_label = {
        id(child) for label in elements if label.tag == NS + "label" for child in label.iter()
    }
    for field in elements:
        if field.tag not in {NS + "input", NS + "select", NS + "textarea"}:
            continue
        if field.get("type") in {"hidden", "submit", "button", "reset", "image"}:
            continue
        named = (
            field.get("id") in labelled_for
            or id(field) in inside_label
            or field.get("aria-label")
            or field.get("aria-labelledby")
            or field.get("title")
        )
        assert named, f"{where}: a field without a label: {field.get('name')!r}"
    descriptions = [e for e in elements if e.tag == NS + "meta" and e.get("name") == "description"]
    assert len(descriptions) <= 1, f"{where}: {len(descriptions)} meta descriptions"
    for time in (e for e in elements if e.tag == NS + "time" and e.get("datetime")):
        value = time.get("datetime")
        assert VALID_DATETIME.match(value), f"{where}: <time datetime={value!r}>"


@pytest.fixture
def scene(conference: Any) -> Any:
    """A little of everything a page can show, made just now (so times have fractions)."""
    from backchannel.blog.actions import create_article
    from backchannel.feed.actions import create_post
    from backchannel.messaging.actions import send_message
    from backchannel.qa.actions import ask

    first = create_post(conference.attendee.user, conference.session, body="Hello @olive #conf")
    create_post(
        conference.organiser.user,
        conference.session,
        body="Welcome, Ada!",
        reply_to=first.post.pk,
    )
    ask(conference.attendee.user, conference.session, body="What about rural families?")
    article = create_article(
        conference.organiser.user,
        conference.event,
        title="Notes from day one",
        body="What we heard, and what **next**.",
        summary="What we heard on day one.",
        session=conference.session.pk,
        publish=True,
    )
    send_message(conference.attendee.user, "olive", body="Thanks for the session")
    return article


def pages(conference: Any, article: Any) -> list[str]:
    s = conference.session.pk
    return [
        "/",
        "/e/conf/",
        f"/e/conf/s/{s}/",
        f"/e/conf/s/{s}/questions/",
        f"/e/conf/s/{s}/presenter/",
        f"/e/conf/s/{s}/wall/",
        f"/e/conf/s/{s}/archive/",
        "/e/conf/manage/",
        "/e/conf/moderation/",
        "/e/conf/moderation/log/",
        f"/blog/{article.slug}/",
        "/blog/",
        "/notifications/",
        "/messages/",
        "/messages/ada/",
        "/settings/profile/",
        "/settings/tokens/",
        "/settings/account/",
        "/settings/notifications/",
        "/u/ada/",
        "/orgs/",
        "/e/conf/search/?q=hello",
        "/join/",
    ]


def test_key_pages_pass_the_validators_rules(scene: Any, conference: Any) -> None:
    client = Client()
    client.force_login(conference.organiser.user)
    checked = 0
    for path in pages(conference, scene):
        response = client.get(path, follow=True)
        assert response.status_code == 200, (path, response.status_code)
        if "text/html" not in response["Content-Type"]:
            continue
        check_page(response.content.decode(), path)
        checked += 1
    assert checked >= 15


def test_a_page_with_a_long_fraction_of_a_second_would_be_caught() -> None:
    page = '<!doctype html><html lang="en"><head><title>t</title></head><body>'
    page += '<time datetime="2026-11-30T17:40:15.080474+00:00">now</time></body></html>'
    with pytest.raises(AssertionError, match="datetime"):
        check_page(page, "example")
    twice = '<!doctype html><html lang="en"><head><title>t</title></head><body>'
    twice += '<p id="a"></p><p id="a"></p></body></html>'
    with pytest.raises(AssertionError, match="ids used twice"):
        check_page(twice, "example")
