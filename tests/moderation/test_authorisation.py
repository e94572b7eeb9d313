"""The authorisation matrix: every API operation and every page, for every role at a join-code
event (anonymous, a member of another event, a member banned from it, attendee, presenter,
facilitator, organiser),
against the running server. The expected answer of each cell is written down; a new endpoint
without a row here fails `test_every_endpoint_has_a_row`.

Each row builds what it needs (a fresh post to hide, a fresh restriction to lift), so allowed
roles really perform the action and refused ones are shown to change nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD, Person
from tests.support.http import client
from tests.support.web import PageSession

ROLES = ("anonymous", "outsider", "banned", "attendee", "presenter", "facilitator", "organiser")
_counter = itertools.count(1)


@dataclass
class World:
    base: str
    event: Any
    session: Any
    people: dict[str, Person]
    amy: Person  # another attendee: the author of posts that others report and act on
    last_poll_option: int = 0  # an option of the last poll a row made
    _pages: dict[str, PageSession] = field(default_factory=dict)

    def api(self, role: str) -> httpx.Client:
        if role == "anonymous":
            return client(self.base)
        return self.people[role].api(self.base)

    def page(self, role: str) -> PageSession:
        if role not in self._pages:
            page = PageSession(self.base)
            if role != "anonymous":
                page.login(self.people[role].handle, PASSWORD)
            self._pages[role] = page
        return self._pages[role]

    def post(self, author: Person | None = None, body: str = "A thought on the keynote") -> Any:
        from backchannel.feed.actions import create_post

        who = (author or self.amy).user
        return create_post(who, self.session, body=f"{body} {next(_counter)}").post

    def form_post(self, role: str, path: str, data: dict[str, str] | None = None) -> int:
        page = self.page(role)
        token_page = "/accounts/login/" if role == "anonymous" else "/notices/"
        return page.submit(path, data or {}, form_page=token_page).status_code


def build_world(base: str, make_person: Any) -> World:
    from backchannel.events import actions as events
    from backchannel.events.models import Registration

    people = {
        "organiser": make_person("olive"),
        "facilitator": make_person("fran"),
        "presenter": make_person("pat"),
        "attendee": make_person("ada"),
        "outsider": make_person("otto"),
        "banned": make_person("bea"),  # joined, then banned: reads nothing of it any more
    }
    amy = make_person("amy")
    organiser = people["organiser"].user
    event = events.create_event(
        organiser,
        slug="safe",
        name="Safe Event",
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 2),
        access="code",
    )
    start = dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
    session = events.create_session(
        organiser,
        event,
        title="Keynote",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        presenters=["pat"],
    )
    for role in ("facilitator", "presenter", "attendee"):
        Registration.objects.update_or_create(
            event=event, user=people[role].user, defaults={"role": role}
        )
    Registration.objects.create(event=event, user=people["banned"].user, role="attendee")
    Registration.objects.create(event=event, user=amy.user, role="attendee")
    # A code of conduct everyone here has accepted (the conduct rows accept it again).
    event.code_of_conduct = "Be kind."
    event.save(update_fields=["code_of_conduct"])
    Registration.objects.filter(event=event).update(conduct_accepted_at=dt.datetime.now(dt.UTC))
    from backchannel.moderation.actions import sanction

    sanction(organiser, event, people["banned"].user, kind="ban", reason="harassment")
    # An organisation: the organiser is its admin, the attendee a member.
    from backchannel.orgs import actions as orgs

    acme = orgs.create_organisation(organiser, slug="acme", name="Acme Care")
    orgs.add_member(organiser, acme, handle="ada", role="member")
    orgs.publish_policy(organiser, acme, body="Be careful.", disclaimer="Views are my own.")
    elsewhere = events.create_event(
        people["outsider"].user,
        slug="elsewhere",
        name="Another Event",
        starts_on=dt.date(2026, 8, 1),
        ends_on=dt.date(2026, 8, 1),
    )
    assert elsewhere.pk != event.pk
    return World(base, event, session, people, amy)


def statuses(**by_role: int) -> dict[str, int]:
    """The answer per role. A banned member is refused like a stranger unless a row says
    otherwise, so `banned` may be left out: it then expects what `outsider` does."""
    by_role.setdefault("banned", by_role.get("outsider", -1))
    assert set(by_role) == set(ROLES), by_role
    return by_role


# The common shapes of answer.
EVERYONE = statuses(
    anonymous=200, outsider=200, attendee=200, presenter=200, facilitator=200, organiser=200
)
MEMBERS = statuses(
    anonymous=404, outsider=404, attendee=200, presenter=200, facilitator=200, organiser=200
)
SIGNED_IN = statuses(
    anonymous=401, outsider=200, attendee=200, presenter=200, facilitator=200, organiser=200
)


def staff(ok: int, anonymous: int = 401, presenter: int = 403) -> dict[str, int]:
    """Facilitators and organisers only; other members are refused, strangers see nothing."""
    return statuses(
        anonymous=anonymous,
        outsider=404,
        attendee=403,
        presenter=presenter,
        facilitator=ok,
        organiser=ok,
    )


def organisers(ok: int, anonymous: int = 401) -> dict[str, int]:
    return statuses(
        anonymous=anonymous,
        outsider=404,
        attendee=403,
        presenter=403,
        facilitator=403,
        organiser=ok,
    )


def pages(ok: int) -> dict[str, int]:
    """A signed-in page: anonymous readers are sent to sign in (302)."""
    return statuses(
        anonymous=302, outsider=ok, attendee=ok, presenter=ok, facilitator=ok, organiser=ok
    )


def session_payload(title: str) -> dict[str, Any]:
    start = dt.datetime(2026, 7, 1, 11, tzinfo=dt.UTC)
    return {
        "title": title,
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
    }


def _stream_status(w: World, role: str, path: str) -> int:
    with w.api(role) as client, client.stream("GET", path) as response:
        return response.status_code


def _sanction(w: World, target: Person | None = None) -> Any:
    from backchannel.moderation.actions import sanction

    return sanction(
        w.people["organiser"].user,
        w.event,
        (target or w.amy).user,
        kind="mute",
        reason="spam",
        minutes=10,
    )


def _decision_about_attendee(w: World) -> Any:
    from backchannel.moderation.actions import warn

    return warn(
        w.people["organiser"].user, w.event, w.people["attendee"].user, reason="other", message="Hi"
    )


def _appeal(w: World) -> Any:
    from backchannel.moderation.actions import appeal, warn

    decision = warn(w.people["organiser"].user, w.event, w.amy.user, reason="other", message="Hi")
    return appeal(w.amy.user, decision, text="Please look again")


def _org_member(w: World) -> str:
    from backchannel.orgs.actions import add_member
    from backchannel.orgs.queries import get_organisation

    add_member(w.people["organiser"].user, get_organisation("acme"), handle="amy", role="member")
    return "amy"


def _acme_id(w: World) -> str:
    from backchannel.orgs.queries import get_organisation

    return str(get_organisation("acme").pk)


ORG_ADMIN = statuses(
    anonymous=401, outsider=403, attendee=403, presenter=403, facilitator=403, organiser=200
)
ORG_MEMBERS = statuses(
    anonymous=401, outsider=403, attendee=200, presenter=403, facilitator=403, organiser=200
)


def _question(w: World) -> Any:
    from backchannel.qa.actions import ask

    return ask(w.amy.user, w.session, body=f"What about funding? {next(_counter)}").question


def _poll(w: World, status: str = "open") -> Any:
    from backchannel.qa import polls

    poll = polls.create_poll(
        w.people["organiser"].user, w.session, question="Next?", kind="single", options=["A", "B"]
    )
    if status != "draft":
        polls.set_status(w.people["organiser"].user, poll, status=status)
    w.last_poll_option = poll.options.first().pk
    return poll


def _block(w: World) -> Any:
    from backchannel.events import seats

    w.session.kind = "plenary"
    w.session.save(update_fields=["kind"])
    return seats.create_block(w.people["organiser"].user, w.session, label="Front", capacity=50)


def _reservation(w: World, who: str = "attendee") -> Any:
    """The attendee's active reservation (a new one when the last was cancelled)."""
    from backchannel.events import seats

    existing = seats.reservation_of(w.people[who].user, w.session)
    return existing or seats.reserve(w.people[who].user, _block(w))


RUNNERS = statuses(
    anonymous=401, outsider=404, attendee=403, presenter=200, facilitator=200, organiser=200
)


def _word_filter(w: World) -> Any:
    from backchannel.moderation.actions import add_word_filter

    return add_word_filter(
        w.people["organiser"].user, w.event, term=f"term{next(_counter)}", action="flag"
    )


