"""Whole numbers typed into query strings and forms: only ASCII digits, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from backchannel.text import whole_number


def test_whole_numbers() -> None:
    assert whole_number("42") == 42
    assert whole_number(" 7 ") == 7
    assert whole_number("0") == 0
    assert whole_number("9" * 18) == int("9" * 18)
    assert whole_number("9" * 19) is None  # past the database's 64-bit integers
    assert whole_number("123", max_digits=2) is None
    for not_a_number in ["", "-1", "1.5", "1e3", "²", "١٢", "٣", "\U0001d7d7", "0x10", None, 5]:
        assert whole_number(not_a_number) is None, not_a_number


@given(st.text(max_size=30))
def test_anything_typed_is_a_number_or_none(text: str) -> None:
    result = whole_number(text)
    assert result is None or (str(result) == text.strip().lstrip("0") or result == 0)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "٣", "\U0001d7d79", "1" * 40, "-3"])
def test_pages_refuse_odd_numbers_calmly(conference: Any, value: str) -> None:
    """Unicode digits pass str.isdigit() but not int(): they once made these pages fail."""
    client = Client()
    client.force_login(conference.organiser.user)
    session = conference.session.pk
    for path, params in [
        (f"/e/conf/s/{session}/", {"before": value}),
        (f"/e/conf/s/{session}/archive/", {"after": value}),
        ("/e/conf/search/", {"q": "x", "session": value}),
        ("/e/conf/analytics/", {"session": value}),
        ("/e/conf/moderation/", {"before": value}),
    ]:
        response = client.get(path, params)
        assert response.status_code in (200, 302), (path, value, response.status_code)
