"""Forms for people and teams, used by HR on the organisation pages."""

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Person, Role, Team
from people.reporting import LEAD_REFUSAL, REFUSAL, SELF_MOVE_REFUSAL, runs_through_editor


class DateInput(forms.DateInput):
    input_type = "date"


class PersonByEmailField(forms.EmailField):
    """Someone in the organisation, chosen by e-mail address (scales where a menu would not)."""

    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        person = Person.objects.current().filter(email__iexact=email.strip()).first()
        if person is None:
            raise forms.ValidationError(_("Nobody working here has this e-mail address."))
        return person


class PersonForm(forms.ModelForm):
    manager = PersonByEmailField(
        label=_("Manager's e-mail address"), required=False, help_text=_("Empty for the top.")
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
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, editor: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.stored_manager_id = self.instance.manager_id
        if self.instance.manager_id:
            self.initial["manager"] = self.instance.manager.email
        team_field = cast(forms.ModelChoiceField, self.fields["team"])
        team_field.queryset = Team.objects.only("name", "path").order_by("path")
        # Django's documented way to label a model choice per form: replace the method.
        team_field.label_from_instance = lambda t: "— " * t.depth + t.name  # type: ignore[method-assign,assignment]
        if self.instance.role_id:
            self.fields["role_name"].initial = self.instance.role.name

    def clean_manager(self):
        manager = self.cleaned_data["manager"]
        new_id = manager.pk if manager else None
        if manager is None or new_id == self.stored_manager_id:
            return manager
        # Above the new manager: their chain as stored (were the person in it, that would be
        # a cycle, which Person.clean refuses).
        ids = [*manager.chain_ids, new_id]
        above = dict(zip(ids[1:], ids[:-1], strict=True))
        if runs_through_editor(self.editor and self.editor.pk, new_id, above.get):
            raise forms.ValidationError(REFUSAL)
        return manager

    def clean_team(self):
        team = self.cleaned_data["team"]
        moves_self = self.editor is not None and self.instance.pk == self.editor.pk
        if moves_self and (team.pk if team else None) != self.instance.team_id:
            raise forms.ValidationError(SELF_MOVE_REFUSAL)
        return team

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        clash = Person.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Someone in the organisation already uses this address."))
        return email

    def save(self, commit=True):
        role_name = self.cleaned_data.get("role_name", "").strip()
        self.instance.role = Role.objects.get_or_create(name=role_name)[0] if role_name else None
        return super().save(commit)


class LeaveForm(forms.Form):
    leave_date = forms.DateField(label=_("Last working day"), widget=DateInput())

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["leave_date"].initial = timezone.localdate()

    def clean_leave_date(self):
        leave_date = self.cleaned_data["leave_date"]
        if self.person and self.person.start_date and leave_date < self.person.start_date:
            raise forms.ValidationError(_("The leave date is before the start date."))
        return leave_date


class TeamForm(forms.ModelForm):
    lead = PersonByEmailField(label=_("Lead's e-mail address"), required=False)

    class Meta:
        model = Team
        fields = ["name", "parent", "lead"]

    def __init__(self, *args, editor=None, **kwargs):
        # Who is making the change: a team's lead reads what its members share with the team,
        # so nobody makes themselves a lead (see people.reporting).
        self.editor = editor
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.queryset = Team.objects.only("name", "path").order_by("path")
        parent.label_from_instance = lambda t: "— " * t.depth + t.name
        if self.instance.pk:
            # Offer only the teams it may move under; Team.clean explains a refused choice.
            parent.widget.choices = [
                (value, label)
                for value, label in parent.choices
                if not value or not value.instance.path.startswith(self.instance.path)
            ]
        if self.instance.lead_id:
            self.initial["lead"] = self.instance.lead.email

    def clean_lead(self):
        lead = self.cleaned_data.get("lead")
        is_editor = lead is not None and self.editor is not None and lead.pk == self.editor.pk
        if is_editor and lead.pk != self.instance.lead_id:
            raise forms.ValidationError(LEAD_REFUSAL)
        return lead


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # Set from a team's page ("everyone in this team"); a menu of every team would not scale.
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, widget=forms.HiddenInput
    )
    include_left = forms.BooleanField(label=_("Include people who have left"), required=False)
