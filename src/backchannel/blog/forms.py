"""The article form: fields and labels only; the rules are in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms

from backchannel.events.models import Event
from backchannel.events.queries import scheduled_sessions

from .actions import BODY_MAX_LENGTH


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=300,
        required=False,
        help_text="One or two sentences for the blog's list and for link previews.",
    )
    body = forms.CharField(
        label="Article",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Markdown: **bold**, *italic*, [links](https://…), ## headings, lists, > quotes.",
    )
    tags = forms.CharField(
        max_length=500, required=False, help_text="Words separated by spaces or commas."
    )
    session = forms.ChoiceField(
        label="Comments join the feed of",
        required=False,
        help_text="Comments on the article appear in this feed too, marked as coming from the "
        "article, and the article shows the feed's newest posts.",
    )
    comments_open = forms.BooleanField(label="Open for comments", required=False, initial=True)
    cover = forms.FileField(
        label="Cover image",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 5 MB; shown at most 1600 pixels wide, its "
        "metadata (such as where a photo was taken) removed.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    cover_alt = forms.CharField(
        label="Describe the cover image",
        max_length=200,
        required=False,
        help_text="For people who cannot see it. Leave empty if it is only decoration.",
    )
    remove_cover = forms.BooleanField(label="Remove the cover image", required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ChoiceField)
        session_field.choices = [
            ("", "The event's lobby"),
            *((str(s.pk), s.title) for s in scheduled_sessions(event)),
        ]
