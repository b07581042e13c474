"""Forms for people and teams, used by HR on the organisation pages.

They parse what was posted; the rules of each write (who may, manager loops, reporting lines
through the editor, addresses in use, leave dates) are people.services'. A team or person is
chosen by its id, and only a plain id is one (`TeamField`, the people picker): "١" is no team.
"""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.rules import visible
from organisation.forms import TeamField
from people.models import Person, Team
from people.picker import PeopleField, PickerFormMixin


class DateInput(forms.DateInput):
    input_type = "date"


def someone_here(**fields: Any) -> PeopleField:
    """Someone working here today, chosen with the people picker (scales where a menu would
    not); the form narrows it to the people its viewer may see (`chosen_among`)."""
    fields.setdefault("help_text", _("Type a name and choose from the suggestions."))
    return PeopleField(
        include_self=True,
        error_messages={"unknown": _("Nobody working here can be chosen with this value.")},
        **fields,
    )


def chosen_among(form: forms.BaseForm, name: str, viewer: Any) -> None:
    """The picker `name` of `form` offers the people working here today whom `viewer` may see."""
    field = cast(PeopleField, form.fields[name])
    people = Person.objects.current().filter(is_active=True)
    field.people = visible(viewer, people) if viewer is not None else people.none()


class ParseOnly(forms.ModelForm):
    """A model form that parses only: its instance is not changed and the model's rules on the
    data (clean, uniqueness) are not asked; they are the write's, in people.services."""

    def _post_clean(self):
        pass


class PersonForm(PickerFormMixin, ParseOnly):
    manager = someone_here(
        label=_("Manager"),
        required=False,
        help_text=_("Type a name and choose from the suggestions; empty for the top."),
    )
    role_name = forms.CharField(
        label=_("Role"),
        max_length=120,
        required=False,
        help_text=_('The job role, e.g. "Software engineer"; new roles are created.'),
    )

    class Meta:
        model = Person
        fields = ["name", "email", "job_title", "level", "team", "manager", "start_date"]
        field_classes = {"team": TeamField}
        widgets = {"start_date": DateInput()}

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen_among(self, "manager", viewer)
        if self.instance.manager_id:
            self.initial["manager"] = self.instance.manager
        team_field = cast(forms.ModelChoiceField, self.fields["team"])
        team_field.queryset = Team.objects.only("name", "path").order_by("path")
        # Django's documented way to label a model choice per form: replace the method.
        team_field.label_from_instance = lambda t: "— " * t.depth + t.name  # type: ignore[method-assign,assignment]
        if self.instance.role_id:
            self.fields["role_name"].initial = self.instance.role.name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class LeaveForm(forms.Form):
    leave_date = forms.DateField(label=_("Last working day"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_date"].initial = timezone.localdate()


class TeamForm(PickerFormMixin, ParseOnly):
    lead = someone_here(label=_("Lead"), required=False)

    class Meta:
        model = Team
        fields = ["name", "parent", "lead"]
        field_classes = {"parent": TeamField}

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen_among(self, "lead", viewer)
        parent = self.fields["parent"]
        parent.queryset = Team.objects.only("name", "path").order_by("path")
        parent.label_from_instance = lambda t: "— " * t.depth + t.name
        if self.instance.pk:
            # Offer only the teams it may move under; people.services refuses any other.
            parent.widget.choices = [
                (value, label)
                for value, label in parent.choices
                if not value or not value.instance.path.startswith(self.instance.path)
            ]
        if self.instance.lead_id:
            self.initial["lead"] = self.instance.lead


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # Set from a team's page ("everyone in this team"); a menu of every team would not scale.
    team = TeamField(queryset=Team.objects.all(), required=False, widget=forms.HiddenInput)
    include_left = forms.BooleanField(label=_("Include people who have left"), required=False)
