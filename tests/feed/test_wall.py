"""The projector wall decides on the server what the big screen shows: only posts older than
the delay (or approved ones), never hidden or deleted ones, nothing while paused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from backchannel.feed.models import Post
from tests.support import http


def wall(live: str, session: Any) -> dict[str, Any]:
    response = http.get(f"{live}/api/v1/sessions/{session.pk}/wall")
    assert response.status_code == 200
    return dict(response.json())


def post(live: str, person: Any, session: Any, body: str) -> int:
    with person.api(live) as api:
        response = api.post(f"/api/v1/sessions/{session.pk}/posts", json={"body": body})
    assert response.status_code == 201
    return int(response.json()["id"])


def age(post_id: int, seconds: int) -> None:
    Post.objects.filter(pk=post_id).update(
        created_at=Post.objects.get(pk=post_id).created_at - dt.timedelta(seconds=seconds)
    )


def test_posts_reach_the_wall_only_after_the_delay(site: str, conference: Any) -> None:
    session = conference.session
    fresh = post(site, conference.attendee, session, "Just said")
    assert wall(site, session)["post_ids"] == []
    age(fresh, 61)
    shown = wall(site, session)
    assert shown["post_ids"] == [fresh] and "Just said" in shown["posts_html"]
    assert shown["state"] == {"paused": False, "mode": "delay", "delay_seconds": 60}


def test_hidden_deleted_and_paused_never_show(site: str, conference: Any, make_person: Any) -> None:
    from backchannel.events.models import Registration

    fran = make_person("fran")
    Registration.objects.create(event=conference.event, user=fran.user, role="facilitator")
    session = conference.session
    keep, hide, gone = (
        post(site, conference.attendee, session, b) for b in ("one", "two", "three")
    )
    for post_id in (keep, hide, gone):
        age(post_id, 120)
    with fran.api(site) as api:
        api.post(f"/api/v1/posts/{hide}/moderation", json={"action": "hide", "reason": "spam"})
    with conference.attendee.api(site) as api:
        api.delete(f"/api/v1/posts/{gone}")
    assert wall(site, session)["post_ids"] == [keep]
    with conference.attendee.api(site) as api:
        refused = api.put(f"/api/v1/sessions/{session.pk}/wall", json={"paused": True})
        assert refused.status_code == 403
    with fran.api(site) as api:
        paused = api.put(f"/api/v1/sessions/{session.pk}/wall", json={"paused": True})
        assert paused.status_code == 200 and paused.json()["paused"] is True
        bad = api.put(f"/api/v1/sessions/{session.pk}/wall", json={"delay_seconds": -5})
        assert bad.status_code == 422
    shown = wall(site, session)
    assert shown["post_ids"] == [] and shown["state"]["paused"] is True


def test_approval_mode_shows_only_approved_posts(site: str, conference: Any) -> None:
    session = conference.session
    first = post(site, conference.attendee, session, "Approve me")
    post(site, conference.attendee, session, "Not me")
    with conference.organiser.api(site) as api:
        api.put(f"/api/v1/sessions/{session.pk}/wall", json={"mode": "approved"})
        assert wall(site, session)["post_ids"] == []
        assert api.put(f"/api/v1/posts/{first}/wall").status_code == 204
        assert wall(site, session)["post_ids"] == [first]
        assert api.delete(f"/api/v1/posts/{first}/wall").status_code == 204
    assert wall(site, session)["post_ids"] == []


def test_the_wall_page_has_the_join_link_and_a_qr_code(site: str, conference: Any) -> None:
    page = http.get(f"{site}/e/conf/s/{conference.session.pk}/wall/")
    assert page.status_code == 200
    assert f"/e/conf/s/{conference.session.pk}/" in page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text and "QR code:" in page.text


def test_the_qr_code_at_a_join_code_event_leads_newcomers_to_join(
    site: str, conference: Any, make_person: Any
) -> None:
    """A newcomer scans the wall's QR code: a join-code event asks for the code (naming nothing
    of the event until then), then the session opens; before, it said "Not found"."""
    import re

    import segno

    from backchannel.events.models import Event
    from backchannel.wall.queries import join_qr_svg
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    Event.objects.filter(pk=conference.event.pk).update(access="code", join_code="K3Y")
    facilitator = PageSession(site)
    facilitator.login(conference.organiser.handle, PASSWORD)
    wall_page = facilitator.get(f"/e/conf/s/{conference.session.pk}/wall/").text
    shown = re.search(r'class="wall__url">([^<]+)<', wall_page)
    assert shown is not None
    link = shown.group(1)
    # The QR code on the wall encodes that very link.
    assert join_qr_svg(link) in wall_page and segno.make(link).designator
    path = httpx.URL(link).path

    newcomer = PageSession(site)
    signed_out = newcomer.get(path)
    assert signed_out.status_code == 403 and "needs a join code" in signed_out.text
    assert "Test Conference" not in signed_out.text and "Keynote" not in signed_out.text
    sign_in = re.search(r'href="(/accounts/login/\?next=[^"]+)"', signed_out.text)
    assert sign_in is not None
    make_person("nia")
    newcomer.submit(
        sign_in.group(1).replace("&amp;", "&"), {"username": "nia", "password": PASSWORD}
    )
    gate = newcomer.get(path)
    assert gate.status_code == 403 and 'name="code"' in gate.text
    wrong = newcomer.submit("/e/conf/join/", {"code": "nope", "next": path}, form_page=path)
    assert wrong.status_code == 302 and wrong.headers["location"] == path
    assert "not right" in newcomer.get(path).text
    joined = newcomer.submit("/e/conf/join/", {"code": "k3y", "next": path}, form_page=path)
    assert joined.status_code == 302 and joined.headers["location"] == path
    session_page = newcomer.get(path)
    assert session_page.status_code == 200 and "Keynote" in session_page.text


def test_facilitators_set_the_walls_mode_and_delay_on_its_page(site: str, conference: Any) -> None:
    """Every setting of `PUT /api/v1/sessions/{id}/wall` has a form: approval mode, the delay,
    and approving posts, also without JavaScript; bad input is refused and changes nothing."""
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    session = conference.session
    control = f"/e/conf/s/{session.pk}/wall/?control=1"
    settings_url = f"/e/conf/s/{session.pk}/wall/settings/"
    page = PageSession(site)
    page.login(conference.organiser.handle, PASSWORD)
    shown = page.get(control).text
    assert 'name="mode" value="delay"' in shown and 'name="delay_seconds"' in shown

    for bad in ({"mode": "approved", "delay_seconds": "-5"}, {"mode": "everything"}):
        refused = page.submit(settings_url, bad, form_page=control)
        assert refused.status_code == 400 and 'class="errorlist"' in refused.text
    assert wall(site, session)["state"] == {"paused": False, "mode": "delay", "delay_seconds": 60}

    saved = page.submit(
        settings_url, {"mode": "approved", "delay_seconds": "30"}, form_page=control
    )
    assert saved.status_code == 302 and saved.headers["location"].endswith("?control=1")
    assert wall(site, session)["state"] == {
        "paused": False,
        "mode": "approved",
        "delay_seconds": 30,
    }
    assert "settings are saved" in page.get(control).text

    chosen = post(site, conference.attendee, session, "Pick me")
    age(chosen, 120)
    assert wall(site, session)["post_ids"] == []  # old enough, but not approved
    approve = f"/e/conf/s/{session.pk}/wall/posts/{chosen}/"
    assert page.submit(approve, {"on": "1"}, form_page=control).status_code == 302
    assert wall(site, session)["post_ids"] == [chosen]
    assert 'aria-pressed="true"' in page.get(control).text
    assert page.submit(approve, {"on": "0"}, form_page=control).status_code == 302
    assert wall(site, session)["post_ids"] == []

    # An attendee cannot, by form either.
    ada = PageSession(site)
    ada.login(conference.attendee.handle, PASSWORD)
    form = f"/e/conf/s/{session.pk}/"
    refused = ada.submit(settings_url, {"mode": "delay", "delay_seconds": "0"}, form_page=form)
    assert refused.status_code == 403
    assert wall(site, session)["state"]["mode"] == "approved"
