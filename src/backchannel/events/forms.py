from __future__ import annotations

import zoneinfo

from django import forms

from .models import Event, Room, Session

COMMON_ZONES = sorted(
    z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV"))
)


class EventForm(forms.Form):
    name = forms.CharField(max_length=120)
    slug = forms.SlugField(
        max_length=50,
        label="Address",
        help_text="Lower-case letters, digits and hyphens: /e/<address>/. Cannot change later.",
    )
    hashtag = forms.CharField(max_length=50, required=False, help_text="Without the #.")
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    timezone = forms.ChoiceField(
        choices=[("UTC", "UTC")] + [(z, z.replace("_", " ")) for z in COMMON_ZONES],
        initial="UTC",
        label="Time zone",
    )
    venue = forms.CharField(max_length=200, required=False)
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    access = forms.ChoiceField(choices=Event.Access.choices, widget=forms.RadioSelect)
    join_code = forms.CharField(
        max_length=32,
        required=False,
        help_text="For join-code events. Left empty, one is made for you.",
    )
    crisis_lines = forms.CharField(
        max_length=1000,
        required=False,
        label="Crisis lines",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to anyone who writes crisis language, one per line. Left empty: "
        "988 Suicide & Crisis Lifeline (US) and 911.",
    )
    crisis_contact = forms.CharField(
        max_length=300,
        required=False,
        label="Your event's own support",
        help_text="e.g. “Any facilitator (green lanyard), or the quiet room, Room 112”.",
    )
    code_of_conduct = forms.CharField(
        max_length=20_000,
        required=False,
        label="Code of conduct",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. People accept it to join; members who joined before accept it "
        "before they post.",
    )
    federates = forms.BooleanField(
        label="Federate with the fediverse",
        required=False,
        help_text="People on Mastodon and other fediverse servers can follow this event and its "
        "sessions (@address@this site): public posts are copied to their servers, and their "
        "replies come into the feeds through the same checks and moderation as any post. "
        "Join-code events never federate.",
    )
    after_event = forms.ChoiceField(
        label="When the event has ended",
        choices=Event.AfterEvent.choices,
        initial=Event.AfterEvent.OPEN,
        required=False,  # not chosen: the feeds stay open
        widget=forms.RadioSelect,
        help_text="Either way, every session keeps a permanent archive page.",
    )
    retention_days = forms.IntegerField(
        label="Delete the conversation this many days after the event",
        min_value=0,
        max_value=36_500,
        required=False,
        help_text="Leave empty to keep it forever. Shown to attendees.",
    )


class EditEventForm(EventForm):
    slug = None  # type: ignore[assignment]
    custom_colour = forms.BooleanField(
        label="Use our own colour",
        required=False,
        help_text="On the event's pages, the wall and the join cards.",
    )
    accent_colour = forms.CharField(
        label="Accent colour",
        max_length=32,  # longer than a colour: events/branding.py says what one looks like
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Any colour: where text on it or in it would be hard to read, the pages use "
        "a darker or lighter shade of it, so everything stays readable (WCAG AA).",
    )

    @classmethod
    def initial_for(cls, event: Event, default_accent: str) -> dict[str, object]:
        """The form's values for `event` as it is now."""
        initial: dict[str, object] = {
            name: getattr(event, name) for name in cls.base_fields if hasattr(event, name)
        }
        initial["custom_colour"] = bool(event.accent_colour)
        initial["accent_colour"] = event.accent_colour or default_accent
        return initial

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not cleaned.pop("custom_colour", False):
            cleaned["accent_colour"] = ""
        return cleaned


class RoomForm(forms.Form):
    name = forms.CharField(max_length=100, label="Room name")
    capacity = forms.IntegerField(min_value=0, max_value=1_000_000, required=False)


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=[c for c in Session.Kind.choices if c[0] != Session.Kind.LOBBY]
    )
    starts_at = forms.DateTimeField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    room_id = forms.TypedChoiceField(label="Room", coerce=int, required=False, empty_value=None)
    hashtag = forms.CharField(max_length=50, required=False, help_text="Without the #.")
    recording_url = forms.CharField(
        label="Recording or webinar page",
        max_length=300,
        required=False,
        help_text="Linked from the session's archive.",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    presenters = forms.CharField(
        max_length=500,
        required=False,
        help_text="Handles, separated by spaces or commas: @ana @ben.",
    )
    abstract = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: object, rooms: list[Room], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["room_id"].choices = [("", "No room")] + [(r.pk, r.name) for r in rooms]  # type: ignore[attr-defined]

    def clean_presenters(self) -> list[str]:
        raw = self.cleaned_data.get("presenters") or ""
        return [h for h in raw.replace(",", " ").split() if h.strip("@")]


class JoinForm(forms.Form):
    code = forms.CharField(max_length=64, required=False, label="Join code")
    accept_code_of_conduct = forms.BooleanField(required=False)


class JoinByCodeForm(forms.Form):
    event = forms.CharField(
        max_length=50, label="Event code or address", help_text="e.g. K7P M3Q or ti2012"
    )
    code = forms.CharField(max_length=64, required=False, label="Join code (if it has one)")
