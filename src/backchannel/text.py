"""Cleaning of the text people send, shared by every domain that stores it.

The rules: text is NFC-normalised; line endings become "\\n"; control characters (other than
newline and tab), lone surrogates and Unicode noncharacters are refused with a clear message,
because they break storage (PostgreSQL refuses NUL), spoof layouts or are never typed by a person.
Length is counted in grapheme clusters, as people count characters ("👩‍👩‍👧" is one), and code
points are capped too (per character and in all), so a short text is short in bytes as well.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import regex
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from backchannel.errors import Invalid

_GRAPHEME = regex.compile(r"\X")
_FORBIDDEN = regex.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\p{Cs}\p{Noncharacter_Code_Point}]"
)
_SPACES = regex.compile(r"\s+")
# The longest emoji people type (a ZWJ sequence with skin tones) is 10 code points; 16 leaves
# room, and stops "a" followed by thousands of combining accents.
MAX_CODE_POINTS_PER_CHARACTER = 16
# On average over a text: a whole post of family emoji is 7 a character.
CODE_POINTS_PER_CHARACTER = 12


def grapheme_length(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def _normalise(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise Invalid("Expected text.", field=field)
    if _FORBIDDEN.search(value):
        raise Invalid("The text contains control or invalid characters.", field=field)
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def clean_text(value: object, *, field: str, max_length: int, required: bool = False) -> str:
    """Multi-line text: trimmed, at most `max_length` graphemes."""
    text = _normalise(value, field).strip()
    if required and not text:
        raise Invalid("This cannot be empty.", code="empty", field=field)
    clusters = _GRAPHEME.findall(text)
    length = len(clusters)
    if length > max_length:
        raise Invalid(
            f"This is {length} characters; the limit is {max_length}.",
            code="too_long",
            field=field,
        )
    # Characters as people count them can hide any number of code points ("a" with thousands of
    # accents stacked on it is one): cap those too, which also caps the bytes.
    stacked = max((len(c) for c in clusters), default=0)
    if stacked > MAX_CODE_POINTS_PER_CHARACTER:
        raise Invalid(
            f"A character here has {stacked} marks stacked on it; at most "
            f"{MAX_CODE_POINTS_PER_CHARACTER} make one character.",
            code="too_long",
            field=field,
        )
    if len(text) > max_length * CODE_POINTS_PER_CHARACTER:
        raise Invalid(
            f"This is too long once encoded ({len(text)} code points; the limit is "
            f"{max_length * CODE_POINTS_PER_CHARACTER}).",
            code="too_long",
            field=field,
        )
    return text


def clean_line(value: object, *, field: str, max_length: int, required: bool = False) -> str:
    """One line of text: inner whitespace (newlines included) folded to single spaces."""
    text = _SPACES.sub(" ", _normalise(value, field)).strip()
    return clean_text(text, field=field, max_length=max_length, required=required)


def clean_url(value: object, *, field: str, max_length: int = 200) -> str:
    """A web address (http or https), or "". A bare domain gets https://."""

    url = clean_line(value or "", field=field, max_length=max_length)
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Invalid("Give a web address, like https://example.org/page.", field=field) from None
    return url


def whole_number(value: object, max_digits: int = 18) -> int | None:
    """A whole number as typed in a form field, a query string or a path ("42"), else None:
    only ASCII digits ("²".isdigit() is true, and int() refuses it) and at most `max_digits`
    of them (18 fit the database's 64-bit integers)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > max_digits:
        return None
    return int(value)


def iso_moment(moment: dt.datetime) -> str:
    """A moment for `<time datetime>` and feeds: ISO 8601 in UTC to the millisecond (HTML
    allows at most three digits of a second; Python's isoformat gives six). Naive: UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
