"""Each person's own data: the export holds everything they wrote (and nobody else's), safe
for spreadsheets; closing an account signs them out everywhere, ends their streams, and after
the grace period erases them as they chose."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.utils import timezone

from backchannel.accounts.models import User
from backchannel.feed.models import Post
from backchannel.messaging.models import Message
from backchannel.privacy.deletion import purge_due_accounts
from tests.conftest import PASSWORD
from tests.support import http
from tests.support.sse import SSEStream
from tests.support.web import PageSession


@pytest.fixture
def history(base_url: str, conference: Any, make_person: Any) -> dict[str, Any]:
    from backchannel.events.actions import join_event
    from backchannel.messaging.actions import send_message
    from backchannel.qa.actions import ask

    ada, amy = conference.attendee, make_person("amy")
    join_event(amy.user, conference.event)
    with ada.api(base_url) as client:
        client.put("/api/v1/me", json={"pronouns": "she/her", "bio": "Nurse"})
        post = client.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "=HYPERLINK(x)"}
        ).json()
        client.put("/api/v1/users/amy/follow")
    ask(ada.user, conference.session, body="Will slides be shared?")
    send_message(ada.user, "amy", body="Sent by ada")
    send_message(amy.user, "ada", body="Received by ada")
    send_message(amy.user, "olive", body="Not ada's business")
    with amy.api(base_url) as client:
        client.post(f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Amy's post"})
    return {"post": post, "amy": amy}


def test_the_json_export_holds_everything_they_wrote_and_nothing_else(
    site: str, conference: Any, history: dict[str, Any]
) -> None:
    with conference.attendee.api(site) as client:
        response = client.get("/api/v1/me/export?format=json")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["schema"] == 1
    assert data["profile"]["handle"] == "ada" and data["profile"]["pronouns"] == "she/her"
    assert [p["body"] for p in data["posts"]] == ["=HYPERLINK(x)"]
    assert [q["body"] for q in data["questions"]] == ["Will slides be shared?"]
    assert sorted((m["direction"], m["with"], m["body"]) for m in data["direct_messages"]) == [
        ("received", "amy", "Received by ada"),
        ("sent", "amy", "Sent by ada"),
    ]
    assert data["following"] == ["amy"]
    text = response.text
    assert "Not ada's business" not in text and "Amy's post" not in text


def test_the_csv_export_is_safe_to_open_in_a_spreadsheet(
    site: str, conference: Any, history: dict[str, Any]
) -> None:
    page = PageSession(site)
    page.login("ada", PASSWORD)
    response = page.get("/settings/data/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {
        "profile.csv",
        "following.csv",
        "posts.csv",
        "questions.csv",
        "poll_answers.csv",
        "direct_messages.csv",
    }
    posts = list(csv.DictReader(io.StringIO(archive.read("posts.csv").decode())))
    assert posts[0]["body"] == "'=HYPERLINK(x)"  # read as text, not run as a formula
    messages = archive.read("direct_messages.csv").decode()
    assert "Received by ada" in messages and "Not ada's business" not in messages


def test_closing_an_account_signs_out_everywhere_and_can_be_cancelled(
    live: str, conference: Any, history: dict[str, Any]
) -> None:
    ada = conference.attendee
    browser = PageSession(live)
    browser.login("ada", PASSWORD)
    other_browser = PageSession(live)
    other_browser.login("ada", PASSWORD)
    stream = SSEStream(f"{live}/api/v1/me/stream", headers={"Authorization": f"Bearer {ada.token}"})
    with stream:
        wrong = browser.submit(
            "/settings/delete/", {"mode": "remove", "password": "nope"}, form_page="/settings/data/"
        )
        assert wrong.status_code == 400 and "not your password" in wrong.text
        assert User.objects.get(username="ada").deletion_due_at is None

        done = browser.submit(
            "/settings/delete/",
            {"mode": "remove", "password": PASSWORD},
            form_page="/settings/data/",
        )
        assert done.status_code == 302
        # The stream ends at once, and the API token no longer works.
        with pytest.raises(EOFError):
            while True:
                stream.next(timeout=5)
    assert (
        http.get(f"{live}/api/v1/me", headers={"Authorization": f"Bearer {ada.token}"}).status_code
        == 401
    )
    # The other browser is signed out too.
    assert other_browser.get("/settings/data/").status_code == 302
    # The profile is no longer shown; posts stay until the grace period ends.
    assert http.get(f"{live}/u/ada/").status_code == 404
    assert Post.objects.filter(author__username="ada", deleted_at=None).count() == 1

    # Signing in during the grace period offers to keep the account.
    again = PageSession(live)
    response = again.submit("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.headers["location"] == "/settings/data/"
    page = again.get("/settings/data/").text
    assert "set to be deleted on" in page
    assert (
        again.submit("/settings/delete/cancel/", {}, form_page="/settings/data/").status_code == 302
    )
    assert User.objects.get(username="ada").deletion_due_at is None
    assert purge_due_accounts(timezone.now() + dt.timedelta(days=60)) == 0


def test_after_the_grace_period_posts_are_removed(
    live: str, conference: Any, history: dict[str, Any]
) -> None:
    ada = conference.attendee
    with ada.api(live) as client:
        asked = client.post("/api/v1/me/deletion", json={"password": PASSWORD, "mode": "remove"})
    assert asked.status_code == 202
    assert purge_due_accounts() == 0  # not yet
    assert purge_due_accounts(timezone.now() + dt.timedelta(days=15)) == 1
    former = User.objects.get(pk=ada.user.pk)
    assert former.username == f"former_{former.pk}" and not former.is_active
    assert former.email == "" and former.bio == "" and former.pronouns == ""
    assert not former.has_usable_password()
    assert Post.objects.get(pk=history["post"]["id"]).is_deleted
    feed = http.get(f"{live}/api/v1/sessions/{conference.session.pk}/posts").json()
    assert [p["body"] for p in feed["posts"]] == ["Amy's post"]
    assert Message.objects.get(body="", sender=former).erased_at is not None
    # What others sent them stays with its senders.
    with history["amy"].api(live) as client:
        conversation = client.get(f"/api/v1/dms/{former.username}").json()
    assert [(m["sender"], m["body"], m["erased"]) for m in conversation["messages"]] == [
        (former.username, "", True),
        ("amy", "Received by ada", False),
    ]
    assert conversation["can_send"] is False
    # The replay log never sends the removed post again.
    from tests.support.sse import SSEStream as Stream

    with Stream(f"{live}/api/v1/sessions/{conference.session.pk}/stream?since=0") as replay:
        seen = []
        try:
            while True:
                seen.append(replay.next(timeout=0.5).data)
        except Exception:
            pass
    assert not any("=HYPERLINK(x)" in s for s in seen)


def test_anonymised_posts_stay_as_a_former_member(
    site: str, conference: Any, history: dict[str, Any]
) -> None:
    with conference.attendee.api(site) as client:
        client.post("/api/v1/me/deletion", json={"password": PASSWORD, "mode": "anonymise"})
    purge_due_accounts(timezone.now() + dt.timedelta(days=15))
    feed = http.get(f"{site}/api/v1/sessions/{conference.session.pk}/posts").json()
    kept = {p["body"]: p["author"] for p in feed["posts"]}
    assert kept["=HYPERLINK(x)"]["display_name"] == "Former member"
    assert "ada" not in json.dumps(kept["=HYPERLINK(x)"])


def test_deletion_needs_a_choice_and_the_password(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as client:
        assert (
            client.post("/api/v1/me/deletion", json={"password": PASSWORD, "mode": "x"}).status_code
            == 400
        )
        assert (
            client.post("/api/v1/me/deletion", json={"password": "", "mode": "remove"}).status_code
            == 403
        )
    assert User.objects.get(username="ada").deletion_due_at is None


def test_the_only_admin_of_an_organisation_names_another_first(site: str, make_person: Any) -> None:
    from backchannel.orgs import actions as orgs

    olive = make_person("olive")
    make_person("ada")
    acme = orgs.create_organisation(olive.user, slug="acme", name="Acme Care")
    with olive.api(site) as client:
        refused = client.post("/api/v1/me/deletion", json={"password": PASSWORD, "mode": "remove"})
        assert refused.status_code == 400
        assert "only admin of Acme Care" in refused.json()["detail"]
    orgs.add_member(olive.user, acme, handle="ada", role="admin")
    with olive.api(site) as client:
        allowed = client.post("/api/v1/me/deletion", json={"password": PASSWORD, "mode": "remove"})
    assert allowed.status_code == 202
