from __future__ import annotations

from django import forms

from cadence.modules import SWITCHABLE
from organisation.models import OrgSettings
from people.models import time_zone_choices
from trust.models import TrustSettings


class GeneralForm(forms.ModelForm):
    class Meta:
        model = OrgSettings
        fields = ["name", "language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget = forms.Select(choices=time_zone_choices())


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


class RetentionForm(forms.ModelForm):
    class Meta:
        model = TrustSettings
        fields = ["access_log_months", "erase_after_months"]
