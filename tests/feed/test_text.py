"""Parsing posts (hashtags, mentions, links, length) and rendering them safely."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backchannel.errors import Invalid
from backchannel.feed.text import find_entities, hashtags, mentions, render
from backchannel.text import clean_line, clean_text, grapheme_length

# Run once (the post parser: no database).
pytestmark = pytest.mark.engine_independent


def _render(text: str, known: tuple[str, ...] = ()) -> str:
    return render(
        text,
        known_handles=known,
        hashtag_url=lambda tag: f"/e/x/tags/{tag}/",
        profile_url=lambda handle: f"/u/{handle}/",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Great talk #TI2012 #SystemsOfCare", ["ti2012", "systemsofcare"]),
        ("#ti2012 and #TI2012 again", ["ti2012"]),
        ("unicode #Café #日本語", ["café", "日本語"]),
        ("numbers only #2012 is not a tag", []),
        ("C# and F# are languages", []),
        ("page#anchor is not a tag", []),
        ("(#inparens) works", ["inparens"]),
        ("end of sentence #tag.", ["tag"]),
        ("#" + "a" * 51, []),
    ],
)
def test_hashtags(text: str, expected: list[str]) -> None:
    assert hashtags(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thanks @dr_rivera and @Casey!", ["dr_rivera", "casey"]),
        ("mail me at name@example.org", []),
        ("@a is too short", []),
        ("@" + "x" * 31 + " is too long", []),
        ("@jamal@jamal", []),
        ("hi @sam_k, @sam_k again", ["sam_k"]),
    ],
)
def test_mentions(text: str, expected: list[str]) -> None:
    assert mentions(text) == expected


def test_links_are_found_and_win_over_what_they_contain() -> None:
    entities = find_entities("slides https://example.org/a#frag?x=@y and www.example.com")
    kinds = [(e.kind, e.value) for e in entities]
    assert kinds == [
        ("url", "https://example.org/a#frag?x=@y"),
        ("url", "http://www.example.com"),
    ]


def test_only_web_links_become_anchors() -> None:
    html = _render("javascript:alert(1) mailto:a@b.org ftp://x.org/f")
    assert "<a" not in html


def test_render_links_hashtags_and_known_mentions() -> None:
    html = _render("Hi @casey and @nobody #TI2012 https://example.org/x", known=("casey",))
    assert '<a class="mention" href="/u/casey/">@casey</a>' in html
    assert "@nobody" in html and 'href="/u/nobody/"' not in html
    assert '<a class="hashtag" href="/e/x/tags/ti2012/">#TI2012</a>' in html
    assert (
        '<a href="https://example.org/x" rel="nofollow ugc noopener" target="_blank">'
        "example.org/x</a>" in html
    )


def test_render_escapes_markup_and_keeps_line_breaks() -> None:
    html = _render('<script>alert("x")</script>\n<b>bold</b> & "quotes"')
    assert html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt; "
        "&amp; &quot;quotes&quot;"
    )


def test_long_link_text_is_shortened_but_target_kept() -> None:
    url = "https://example.org/" + "a" * 80
    html = _render(url)
    assert f'href="{url}"' in html
    assert "…</a>" in html


@pytest.mark.parametrize(
    ("text", "length"),
    [("hello", 5), ("👩‍👩‍👧‍👦", 1), ("🇺🇸🇨🇦", 2), ("e\u0301", 1), ("", 0), ("नमस्ते", 3)],
)
def test_length_counts_graphemes(text: str, length: int) -> None:
    assert grapheme_length(text) == length


def test_clean_text_limits_and_normalises() -> None:
    assert clean_text("  e\u0301\r\nx  ", field="body", max_length=5) == "\u00e9\nx"
    assert clean_text("👩‍👩‍👧‍👦" * 280, field="body", max_length=280)
    with pytest.raises(Invalid, match="281 characters; the limit is 280"):
        clean_text("a" * 281, field="body", max_length=280)
    with pytest.raises(Invalid, match="cannot be empty"):
        clean_text(" \n\t ", field="body", max_length=280, required=True)


@pytest.mark.parametrize("bad", ["a\x00b", "bell\x07", "esc\x1b[31m", "c1\x85", "\ud800", "\ufffe"])
def test_clean_text_refuses_control_and_invalid_characters(bad: str) -> None:
    with pytest.raises(Invalid):
        clean_text(bad, field="body", max_length=280)


def test_code_points_are_capped_as_well_as_characters() -> None:
    zalgo = "a" + "\u0301" * 8000  # one character, as people count them
    with pytest.raises(Invalid, match="marks stacked on it"):
        clean_text(zalgo, field="body", max_length=280)
    with pytest.raises(Invalid, match="too long once encoded"):
        clean_text(("e" + "\u0301" * 15) * 280, field="body", max_length=280)
    # The longest emoji people type pass.
    kiss = "\U0001f469\U0001f3fd\u200d\u2764\ufe0f\u200d\U0001f48b\u200d\U0001f468\U0001f3ff"
    assert clean_text(kiss * 280, field="body", max_length=280) == kiss * 280


def test_clean_line_folds_whitespace() -> None:
    assert clean_line(" a \n b\tc ", field="x", max_length=10) == "a b c"


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "br":
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# Pieces of posts, tricky ones over-represented: markup, entities, URL starts, handles, tags.
post_text = st.lists(
    st.one_of(
        st.sampled_from(list("<>&\"'#@/:.= \n\tabcXYZ_019")),
        st.sampled_from(
            [
                "http://",
                "https://",
                "www.",
                "javascript:",
                "<script>",
                "&amp;",
                "é",
                "@casey",
                "#tag",
                ".org",
                "example.com/",
                "<a href=x>",
            ]
        ),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=120,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(post_text)
def test_rendering_never_yields_markup_from_the_text(text: str) -> None:
    html = _render(text, known=("casey", "abc"))
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    for tag, attrs in inspector.tags:
        assert tag in {"a", "br"}, (tag, text)
        assert set(attrs) <= {"href", "rel", "target", "class"}
        if tag == "a":
            href = attrs["href"] or ""
            assert href.startswith(("http://", "https://", "/e/x/tags/", "/u/"))
    if not any(e.kind == "url" for e in find_entities(text)):
        # Without shortened link texts, what people read is exactly what was written.
        assert "".join(inspector.text) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_clean_text_accepts_or_refuses_but_never_stores_control_characters(text: str) -> None:
    try:
        cleaned = clean_text(text, field="body", max_length=280)
    except Invalid:
        return
    assert grapheme_length(cleaned) <= 280
    assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)
    assert "\r" not in cleaned


@settings(max_examples=300, deadline=None)
@given(post_text)
def test_entities_never_overlap_and_match_the_text(text: str) -> None:
    entities = find_entities(text)
    for a, b in itertools.pairwise(entities):
        assert a.end <= b.start
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