def _article(w: World, cover: bool = False) -> Any:
    """A fresh published article of the event, linked to its session."""
    from backchannel.blog.actions import create_article, set_cover

    article = create_article(
        w.people["organiser"].user,
        w.event,
        title=f"Article {next(_counter)}",
        body="What we heard.",
        session=w.session.pk,
        publish=True,
    )
    if cover:
        import io

        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (40, 20), (10, 90, 100)).save(out, "PNG")
        set_cover(w.people["organiser"].user, article, out.getvalue(), alt="A room")
    return article


def _logo(w: World) -> str:
    """The join-code event's logo, uploaded once: the address of the picture."""
    import io

    from PIL import Image

    from backchannel.events.actions import set_event_image

    if not w.event.logo_version:
        out = io.BytesIO()
        Image.new("RGB", (60, 20), (10, 90, 100)).save(out, "PNG")
        set_event_image(w.people["organiser"].user, w.event, "logo", out.getvalue())
    return w.event.logo_url


def _article_payload(w: World) -> dict[str, Any]:
    return {"title": f"Written {next(_counter)}", "body": "Text", "publish": True}


Call = Callable[[World, str], int]


@dataclass
class Row:
    id: str
    call: Call
    expected: dict[str, int]
    # The API operation ("METHOD /api/v1/path" as in the OpenAPI document) or the page's URL name.
    covers: str = ""
    streams: bool = False  # reads a stream: needs the live server


def api(method: str, path: Callable[[World], str], body: Any = None) -> Call:
    def call(w: World, role: str) -> int:
        with w.api(role) as client:
            url = path(w)  # first: it may make what the body refers to
            payload = body(w) if callable(body) else body
            return client.request(method, url, json=payload).status_code

    return call


def gated(expected: dict[str, int]) -> dict[str, int]:
    """A page of the join-code event: whoever may not read it (signed out, or a member of
    another event) gets the join form with 403 instead of 404; page_get checks that it shows
    nothing of the event."""
    return {
        role: 403 if role in ("anonymous", "outsider", "banned") and code == 404 else code
        for role, code in expected.items()
    }


def page_get(path: Callable[[World], str]) -> Call:
    def call(w: World, role: str) -> int:
        url = path(w)
        answer = w.page(role).get(url)
        if (
            url.startswith("/e/safe/")
            and answer.status_code == 403
            and role in ("anonymous", "outsider")
        ):
            assert "needs a join code" in answer.text, answer.text[:300]
            assert "Safe Event" not in answer.text and "Keynote" not in answer.text
        return answer.status_code

    return call


def shows(where: Callable[[World], tuple[str, str]], *, api_read: bool = False) -> Call:
    """A list anyone may open (the blog, feeds, profiles, the home page): 200 when it shows
    the join-code event's item, 404 when it leaves it out. `where` makes the item and returns
    (the list's address, a text only the item has). So who sees what in a list is asserted
    here, like any other read."""

    def call(w: World, role: str) -> int:
        url, marker = where(w)
        if api_read:
            with w.api(role) as client:
                answer = client.get(url)
        else:
            answer = w.page(role).get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        return 200 if marker in answer.text else 404

    return call


def with_revoked_token(path: Callable[[World], str]) -> Call:
    """Read with a token its owner revoked (anonymous readers read without one)."""

    def call(w: World, role: str) -> int:
        from backchannel.accounts.actions import create_api_token, revoke_api_token

        headers = {}
        if role != "anonymous":
            user = w.people[role].user
            token, raw = create_api_token(user, name=f"old {next(_counter)}")
            revoke_api_token(user, token.pk)
            headers = {"Authorization": f"Bearer {raw}"}
        with client(w.base) as reader:
            return reader.get(path(w), headers=headers).status_code

    return call


def with_signed_out_cookie(path: Callable[[World], str], stream: bool = False) -> Call:
    """Read with the session cookie of a browser that signed out (anonymous: no cookie)."""

    def call(w: World, role: str) -> int:
        headers = {}
        if role != "anonymous":
            page = PageSession(w.base)
            page.login(w.people[role].handle, PASSWORD)
            headers = {"Cookie": f"sessionid={page.client.cookies['sessionid']}"}
            assert page.submit("/accounts/logout/", {}, form_page="/").status_code == 302
        with client(w.base) as reader:
            if stream:
                with reader.stream("GET", path(w), headers=headers) as answer:
                    return answer.status_code
            return reader.get(path(w), headers=headers).status_code

    return call


def federating(
    path: Callable[[World], str], *, as_activity: bool = False, method: str = "get"
) -> Call:
    """Read with federation on for the site and for the join-code event (which must still
    never federate): WebFinger, NodeInfo, or a page asked for as an ActivityPub actor; or
    post an unsigned activity to an inbox."""

    def call(w: World, role: str) -> int:
        from django.test import override_settings

        w.event.federates = True
        w.event.save(update_fields=["federates"])
        headers = {"Accept": "application/activity+json"} if as_activity else {}
        with override_settings(BACKCHANNEL_SITE_URL=w.base, BACKCHANNEL_FEDERATION_ALLOW_HTTP=True):
            if method == "post":
                activity = {
                    "id": "https://x.example/1",
                    "type": "Follow",
                    "actor": "https://x.example/a",
                }
                return w.page(role).client.post(path(w), json=activity).status_code
            return w.page(role).client.get(path(w), headers=headers).status_code

    return call


def in_event_turned_join_code(path: Callable[[Any], str]) -> Call:
    """Read an event that was public and became join-code, with the same people in the same
    roles (its banned member banned there too)."""

    def call(w: World, role: str) -> int:
        from backchannel.events import actions as events
        from backchannel.events.models import Registration
        from backchannel.moderation.actions import sanction

        organiser = w.people["organiser"].user
        event = events.create_event(
            organiser,
            slug=f"turned-{next(_counter)}",
            name="Turned Event",
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 9, 1),
        )
        for who in ("facilitator", "presenter", "attendee", "banned"):
            Registration.objects.create(event=event, user=w.people[who].user, role="attendee")
        Registration.objects.filter(event=event, user=w.people["facilitator"].user).update(
            role="facilitator"
        )
        sanction(organiser, event, w.people["banned"].user, kind="ban", reason="spam")
        fields = {"access": "code", "join_code": "TURNED"}
        event = events.update_event(organiser, event, **_event_fields(event), **fields)
        with w.api(role) as client:
            return client.get(path(event)).status_code

    return call


def _event_fields(event: Any) -> dict[str, Any]:
    from backchannel.events.forms import EditEventForm

    return {
        name: getattr(event, name)
        for name in EditEventForm.base_fields
        if name not in ("access", "join_code") and hasattr(event, name)
    }


def _tagged_article(w: World) -> Any:
    from backchannel.blog.actions import create_article

    return create_article(
        w.people["organiser"].user,
        w.event,
        title=f"Members only {next(_counter)}",
        body="Said in the room.",
        tags=["insafe"],
        publish=True,
    )


def page_post(path: Callable[[World], str], data: Any = None) -> Call:
    """`data`: the form's fields, or a function of the world that makes them."""

    def call(w: World, role: str) -> int:
        url = path(w)  # first: it may make what the data refers to
        return w.form_post(role, url, data(w) if callable(data) else data)

    return call


