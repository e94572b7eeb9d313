"""Checking profile links the way Mastodon does: a link is verified when the page it points
to links back to the person's profile here with rel="me". The page is fetched by the server,
so addresses inside private networks are refused (no probing of our own network), redirects are
followed by hand and checked the same way, and only the first 512 KB are read."""

from __future__ import annotations

import ipaddress
import logging
import socket
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from .models import User

log = logging.getLogger(__name__)

MAX_BYTES = 512 * 1024
TIMEOUT_SECONDS = 5.0
MAX_REDIRECTS = 3


class _RelMe(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("a", "link"):
            return
        values = dict(attrs)
        rel = (values.get("rel") or "").lower().split()
        if "me" in rel and values.get("href"):
            self.hrefs.append(values["href"] or "")


def rel_me_links(html: str, base: str) -> list[str]:
    parser = _RelMe()
    parser.feed(html)
    return [urljoin(base, href) for href in parser.hrefs]


def _normal(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc.lower(), parts.path.rstrip("/").lower()


def _allowed_host(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if settings.BACKCHANNEL_LINK_CHECK_PRIVATE:
        return True
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return False
    return True


def _fetch(url: str) -> tuple[str, str] | None:
    """(final url, text) of the page, or None when it cannot or must not be read."""
    with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if not _allowed_host(url):
                return None
            with client.stream(
                "GET", url, headers={"User-Agent": "Backchannel link check", "Accept": "text/html"}
            ) as response:
                if response.is_redirect and response.headers.get("location"):
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code != 200:
                    return None
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) >= MAX_BYTES:
                        break
                return url, body[:MAX_BYTES].decode(response.encoding or "utf-8", "replace")
    return None


def links_back(url: str, profile_urls: list[str]) -> bool:
    try:
        fetched = _fetch(url)
    except (httpx.HTTPError, ValueError, UnicodeError):
        log.info("could not check %s", url, exc_info=True)
        return False
    if fetched is None:
        return False
    final_url, html = fetched
    wanted = {_normal(u) for u in profile_urls}
    return any(_normal(href) in wanted for href in rel_me_links(html, final_url))


def verify_links(user: User, profile_urls: list[str]) -> dict[str, bool]:
    """Check the person's website and Mastodon links; returns which are verified now."""
    result: dict[str, bool] = {}
    for name in ("website", "mastodon"):
        url = getattr(user, name)
        if not url:
            continue
        ok = links_back(url, profile_urls)
        setattr(user, f"{name}_verified_at", timezone.now() if ok else None)
        result[name] = ok
    user.save(update_fields=["website_verified_at", "mastodon_verified_at"])
    return result


def profile_addresses(request: HttpRequest, handle: str) -> list[str]:
    """Where a rel="me" link may point to: this profile, at this site's address (and at
    BACKCHANNEL_SITE_URL when set)."""
    path = reverse("profile", args=[handle])
    found = [request.build_absolute_uri(path)]
    if settings.BACKCHANNEL_SITE_URL:
        found.append(settings.BACKCHANNEL_SITE_URL + path)
    return found
