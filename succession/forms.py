"""The succession pages' forms: they only parse (the rules of each write are
`succession.services`). People are chosen with the people picker among those the viewer may
see, inside the pilot scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.rules import visible
from cadence import widgets as in_python
from people.models import Person, Role, Team
from people.picker import PeopleField, PickerFormMixin
from succession.models import MAX_RANK, KeyPosition, Readiness, SuccessionCandidate
from succession.rules import teams_managed
from succession.services import MAX_LEVEL


def _people(viewer: Any) -> Any:
    return visible(viewer, Person.objects.current()).filter(is_active=True)


class PositionForm(PickerFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none()
    )
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all())
    level = forms.IntegerField(label=_("Level"), min_value=1, max_value=MAX_LEVEL)
    incumbent = PeopleField(
        label=_("Held by"),
        required=False,
        in_scope=True,
        include_self=True,
        help_text=_("Optional: who holds it now."),
    )
    why_key = forms.CharField(
        label=_("Why it is key"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, viewer: Any, position: KeyPosition | None = None, **kwargs: Any):
        if position is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": position.title,
                "team": position.team_id,
                "role": position.role_id,
                "level": position.level,
                "incumbent": position.incumbent,
                "why_key": position.why_key,
            }
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = teams_managed(viewer).order_by("path")
        incumbent = self.fields["incumbent"]
        assert isinstance(incumbent, PeopleField)
        incumbent.people = _people(viewer)

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "team_id": data["team"].pk,
            "role_id": data["role"].pk,
            "level": data["level"],
            "title": data["title"],
            "incumbent_id": data["incumbent"].pk if data["incumbent"] else None,
            "why_key": data["why_key"],
        }


class CandidateFields(forms.Form):
    # The widgets written in Python (`cadence.widgets`), as the conversation page's: a
    # succession plan's form went through the widget templates' includes for each field.
    readiness = forms.ChoiceField(
        label=_("Readiness"), choices=Readiness.choices, widget=in_python.Select
    )
    readiness_on = forms.DateField(
        label=_("Evidence from"),
        widget=in_python.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The date of the assessment or conversation the readiness rests on: after 12 "
            "months it expires."
        ),
    )
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=1,
        max_value=MAX_RANK,
        initial=1,
        widget=in_python.NumberInput,
    )
    emergency = forms.BooleanField(
        label=_("Emergency successor"),
        required=False,
        help_text=_("Who would step in tomorrow. One per position: naming another moves it."),
        widget=in_python.CheckboxInput,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=in_python.Textarea(attrs={"rows": 3}),
    )

    def candidate_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name] for name in ("readiness", "readiness_on", "rank", "emergency", "notes")
        }


class CandidateForm(PickerFormMixin, CandidateFields):
    person = PeopleField(
        label=_("Candidate"),
        in_scope=True,
        help_text=_("Type a name and choose from the suggestions."),
        error_messages={"self": _("You cannot name yourself in a succession plan.")},
    )
    field_order = ["person", "readiness", "readiness_on", "rank", "emergency", "notes"]

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"readiness_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, PeopleField)
        person.people = _people(viewer)
        person.me = viewer.person


class CandidacyForm(CandidateFields):
    def __init__(self, *args: Any, candidacy: SuccessionCandidate, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "readiness": candidacy.readiness,
                "readiness_on": candidacy.readiness_on,
                "rank": candidacy.rank,
                "emergency": candidacy.emergency,
                "notes": candidacy.notes,
            },
        )
        super().__init__(*args, **kwargs)
