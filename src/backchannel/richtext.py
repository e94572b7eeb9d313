"""Markdown that people write (policies, codes of conduct, later articles), rendered safely:
markdown-it-py with raw HTML off, then nh3 (Ammonia) keeps only harmless tags and makes every
link `rel="nofollow ugc noopener"`."""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a",
}  # fmt: skip


@functools.cache
def _markdown() -> MarkdownIt:
    # CommonMark without raw HTML: whatever HTML people type is shown as text.
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def render_markdown(text: str) -> str:
    md = _markdown()
    tokens = md.parse(text)
    _nest_headings(tokens)
    html = md.renderer.render(tokens, md.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )


def _nest_headings(tokens: list[Token]) -> None:
    """The page has its own h1, so the text's top heading level becomes h2 (whether the author
    began with # or ##), and no heading goes more than one level below the one before it:
    screen-reader users move by headings and a skipped level reads as missing content."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if not levels:
        return
    shift = 2 - min(levels)
    previous = 1
    level = 2
    for token in tokens:
        if token.type == "heading_open":
            level = min(int(token.tag[1]) + shift, previous + 1, 6)
            previous = level
            token.tag = f"h{level}"
        elif token.type == "heading_close":
            token.tag = f"h{level}"
