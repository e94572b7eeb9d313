"""Sign-up, sign-in, profiles and API tokens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backchannel.accounts import actions
from backchannel.accounts.models import User
from backchannel.errors import Invalid
from tests.support import http
from tests.support.web import PageSession


def test_sign_up_through_the_page_signs_in(site: str) -> None:
    page = PageSession(site)
    response = page.submit(
        "/accounts/signup/",
        {
            "handle": "New_Person",
            "display_name": "New Person",
            "password": "a-long-enough-passphrase",
            "age_confirmed": "on",
        },
    )
    assert response.status_code == 302
    assert "@New_Person" in page.get("/").text
    assert "New Person" in http.get(f"{site}/u/new_person/").text
    assert User.objects.get(username="New_Person").age_confirmed_at is not None


def test_the_welcome_note_waits_through_api_calls_for_the_next_page(site: str) -> None:
    """Pages' notes (Django's messages) are for pages: an API call the page's script makes
    in between neither shows nor loses one (web/middleware.py `PageMessagesMiddleware`)."""
    page = PageSession(site)
    page.submit(
        "/accounts/signup/",
        {"handle": "noted", "password": "a-long-enough-passphrase", "age_confirmed": "on"},
    )
    assert page.get("/api/v1/me").status_code == 200
    assert "Welcome, @noted." in page.get("/").text
    assert "Welcome, @noted." not in page.get("/").text  # shown once


def test_sign_up_asks_for_the_minimum_age(site: str) -> None:
    page = PageSession(site)
    form = page.get("/accounts/signup/").text
    assert "I am 16 or older" in form
    assert "What is public" in form
    response = page.submit(
        "/accounts/signup/", {"handle": "young_one", "password": "a-long-enough-passphrase"}
    )
    assert response.status_code == 400
    assert "for people aged 16 or older" in response.text
    assert not User.objects.filter(username="young_one").exists()


def test_the_age_question_can_be_turned_off(site: str, settings: Any) -> None:
    settings.BACKCHANNEL_MINIMUM_AGE = 0
    page = PageSession(site)
    assert "or older" not in page.get("/accounts/signup/").text
    response = page.submit(
        "/accounts/signup/", {"handle": "no_question", "password": "a-long-enough-passphrase"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("handle", "password", "message"),
    [
        ("ab cd", "a-long-enough-passphrase", "A handle is 2 to 30"),
        ("x", "a-long-enough-passphrase", "A handle is 2 to 30"),
        ("fine_handle", "short", "at least 10 characters"),
        ("fine_handle", "password123", "too common"),
        ("<script>", "a-long-enough-passphrase", "A handle is 2 to 30"),
    ],
)
def test_sign_up_refuses_bad_input(site: str, handle: str, password: str, message: str) -> None:
    page = PageSession(site)
    response = page.submit(
        "/accounts/signup/", {"handle": handle, "password": password, "age_confirmed": "on"}
    )
    assert response.status_code == 400  # shown again with the reason, nothing created
    assert message in response.text.replace("&#x27;", "'")
    assert User.objects.count() == 0


def test_handles_are_unique_whatever_the_case(db: Any) -> None:
    actions.sign_up(handle="Casey", password="a-long-enough-passphrase")
    with pytest.raises(Invalid, match="taken"):
        actions.sign_up(handle="casey", password="a-long-enough-passphrase")


def test_passwords_are_hashed_with_argon2(db: Any, settings: Any) -> None:
    from backchannel import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = actions.sign_up(handle="hashme", password="a-long-enough-passphrase")
    assert user.password.startswith("argon2")
    assert user.check_password("a-long-enough-passphrase")


def test_wrong_password_does_not_sign_in(site: str, make_person: Any) -> None:
    make_person("ada")
    page = PageSession(site)
    response = page.submit("/accounts/login/", {"username": "ada", "password": "wrong-password"})
    assert response.status_code == 200
    assert "sessionid" not in page.client.cookies


def test_profile_shows_affiliation_and_disclaimer(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        api.put(
            "/api/v1/me",
            json={
                "display_name": "Ada",
                "bio": "Care coordinator",
                "affiliation": "County MH",
                "disclaimer": "Views are my own",
            },
        )
        api.post(f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "hello"})
    room = http.get(f"{site}/e/conf/s/{conference.session.pk}/").text
    assert "County MH" in room and "Views are my own" in room
    assert "Care coordinator" in http.get(f"{site}/u/ada/").text


def test_token_command_creates_a_named_token(db: Any, make_person: Any) -> None:
    from backchannel.cli import main

    make_person("cli_user")
    assert main(["token", "create", "cli_user", "--name", "laptop"]) == 0
    assert User.objects.get(username="cli_user").api_tokens.filter(name="laptop").exists()


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    backchannel = Path(sys.executable).parent / "backchannel"
    return subprocess.run([backchannel, *args], env=env, capture_output=True, text=True)


@pytest.mark.engine_independent  # a database of its own
def test_token_command_in_a_fresh_installation(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BACKCHANNEL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    unmigrated = _cli(env, "token", "create", "anyone")
    assert unmigrated.returncode == 1
    assert "backchannel migrate" in unmigrated.stderr and "Traceback" not in unmigrated.stderr
    assert _cli(env, "migrate").returncode == 0
    missing = _cli(env, "token", "create", "nobody")
    assert missing.returncode == 1 and missing.stderr.strip() == "No user @nobody."


def test_api_tokens_page_creates_and_revokes(site: str, make_person: Any) -> None:
    from tests.conftest import PASSWORD

    make_person("tok")
    page = PageSession(site)
    page.login("tok", PASSWORD)
    response = page.submit("/settings/tokens/", {"name": "bot"})
    token = response.text.split('<code class="token">')[1].split("</code>")[0]
    assert (
        http.get(f"{site}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["handle"]
        == "tok"
    )
    token_id = User.objects.get(username="tok").api_tokens.get(name="bot").pk
    page.submit("/settings/tokens/", {"revoke": str(token_id)})
    assert (
        http.get(f"{site}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
