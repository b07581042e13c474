"""The mobility pages' forms: they only parse; `mobility.services` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from access.rules import visible
from cadence import widgets as in_python
from growth.queries import Framework
from mobility import rules
from mobility.models import MAX_NOTE, Audience, MobilityPreference, Opening
from people.models import Person, Role, Team
from people.picker import PeopleField, PickerFormMixin

AUDIENCE_HELP: dict[str, object] = {
    Audience.HR: _("HR whose scope covers you sees it; your manager does not, in any way."),
    Audience.HR_AND_MANAGER: _("HR whose scope covers you and your current manager see it."),
}


class PreferenceForm(forms.Form):
    open_to_move = forms.TypedChoiceField(
        label=_("Are you open to a move inside the organisation?"),
        choices=[("yes", _("Yes, I am open to a move")), ("no", _("No, not now"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    audience = forms.ChoiceField(
        label=_("Who may see it"),
        choices=[(value, f"{label}: {AUDIENCE_HELP[value]}") for value, label in Audience.choices],
        widget=forms.RadioSelect,
        initial=Audience.HR,
    )
    tracks = forms.MultipleChoiceField(
        label=_("Career tracks that interest you"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.TypedMultipleChoiceField(
        label=_("Roles that interest you"), required=False, coerce=int
    )
    teams = forms.TypedMultipleChoiceField(
        label=_("Teams that interest you"), required=False, coerce=int
    )
    note = forms.CharField(
        label=_("A short note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the same people as the rest of it."),
    )

    def __init__(
        self,
        *args: Any,
        framework: Framework | None,
        preference: MobilityPreference | None,
        **kwargs: Any,
    ):
        if preference is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "open_to_move": "yes" if preference.open_to_move else "no",
                    "audience": preference.audience,
                    "tracks": preference.tracks,
                    "roles": preference.roles,
                    "teams": preference.teams,
                    "note": preference.note,
                },
            )
        super().__init__(*args, **kwargs)
        if preference is None and not args:
            self.initial.setdefault("open_to_move", "no")
        self._choices("tracks", [(t.key, t.name) for t in framework.tracks] if framework else [])
        self._choices("roles", list(Role.objects.order_by("name").values_list("pk", "name")))
        self._choices("teams", list(Team.objects.order_by("name").values_list("pk", "name")))

    def _choices(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class OpeningForm(PickerFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.order_by("name"))
    level = forms.IntegerField(label=_("Level"), min_value=1, max_value=20)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    hiring_manager = PeopleField(
        label=_("Hiring manager"),
        required=False,
        include_self=True,
        help_text=_("Leave it empty for the team's lead."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, viewer: Any, opening: Opening | None = None, **kwargs: Any):
        if opening is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "title": opening.title,
                    "role": opening.role_id,
                    "level": opening.level,
                    "team": opening.team_id,
                    "description": opening.description,
                    "hiring_manager": [opening.hiring_manager_id],
                    "closes_on": opening.closes_on,
                },
            )
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(rules.postable_teams_q(viewer)).order_by("name")
        if viewer.hr_scope_path is None:
            del self.fields["hiring_manager"]
        else:
            field = self.fields["hiring_manager"]
            assert isinstance(field, PeopleField)
            field.people = visible(viewer, Person.objects.current().filter(is_active=True))
            field.me = viewer.person

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        manager = data.get("hiring_manager")
        return {
            "title": data["title"],
            "role_id": data["role"].pk,
            "level": data["level"],
            "team_id": data["team"].pk,
            "description": data["description"],
            "hiring_manager_id": manager.pk if manager is not None else None,
            "closes_on": data["closes_on"],
        }


FORM_FIELDS = {"role_id": "role", "team_id": "team", "hiring_manager_id": "hiring_manager"}


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("A note for HR and the hiring manager (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FilterForm(forms.Form):
    # Their options written in Python (`cadence.widgets`): the openings list's three
    # lists of some hundred options through the widget templates cost a fifth of the page.
    team = forms.TypedChoiceField(
        label=_("Team"), required=False, coerce=int, empty_value=None, widget=in_python.Select
    )
    role = forms.TypedChoiceField(
        label=_("Role"), required=False, coerce=int, empty_value=None, widget=in_python.Select
    )
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None, widget=in_python.Select
    )

    def __init__(self, *args: Any, teams: list, roles: list, levels: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        for name, choices in (("team", teams), ("role", roles), ("level", levels)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everything + choices
