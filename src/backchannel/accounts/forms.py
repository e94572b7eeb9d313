from __future__ import annotations

from django import forms


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


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=50, required=False)
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


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “live-poster”.")
