"""The wall's settings as a form, for its page (the API takes the same as JSON)."""

from __future__ import annotations

from django import forms

from backchannel.events.models import Session

from .queries import MAX_DELAY_SECONDS


class WallSettingsForm(forms.Form):
    """What the wall shows: posts after a delay, or only the posts a facilitator approves."""

    mode = forms.ChoiceField(
        choices=[
            (Session.WallMode.DELAY, "Posts after a delay"),
            (Session.WallMode.APPROVED, "Only the posts we approve"),
        ],
        widget=forms.RadioSelect,
        label="The wall shows",
    )
    delay_seconds = forms.IntegerField(
        min_value=0,
        max_value=MAX_DELAY_SECONDS,
        label="Delay, in seconds",
        help_text="How long a post has been public before the wall shows it (0 to 3600). "
        "Time to hide a post before it is projected.",
    )
