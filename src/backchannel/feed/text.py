"""Finding hashtags, mentions and links in a post, and rendering it as safe HTML.

Rendering never passes user text through as markup: the text is cut into plain pieces and
entities, every piece is escaped, and only the anchors built here carry tags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Literal

import regex
from linkify_it import LinkifyIt

from backchannel.accounts.models import HANDLE_PATTERN

EntityKind = Literal["url", "hashtag", "mention"]

# A hashtag has at least one letter (so "#1" is not one) and does not follow a word character
# (so "C#" and "page#anchor" are not).
_HASHTAG = regex.compile(r"(?<![\w#&/])#(\w*\p{L}\w*)", regex.UNICODE)
# A mention does not follow a word character, so "name@example.org" is not one.
_MENTION = regex.compile(rf"(?<![\w@/.])@({HANDLE_PATTERN})(?![\w@])")
_ALLOWED_SCHEMES = ("http://", "https://")
_MAX_HASHTAG = 50
_LINK_TEXT_MAX = 40

_linkify = LinkifyIt(options={"fuzzy_email": False, "fuzzy_ip": False})


@dataclass(frozen=True)
class Entity:
    kind: EntityKind
    start: int
    end: int
    text: str  # as written, e.g. "#TI2012"
    value: str  # normalised: the URL, the tag lower-cased, or the handle lower-cased


def _links(text: str) -> list[Entity]:
    found: list[Entity] = []
    if not _linkify.pretest(text):
        return found
    for match in _linkify.match(text) or []:
        url = match.url
        if not url.lower().startswith(_ALLOWED_SCHEMES):
            continue
        found.append(Entity("url", match.index, match.last_index, match.raw, url))
    return found


def find_entities(text: str) -> list[Entity]:
    """Entities in order of position, never overlapping (a link wins over what it contains)."""
    entities = _links(text)
    taken = [(e.start, e.end) for e in entities]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for m in _HASHTAG.finditer(text):
        if len(m.group(1)) <= _MAX_HASHTAG and free(m.start(), m.end()):
            entities.append(Entity("hashtag", m.start(), m.end(), m.group(0), m.group(1).lower()))
    for m in _MENTION.finditer(text):
        if free(m.start(), m.end()):
            entities.append(Entity("mention", m.start(), m.end(), m.group(0), m.group(1).lower()))
    return sorted(entities, key=lambda e: e.start)


def hashtags(text: str) -> list[str]:
    return list(dict.fromkeys(e.value for e in find_entities(text) if e.kind == "hashtag"))


def mentions(text: str) -> list[str]:
    return list(dict.fromkeys(e.value for e in find_entities(text) if e.kind == "mention"))


def _link_text(raw: str) -> str:
    shown = regex.sub(r"^https?://(www\.)?", "", raw)
    return shown if len(shown) <= _LINK_TEXT_MAX else shown[: _LINK_TEXT_MAX - 1] + "…"


def render(
    text: str,
    *,
    hashtag_url: Callable[[str], str],
    profile_url: Callable[[str], str],
    known_handles: Iterable[str] = (),
    entities: list[Entity] | None = None,
) -> str:
    """HTML for a post body. Mentions link only to people who exist (`known_handles`)."""
    known = {h.lower(): h for h in known_handles}
    out: list[str] = []
    cursor = 0
    for entity in entities if entities is not None else find_entities(text):
        out.append(_escape_text(text[cursor : entity.start]))
        cursor = entity.end
        if entity.kind == "url":
            out.append(
                f'<a href="{escape(entity.value)}" rel="nofollow ugc noopener" '
                f'target="_blank">{escape(_link_text(entity.text))}</a>'
            )
        elif entity.kind == "hashtag":
            out.append(
                f'<a class="hashtag" href="{escape(hashtag_url(entity.value))}">'
                f"{escape(entity.text)}</a>"
            )
        elif entity.value in known:
            handle = known[entity.value]
            out.append(
                f'<a class="mention" href="{escape(profile_url(handle))}">@{escape(handle)}</a>'
            )
        else:
            out.append(_escape_text(entity.text))
    out.append(_escape_text(text[cursor:]))
    return "".join(out)


def _escape_text(piece: str) -> str:
    return escape(piece).replace("\n", "<br>")
