"""Organisations and their social-media policies, through the running server: versions,
acknowledgements before posting, the disclaimer beside every post, policy terms in the caution
check, safe Markdown; the official badge; an event's code of conduct on joining."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.support import http
from tests.support.web import PageSession


@pytest.fixture
def network(base_url: str, conference: Any) -> Any:
    """Olive runs the Network; Ada (an attendee of the conference) is a member."""
    with conference.organiser.api(base_url) as api:
        assert (
            api.post("/api/v1/orgs", json={"slug": "cwn", "name": "Wellbeing Network"}).status_code
            == 201
        )
        assert api.post("/api/v1/orgs/cwn/members", json={"handle": "ada"}).status_code == 201
        published = api.post(
            "/api/v1/orgs/cwn/policies",
            json={
                "body": "## Care\n\nNever name a family. <script>alert(1)</script> "
                "[click](javascript:alert(1)) [site](https://example.org)",
                "disclaimer": "Views are my own, not the Network's.",
                "terms_to_avoid": "Project Lighthouse\nBridgeway",
                "guidance": "Say your views are your own.",
            },
        )
    assert published.status_code == 201
    return published.json()


def posts_url(conference: Any) -> str:
    return f"/api/v1/sessions/{conference.session.pk}/posts"


def test_members_acknowledge_each_version_before_posting_under_the_organisation(
    site: str, conference: Any, network: Any
) -> None:
    with conference.attendee.api(site) as ada:
        assert ada.post(posts_url(conference), json={"body": "As myself"}).status_code == 201
        chosen = ada.put("/api/v1/me/affiliation", json={"organisation": "cwn"})
        assert chosen.status_code == 200
        assert chosen.json() == {
            "organisation": "cwn",
            "affiliation": "Wellbeing Network",
            "disclaimer": "Views are my own, not the Network's.",
        }
        refused = ada.post(posts_url(conference), json={"body": "Under the Network"})
        assert refused.status_code == 403 and refused.json()["code"] == "policy"
        assert "version 1" in refused.json()["detail"]
        assert ada.post("/api/v1/orgs/cwn/policies/1/acknowledge").status_code == 200
        posted = ada.post(posts_url(conference), json={"body": "Under the Network"})
        assert posted.status_code == 201
        author = posted.json()["author"]
        assert author["affiliation"] == "Wellbeing Network"
        assert author["disclaimer"] == "Views are my own, not the Network's."

    # A new version: the new disclaimer shows at once; posting waits for the acknowledgement.
    with conference.organiser.api(site) as olive:
        v2 = olive.post(
            "/api/v1/orgs/cwn/policies",
            json={"body": "Version two", "disclaimer": "Personal views only."},
        )
        assert v2.status_code == 201 and v2.json()["version"] == 2
        members = {
            m["handle"]: m["acknowledged_at"] for m in olive.get("/api/v1/orgs/cwn/members").json()
        }
        assert members == {"ada": None, "olive": None}
    with conference.attendee.api(site) as ada:
        again = ada.post(posts_url(conference), json={"body": "Still here"})
        assert again.status_code == 403 and "version 2" in again.json()["detail"]
        assert ada.get("/api/v1/me").json()["disclaimer"] == "Personal views only."
        ada.post("/api/v1/orgs/cwn/policies/2/acknowledge")
        assert ada.post(posts_url(conference), json={"body": "Still here"}).status_code == 201
    with conference.organiser.api(site) as olive:
        members = {
            m["handle"]: m["acknowledged_at"] for m in olive.get("/api/v1/orgs/cwn/members").json()
        }
        assert members["ada"] is not None and members["olive"] is None

    # The page shows the organisation and its disclaimer beside the post.
    page = http.get(f"{site}/e/conf/s/{conference.session.pk}/").text
    assert "Wellbeing Network" in page and "Personal views only." in page


def test_the_policy_terms_join_the_caution_check_for_members_only(
    site: str, conference: Any, network: Any
) -> None:
    with conference.attendee.api(site) as ada:
        ada.put("/api/v1/me/affiliation", json={"organisation": "cwn"})
        ada.post("/api/v1/orgs/cwn/policies/1/acknowledge")
        checked = ada.post("/api/v1/caution/check", json={"text": "Update on project lighthouse"})
        kinds = [f["kind"] for f in checked.json()["findings"]]
        assert kinds == ["policy"]
        held_back = ada.post(posts_url(conference), json={"body": "Update on Project Lighthouse"})
        assert held_back.status_code == 409
        assert [f["kind"] for f in held_back.json()["caution"]] == ["policy"]
    with conference.outsider.api(site) as otto:
        checked = otto.post("/api/v1/caution/check", json={"text": "Update on project lighthouse"})
        assert checked.json()["findings"] == []


def test_policies_are_markdown_rendered_safely(site: str, network: Any) -> None:
    html = network["body_html"]
    assert "<h2>Care</h2>" in html  # the top heading is h2: the page has its own h1
    assert "<script" not in html and 'href="javascript' not in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">site</a>' in html
    assert "&lt;script&gt;" in html  # shown as text
    page = http.get(f"{site}/orgs/cwn/").text
    assert "<script>alert" not in page and "Views are my own, not the Network" in page


def test_an_organisation_sets_its_members_disclaimer_until_they_stop(
    site: str, conference: Any, network: Any
) -> None:
    with conference.attendee.api(site) as ada:
        ada.put("/api/v1/me/affiliation", json={"organisation": "cwn"})
        change = ada.put(
            "/api/v1/me",
            json={"display_name": "Ada", "affiliation": "Elsewhere", "disclaimer": "Mine"},
        )
        assert change.status_code == 400 and change.json()["field"] == "affiliation"
        assert ada.put("/api/v1/me/affiliation", json={"organisation": None}).status_code == 200
        change = ada.put(
            "/api/v1/me",
            json={"display_name": "Ada", "affiliation": "Elsewhere", "disclaimer": "Mine"},
        )
        assert change.status_code == 200
    with conference.outsider.api(site) as otto:
        refused = otto.put("/api/v1/me/affiliation", json={"organisation": "cwn"})
        assert refused.status_code == 403


def test_a_post_keeps_the_affiliation_it_was_written_under(
    site: str, conference: Any, network: Any
) -> None:
    """Switching affiliation does not re-attribute earlier posts, and stopping posting under
    an organisation gives the person back their own affiliation and disclaimer."""
    with conference.attendee.api(site) as ada:
        own = {"display_name": "Ada", "affiliation": "Riverside Clinic", "disclaimer": "Mine."}
        assert ada.put("/api/v1/me", json=own).status_code == 200
        before = ada.post(posts_url(conference), json={"body": "As myself"}).json()["id"]
        ada.put("/api/v1/me/affiliation", json={"organisation": "cwn"})
        ada.post("/api/v1/orgs/cwn/policies/1/acknowledge")
        under = ada.post(posts_url(conference), json={"body": "For the Network"}).json()["id"]
        back = ada.put("/api/v1/me/affiliation", json={"organisation": None}).json()
        assert (back["affiliation"], back["disclaimer"]) == ("Riverside Clinic", "Mine.")
        after = ada.post(posts_url(conference), json={"body": "Myself again"}).json()["id"]

    feed = http.get(f"{site}{posts_url(conference)}").json()["posts"]
    said = {p["id"]: (p["author"]["affiliation"], p["author"]["disclaimer"]) for p in feed}
    assert said[before] == ("Riverside Clinic", "Mine.")
    assert said[under] == ("Wellbeing Network", "Views are my own, not the Network's.")
    assert said[after] == ("Riverside Clinic", "Mine.")
    # As readers see it: each post with whom it spoke for.
    page = http.get(f"{site}/e/conf/s/{conference.session.pk}/").text

    def shown(post_id: int) -> str:
        start = page.index(f'id="post-{post_id}"')
        return page[start : page.index("</article>", start)]

    assert "Wellbeing Network" in shown(under) and "Riverside Clinic" not in shown(under)
    assert "Riverside Clinic" in shown(before) and "Network" not in shown(before)
    assert "Mine." in shown(after) and "Network" not in shown(after)
    profile = http.get(f"{site}/u/ada/").text
    assert "@ada · Riverside Clinic</p>" in profile and '<p class="disclaimer">Mine.</p>' in profile


def test_members_and_admins(site: str, conference: Any, network: Any) -> None:
    with conference.organiser.api(site) as olive:
        last_admin = olive.delete("/api/v1/orgs/cwn/members/olive")
        assert last_admin.status_code == 409
        assert olive.post("/api/v1/orgs/cwn/members", json={"handle": "nobody"}).status_code == 404
        taken = olive.post("/api/v1/orgs", json={"slug": "cwn", "name": "Again"})
        assert taken.status_code == 409
        bad = olive.post("/api/v1/orgs", json={"slug": "Not A Slug!", "name": "X"})
        assert bad.status_code == 400
    with conference.attendee.api(site) as ada:
        ada.put("/api/v1/me/affiliation", json={"organisation": "cwn"})
    with conference.organiser.api(site) as olive:
        assert olive.delete("/api/v1/orgs/cwn/members/ada").status_code == 204
    with conference.attendee.api(site) as ada:
        me = ada.get("/api/v1/me").json()
    assert me["affiliation"] == ""  # no longer posting under it


def test_official_posts_carry_a_badge(site: str, conference: Any) -> None:
    with conference.organiser.api(site) as olive:
        official = olive.post(posts_url(conference), json={"body": "Coffee at 10:30"}).json()
    with conference.attendee.api(site) as ada:
        mine = ada.post(posts_url(conference), json={"body": "Thanks!"}).json()
    assert official["official"] is True and mine["official"] is False
    page = http.get(f"{site}/e/conf/s/{conference.session.pk}/").text
    assert page.count('class="badge badge--official"') == 1


def test_joining_an_event_with_a_code_of_conduct_means_accepting_it(
    site: str, conference: Any, make_person: Any
) -> None:
    from backchannel.events.models import Registration

    event = conference.event
    event.code_of_conduct = "Be **kind**. Protect children's privacy."
    event.save(update_fields=["code_of_conduct"])
    newcomer = make_person("nina")
    with newcomer.api(site) as nina:
        refused = nina.post("/api/v1/events/conf/join", json={"code": ""})
        assert refused.status_code == 400 and refused.json()["code"] == "conduct"
        assert not Registration.objects.filter(user=newcomer.user).exists()
        joined = nina.post(
            "/api/v1/events/conf/join", json={"code": "", "accept_code_of_conduct": True}
        )
        assert joined.status_code == 200
        assert nina.post(posts_url(conference), json={"body": "Hi all"}).status_code == 201
    assert Registration.objects.get(user=newcomer.user).conduct_accepted_at is not None

    # Ada joined before the code was set: she accepts it before posting again.
    with conference.attendee.api(site) as ada:
        owed = ada.post(posts_url(conference), json={"body": "Hello"})
        assert owed.status_code == 403 and owed.json()["code"] == "conduct"
        assert ada.post("/api/v1/events/conf/conduct").status_code == 200
        assert ada.post(posts_url(conference), json={"body": "Hello"}).status_code == 201

    # The event page shows the code (rendered) and the join form asks for it.
    page = PageSession(site)
    page.login("otto", PASSWORD)
    html = page.get("/e/conf/").text
    assert "<strong>kind</strong>" in html and 'name="accept_code_of_conduct"' in html
    without = page.submit("/e/conf/join/", {"code": ""}, form_page="/e/conf/")
    assert without.status_code == 302
    assert not Registration.objects.filter(user=conference.outsider.user).exists()
    accepted = page.submit(
        "/e/conf/join/", {"code": "", "accept_code_of_conduct": "on"}, form_page="/e/conf/"
    )
    assert accepted.status_code == 302
    assert Registration.objects.get(user=conference.outsider.user).conduct_accepted_at


def test_adding_someone_without_choosing_a_role_makes_them_a_member(
    live: str, conference: Any, network: Any
) -> None:
    """The page's form as a browser submits it, untouched: the least privilege."""
    import html5lib

    olive = PageSession(live)
    olive.login("olive", PASSWORD)
    page = olive.get("/orgs/cwn/manage/").text
    document = html5lib.parse(page, namespaceHTMLElements=False)
    form = next(f for f in document.iter("form") if f.find(".//select[@name='role']") is not None)
    # What the browser sends for the untouched form: each field's value, the selected option
    # (or the first), and the button pressed.
    data = {i.get("name"): i.get("value", "") for i in form.iter("input") if i.get("name")}
    select = form.find(".//select[@name='role']")
    options = select.findall("option")
    chosen = next((o for o in options if o.get("selected") is not None), options[0])
    assert chosen.get("value") == "member"  # what an untouched menu sends
    data["role"] = chosen.get("value")
    data["handle"] = "otto"
    button = form.find(".//button[@type='submit']")
    if button is not None and button.get("name"):
        data[button.get("name")] = button.get("value", "")
    added = olive.submit("/orgs/cwn/manage/", data, form_page="/orgs/cwn/manage/")
    assert added.status_code in (200, 302)
    olive.close()
    with conference.organiser.api(live) as api:
        roles = {m["handle"]: m["role"] for m in api.get("/api/v1/orgs/cwn/members").json()}
    assert roles["otto"] == "member"
    otto = PageSession(live)
    otto.login("otto", PASSWORD)
    assert otto.get("/orgs/cwn/manage/").status_code in (403, 404)
    otto.close()
