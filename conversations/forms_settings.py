"""Forms for the rhythm settings (organisation, team, pair) and HR's conversation templates."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from conversations.models import (
    INTERVAL_CHOICES,
    RHYTHM_KINDS,
    ConversationTemplate,
    Kind,
    RhythmRule,
)
from conversations.prompts import default_text, parse

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


def save_rules(intervals: dict, *, by, team=None, employee=None) -> list[str]:
    """Store the rules of one level (the organisation, a team or a pair) and return the kinds
    whose rule changed. "Inherit" (None) removes the rule; the organisation's default is only
    stored when it differs from what applies already."""
    from conversations.scheduling import Rules

    level = RhythmRule.objects.filter(team=team, employee=employee)
    if team is None and employee is None:
        level = RhythmRule.objects.filter(team__isnull=True, employee__isnull=True)
    changed = []
    with transaction.atomic():
        stored = {rule.kind: rule.interval_months for rule in level}
        defaults = Rules.load().default if team is None and employee is None else {}
        for kind, months in intervals.items():
            before = stored.get(kind, defaults.get(kind))
            if months == before:
                continue
            if months is None:
                level.filter(kind=kind).delete()
            else:
                RhythmRule.objects.update_or_create(
                    kind=kind,
                    team=team,
                    employee=employee,
                    defaults={"interval_months": months, "updated_by": by},
                )
            changed.append(kind)
    return changed


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


def save_template(kind: str, text: str, by) -> bool:
    """Store HR's text for a kind; returns False when it is our default (nothing is stored,
    so the default keeps following the reader's language)."""
    if _normalised(text) == _normalised(default_text(kind)):
        ConversationTemplate.objects.filter(kind=kind).delete()
        return False
    ConversationTemplate.objects.update_or_create(
        kind=kind, defaults={"text": text, "updated_by": by}
    )
    return True


def _normalised(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
