from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cadence.ids import parse_id
from cadence.modules import BY_KEY, SWITCHABLE, Module
from organisation.models import OrgSettings
from people.models import Team, time_zone_choices
from trust.models import TrustSettings


class GeneralForm(forms.ModelForm):
    class Meta:
        model = OrgSettings
        fields = ["name", "language", "time_zone", "week_start", "currency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget = forms.Select(choices=time_zone_choices())
        # Optional on the form: left empty (or not sent), the currency stays as it was.
        self.fields["currency"].required = False

    def clean_currency(self) -> str:
        code = (self.cleaned_data.get("currency") or "").strip().upper()
        if not code:
            return self.instance.currency or "EUR"
        if len(code) != 3 or not code.isalpha():
            raise forms.ValidationError(_("Give the three letters of a currency, as “EUR”."))
        return code


class ModulesForm(forms.Form):
    """One checkbox per module an organisation may switch off: checked is on."""

    def __init__(self, *args, off: frozenset[str] | set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for module in SWITCHABLE:
            self.fields[module.key] = forms.BooleanField(
                label=module.label,
                required=False,
                initial=module.key not in off,
                help_text=module.summary,
            )

    def modules_off(self) -> list[str]:
        return sorted(key for key, on in self.cleaned_data.items() if not on)


def module_rows(form: forms.BaseForm) -> list[tuple[Module, forms.BoundField, StrOrPromise]]:
    """The switches of a `ModulesForm` as the Modules tab and the first-run guide show them
    (`organisation/_module_switches.html`): each module, its checkbox, and the label of the
    module it is within ("" for none)."""
    return [
        (module, form[module.key], BY_KEY[module.within].label if module.within else "")
        for module in SWITCHABLE
    ]


class RetentionForm(forms.ModelForm):
    class Meta:
        model = TrustSettings
        fields = ["access_log_months", "erase_after_months"]


class TalentSettingsForm(forms.ModelForm):
    class Meta:
        model = OrgSettings
        fields = ["talent_placements_open"]


class TeamField(forms.ModelChoiceField):
    """One team chosen by id (a menu of the team tree): a value that is not an id (beyond the
    database's integers, or written in other digits than 0-9) is the field's error, never
    sent to the database."""

    def to_python(self, value):
        chosen = value not in self.empty_values and not isinstance(value, Team)
        if chosen and parse_id(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class TeamsField(forms.ModelMultipleChoiceField):
    """Teams ticked by id: a value that is not an id (beyond the database's integers too) is
    the field's error, never sent to the database, as for `TeamField`."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class PilotForm(forms.Form):
    """The pilot: on or off, and its teams, chosen in the team tree as on the people forms
    (each team indented under its parent); a team brings the teams within it."""

    pilot = forms.BooleanField(
        label=_("Run Cadence in the pilot teams only"),
        required=False,
        help_text=_(
            "Off: Cadence runs for everyone. On: only people in the teams ticked below (and the "
            "teams within them) use the modules; everyone else sees the directory and their own "
            "profile."
        ),
    )
    teams = TeamsField(
        label=_("Pilot teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, teams: QuerySet[Team], **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["teams"])
        field.queryset = teams
        # Django's documented way to label a model choice per form: replace the method.
        field.label_from_instance = lambda t: "— " * t.depth + t.name  # type: ignore[method-assign,assignment]

    def clean(self):
        data = super().clean()
        if data.get("pilot") and not data.get("teams"):
            self.add_error(
                "teams", _("Choose at least one team: with none, nobody could use Cadence.")
            )
        return data
