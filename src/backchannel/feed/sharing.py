"""Share links to the platforms' own share pages, with the text and hashtags prefilled. No
third-party script ever runs on our pages: these are plain links (and a redirect for Mastodon,
whose share page lives on each person's own server)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import regex

from backchannel.errors import Invalid

from .models import Post

# A host name: labels of letters, digits and hyphens, with a dot (e.g. mastodon.social).
_HOST = regex.compile(r"^(?=.{4,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")
TEXT_LIMIT = 240


def share_text(post: Post) -> str:
    """The post's words, then the event's and session's hashtags it does not already carry."""
    body = post.body if len(post.body) <= TEXT_LIMIT else post.body[: TEXT_LIMIT - 1] + "…"
    present = {w.lower() for w in regex.findall(r"#(\w+)", body)}
    session, event = post.session, post.session.event
    tags = [t for t in (event.hashtag, session.hashtag) if t and t.lower() not in present]
    return " ".join([body, *(f"#{t}" for t in tags)])


def links(post: Post, url: str) -> dict[str, str]:
    text = share_text(post)
    return {
        "X": "https://twitter.com/intent/tweet?" + urlencode({"text": text, "url": url}),
        "Bluesky": "https://bsky.app/intent/compose?" + urlencode({"text": f"{text} {url}"}),
        "LinkedIn": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
    }


def mastodon_link(post: Post, url: str, instance: str) -> str:
    """The share page on the person's own Mastodon server."""
    host = instance.strip().lower().removeprefix("https://").removeprefix("http://").strip("/")
    host = host.split("@")[-1]  # "@me@example.social" also names the server
    if not _HOST.match(host):
        raise Invalid(
            "Give your Mastodon server's address, e.g. mastodon.social.", field="instance"
        )
    return f"https://{host}/share?text={quote(share_text(post) + ' ' + url)}"
