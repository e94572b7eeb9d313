from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings


class SignUpForm(forms.Form):
    handle = forms.CharField(
        max_length=31,
        help_text="2 to 30 letters, digits or underscores. People mention you as @handle.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(
        max_length=50,
        required=False,
        help_text="Your name as people at the conference know it.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        required=False,
        help_text="Optional. Never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        min_length=10,
        max_length=256,
        help_text="At least 10 characters; not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    age_confirmed = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        age = settings.BACKCHANNEL_MINIMUM_AGE
        if age:
            field = self.fields["age_confirmed"]
            field.required = True
            field.label = f"I am {age} or older"
            field.help_text = "Backchannel is for adults and young professionals, not for children."
            field.error_messages["required"] = f"Backchannel is for people aged {age} or older."
        else:
            del self.fields["age_confirmed"]


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=50, required=False)
    pronouns = forms.CharField(
        max_length=40, required=False, help_text="Optional, for example she/her or they/them."
    )
    affiliation = forms.CharField(
        max_length=100,
        required=False,
        help_text="The organisation you work with, if you want to say.",
    )
    disclaimer = forms.CharField(
        max_length=100,
        required=False,
        help_text='Shown beside each of your posts, for example "Views are my own".',
    )
    bio = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who you are, in up to 300 characters. Public.",
    )
    website = forms.CharField(
        max_length=200,
        required=False,
        help_text='Your site. Link back to your profile here with rel="me" to verify it.',
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    mastodon = forms.CharField(
        label="Mastodon profile",
        max_length=200,
        required=False,
        help_text="For example https://mastodon.social/@you. Add your profile here to your "
        "Mastodon profile's links to verify it.",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    dms_from = forms.ChoiceField(
        label="Direct messages from",
        choices=[("everyone", "Anyone signed in"), ("following", "Only people I follow")],
        help_text="Who may start a private conversation with you.",
    )
    anonymise_in_exports = forms.BooleanField(
        label="Anonymise me in archive exports",
        required=False,
        help_text="When organisers download an event's archive, your posts and questions "
        'appear as from "Attendee 1", "Attendee 2"… instead of your name.',
    )
    federate_posts = forms.BooleanField(
        label="Let my public posts travel to other servers",
        required=False,
        help_text="In events that federate, people follow sessions from Mastodon and other "
        "fediverse servers, which keep a copy of public posts. Untick to keep yours on this "
        "server only.",
    )


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label="Picture",
        help_text="JPEG, PNG, WebP or GIF, up to 5 MB. It is cropped to a square, and its "
        "metadata (such as where a photo was taken) is removed.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )


class DeletionForm(forms.Form):
    mode = forms.ChoiceField(
        label="Your posts and questions",
        choices=[
            ("remove", "Remove them"),
            ("anonymise", "Keep them, shown as from a former member"),
        ],
        widget=forms.RadioSelect,
        initial="remove",
    )
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    current = forms.CharField(
        label="Current password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new = forms.CharField(
        label="New password",
        min_length=10,
        max_length=256,
        help_text="At least 10 characters; not a common password. Your other devices are "
        "signed out.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="Where a link to reset your password goes if you forget it. Never shown to "
        "anyone. Leave empty to remove it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “live-poster”.")
