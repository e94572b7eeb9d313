"""The Markdown renderer for policies and codes of conduct: whatever people type, the HTML that
comes out has no script, no event handlers and no dangerous links."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backchannel.richtext import render_markdown

# Run once (policy text rendering: no database).
pytestmark = pytest.mark.engine_independent

PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=//evil>",
        "**bold**",
        "# heading",
        "- item",
        "[ok](https://example.org)",
        "`code`",
        "\n\n",
        " ",
        '" onmouseover="alert(1)',
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=12).map("".join))
def test_rendered_markdown_is_always_safe(text: str) -> None:
    html = render_markdown(text)
    lowered = html.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<img" not in lowered
    assert not re.search(r"<[^>]+\son\w+\s*=", lowered)  # no event handler attributes
    for href in re.findall(r'<a\s[^>]*href="([^"]*)"', lowered):  # real tags, not text
        assert href.startswith(("http://", "https://", "mailto:")), href


def test_links_are_marked_as_user_content() -> None:
    html = render_markdown("[site](https://example.org)")
    assert html == ('<p><a href="https://example.org" rel="nofollow ugc noopener">site</a></p>\n')