S = "/api/v1"
ROWS: list[Row] = [
    # --- Events, sessions, accounts, the caution check
    Row("list events", api("GET", lambda w: f"{S}/events"), EVERYONE, "GET /api/v1/events"),
    Row(
        "create event",
        api(
            "POST",
            lambda w: f"{S}/events",
            lambda w: {
                "slug": f"new-{next(_counter)}",
                "name": "New",
                "starts_on": "2026-09-01",
                "ends_on": "2026-09-01",
            },
        ),
        statuses(
            anonymous=401, outsider=201, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/events",
    ),
    Row(
        "get event", api("GET", lambda w: f"{S}/events/safe"), MEMBERS, "GET /api/v1/events/{slug}"
    ),
    Row(
        "join without the code",
        api(
            "POST", lambda w: f"{S}/events/safe/join", {"code": "", "accept_code_of_conduct": True}
        ),
        statuses(
            anonymous=401, outsider=403, attendee=200, presenter=200, facilitator=200, organiser=200
        ),
        "POST /api/v1/events/{slug}/join",
    ),
    Row(
        "add a room",
        api("POST", lambda w: f"{S}/events/safe/rooms", lambda w: {"name": f"R{next(_counter)}"}),
        organisers(201),
        "POST /api/v1/events/{slug}/rooms",
    ),
    Row(
        "add a session",
        api("POST", lambda w: f"{S}/events/safe/sessions", lambda w: session_payload("New")),
        organisers(201),
        "POST /api/v1/events/{slug}/sessions",
    ),
    Row(
        "get a session",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}"),
        MEMBERS,
        "GET /api/v1/sessions/{session_id}",
    ),
    Row(
        "change a session",
        api(
            "PUT",
            lambda w: f"{S}/sessions/{w.session.pk}",
            lambda w: {**session_payload("Keynote"), "presenters": ["pat"]},
        ),
        organisers(200),
        "PUT /api/v1/sessions/{session_id}",
    ),
    Row("who am I", api("GET", lambda w: f"{S}/me"), SIGNED_IN, "GET /api/v1/me"),
    Row(
        "edit my profile",
        api("PUT", lambda w: f"{S}/me", {"display_name": "Someone"}),
        SIGNED_IN,
        "PUT /api/v1/me",
    ),
    Row(
        "a profile", api("GET", lambda w: f"{S}/users/amy"), EVERYONE, "GET /api/v1/users/{handle}"
    ),
    Row(
        "caution check",
        api("POST", lambda w: f"{S}/caution/check", {"text": "Great talk"}),
        SIGNED_IN,
        "POST /api/v1/caution/check",
    ),
    # --- The feed
    Row(
        "read posts",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/posts"),
        MEMBERS,
        "GET /api/v1/sessions/{session_id}/posts",
    ),
    Row(
        "write a post",
        api(
            "POST",
            lambda w: f"{S}/sessions/{w.session.pk}/posts",
            lambda w: {"body": f"Hello {next(_counter)}"},
        ),
        statuses(
            anonymous=401, outsider=404, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/sessions/{session_id}/posts",
    ),
    Row(
        "read a post",
        api("GET", lambda w: f"{S}/posts/{w.post().pk}"),
        MEMBERS,
        "GET /api/v1/posts/{post_id}",
    ),
    Row(
        "delete someone's post (the attendee's own)",
        api("DELETE", lambda w: f"{S}/posts/{w.post(w.people['attendee']).pk}"),
        statuses(
            anonymous=401, outsider=404, attendee=204, presenter=403, facilitator=204, organiser=204
        ),
        "DELETE /api/v1/posts/{post_id}",
    ),
    Row(
        "like",
        api("PUT", lambda w: f"{S}/posts/{w.post().pk}/reactions/like"),
        statuses(
            anonymous=401, outsider=404, attendee=200, presenter=200, facilitator=200, organiser=200
        ),
        "PUT /api/v1/posts/{post_id}/reactions/{kind}",
    ),
    Row(
        "unlike",
        api("DELETE", lambda w: f"{S}/posts/{w.post().pk}/reactions/like"),
        statuses(
            anonymous=401, outsider=404, attendee=200, presenter=200, facilitator=200, organiser=200
        ),
        "DELETE /api/v1/posts/{post_id}/reactions/{kind}",
    ),
    Row(
        "a session's stream",
        lambda w, role: _stream_status(w, role, f"{S}/sessions/{w.session.pk}/stream"),
        MEMBERS,
        "GET /api/v1/sessions/{session_id}/stream",
        streams=True,
    ),
    Row(
        "the moderation stream",
        lambda w, role: _stream_status(w, role, f"{S}/events/safe/moderation/stream"),
        staff(200),
        "GET /api/v1/events/{slug}/moderation/stream",
        streams=True,
    ),
    Row(
        "my own stream",
        lambda w, role: _stream_status(w, role, f"{S}/me/stream"),
        SIGNED_IN,
        "GET /api/v1/me/stream",
        streams=True,
    ),
    Row(
        "Tweet Seats",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/seats"),
        MEMBERS,
        "GET /api/v1/sessions/{session_id}/seats",
    ),
    Row(
        "add a seat block",
        api(
            "POST",
            lambda w: f"{S}/sessions/{_block(w).session_id}/seats",
            {"label": "Back", "capacity": 5},
        ),
        organisers(201),
        "POST /api/v1/sessions/{session_id}/seats",
    ),
    Row(
        "reserve a seat",
        api("POST", lambda w: f"{S}/seat-blocks/{_block(w).pk}/reservations"),
        statuses(
            anonymous=401, outsider=404, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/seat-blocks/{block_id}/reservations",
    ),
    Row(
        "cancel the attendee's seat",
        api("DELETE", lambda w: f"{S}/reservations/{_reservation(w).pk}"),
        statuses(
            anonymous=401, outsider=404, attendee=204, presenter=404, facilitator=204, organiser=204
        ),
        "DELETE /api/v1/reservations/{reservation_id}",
    ),
    Row(
        "who holds seats",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/reservations"),
        staff(200),
        "GET /api/v1/sessions/{session_id}/reservations",
    ),
    Row(
        "check someone in",
        api("POST", lambda w: f"{S}/reservations/{_reservation(w).pk}/check-in"),
        {**staff(200), "attendee": 403, "presenter": 404},
        "POST /api/v1/reservations/{reservation_id}/check-in",
    ),
    Row(
        "seats page",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/seats/"),
        gated(MEMBERS),
        "seats",
    ),
    Row(
        "add a seat block (form)",
        page_post(
            lambda w: f"/e/safe/s/{_block(w).session_id}/seats/new/",
            {"label": "Back", "capacity": "5"},
        ),
        organisers(302, anonymous=302),
        "add_seat_block",
    ),
    Row(
        "reserve (form)",
        page_post(lambda w: f"/seat-blocks/{_block(w).pk}/reserve/"),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "reserve_seat",
    ),
    Row(
        "cancel (form), the attendee's seat",
        page_post(lambda w: f"/reservations/{_reservation(w).pk}/cancel/"),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=404, facilitator=302, organiser=302
        ),
        "cancel_seat",
    ),
    Row(
        "check in (form)",
        page_post(lambda w: f"/reservations/{_reservation(w).pk}/check-in/"),
        {**staff(302, anonymous=302), "attendee": 403, "presenter": 404},
        "check_in_seat",
    ),
    Row(
        "what the wall shows",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/wall"),
        MEMBERS,
        "GET /api/v1/sessions/{session_id}/wall",
    ),
    Row(
        "pause the wall",
        api("PUT", lambda w: f"{S}/sessions/{w.session.pk}/wall", {"paused": True}),
        staff(200),
        "PUT /api/v1/sessions/{session_id}/wall",
    ),
    Row(
        "approve a post for the wall",
        api("PUT", lambda w: f"{S}/posts/{w.post().pk}/wall"),
        staff(204),
        "PUT /api/v1/posts/{post_id}/wall",
    ),
    Row(
        "take a post off the wall",
        api("DELETE", lambda w: f"{S}/posts/{w.post().pk}/wall"),
        staff(204),
        "DELETE /api/v1/posts/{post_id}/wall",
    ),
    Row(
        "the wall page",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/wall/"),
        gated(MEMBERS),
        "wall",
    ),
    Row(
        "pause the wall (form)",
        page_post(lambda w: f"/e/safe/s/{w.session.pk}/wall/pause/", {"paused": "1"}),
        staff(302, anonymous=302),
        "wall_pause",
    ),
    Row(
        "the wall's settings (form)",
        page_post(
            lambda w: f"/e/safe/s/{w.session.pk}/wall/settings/",
            {"mode": "delay", "delay_seconds": "30"},
        ),
        staff(302, anonymous=302),
        "wall_settings",
    ),
    Row(
        "approve a post for the wall (form)",
        page_post(lambda w: f"/e/safe/s/{w.session.pk}/wall/posts/{w.post().pk}/", {"on": "1"}),
        staff(302, anonymous=302),
        "wall_approve",
    ),
    # --- Moderation
    Row(
        "report a post",
        api("POST", lambda w: f"{S}/posts/{w.post().pk}/reports", {"reason": "spam", "note": ""}),
        statuses(
            anonymous=401, outsider=404, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/posts/{post_id}/reports",
    ),
    Row(
        "the queue",
        api("GET", lambda w: f"{S}/events/safe/moderation/queue"),
        staff(200),
        "GET /api/v1/events/{slug}/moderation/queue",
    ),
    Row(
        "hide a post",
        api(
            "POST",
            lambda w: f"{S}/posts/{w.post().pk}/moderation",
            {"action": "hide", "reason": "spam"},
        ),
        staff(200, presenter=403),
        "POST /api/v1/posts/{post_id}/moderation",
    ),
    Row(
        "the log",
        api("GET", lambda w: f"{S}/events/safe/moderation/log"),
        staff(200),
        "GET /api/v1/events/{slug}/moderation/log",
    ),
    Row(
        "restrictions in force",
        api("GET", lambda w: f"{S}/events/safe/sanctions"),
        staff(200),
        "GET /api/v1/events/{slug}/sanctions",
    ),
    Row(
        "mute someone",
        api(
            "POST",
            lambda w: f"{S}/events/safe/sanctions",
            {"handle": "amy", "kind": "mute", "reason": "spam", "minutes": 5},
        ),
        staff(201),
        "POST /api/v1/events/{slug}/sanctions",
    ),
    Row(
        "lift a restriction",
        api("POST", lambda w: f"{S}/sanctions/{_sanction(w).pk}/lift", {}),
        staff(200),
        "POST /api/v1/sanctions/{sanction_id}/lift",
    ),
    Row(
        "session moderation",
        api(
            "PUT",
            lambda w: f"{S}/sessions/{w.session.pk}/moderation",
            {"premoderated": False, "slow_mode_seconds": 0},
        ),
        staff(200),
        "PUT /api/v1/sessions/{session_id}/moderation",
    ),
    Row(
        "word filters",
        api("GET", lambda w: f"{S}/events/safe/word-filters"),
        staff(200),
        "GET /api/v1/events/{slug}/word-filters",
    ),
    Row(
        "add a word filter",
        api(
            "POST",
            lambda w: f"{S}/events/safe/word-filters",
            lambda w: {"term": f"t{next(_counter)}", "action": "flag"},
        ),
        staff(201),
        "POST /api/v1/events/{slug}/word-filters",
    ),
    Row(
        "remove a word filter",
        api("DELETE", lambda w: f"{S}/word-filters/{_word_filter(w).pk}"),
        staff(204),
        "DELETE /api/v1/word-filters/{filter_id}",
    ),
    Row("my notices", api("GET", lambda w: f"{S}/me/notices"), SIGNED_IN, "GET /api/v1/me/notices"),
    Row(
        "appeal a decision about the attendee",
        api(
            "POST",
            lambda w: f"{S}/decisions/{_decision_about_attendee(w).pk}/appeal",
            {"text": "Please look again"},
        ),
        statuses(
            anonymous=401, outsider=404, attendee=201, presenter=404, facilitator=403, organiser=403
        ),
        "POST /api/v1/decisions/{decision_id}/appeal",
    ),
    Row(
        "appeals waiting",
        api("GET", lambda w: f"{S}/events/safe/appeals"),
        staff(200),
        "GET /api/v1/events/{slug}/appeals",
    ),
    Row(
        "decide an appeal",
        api("POST", lambda w: f"{S}/appeals/{_appeal(w).pk}/decision", {"grant": False}),
        staff(200),
        "POST /api/v1/appeals/{appeal_id}/decision",
    ),
    Row(
        "transparency counts",
        api("GET", lambda w: f"{S}/events/safe/moderation/transparency"),
        MEMBERS,
        "GET /api/v1/events/{slug}/moderation/transparency",
    ),
    # --- Q&A
    Row(
        "list questions",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/questions"),
        MEMBERS,
        "GET /api/v1/sessions/{session_id}/questions",
    ),
    Row(
        "ask a question",
        api(
            "POST",
            lambda w: f"{S}/sessions/{w.session.pk}/questions",
            lambda w: {"body": f"How do we start? {next(_counter)}"},
        ),
        statuses(
            anonymous=401, outsider=404, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/sessions/{session_id}/questions",
    ),
    Row(
        "similar questions",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/questions/similar?text=funding+ideas"),
        MEMBERS,
        "GET /api/v1/sessions/{session_id}/questions/similar",
    ),
    Row(
        "vote",
        api("POST", lambda w: f"{S}/questions/{_question(w).pk}/vote"),
        statuses(
            anonymous=401, outsider=404, attendee=200, presenter=200, facilitator=200, organiser=200
        ),
        "POST /api/v1/questions/{question_id}/vote",
    ),
    Row(
        "take a vote back",
        api("DELETE", lambda w: f"{S}/questions/{_question(w).pk}/vote"),
        statuses(
            anonymous=401, outsider=404, attendee=200, presenter=200, facilitator=200, organiser=200
        ),
        "DELETE /api/v1/questions/{question_id}/vote",
    ),
    Row(
        "mark answered",
        api("PATCH", lambda w: f"{S}/questions/{_question(w).pk}", {"status": "answered"}),
        RUNNERS,
        "PATCH /api/v1/questions/{question_id}",
    ),
    Row(
        "merge a duplicate",
        api(
            "POST",
            lambda w: f"{S}/questions/{_question(w).pk}/merge",
            lambda w: {"into": _question(w).pk},
        ),
        RUNNERS,
        "POST /api/v1/questions/{question_id}/merge",
    ),
    Row(
        "now answering",
        api(
            "PUT",
            lambda w: f"{S}/sessions/{w.session.pk}/now-answering",
            lambda w: {"question_id": _question(w).pk},
        ),
        RUNNERS,
        "PUT /api/v1/sessions/{session_id}/now-answering",
    ),
    Row(
        "questions page",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/questions/"),
        gated(MEMBERS),
        "questions",
    ),
    Row(
        "ask (form)",
        page_post(lambda w: f"/e/safe/s/{w.session.pk}/questions/ask/", {"body": "Why?"}),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "ask_question",
    ),
    Row(
        "presenter view",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/presenter/"),
        gated({**RUNNERS, "anonymous": 404}),
        "presenter_view",
    ),
    Row(
        "vote (form)",
        page_post(lambda w: f"/questions/{_question(w).pk}/vote/"),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "vote_question",
    ),
    Row(
        "list polls",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/polls"),
        MEMBERS,
        "GET /api/v1/sessions/{session_id}/polls",
    ),
    Row(
        "create a poll",
        api(
            "POST",
            lambda w: f"{S}/sessions/{w.session.pk}/polls",
            {"question": "Next?", "kind": "words"},
        ),
        {**RUNNERS, "presenter": 201, "facilitator": 201, "organiser": 201},
        "POST /api/v1/sessions/{session_id}/polls",
    ),
    Row(
        "open a poll",
        api("PATCH", lambda w: f"{S}/polls/{_poll(w, 'draft').pk}", {"status": "open"}),
        {**RUNNERS, "attendee": 404},  # a draft is invisible to the room
        "PATCH /api/v1/polls/{poll_id}",
    ),
    Row(
        "answer a poll",
        api(
            "POST",
            lambda w: f"{S}/polls/{_poll(w).pk}/responses",
            lambda w: {"options": [w.last_poll_option]},
        ),
        statuses(
            anonymous=401, outsider=404, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/polls/{poll_id}/responses",
    ),
    Row(
        "poll results",
        api("GET", lambda w: f"{S}/polls/{_poll(w).pk}/results"),
        MEMBERS,
        "GET /api/v1/polls/{poll_id}/results",
    ),
    Row(
        "poll results as CSV",
        api("GET", lambda w: f"{S}/polls/{_poll(w).pk}/results.csv"),
        RUNNERS,
        "GET /api/v1/polls/{poll_id}/results.csv",
    ),
    Row(
        "create a poll (form)",
        page_post(
            lambda w: f"/e/safe/s/{w.session.pk}/polls/new/", {"question": "Q?", "kind": "words"}
        ),
        statuses(
            anonymous=302, outsider=404, attendee=403, presenter=302, facilitator=302, organiser=302
        ),
        "create_poll",
    ),
    Row(
        "answer a poll (form)",
        page_post(
            lambda w: f"/polls/{_poll(w).pk}/answer/", lambda w: {"option": str(w.last_poll_option)}
        ),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "answer_poll",
    ),
    # --- Organisations and codes of conduct
    Row(
        "an organisation",
        api("GET", lambda w: f"{S}/orgs/acme"),
        EVERYONE,
        "GET /api/v1/orgs/{slug}",
    ),
    Row(
        "create an organisation",
        api(
            "POST", lambda w: f"{S}/orgs", lambda w: {"slug": f"org-{next(_counter)}", "name": "O"}
        ),
        statuses(
            anonymous=401, outsider=201, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/orgs",
    ),
    Row(
        "a policy version",
        api("GET", lambda w: f"{S}/orgs/acme/policies/1"),
        EVERYONE,
        "GET /api/v1/orgs/{slug}/policies/{version}",
    ),
    Row(
        "publish a policy",
        api("POST", lambda w: f"{S}/orgs/acme/policies", {"body": "New rules"}),
        {**ORG_ADMIN, "organiser": 201},
        "POST /api/v1/orgs/{slug}/policies",
    ),
    Row(
        "acknowledge a policy",
        api("POST", lambda w: f"{S}/orgs/acme/policies/1/acknowledge"),
        ORG_MEMBERS,
        "POST /api/v1/orgs/{slug}/policies/{version}/acknowledge",
    ),
    Row(
        "an organisation's members",
        api("GET", lambda w: f"{S}/orgs/acme/members"),
        ORG_ADMIN,
        "GET /api/v1/orgs/{slug}/members",
    ),
    Row(
        "add a member",
        api("POST", lambda w: f"{S}/orgs/acme/members", {"handle": "amy"}),
        {**ORG_ADMIN, "organiser": 201},
        "POST /api/v1/orgs/{slug}/members",
    ),
    Row(
        "remove a member",
        api("DELETE", lambda w: f"{S}/orgs/acme/members/{_org_member(w)}"),
        {**ORG_ADMIN, "organiser": 204},
        "DELETE /api/v1/orgs/{slug}/members/{handle}",
    ),
    Row(
        "post under an organisation",
        api("PUT", lambda w: f"{S}/me/affiliation", {"organisation": "acme"}),
        ORG_MEMBERS,
        "PUT /api/v1/me/affiliation",
    ),
    Row(
        "accept the code of conduct",
        api("POST", lambda w: f"{S}/events/safe/conduct"),
        statuses(
            anonymous=401, outsider=404, attendee=200, presenter=200, facilitator=200, organiser=200
        ),
        "POST /api/v1/events/{slug}/conduct",
    ),
    Row("organisations page", page_get(lambda w: "/orgs/"), EVERYONE, "organisations"),
    Row("an organisation's page", page_get(lambda w: "/orgs/acme/"), EVERYONE, "organisation"),
    Row(
        "an organisation's admin page",
        page_get(lambda w: "/orgs/acme/manage/"),
        {**ORG_ADMIN, "anonymous": 302},
        "manage_organisation",
    ),
    Row(
        "a policy version page",
        page_get(lambda w: "/orgs/acme/policy/1/"),
        EVERYONE,
        "policy_version",
    ),
    Row(
        "acknowledge (form)",
        page_post(lambda w: "/orgs/acme/policy/1/acknowledge/"),
        {**ORG_MEMBERS, "anonymous": 302, "attendee": 302, "organiser": 302},
        "acknowledge_policy",
    ),
    Row(
        "post under an organisation (form)",
        page_post(lambda w: "/settings/affiliation/", lambda w: {"organisation": _acme_id(w)}),
        {**ORG_MEMBERS, "anonymous": 302, "attendee": 302, "organiser": 302},
        "set_affiliation",
    ),
    Row(
        "accept the code of conduct (form)",
        page_post(lambda w: "/e/safe/conduct/"),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "accept_conduct",
    ),
    # --- Pages
    Row("home", page_get(lambda w: "/"), EVERYONE, "home"),
    Row("about", page_get(lambda w: "/about/"), EVERYONE, "about"),
    Row("the posting guide", page_get(lambda w: "/guide/"), EVERYONE, "guide"),
    # Posts of join-code events are not shared beyond the room: 404 for everyone.
    Row(
        "share page",
        page_get(lambda w: f"/posts/{w.post().pk}/share/"),
        {role: 404 for role in ROLES},
        "share_post",
    ),
    Row(
        "share on Mastodon",
        page_get(lambda w: f"/posts/{w.post().pk}/share/mastodon/?instance=example.social"),
        {role: 404 for role in ROLES},
        "share_mastodon",
    ),
    Row(
        "post live coverage",
        api(
            "POST",
            lambda w: f"{S}/sessions/{w.session.pk}/posts",
            lambda w: {"body": f"Coverage {next(_counter)}", "coverage": True},
        ),
        {**staff(201), "presenter": 403},
    ),
    Row(
        "sign-up page",
        page_get(lambda w: "/accounts/signup/"),
        statuses(
            anonymous=200, outsider=302, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "signup",
    ),
    Row(
        "sign-in page",
        page_get(lambda w: "/accounts/login/"),
        statuses(
            anonymous=200, outsider=302, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "login",
    ),
    Row("sign out", page_post(lambda w: "/accounts/logout/"), pages(302), "logout"),
    Row("profile settings", page_get(lambda w: "/settings/profile/"), pages(200), "edit_profile"),
    Row("tokens", page_get(lambda w: "/settings/tokens/"), pages(200), "tokens"),
    Row(
        "password and e-mail",
        page_get(lambda w: "/settings/account/"),
        pages(200),
        "account_security",
    ),
    Row(
        "change password (form), with a wrong current password",
        page_post(
            lambda w: "/settings/account/",
            {"which": "password", "current": "not-it", "new": "another-long-passphrase"},
        ),
        pages(400),
        "account_security",
    ),
    Row(
        "ask for a reset link",
        page_get(lambda w: "/accounts/password-reset/"),
        EVERYONE,
        "password_reset",
    ),
    Row(
        "reset link sent",
        page_get(lambda w: "/accounts/password-reset/sent/"),
        EVERYONE,
        "password_reset_done",
    ),
    Row(
        "a reset link that is not valid",
        page_get(lambda w: "/accounts/password-reset/MQ/not-a-token/"),
        EVERYONE,
        "password_reset_confirm",
    ),
    Row(
        "reset complete",
        page_get(lambda w: "/accounts/password-reset/complete/"),
        EVERYONE,
        "password_reset_complete",
    ),
    Row("a profile page", page_get(lambda w: "/u/amy/"), EVERYONE, "profile"),
    Row("new event page", page_get(lambda w: "/events/new/"), pages(200), "create_event"),
    Row("join by code page", page_get(lambda w: "/join/"), EVERYONE, "join_by_code"),
    # A join-code event's page asks strangers for the code (200) and shows members the schedule.
    Row("event page", page_get(lambda w: "/e/safe/"), gated(MEMBERS), "event"),
    # Its join cards are for whoever may read it (members print them); strangers get the form.
    Row("join card", page_get(lambda w: "/e/safe/card/"), gated(MEMBERS), "join_card"),
    # Its logo and cover are seen by whoever may read it, and changed by its organisers.
    Row("the event's logo", page_get(_logo), MEMBERS, "brand_image"),
    Row(
        "remove the event's cover (form)",
        page_post(lambda w: "/e/safe/manage/brand/cover/", {"remove": "1"}),
        organisers(302, anonymous=302),
        "set_brand_image",
    ),
    Row(
        "a session's join card",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/card/"),
        gated(MEMBERS),
        "session_join_card",
    ),
    Row(
        "join form",
        page_post(lambda w: "/e/safe/join/", {"code": ""}),
        statuses(
            anonymous=302, outsider=302, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "join_event",
    ),
    Row(
        "manage page",
        page_get(lambda w: "/e/safe/manage/"),
        gated(organisers(200, anonymous=302)),
        "manage_event",
    ),
    Row(
        "add a room (form)",
        page_post(lambda w: "/e/safe/manage/rooms/", {"room-name": f"Room {next(_counter)}"}),
        organisers(302, anonymous=302),
        "add_room",
    ),
    Row(
        "new session page",
        page_get(lambda w: "/e/safe/manage/sessions/new/"),
        gated(organisers(200, anonymous=302)),
        "create_session",
    ),
    Row(
        "edit session page",
        page_get(lambda w: f"/e/safe/manage/sessions/{w.session.pk}/"),
        gated(organisers(200, anonymous=302)),
        "edit_session",
    ),
    Row("lobby", page_get(lambda w: "/e/safe/lobby/"), gated(MEMBERS), "lobby"),
    Row(
        "session page", page_get(lambda w: f"/e/safe/s/{w.session.pk}/"), gated(MEMBERS), "session"
    ),
    Row(
        "post (form)",
        page_post(lambda w: f"/e/safe/s/{w.session.pk}/post/", {"body": "Hi from the form"}),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "post_to_session",
    ),
    Row("hashtag page", page_get(lambda w: "/e/safe/tags/keynote/"), gated(MEMBERS), "hashtag"),
    Row(
        "delete (form), the attendee's own post",
        page_post(lambda w: f"/posts/{w.post(w.people['attendee']).pk}/delete/"),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=403, facilitator=302, organiser=302
        ),
        "delete_post",
    ),
    Row(
        "like (form)",
        page_post(lambda w: f"/posts/{w.post().pk}/like/"),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "like_post",
    ),
    Row(
        "report page",
        page_get(lambda w: f"/posts/{w.post().pk}/report/"),
        statuses(
            anonymous=302, outsider=404, attendee=200, presenter=200, facilitator=200, organiser=200
        ),
        "report_post",
    ),
    Row("notices page", page_get(lambda w: "/notices/"), pages(200), "notices"),
    Row(
        "appeal (form), a decision about the attendee",
        page_post(
            lambda w: f"/notices/appeal/{_decision_about_attendee(w).pk}/", {"text": "Look again"}
        ),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=404, facilitator=302, organiser=302
        ),
        "appeal",
    ),
    Row(
        "transparency page",
        page_get(lambda w: "/e/safe/transparency/"),
        gated(MEMBERS),
        "transparency",
    ),
    Row(
        "queue page",
        page_get(lambda w: "/e/safe/moderation/"),
        gated(staff(200, anonymous=302)),
        "moderation_queue",
    ),
    Row(
        "log page",
        page_get(lambda w: "/e/safe/moderation/log/"),
        gated(staff(200, anonymous=302)),
        "moderation_log",
    ),
    Row(
        "people page",
        page_get(lambda w: "/e/safe/moderation/people/"),
        gated(staff(200, anonymous=302)),
        "moderation_people",
    ),
    Row(
        "lift (form)",
        page_post(lambda w: f"/e/safe/moderation/people/{_sanction(w).pk}/lift/"),
        staff(302, anonymous=302),
        "lift_sanction",
    ),
    Row(
        "word filters page",
        page_get(lambda w: "/e/safe/moderation/filters/"),
        gated(staff(200, anonymous=302)),
        "word_filters",
    ),
    Row(
        "remove a word filter (form)",
        page_post(lambda w: f"/e/safe/moderation/filters/{_word_filter(w).pk}/delete/"),
        staff(302, anonymous=302),
        "remove_word_filter",
    ),
    Row(
        "a post's moderation page",
        page_get(lambda w: f"/e/safe/moderation/posts/{w.post().pk}/"),
        gated(staff(200, anonymous=302)),
        "moderate_post",
    ),
    Row(
        "hide (form)",
        page_post(
            lambda w: f"/e/safe/moderation/posts/{w.post().pk}/decide/",
            {"action": "hide", "reason": "spam"},
        ),
        staff(302, anonymous=302),
        "decide_post",
    ),
    Row(
        "session moderation (form)",
        page_post(
            lambda w: f"/e/safe/moderation/sessions/{w.session.pk}/", {"slow_mode_seconds": "0"}
        ),
        staff(302, anonymous=302),
        "session_moderation",
    ),
    Row(
        "decide an appeal (form)",
        page_post(lambda w: f"/e/safe/moderation/appeals/{_appeal(w).pk}/", {"grant": "0"}),
        staff(302, anonymous=302),
        "decide_appeal",
    ),
]


# --- People, messages, notifications (issue 6) ----------------------------------------------

SIGNED_IN_PAGE_FORM = statuses(
    anonymous=302, outsider=302, attendee=302, presenter=302, facilitator=302, organiser=302
)
# Only the attendee received the message (from amy): nobody else can even find it.
RECIPIENT_ONLY = statuses(
    anonymous=401, outsider=404, attendee=200, presenter=404, facilitator=404, organiser=404
)


def _dm_to_attendee(w: World) -> Any:
    from backchannel.messaging.actions import send_message

    return send_message(w.amy.user, "ada", body=f"Private note {next(_counter)}").message


def _dm_report(w: World) -> Any:
    from backchannel.messaging.actions import report_message

    message = _dm_to_attendee(w)
    report, _ = report_message(
        w.people["attendee"].user, message.pk, event_slug="safe", reason="harassment"
    )
    return report


def _amy_avatar(w: World) -> str:
    import io

    from PIL import Image

    from backchannel.accounts.actions import set_avatar

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "teal").save(buffer, "PNG")
    user = set_avatar(w.amy.user, buffer.getvalue())
    return user.avatar_url


def api_upload(path: str) -> Call:
    def call(w: World, role: str) -> int:
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (40, 40), "teal").save(buffer, "PNG")
        with w.api(role) as client:
            files = {"avatar": ("me.png", buffer.getvalue(), "image/png")}
            return client.post(path, files=files).status_code

    return call


PEOPLE_ROWS: list[Row] = [
    Row("upload a picture", api_upload(f"{S}/me/avatar"), SIGNED_IN, "POST /api/v1/me/avatar"),
    Row(
        "remove the picture",
        api("DELETE", lambda w: f"{S}/me/avatar"),
        SIGNED_IN,
        "DELETE /api/v1/me/avatar",
    ),
    Row(
        "verify links",
        api("POST", lambda w: f"{S}/me/links/verify"),
        SIGNED_IN,
        "POST /api/v1/me/links/verify",
    ),
    Row(
        "export my data", api("GET", lambda w: f"{S}/me/export"), SIGNED_IN, "GET /api/v1/me/export"
    ),
    Row(
        "ask to delete the account (wrong password: nothing happens)",
        api(
            "POST",
            lambda w: f"{S}/me/deletion",
            {"password": "not-the-password", "mode": "remove"},
        ),
        statuses(
            anonymous=401, outsider=403, attendee=403, presenter=403, facilitator=403, organiser=403
        ),
        "POST /api/v1/me/deletion",
    ),
    Row(
        "change password, with a wrong current password",
        api(
            "PUT",
            lambda w: f"{S}/me/password",
            {"current_password": "not-it", "new_password": "another-long-passphrase"},
        ),
        statuses(
            anonymous=401, outsider=403, attendee=403, presenter=403, facilitator=403, organiser=403
        ),
        "PUT /api/v1/me/password",
    ),
    Row(
        "keep the account",
        api("DELETE", lambda w: f"{S}/me/deletion"),
        SIGNED_IN,
        "DELETE /api/v1/me/deletion",
    ),
    Row(
        "followers",
        api("GET", lambda w: f"{S}/users/amy/followers"),
        EVERYONE,
        "GET /api/v1/users/{handle}/followers",
    ),
    Row(
        "following",
        api("GET", lambda w: f"{S}/users/amy/following"),
        EVERYONE,
        "GET /api/v1/users/{handle}/following",
    ),
    Row(
        "ties",
        api("GET", lambda w: f"{S}/users/amy/ties"),
        SIGNED_IN,
        "GET /api/v1/users/{handle}/ties",
    ),
    Row(
        "follow",
        api("PUT", lambda w: f"{S}/users/amy/follow"),
        SIGNED_IN,
        "PUT /api/v1/users/{handle}/follow",
    ),
    Row(
        "unfollow",
        api("DELETE", lambda w: f"{S}/users/amy/follow"),
        SIGNED_IN,
        "DELETE /api/v1/users/{handle}/follow",
    ),
    Row(
        "mute",
        api("PUT", lambda w: f"{S}/users/amy/mute"),
        SIGNED_IN,
        "PUT /api/v1/users/{handle}/mute",
    ),
    Row(
        "unmute",
        api("DELETE", lambda w: f"{S}/users/amy/mute"),
        SIGNED_IN,
        "DELETE /api/v1/users/{handle}/mute",
    ),
    Row(
        "block",
        api("PUT", lambda w: f"{S}/users/amy/block"),
        SIGNED_IN,
        "PUT /api/v1/users/{handle}/block",
    ),
    Row(
        "unblock",
        api("DELETE", lambda w: f"{S}/users/amy/block"),
        SIGNED_IN,
        "DELETE /api/v1/users/{handle}/block",
    ),
    Row(
        "following view (API)",
        api("GET", lambda w: f"{S}/events/safe/following"),
        statuses(
            anonymous=401, outsider=404, attendee=200, presenter=200, facilitator=200, organiser=200
        ),
        "GET /api/v1/events/{slug}/following",
    ),
    Row("my conversations", api("GET", lambda w: f"{S}/dms"), SIGNED_IN, "GET /api/v1/dms"),
    Row(
        "a conversation (always the reader's own)",
        api("GET", lambda w: f"{S}/dms/amy"),
        SIGNED_IN,
        "GET /api/v1/dms/{handle}",
    ),
    Row(
        "send a message",
        api("POST", lambda w: f"{S}/dms/amy", lambda w: {"body": f"Hi {next(_counter)}"}),
        statuses(
            anonymous=401, outsider=201, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/dms/{handle}",
    ),
    Row(
        "mark a conversation read",
        api("POST", lambda w: f"{S}/dms/amy/read"),
        SIGNED_IN,
        "POST /api/v1/dms/{handle}/read",
    ),
    Row(
        "report a message (its recipient only)",
        api(
            "POST",
            lambda w: f"{S}/dms/messages/{_dm_to_attendee(w).pk}/report",
            {"event": "safe", "reason": "harassment"},
        ),
        statuses(
            anonymous=401, outsider=404, attendee=201, presenter=404, facilitator=404, organiser=404
        ),
        "POST /api/v1/dms/messages/{message_id}/report",
    ),
    Row(
        "reported messages",
        api("GET", lambda w: f"{S}/events/safe/moderation/message-reports"),
        staff(200),
        "GET /api/v1/events/{slug}/moderation/message-reports",
    ),
    Row(
        "handle a reported message",
        api(
            "POST",
            lambda w: f"{S}/events/safe/moderation/message-reports/{_dm_report(w).pk}",
            {"outcome": "dismissed"},
        ),
        staff(200),
        "POST /api/v1/events/{slug}/moderation/message-reports/{report_id}",
    ),
    Row(
        "notifications",
        api("GET", lambda w: f"{S}/notifications"),
        SIGNED_IN,
        "GET /api/v1/notifications",
    ),
    Row(
        "mark notifications read",
        api("POST", lambda w: f"{S}/notifications/read", {}),
        SIGNED_IN,
        "POST /api/v1/notifications/read",
    ),
    Row(
        "notification settings",
        api("GET", lambda w: f"{S}/me/notification-settings"),
        SIGNED_IN,
        "GET /api/v1/me/notification-settings",
    ),
    Row(
        "change notification settings",
        api(
            "PUT",
            lambda w: f"{S}/me/notification-settings",
            {"follow": {"in_app": False, "email": False}},
        ),
        SIGNED_IN,
        "PUT /api/v1/me/notification-settings",
    ),
    # Pages
    Row(
        "picture (form)",
        page_post(lambda w: "/settings/avatar/", {"remove": "1"}),
        SIGNED_IN_PAGE_FORM,
        "set_avatar",
    ),
    Row(
        "verify links (form)",
        page_post(lambda w: "/settings/links/verify/"),
        SIGNED_IN_PAGE_FORM,
        "verify_links",
    ),
    Row(
        "notification settings page",
        page_get(lambda w: "/settings/notifications/"),
        pages(200),
        "notification_settings",
    ),
    Row("your data page", page_get(lambda w: "/settings/data/"), pages(200), "my_data"),
    Row(
        "download as JSON",
        page_get(lambda w: "/settings/data/export.json"),
        pages(200),
        "export_json",
    ),
    Row(
        "download as CSV",
        page_get(lambda w: "/settings/data/export.zip"),
        pages(200),
        "export_csv",
    ),
    Row(
        "delete the account (form, wrong password)",
        page_post(lambda w: "/settings/delete/", {"mode": "remove", "password": "nope"}),
        statuses(
            anonymous=302, outsider=400, attendee=400, presenter=400, facilitator=400, organiser=400
        ),
        "delete_account",
    ),
    Row(
        "keep the account (form)",
        page_post(lambda w: "/settings/delete/cancel/"),
        SIGNED_IN_PAGE_FORM,
        "cancel_deletion",
    ),
    Row("a picture", page_get(_amy_avatar), EVERYONE, "avatar"),
    Row("followers page", page_get(lambda w: "/u/amy/followers/"), EVERYONE, "followers"),
    Row("search page", page_get(lambda w: "/e/safe/search/?q=keynote"), gated(MEMBERS), "search"),
    Row("the schedule (.ics)", page_get(lambda w: "/e/safe/schedule.ics"), MEMBERS, "schedule_ics"),
    Row(
        "a session's RSS",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/feed.rss"),
        MEMBERS,
        "session_rss",
    ),
    Row(
        "a session's Atom",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/feed.atom"),
        MEMBERS,
        "session_atom",
    ),
    Row(
        "exports page",
        page_get(lambda w: "/e/safe/export/"),
        gated(organisers(200, anonymous=302)),
        "exports",
    ),
    Row(
        "export the event",
        page_get(lambda w: "/e/safe/export.json"),
        organisers(200, anonymous=302),
        "export_event",
    ),
    Row(
        "export a session",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/export.md"),
        organisers(200, anonymous=302),
        "export_session",
    ),
    Row(
        "export the event (API)",
        api("GET", lambda w: f"{S}/events/safe/export"),
        organisers(200),
        "GET /api/v1/events/{slug}/export",
    ),
    Row(
        "export a session (API)",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/export?format=csv"),
        organisers(200),
        "GET /api/v1/sessions/{session_id}/export",
    ),
    Row(
        "event analytics",
        page_get(lambda w: "/e/safe/analytics/"),
        gated(organisers(200, anonymous=302)),
        "event_analytics",
    ),
    Row(
        "event analytics CSV",
        page_get(lambda w: "/e/safe/analytics.csv"),
        organisers(200, anonymous=302),
        "event_analytics_csv",
    ),
    Row(
        "session analytics",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/analytics/"),
        gated(organisers(200, anonymous=302)),
        "session_analytics",
    ),
    Row(
        "session analytics CSV",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/analytics.csv"),
        organisers(200, anonymous=302),
        "session_analytics_csv",
    ),
    Row(
        "event analytics (API)",
        api("GET", lambda w: f"{S}/events/safe/analytics"),
        organisers(200),
        "GET /api/v1/events/{slug}/analytics",
    ),
    Row(
        "session analytics (API)",
        api("GET", lambda w: f"{S}/sessions/{w.session.pk}/analytics"),
        organisers(200),
        "GET /api/v1/sessions/{session_id}/analytics",
    ),
    # --- The blog
    Row("blog", page_get(lambda w: "/blog/"), EVERYONE, "blog"),
    Row("blog tag", page_get(lambda w: "/blog/tags/care/"), EVERYONE, "blog_tag"),
    Row("blog RSS", page_get(lambda w: "/blog/feed.rss"), EVERYONE, "blog_rss"),
    Row("blog Atom", page_get(lambda w: "/blog/feed.atom"), EVERYONE, "blog_atom"),
    Row("event blog", page_get(lambda w: "/e/safe/blog/"), gated(MEMBERS), "event_blog"),
    Row(
        "write an article (page)",
        page_get(lambda w: "/e/safe/blog/new/"),
        gated(organisers(200, anonymous=302)),
        "new_article",
    ),
    Row("an article", page_get(lambda w: f"/blog/{_article(w).slug}/"), MEMBERS, "article"),
    Row(
        "an article's cover",
        page_get(lambda w: f"/blog/{_article(w, cover=True).slug}/cover/1.webp"),
        MEMBERS,
        "article_cover",
    ),
    Row(
        "edit an article (page)",
        page_get(lambda w: f"/blog/{_article(w).slug}/edit/"),
        organisers(200, anonymous=302),
        "edit_article",
    ),
    Row(
        "delete an article (form)",
        page_post(lambda w: f"/blog/{_article(w).slug}/delete/"),
        organisers(302, anonymous=302),
        "delete_article",
    ),
    Row(
        "comment (form)",
        page_post(lambda w: f"/blog/{_article(w).slug}/comment/", {"body": "Hi from the form"}),
        statuses(
            anonymous=302, outsider=404, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "comment_on_article",
    ),
    Row(
        "list articles",
        api("GET", lambda w: f"{S}/blog/articles"),
        EVERYONE,
        "GET /api/v1/blog/articles",
    ),
    # --- Lists show the join-code event's things to those who may read it, and to no one
    # else (a ban included): one rule, events.permissions.readable_events.
    Row(
        "the event's article in the blog",
        shows(lambda w: ("/blog/", _tagged_article(w).title)),
        MEMBERS,
        "blog",
    ),
    Row(
        "the event's article under its tag",
        shows(lambda w: ("/blog/tags/insafe/", _tagged_article(w).title)),
        MEMBERS,
        "blog_tag",
    ),
    Row(
        "the event's article in the blog's RSS",
        shows(lambda w: ("/blog/feed.rss", _tagged_article(w).title)),
        MEMBERS,
        "blog_rss",
    ),
    Row(
        "the event's article in the blog's Atom",
        shows(lambda w: ("/blog/feed.atom", _tagged_article(w).title)),
        MEMBERS,
        "blog_atom",
    ),
    Row(
        "the event's article in the articles API",
        shows(lambda w: (f"{S}/blog/articles", _tagged_article(w).title), api_read=True),
        MEMBERS,
        "GET /api/v1/blog/articles",
    ),
    Row(
        "the event's posts on a member's profile",
        shows(lambda w: ("/u/amy/", w.post().body)),
        MEMBERS,
        "profile",
    ),
    Row(
        "the event on the home page",
        shows(lambda w: ("/", "Safe Event")),
        MEMBERS,
        "home",
    ),
    # --- Credentials and access that went away
    Row(
        "a revoked token reads nothing",
        with_revoked_token(lambda w: f"{S}/events/safe"),
        statuses(
            anonymous=404, outsider=401, attendee=401, presenter=401, facilitator=401, organiser=401
        ),
        "GET /api/v1/events/{slug}",
    ),
    Row(
        "a signed-out cookie opens no private page",
        with_signed_out_cookie(lambda w: "/messages/"),
        statuses(
            anonymous=302, outsider=302, attendee=302, presenter=302, facilitator=302, organiser=302
        ),
        "messages",
    ),
    Row(
        "a signed-out cookie opens no private stream",
        with_signed_out_cookie(lambda w: f"{S}/me/stream", stream=True),
        statuses(
            anonymous=401, outsider=401, attendee=401, presenter=401, facilitator=401, organiser=401
        ),
        "GET /api/v1/me/stream",
        streams=True,
    ),
    Row(
        "an event turned join-code",
        in_event_turned_join_code(lambda e: f"{S}/events/{e.slug}"),
        {**MEMBERS, "presenter": 200, "banned": 404},
        "GET /api/v1/events/{slug}",
    ),
    Row(
        "the event in the events API",
        shows(lambda w: (f"{S}/events", '"safe"'), api_read=True),
        MEMBERS,
        "GET /api/v1/events",
    ),
    Row(
        "get an article",
        api("GET", lambda w: f"{S}/blog/articles/{_article(w).slug}"),
        MEMBERS,
        "GET /api/v1/blog/articles/{article_slug}",
    ),
    Row(
        "write an article",
        api("POST", lambda w: f"{S}/events/safe/articles", _article_payload),
        organisers(201),
        "POST /api/v1/events/{slug}/articles",
    ),
    Row(
        "change an article",
        api("PUT", lambda w: f"{S}/blog/articles/{_article(w).slug}", _article_payload),
        organisers(200),
        "PUT /api/v1/blog/articles/{article_slug}",
    ),
    Row(
        "delete an article",
        api("DELETE", lambda w: f"{S}/blog/articles/{_article(w).slug}"),
        organisers(204),
        "DELETE /api/v1/blog/articles/{article_slug}",
    ),
    Row(
        "read an article's comments",
        api("GET", lambda w: f"{S}/blog/articles/{_article(w).slug}/comments"),
        MEMBERS,
        "GET /api/v1/blog/articles/{article_slug}/comments",
    ),
    Row(
        "comment on an article",
        api(
            "POST",
            lambda w: f"{S}/blog/articles/{_article(w).slug}/comments",
            lambda w: {"body": f"Comment {next(_counter)}"},
        ),
        statuses(
            anonymous=401, outsider=404, attendee=201, presenter=201, facilitator=201, organiser=201
        ),
        "POST /api/v1/blog/articles/{article_slug}/comments",
    ),
    Row(
        "search (API)",
        api("GET", lambda w: f"{S}/events/safe/search?q=keynote"),
        MEMBERS,
        "GET /api/v1/events/{slug}/search",
    ),
    Row(
        "a session's archive",
        page_get(lambda w: f"/e/safe/s/{w.session.pk}/archive/"),
        gated(MEMBERS),
        "session_archive",
    ),
    Row("following page", page_get(lambda w: "/u/amy/following/"), EVERYONE, "following_people"),
    Row("follow (form)", page_post(lambda w: "/u/amy/follow/"), SIGNED_IN_PAGE_FORM, "follow"),
    Row("mute (form)", page_post(lambda w: "/u/amy/mute/"), SIGNED_IN_PAGE_FORM, "mute"),
    Row("block (form)", page_post(lambda w: "/u/amy/block/"), SIGNED_IN_PAGE_FORM, "block"),
    Row("notification centre", page_get(lambda w: "/notifications/"), pages(200), "notifications"),
    Row("messages page", page_get(lambda w: "/messages/"), pages(200), "messages"),
    Row(
        "a conversation page (the reader's own)",
        page_get(lambda w: "/messages/amy/"),
        pages(200),
        "conversation",
    ),
    Row(
        "report a message page (its recipient only)",
        page_get(lambda w: f"/messages/report/{_dm_to_attendee(w).pk}/"),
        {**RECIPIENT_ONLY, "anonymous": 302},
        "report_message",
    ),
    Row(
        "following view",
        page_get(lambda w: "/e/safe/following/"),
        gated(
            statuses(
                anonymous=302,
                outsider=404,
                attendee=200,
                presenter=200,
                facilitator=200,
                organiser=200,
            )
        ),
        "following_feed",
    ),
    Row(
        "handle a reported message (form)",
        page_post(
            lambda w: f"/e/safe/moderation/messages/{_dm_report(w).pk}/", {"outcome": "dismissed"}
        ),
        staff(302, anonymous=302),
        "decide_message_report",
    ),
]
ROWS += PEOPLE_ROWS

# Whoever asks, remote servers included: as for something that does not exist.
NOBODY = statuses(
    anonymous=404, outsider=404, attendee=404, presenter=404, facilitator=404, organiser=404
)
UNSIGNED = statuses(
    anonymous=401, outsider=401, attendee=401, presenter=401, facilitator=401, organiser=401
)
FEDERATION_ROWS: list[Row] = [
    Row(
        "WebFinger never names the join-code event",
        federating(lambda w: "/.well-known/webfinger?resource=acct:safe@testserver"),
        NOBODY,
        "webfinger",
    ),
    Row(
        "WebFinger never names its sessions",
        federating(
            lambda w: f"/.well-known/webfinger?resource=acct:safe.{w.session.pk}@testserver"
        ),
        NOBODY,
        "webfinger",
    ),
    Row(
        "the join-code event is no actor",
        federating(lambda w: "/e/safe/", as_activity=True),
        NOBODY,
        "event",
    ),
    Row(
        "its session is no actor",
        federating(lambda w: f"/e/safe/s/{w.session.pk}/", as_activity=True),
        NOBODY,
        "session",
    ),
    Row(
        "NodeInfo's links",
        federating(lambda w: "/.well-known/nodeinfo"),
        EVERYONE,
        "nodeinfo_links",
    ),
    Row("NodeInfo", federating(lambda w: "/nodeinfo/2.1"), EVERYONE, "nodeinfo"),
    Row("host-meta", federating(lambda w: "/.well-known/host-meta"), EVERYONE, "host_meta"),
    Row(
        "a post of the join-code event is no Note",
        federating(lambda w: f"/posts/{w.post().pk}/", as_activity=True),
        NOBODY,
        "post_page",
    ),
    Row(
        "the join-code event has no collections",
        federating(lambda w: "/e/safe/ap/outbox/", as_activity=True),
        NOBODY,
        "event_collection",
    ),
    Row(
        "nor have its sessions collections",
        federating(lambda w: f"/e/safe/s/{w.session.pk}/ap/followers/", as_activity=True),
        NOBODY,
        "session_collection",
    ),
    Row(
        "a person's followers are counted for everyone (never listed)",
        federating(lambda w: f"/u/{w.amy.handle}/ap/followers/", as_activity=True),
        EVERYONE,
        "person_collection",
    ),
    Row(
        "the join-code event has no inbox",
        federating(lambda w: "/e/safe/ap/inbox/", method="post"),
        NOBODY,
        "event_inbox",
    ),
    Row(
        "nor have its sessions an inbox",
        federating(lambda w: f"/e/safe/s/{w.session.pk}/ap/inbox/", method="post"),
        NOBODY,
        "session_inbox",
    ),
    Row(
        "a person's inbox refuses what is not signed",
        federating(lambda w: f"/u/{w.amy.handle}/ap/inbox/", method="post"),
        UNSIGNED,
        "person_inbox",
    ),
    Row(
        "other servers' page is for site staff (none of these roles)",
        page_get(lambda w: "/federation/servers/"),
        statuses(
            anonymous=302, outsider=404, attendee=404, presenter=404, facilitator=404, organiser=404
        ),
        "federation_servers",
    ),
    Row(
        "linking a session with others is for the event's organisers",
        page_get(lambda w: f"/e/safe/manage/sessions/{w.session.pk}/links/"),
        gated(organisers(200, anonymous=302)),
        "session_links",
    ),
    Row(
        "the site's own actor is public",
        federating(lambda w: "/actor", as_activity=True),
        EVERYONE,
        "site_actor",
    ),
    Row(
        "and its empty outbox",
        federating(lambda w: "/actor/outbox", as_activity=True),
        EVERYONE,
        "site_outbox",
    ),
    Row(
        "the shared inbox refuses what is not signed",
        federating(lambda w: "/inbox/", method="post"),
        UNSIGNED,
        "shared_inbox",
    ),
]
ROWS += FEDERATION_ROWS


# Streams are not Django views (backchannel.asgi sends them to the stream app): their rows
# need the live server. Every other row runs in this process, in a transaction rolled back
# afterwards (tests/support/http.py).
IN_PROCESS_ROWS = [row for row in ROWS if not row.streams]
STREAM_ROWS = [row for row in ROWS if row.streams]


@pytest.mark.parametrize("row", IN_PROCESS_ROWS, ids=[r.id for r in IN_PROCESS_ROWS])
def test_authorisation_matrix(site: str, make_person: Any, row: Row) -> None:
    world = build_world(site, make_person)
    answers = {role: row.call(world, role) for role in ROLES}
    assert answers == row.expected


@pytest.mark.parametrize("row", STREAM_ROWS, ids=[r.id for r in STREAM_ROWS])
def test_authorisation_matrix_of_streams(live: str, make_person: Any, row: Row) -> None:
    world = build_world(live, make_person)
    answers = {role: row.call(world, role) for role in ROLES}
    assert answers == row.expected


def test_every_endpoint_has_a_row() -> None:
    from django.urls import URLPattern, URLResolver, get_resolver

    from backchannel.api import api

    covered = {row.covers for row in ROWS}
    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    assert operations - covered == set(), "API operations without a row in the matrix"

    names = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
        elif isinstance(entry, URLResolver):
            continue  # the API (above) and Django's admin (staff only, its own checks)
    assert names - covered == set(), "pages without a row in the matrix"
