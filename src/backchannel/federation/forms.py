from __future__ import annotations

from django import forms

from .models import Instance


class ServerPolicyForm(forms.Form):
    domain = forms.CharField(
        label="Server",
        max_length=253,
        help_text="Its name, as in people's handles: mastodon.example.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    policy = forms.ChoiceField(
        label="Decision",
        choices=[("", "None: treat it like any other server"), *Instance.Policy.choices],
        required=False,
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        help_text="Kept in the log below, for the other staff.",
    )


class SessionLinkForm(forms.Form):
    handle = forms.CharField(
        label="The session on the other server",
        max_length=300,
        help_text="Its fediverse name, as its event page shows it: ti2012.12@server.example.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
