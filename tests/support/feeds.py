"""What the W3C feed validator requires of an Atom feed (RFC 4287), asserted on a real answer:
the rules this project's feeds have broken, and the ones next to them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


def _is_iri(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme == "tag":
        return bool(re.match(r"^tag:[^,\s]+,\d{4}(?:-\d{2}(?:-\d{2})?)?:\S+$", value))
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


def assert_valid_atom(content: bytes) -> list[ET.Element]:
    """The feed's entries, after checking the feed and every entry."""
    feed = ET.fromstring(content)
    assert feed.tag == ATOM + "feed"
    for name in ("id", "title", "updated"):
        assert feed.find(ATOM + name) is not None, f"the feed has no <{name}>"
    assert _is_iri(feed.findtext(ATOM + "id") or ""), feed.findtext(ATOM + "id")
    assert RFC3339.match(feed.findtext(ATOM + "updated") or "")
    entries = feed.findall(ATOM + "entry")
    ids = []
    for entry in entries:
        entry_id = entry.findtext(ATOM + "id") or ""
        assert _is_iri(entry_id), f"an entry's <id> is not an IRI: {entry_id!r}"
        ids.append(entry_id)
        updated = entry.findtext(ATOM + "updated")
        assert updated and RFC3339.match(updated), f"an entry without <updated>: {entry_id}"
        assert entry.findtext(ATOM + "title"), f"an entry without <title>: {entry_id}"
        link = entry.find(ATOM + "link")
        assert link is not None and _is_iri(link.get("href", "")), entry_id
        if feed.find(ATOM + "author") is None:
            assert entry.find(ATOM + "author/" + ATOM + "name") is not None, entry_id
    assert len(set(ids)) == len(ids), "entry ids repeat"
    return entries
