"""Helpers shared by the pages' forms."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from backchannel.errors import ActionError


class FormRenderer(DjangoTemplates):
    """Django's form templates, with our layout of a field (web/templates/forms/field.html)."""

    field_template_name = "forms/field.html"


def show_action_error(form: forms.Form, exc: ActionError) -> None:
    """Put an action's message on the field it names, or on the form as a whole."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
