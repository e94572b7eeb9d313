"""The Markdown export shows every post as written: whatever a post contains (entities, emphasis,
links, HTML, headings), rendered by a CommonMark renderer it reads back as the same text."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from backchannel.archive.exports import as_markdown

# Run once (Markdown escaping: no database).
pytestmark = pytest.mark.engine_independent

RENDER = MarkdownIt("commonmark")


def document(body: str, name: str = "Ada") -> dict:
    return {
        "event": {
            "name": "Test & <Conference>",
            "starts_on": "2026-07-01",
            "ends_on": "2026-07-02",
            "timezone": "Europe/Berlin",
        },
        "sessions": [
            {
                "title": "Keynote",
                "recording_url": "",
                "posts": [
                    {
                        "id": 1,
                        "reply_to": None,
                        "created_at": "2026-07-01T09:05:00+00:00",
                        "author": {"name": name, "handle": "ada"},
                        "body": body,
                    }
                ],
                "questions": [],
                "polls": [],
            }
        ],
    }


def rendered_post(markdown: str) -> str:
    """The text of the post's list item as a reader sees it."""
    page = RENDER.render(markdown)
    item = re.search(r"<li>(.*?)</li>", page, re.S)
    assert item is not None, page
    text = re.sub(r"<br />\n?", "\n", item.group(1))
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text.split(": ", 1)[1]


def test_entities_and_markup_in_a_post_show_as_written() -> None:
    tricky = ["Fish &amp; chips", "*not bold* and _not em_", "# not a heading", "[x](http://e.org)",
              "<b>not bold</b>", "1. not a list", "a `code` b", "line one\nline two"]  # fmt: skip
    for body in tricky:
        assert rendered_post(as_markdown(document(body))) == body


def test_times_are_the_events_local_times() -> None:
    markdown = as_markdown(document("Hello"))
    assert "times in Europe/Berlin" in markdown
    assert "11:05" in markdown  # 09:05 UTC is 11:05 in Berlin in July


# Posts are cleaned before they are stored: no control characters; lines do not start or end
# with spaces a renderer would drop anyway.
PIECES = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\t"
        ),
        max_size=40,
    ),
    st.sampled_from(
        ["&amp;", "&#42;", "&copy", "*", "**", "_", "[a](b)", "<i>", "</i>", "`", "===", "---",
         "# ", "1. ", "> ", "|", "~~", "\\", "http://e.org", "<http://e.org>", "![x](y)"]
    ),
)  # fmt: skip
TEXT = st.lists(PIECES, min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_any_post_reads_back_as_written(lines: list[str]) -> None:
    body = "\n".join(line.strip() for line in lines)
    shown = rendered_post(as_markdown(document(body)))
    assert [line.strip() for line in shown.split("\n")] == body.split("\n")
