"""How the fediverse finds us (docs/federation.md): WebFinger, NodeInfo and host-meta, and the
actor documents behind the pages' own addresses, asked for as Mastodon asks. What Mastodon
needs of each (its FEDERATION.md and docs) is stated where it is checked."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from tests.conftest import PASSWORD
from tests.support import http
from tests.support.web import PageSession, event_form

ACTIVITY = {"Accept": "application/activity+json"}
LD = {"Accept": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'}


@pytest.fixture
def federating(site: str, settings: Any, conference: Any) -> Any:
    """The site federates at its (test) address, and the conference has chosen to."""
    settings.BACKCHANNEL_SITE_URL = site
    settings.BACKCHANNEL_FEDERATION_ALLOW_HTTP = True
    conference.event.federates = True
    conference.event.save(update_fields=["federates"])
    return conference


def finger(resource: str) -> Any:
    return http.get(f"{http.IN_PROCESS}/.well-known/webfinger", params={"resource": resource})


def test_without_a_public_address_nothing_federates(site: str, conference: Any) -> None:
    conference.event.federates = True
    conference.event.save(update_fields=["federates"])
    assert finger("acct:ada@testserver").status_code == 404
    for path in ("/.well-known/nodeinfo", "/nodeinfo/2.1", "/.well-known/host-meta"):
        assert http.get(f"{site}{path}").status_code == 404, path
    actor = http.get(f"{site}/u/ada/", headers=ACTIVITY)
    assert actor.status_code == 404
    assert actor.headers["content-type"].startswith("application/activity+json")
    # The page itself is unchanged for browsers.
    assert http.get(f"{site}/u/ada/").status_code == 200


def test_a_plain_http_address_is_refused_unless_allowed(site: str, settings: Any) -> None:
    from backchannel.federation.permissions import unavailable_because

    settings.BACKCHANNEL_SITE_URL = "http://backchannel.example.org"
    assert "https" in (unavailable_because() or "")
    settings.BACKCHANNEL_SITE_URL = "https://backchannel.example.org"
    assert unavailable_because() is None
    settings.BACKCHANNEL_FEDERATION = False
    assert "turned off" in (unavailable_because() or "")


def test_webfinger_names_people_events_and_sessions(site: str, federating: Any) -> None:
    session = federating.session
    for resource, subject, actor in [
        ("acct:ada@testserver", "acct:ada@testserver", f"{site}/u/ada/"),
        ("acct:ADA@testserver", "acct:ada@testserver", f"{site}/u/ada/"),
        ("acct:@ada@testserver", "acct:ada@testserver", f"{site}/u/ada/"),
        ("acct:conf@testserver", "acct:conf@testserver", f"{site}/e/conf/"),
        (
            f"acct:conf.{session.pk}@testserver",
            f"acct:conf.{session.pk}@testserver",
            f"{site}/e/conf/s/{session.pk}/",
        ),
        (f"{site}/u/ada/", "acct:ada@testserver", f"{site}/u/ada/"),
        (f"{site}/e/conf/s/{session.pk}/", f"acct:conf.{session.pk}@testserver", None),
    ]:
        answer = finger(resource)
        assert answer.status_code == 200, resource
        # Mastodon: JRD with the subject it re-checks and a `self` link of the AP type.
        assert answer.headers["content-type"].startswith("application/jrd+json")
        jrd = answer.json()
        assert jrd["subject"] == subject
        links = {link["rel"]: link for link in jrd["links"]}
        assert links["self"]["type"] == "application/activity+json"
        if actor:
            assert links["self"]["href"] == actor
        assert links["http://webfinger.net/rel/profile-page"]["type"] == "text/html"


def test_webfinger_refuses_what_it_cannot_name(site: str, federating: Any) -> None:
    from backchannel.events.actions import create_event

    assert finger("acct:nobody@testserver").status_code == 404
    assert finger("acct:ada@elsewhere.example").status_code == 404  # another server's person
    assert finger(f"acct:conf.{federating.session.pk + 1000}@testserver").status_code == 404
    assert finger("acct:conf.x@testserver").status_code == 404
    # An event whose organisers did not choose to federate is not there.
    create_event(
        federating.organiser.user,
        slug="quiet",
        name="Quiet",
        starts_on=federating.event.starts_on,
        ends_on=federating.event.ends_on,
    )
    assert finger("acct:quiet@testserver").status_code == 404
    for bad in ("", "acct:", "acct:ada", "mailto:ada@testserver", "ada"):
        assert finger(bad).status_code == 400, bad
    assert http.get(f"{site}/.well-known/webfinger").status_code == 400


def test_a_person_is_an_actor_mastodon_can_follow(site: str, federating: Any) -> None:
    user = federating.attendee.user
    user.bio = "Care coordinator <b>& friend</b>"
    user.affiliation = "Acme Care"
    user.disclaimer = "Views are my own"
    user.save()
    for accept in (ACTIVITY, LD):
        answer = http.get(f"{site}/u/ada/", headers=accept)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/activity+json")
        assert "Accept" in answer.headers["vary"]
    actor = answer.json()
    # Mastodon's requirements for an actor it can follow and verify (FEDERATION.md):
    assert actor["@context"][0] == "https://www.w3.org/ns/activitystreams"
    assert actor["id"] == f"{site}/u/ada/" and actor["type"] == "Person"
    assert actor["preferredUsername"] == "ada"  # WebFinger's name round-trips to this actor
    assert actor["inbox"].startswith(site) and actor["outbox"].startswith(site)
    assert actor["followers"] and actor["following"]
    assert actor["endpoints"]["sharedInbox"] == f"{site}/inbox/"
    key = actor["publicKey"]
    assert key["id"] == f"{site}/u/ada/#main-key" and key["owner"] == actor["id"]
    assert isinstance(load_pem_public_key(key["publicKeyPem"].encode()), RSAPublicKey)
    # Who they are and for whom they speak, as safe HTML.
    assert actor["name"] == "Ada Attendee"
    assert "&lt;b&gt;" in actor["summary"] and "<b>" not in actor["summary"]
    assert "Views are my own" in actor["summary"]
    # The key is made once and kept: remote servers cache it by its id.
    again = http.get(f"{site}/u/ada/", headers=ACTIVITY).json()
    assert again["publicKey"]["publicKeyPem"] == key["publicKeyPem"]
    # Browsers still get the page, which varies by Accept too.
    page = http.get(f"{site}/u/ada/")
    assert page.headers["content-type"].startswith("text/html") and "Accept" in page.headers["vary"]


def test_events_and_sessions_are_groups(site: str, federating: Any) -> None:
    event = http.get(f"{site}/e/conf/", headers=ACTIVITY).json()
    assert event["type"] == "Group" and event["preferredUsername"] == "conf"
    assert event["name"] == "Test Conference"
    session_pk = federating.session.pk
    session = http.get(f"{site}/e/conf/s/{session_pk}/", headers=ACTIVITY).json()
    assert session["type"] == "Group"
    assert session["preferredUsername"] == f"conf.{session_pk}"
    assert session["attributedTo"] == event["id"]
    assert session["publicKey"]["publicKeyPem"] != event["publicKey"]["publicKeyPem"]
    # Turned off again: gone for remote servers, the pages stay.
    federating.event.federates = False
    federating.event.save(update_fields=["federates"])
    assert http.get(f"{site}/e/conf/", headers=ACTIVITY).status_code == 404
    assert http.get(f"{site}/e/conf/s/{session_pk}/", headers=ACTIVITY).status_code == 404
    assert http.get(f"{site}/e/conf/").status_code == 200


def test_a_join_code_event_never_federates(site: str, federating: Any) -> None:
    federating.event.access = "code"
    federating.event.join_code = "SECRET"
    federating.event.save()
    assert finger("acct:conf@testserver").status_code == 404
    assert finger(f"acct:conf.{federating.session.pk}@testserver").status_code == 404
    assert http.get(f"{site}/e/conf/", headers=ACTIVITY).status_code == 404
    assert (
        http.get(f"{site}/e/conf/s/{federating.session.pk}/", headers=ACTIVITY).status_code == 404
    )


def test_an_account_being_deleted_is_no_actor(site: str, federating: Any) -> None:
    from django.utils import timezone

    from backchannel.federation.models import ActorKey

    assert http.get(f"{site}/u/ada/", headers=ACTIVITY).status_code == 200
    user = federating.attendee.user
    user.deletion_due_at = timezone.now()
    user.save(update_fields=["deletion_due_at"])
    assert http.get(f"{site}/u/ada/", headers=ACTIVITY).status_code == 404
    assert finger("acct:ada@testserver").status_code == 404
    user.delete()  # and erased: the key goes with the account
    assert not ActorKey.objects.filter(user_id=federating.attendee.user.pk).exists()


def test_nodeinfo_and_host_meta(site: str, federating: Any) -> None:
    links = http.get(f"{site}/.well-known/nodeinfo").json()["links"]
    assert links == [
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f"{site}/nodeinfo/2.1"}
    ]
    answer = http.get(f"{site}/nodeinfo/2.1")
    info = answer.json()
    assert info["version"] == "2.1" and info["software"]["name"] == "backchannel"
    assert info["protocols"] == ["activitypub"]
    assert info["usage"]["users"]["total"] == 3  # olive, ada, otto
    assert isinstance(info["usage"]["localPosts"], int)
    xrd = ElementTree.fromstring(http.get(f"{site}/.well-known/host-meta").text)
    link = xrd.find("{http://docs.oasis-open.org/ns/xri/xrd-1.0}Link")
    assert link is not None and link.get("rel") == "lrdd"
    assert link.get("template") == f"{site}/.well-known/webfinger?resource={{uri}}"


def test_organisers_turn_federation_on_and_the_event_page_says_so(
    site: str, settings: Any, conference: Any
) -> None:

    settings.BACKCHANNEL_SITE_URL = site
    settings.BACKCHANNEL_FEDERATION_ALLOW_HTTP = True
    organiser = PageSession(site)
    organiser.login("olive", PASSWORD)
    assert "Federate with the fediverse" in organiser.get("/e/conf/manage/").text
    assert "follow <strong>" not in http.get(f"{site}/e/conf/").text
    saved = organiser.submit("/e/conf/manage/", event_form(conference.event, federates="on"))
    assert saved.status_code == 302, saved.text[:500]
    conference.event.refresh_from_db()
    assert conference.event.federates
    assert "follow <strong>@conf@testserver</strong>" in http.get(f"{site}/e/conf/").text
    assert finger("acct:conf@testserver").status_code == 200
    # Off again.
    assert organiser.submit("/e/conf/manage/", event_form(conference.event)).status_code == 302
    conference.event.refresh_from_db()
    assert not conference.event.federates
    assert finger("acct:conf@testserver").status_code == 404


def test_without_a_public_address_the_switch_says_why(site: str, conference: Any) -> None:

    organiser = PageSession(site)
    organiser.login("olive", PASSWORD)
    manage = organiser.get("/e/conf/manage/").text
    assert "Unavailable: The site's public address is not set" in manage
    saved = organiser.submit("/e/conf/manage/", event_form(conference.event, federates="on"))
    assert saved.status_code == 302
    conference.event.refresh_from_db()
    assert not conference.event.federates  # the disabled switch keeps its value


def test_a_handle_and_an_event_address_never_share_a_name(site: str, conference: Any) -> None:
    """Both are fediverse names (acct:name@host): whichever comes second is refused."""
    from backchannel.accounts.actions import sign_up
    from backchannel.errors import Invalid
    from backchannel.events.actions import create_event

    with pytest.raises(Invalid) as refused:
        sign_up(handle="Conf", password=PASSWORD)
    assert refused.value.code == "handle_taken"
    with pytest.raises(Invalid) as refused:
        create_event(
            conference.organiser.user,
            slug="ada",
            name="Ada's event",
            starts_on=conference.event.starts_on,
            ends_on=conference.event.ends_on,
        )
    assert refused.value.code == "slug_taken"
    # Through the pages, as a person meets it.
    page = PageSession(site)
    answer = page.submit(
        "/accounts/signup/",
        {"handle": "conf", "password": "a-long-enough-passphrase", "age_confirmed": "on"},
    )
    assert answer.status_code == 400 and "That handle is taken." in answer.text
