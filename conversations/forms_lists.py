"""The form that starts a one-on-one: with whom, when, and optionally what about.

Whom the viewer may meet comes from `conversations.rules.partners_of` (their manager and
their direct reports: a short list), loaded once by the view and passed in, so that an unknown
or forbidden choice is a form error and never a database question.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import Conversation


class StartForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("With"), coerce=int)
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Optional: you can agree on a time later."),
    )
    topic = forms.CharField(
        label=_("Topic"),
        required=False,
        max_length=Conversation._meta.get_field("title").max_length,
        help_text=_("Optional, e.g. “Career next steps” or “Project handover”."),
    )

    def __init__(self, *args, partners, me, today, **kwargs):
        """`partners`: the people the viewer may meet; `me`: the viewer's person; `today`: the
        viewer's local date."""
        super().__init__(*args, **kwargs)
        self.me = me
        self.today = today
        self.partners = {person.pk: person for person in partners}
        mine = [p for p in partners if p.pk == me.manager_id]
        reports = [p for p in partners if p.pk != me.manager_id]
        choices = [(p.pk, _("%(name)s (my manager)") % {"name": p.name}) for p in mine]
        choices += [(p.pk, p.name) for p in reports]
        self.fields["partner"].choices = [("", _("Choose a person")), *choices]
        self.fields["day"].initial = today

    def pair(self):
        """(employee, manager) for the chosen partner: the one who reports to the other."""
        partner = self.partners[self.cleaned_data["partner"]]
        if partner.manager_id == self.me.pk:
            return partner, self.me
        return self.me, partner

    def starts_at(self):
        """The meeting time, in the viewer's own time zone, or None."""
        time = self.cleaned_data.get("time")
        if time is None:
            return None
        return datetime.combine(self.cleaned_data["day"], time, tzinfo=self.me.local_zone)
