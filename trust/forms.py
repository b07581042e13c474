"""The audit log's filters, as a form: they only parse (`trust.queries.Filters` filters)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Person
from people.picker import PeopleField, PickerFormMixin
from trust import actions
from trust.queries import Filters


def _action_choices() -> list[tuple[str, str]]:
    labelled = sorted((str(label), key) for key, label in actions.ACTIONS.items())
    return [("", str(_("Every action")))] + [(key, label) for label, key in labelled]


class AuditFilterForm(PickerFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_action_choices)
    actor = PeopleField(label=_("By"), required=False)
    subject = PeopleField(label=_("About"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Up to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The log's readers may look for anyone it names, people who left included.
        for name in ("actor", "subject"):
            field = self.fields[name]
            assert isinstance(field, PeopleField)
            field.people = Person.objects.all()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("This day is before the first one."))
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            action=data.get("action") or "",
            actor=data["actor"].pk if data.get("actor") else None,
            subject=data["subject"].pk if data.get("subject") else None,
            since=data.get("since"),
            until=data.get("until"),
        )
