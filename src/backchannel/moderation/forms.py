from __future__ import annotations

from django import forms

from .actions import MAX_SANCTION_MINUTES, MAX_SLOW_MODE_SECONDS
from .models import Reason, WordFilter


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Reason.choices, widget=forms.RadioSelect, label="What is wrong with this post?"
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything the facilitators should know (optional)",
        help_text="Only the event's facilitators read this. The author is not told who reported.",
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("approve", "hide", "restore", "remove", "dismiss")]
    )
    reason = forms.ChoiceField(choices=[("", "—"), *Reason.choices], required=False)
    note = forms.CharField(required=False, max_length=1000)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("warn", "Warn (a private message)"),
            ("mute", "Mute (can read, cannot post)"),
            ("suspend", "Suspend (cannot post or follow live)"),
            ("ban", "Ban from the event"),
        ],
        label="Action",
    )
    reason = forms.ChoiceField(choices=[("", "Choose a reason…"), *Reason.choices])
    minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_SANCTION_MINUTES,
        label="For how many minutes",
        help_text="Required to mute; leave empty to suspend until you lift it.",
    )
    message = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Message to the person (for a warning)",
    )
    note = forms.CharField(required=False, max_length=1000, label="Note for the log")


class SessionModerationForm(forms.Form):
    premoderated = forms.BooleanField(required=False, label="Approve posts before they appear")
    questions_premoderated = forms.BooleanField(
        required=False, label="Approve questions before they appear"
    )
    slow_mode_seconds = forms.IntegerField(
        min_value=0, max_value=MAX_SLOW_MODE_SECONDS, label="Slow mode (seconds, 0 is off)"
    )


class WordFilterForm(forms.Form):
    term = forms.CharField(max_length=100, help_text="Matched as a whole word, in any case.")
    action = forms.ChoiceField(choices=WordFilter.Action.choices)


class AppealForm(forms.Form):
    text = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why should the facilitators look again?",
    )


class AppealDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        choices=[("1", "Grant"), ("0", "Uphold")], coerce=lambda v: v == "1"
    )
    response = forms.CharField(required=False, max_length=1000)
