"""Forms for the rhythm settings (organisation, team, pair) and HR's conversation templates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import (
    INTERVAL_CHOICES,
    RHYTHM_KINDS,
    ConversationTemplate,
    Kind,
)
from conversations.prompts import parse

INHERIT = "inherit"
TEMPLATE_MAX_LENGTH = ConversationTemplate._meta.get_field("text").max_length
LINE_MAX_LENGTH = 300


class RhythmForm(forms.Form):
    """How often, per rhythm kind. With `inherited` (kind -> a description of what applies
    without a rule here) each kind may also "inherit"; without, it is the organisation's
    default and every kind needs a value."""

    def __init__(self, *args, current: dict, inherited: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in RHYTHM_KINDS:
            choices = [(str(months), label) for months, label in INTERVAL_CHOICES]
            if inherited is not None:
                choices = [(INHERIT, inherited[kind]), *choices]
            value = current.get(str(kind))
            self.fields[str(kind)] = forms.ChoiceField(
                label=Kind(kind).label,
                choices=choices,
                initial=INHERIT if value is None else str(value),
            )

    def intervals(self) -> dict:
        """kind -> months, or None to inherit."""
        return {
            kind: None if value == INHERIT else int(value)
            for kind, value in self.cleaned_data.items()
        }


class TemplateForm(forms.Form):
    text = forms.CharField(
        label=_("Prompts"),
        max_length=TEMPLATE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
    )

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        long_lines = [line for line in text.splitlines() if len(line.strip()) > LINE_MAX_LENGTH]
        if long_lines:
            raise forms.ValidationError(
                _("Keep each line under %(limit)s characters: a prompt is one short question."),
                params={"limit": LINE_MAX_LENGTH},
            )
        if not any(section.prompts for section in parse(text)):
            raise forms.ValidationError(
                _("Add at least one prompt: a line that starts with “- ” under a heading.")
            )
        return text
