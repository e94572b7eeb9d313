from __future__ import annotations

from typing import Any

from django import forms

from .models import Membership


class OrganisationForm(forms.Form):
    slug = forms.SlugField(max_length=50, label="Address", help_text="e.g. youth-move-md")
    name = forms.CharField(max_length=100)
    description = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    website = forms.URLField(required=False, assume_scheme="https")


class PolicyForm(forms.Form):
    body = forms.CharField(
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        label="The policy",
        help_text="Markdown: **bold**, *italic*, lists, links, ## headings.",
    )
    disclaimer = forms.CharField(
        max_length=100,
        required=False,
        label="Required disclaimer",
        help_text="Shown beside every post of members posting under the organisation, "
        "e.g. “Views are my own, not Youth MOVE's”.",
    )
    terms_to_avoid = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Terms to avoid",
        help_text="One per line: client names, internal project names… The composer points "
        "them out to members as they write.",
    )
    guidance = forms.CharField(
        max_length=300,
        required=False,
        label="Guidance in the composer",
        help_text="A line or two members see as they write.",
    )


class MemberForm(forms.Form):
    handle = forms.CharField(max_length=31)
    # The least privilege unless someone chooses more: "Member" first and selected.
    role = forms.ChoiceField(
        choices=[
            (Membership.Role.MEMBER, Membership.Role.MEMBER.label),
            (Membership.Role.ADMIN, Membership.Role.ADMIN.label),
        ],
        initial=Membership.Role.MEMBER,
    )


class AffiliationForm(forms.Form):
    organisation = forms.ChoiceField(required=False, label="Post as a member of")

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "Nobody: just me"),
            *[(o.pk, o.name) for o in organisations],
        ]
