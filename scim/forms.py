"""The SCIM provisioning page's forms: they only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Which provider uses it, e.g. “Microsoft Entra ID”."),
    )


class RevokeForm(forms.Form):
    token = forms.IntegerField(widget=forms.HiddenInput)
