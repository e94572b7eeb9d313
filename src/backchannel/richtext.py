"""Markdown that people write (policies, codes of conduct, later articles), rendered safely:
markdown-it-py with raw HTML off, then nh3 (Ammonia) keeps only harmless tags and makes every
link `rel="nofollow ugc noopener"`."""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a",
}  # fmt: skip


@functools.cache
def _markdown() -> MarkdownIt:
    # CommonMark without raw HTML: whatever HTML people type is shown as text.
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def render_markdown(text: str) -> str:
    html = _markdown().render(text)
    # Headings start at h2: the page has its own h1.
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
