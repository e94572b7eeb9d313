"""An event's own look: an accent colour that stays readable whatever the organisers pick, and a
logo and cover re-encoded without their metadata, on the event's pages, the wall, the join
cards, the API and the exports."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from backchannel.events import branding
from backchannel.events.forms import EditEventForm
from backchannel.events.models import Event, EventImage
from backchannel.web.pages.events import DEFAULT_ACCENT

colours = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"#{n:06x}")


@given(colours)
def test_every_colour_becomes_a_readable_accent(colour: str) -> None:
    shades = branding.palette(colour)
    light, dark = shades.light["--accent"], shades.dark["--accent"]
    # Links and headings on the page, and button text on the accent, reach WCAG AA.
    for against in (branding.LIGHT_BACKGROUND, branding.LIGHT_BUTTON_TEXT):
        assert branding.contrast(light, against) >= branding.AA
    for against in (branding.DARK_BACKGROUND, branding.DARK_SURFACE, branding.DARK_BUTTON_TEXT):
        assert branding.contrast(dark, against) >= branding.AA


@given(colours)
def test_a_colour_that_already_reads_is_kept_as_it_is(colour: str) -> None:
    readable = all(
        branding.contrast(colour, against) >= branding.AA
        for against in (branding.LIGHT_BACKGROUND, branding.LIGHT_BUTTON_TEXT)
    )
    if readable:
        assert branding.palette(colour).light["--accent"] == colour


@pytest.mark.parametrize("typed", ["#0F5C63", "0f5c63", " #0f5c63 "])
def test_colours_are_read_in_any_case_with_or_without_the_hash(typed: str) -> None:
    assert branding.clean_colour(typed) == "#0f5c63"


def _manage_form(event: Event, **changes: Any) -> dict[str, Any]:
    data = {
        name: value
        for name, value in EditEventForm.initial_for(event, DEFAULT_ACCENT).items()
        if value is not None
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not False}


def _organiser(conference: Any) -> Client:
    client = Client()
    client.force_login(conference.organiser.user)
    return client


def test_organisers_choose_a_colour_and_the_pages_wall_and_card_use_it(conference: Any) -> None:
    event = conference.event
    client = _organiser(conference)
    saved = client.post(
        f"/e/{event.slug}/manage/",
        _manage_form(event, custom_colour="on", accent_colour="#FFD400"),
    )
    assert saved.status_code == 302
    event.refresh_from_db()
    assert event.accent_colour == "#ffd400"
    # A yellow is too light to read on cream: the pages use a darker shade of it.
    light = branding.palette("#ffd400").light["--accent"]
    assert light != "#ffd400"
    session = conference.session.pk
    for path in (f"/e/{event.slug}/", f"/e/{event.slug}/s/{session}/", f"/e/{event.slug}/card/"):
        html = client.get(path).content.decode()
        style = re.search(r'<style nonce="([^"]+)">([^<]*--accent: [^<]*)</style>', html)
        assert style, path
        assert f"--accent: {light}" in style.group(2)
    wall = client.get(f"/e/{event.slug}/s/{session}/wall/").content.decode()
    assert f"--wall-accent: {branding.palette('#ffd400').dark['--accent']}" in wall

    # Unticking "Use our own colour" goes back to Backchannel's.
    client.post(f"/e/{event.slug}/manage/", _manage_form(event, custom_colour=False))
    event.refresh_from_db()
    assert event.accent_colour == ""
    assert "--accent:" not in client.get(f"/e/{event.slug}/").content.decode()


@pytest.mark.parametrize("bad", ["red", "#12345", "#12345g", "#1234567", "javascript:x"])
def test_a_colour_that_is_not_one_is_refused_and_changes_nothing(conference: Any, bad: str) -> None:
    event = conference.event
    response = _organiser(conference).post(
        f"/e/{event.slug}/manage/",
        _manage_form(event, custom_colour="on", accent_colour=bad, name="Renamed"),
    )
    assert response.status_code == 400
    assert "Choose a colour as six hexadecimal digits" in response.content.decode()
    event.refresh_from_db()
    assert event.accent_colour == "" and event.name != "Renamed"


def _photo_with_location(size: tuple[int, int]) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))  # brown-orange
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_logo_and_a_cover_are_re_encoded_shown_and_removed(conference: Any) -> None:
    event = conference.event
    client = _organiser(conference)
    original = _photo_with_location((2400, 800))
    assert b"PhoneMaker" in original
    for kind in ("logo", "cover"):
        response = client.post(
            f"/e/{event.slug}/manage/brand/{kind}/",
            {"image": io.BytesIO(original)},
        )
        assert response.status_code == 302
        assert response["Location"] == f"/e/{event.slug}/manage/#branding"
    event.refresh_from_db()
    assert event.logo_url and event.cover_url

    served = Client().get(event.logo_url)  # anyone who may read the event
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert "immutable" in served["Cache-Control"]
    logo = Image.open(io.BytesIO(served.content))
    assert logo.size == (600, 200)
    assert not logo.getexif()
    assert b"PhoneMaker" not in served.content and b"Exif" not in served.content
    cover = Image.open(io.BytesIO(Client().get(event.cover_url).content))
    assert cover.size == (1600, 533)

    page = Client().get(f"/e/{event.slug}/").content.decode()
    assert f'src="{event.cover_url}"' in page
    assert f'src="{event.logo_url}" alt="{event.name} logo"' in page
    wall = Client().get(f"/e/{event.slug}/s/{conference.session.pk}/wall/").content.decode()
    assert f'src="{event.logo_url}"' in wall
    assert f'src="{event.logo_url}"' in Client().get(f"/e/{event.slug}/card/").content.decode()

    # A new picture gets a new address; the old one is gone.
    old = event.logo_url
    other = io.BytesIO()
    Image.new("RGB", (300, 100), (10, 90, 200)).save(other, "PNG")
    other.seek(0)
    client.post(f"/e/{event.slug}/manage/brand/logo/", {"image": other})
    event.refresh_from_db()
    assert event.logo_url != old
    assert Client().get(old).status_code == 404

    client.post(f"/e/{event.slug}/manage/brand/logo/", {"remove": "1"})
    event.refresh_from_db()
    assert event.logo_url == ""
    assert not EventImage.objects.filter(event=event, kind="logo").exists()
    assert "event-logo" not in Client().get(f"/e/{event.slug}/").content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Choose an image file"),
        (b"not an image at all", "not an image we can read"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "not an image we can read"),
    ],
)
def test_bad_pictures_are_refused_and_change_nothing(
    conference: Any, content: bytes, message: str
) -> None:
    event = conference.event
    client = _organiser(conference)
    upload = io.BytesIO(content)
    upload.name = "logo.png"
    response = client.post(f"/e/{event.slug}/manage/brand/logo/", {"image": upload}, follow=True)
    assert message in response.content.decode()
    event.refresh_from_db()
    assert event.logo_version == 0
    assert not EventImage.objects.exists()


def test_only_organisers_change_the_look(conference: Any) -> None:
    event = conference.event
    attendee = Client()
    attendee.force_login(conference.attendee.user)
    upload = io.BytesIO(_photo_with_location((100, 100)))
    response = attendee.post(f"/e/{event.slug}/manage/brand/logo/", {"image": upload})
    assert response.status_code == 403
    assert Client().get(f"/e/{event.slug}/brand/nothing/1.webp").status_code == 404
    assert Client().get(f"/e/{event.slug}/brand/logo/0.webp").status_code == 404


def test_the_api_and_the_exports_carry_the_look(conference: Any) -> None:
    event = conference.event
    client = _organiser(conference)
    client.post(f"/e/{event.slug}/manage/", _manage_form(event, custom_colour="on"))
    client.post(
        f"/e/{event.slug}/manage/brand/logo/", {"image": io.BytesIO(_photo_with_location((64, 64)))}
    )
    event.refresh_from_db()
    data = Client().get(f"/api/v1/events/{event.slug}").json()
    assert data["event_code"] == event.event_code
    assert data["accent_colour"] == DEFAULT_ACCENT
    assert data["logo_url"] == event.logo_url and data["cover_url"] == ""

    exported = client.get(f"/e/{event.slug}/export.json")
    assert exported.status_code == 200
    part = json.loads(exported.content)["event"]
    assert part["accent_colour"] == DEFAULT_ACCENT
    assert part["logo"].endswith(event.logo_url) and part["cover"] is None
