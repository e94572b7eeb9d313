"""The error pages say what happened and what to do next, in plain words and the product's own
style, never internals; while the database is away they are drawn without touching it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from backchannel.errors import RateLimited
from backchannel.web import views
from backchannel.web.middleware import ActionErrorMiddleware, DatabaseUnavailableMiddleware
from tests.web.test_html import check_page

INTERNALS = ("Traceback", "Exception", "django", 'File "', "OperationalError")


def assert_calm(response: HttpResponse, status: int) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f"Error {status}" in html
    assert "What you can do" in html
    assert 'href="/"' in html  # the way back to the start page
    for word in INTERNALS:
        assert word not in html, word
    check_page(html, f"the {status} page")
    return html


def test_an_unknown_address_gets_a_page_that_leads_back(db: Any) -> None:
    html = assert_calm(Client().get("/no/such/page/"), 404)
    assert "We cannot find that page" in html
    assert "mistyped" in html


def test_a_missing_session_says_which_thing_is_missing(conference: Any) -> None:
    html = assert_calm(Client().get(f"/e/{conference.event.slug}/s/999999/"), 404)
    assert "No such session." in html
    assert "We cannot find that page" in html


def test_a_page_for_organisers_tells_a_signed_in_attendee_whom_to_ask(conference: Any) -> None:
    client = Client()
    client.force_login(conference.attendee.user)
    html = assert_calm(client.get(f"/e/{conference.event.slug}/manage/"), 403)
    assert "organisers" in html


def test_a_forbidden_page_offers_a_stranger_to_sign_in_and_come_back(rf: RequestFactory) -> None:
    request = rf.get("/e/conf/manage/?tab=people")
    request.user = AnonymousUser()
    html = assert_calm(views.forbidden(request), 403)
    assert 'href="/accounts/login/?next=/e/conf/manage/%3Ftab%3Dpeople"' in html


def test_too_many_says_how_long_to_wait(rf: RequestFactory, db: Any) -> None:
    request = rf.post("/e/conf/s/1/post/")
    request.user = AnonymousUser()
    middleware = ActionErrorMiddleware(lambda r: HttpResponse())
    limited = RateLimited("Too many posts in a short time.", retry_after=30)
    response = middleware.process_exception(request, limited)
    assert response is not None
    html = assert_calm(response, 429)
    assert response["Retry-After"] == "30"
    assert "Too many posts in a short time." in html
    assert "try again in 30 seconds" in html
    assert "send it again" in html  # a POST is not repeated by following a link


def _unreachable() -> Any:
    raise OperationalError("connection refused")


@pytest.mark.parametrize("status", [500, 503])
def test_failure_pages_never_touch_the_database(rf: RequestFactory, status: int) -> None:
    """The person is not looked up (it would fail again, and leave Django's bare page)."""
    request = rf.get("/e/conf/")
    request.user = SimpleLazyObject(_unreachable)  # as if signed in, with the database away
    if status == 500:
        response = views.server_error(request)
    else:
        middleware = DatabaseUnavailableMiddleware(lambda r: HttpResponse())
        answered = middleware.process_exception(request, OperationalError("connection refused"))
        assert answered is not None
        response = answered
        assert response["Retry-After"] == "5"
    html = assert_calm(response, status)
    assert 'href="/e/conf/"' in html  # try again
    assert ("Something went wrong on our side" if status == 500 else "Back in a moment") in html
    assert "connection refused" not in html
