"""The single sign-on settings' form (Administration → Single sign-on): it only parses; the
service (`accounts.services.save_sso_settings`) decides."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import SsoSettings
from people.models import Person


def FIELD(name: str) -> Any:
    return SsoSettings._meta.get_field(name)


class SsoForm(forms.Form):
    enabled = forms.BooleanField(label=capfirst(FIELD("enabled").verbose_name), required=False)
    provider_name = forms.CharField(
        label=capfirst(FIELD("provider_name").verbose_name),
        max_length=60,
        required=False,
        help_text=FIELD("provider_name").help_text,
    )
    issuer = forms.CharField(
        label=capfirst(FIELD("issuer").verbose_name),
        max_length=300,
        required=False,
        help_text=_(
            "Microsoft Entra ID: https://login.microsoftonline.com/<tenant ID>/v2.0 · Google: "
            "https://accounts.google.com · Okta: https://<your domain>.okta.com · Keycloak: "
            "https://<host>/realms/<realm>"
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    client_id = forms.CharField(
        label=capfirst(FIELD("client_id").verbose_name),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=1000,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    scopes = forms.CharField(
        label=capfirst(FIELD("scopes").verbose_name),
        max_length=300,
        required=False,
        help_text=FIELD("scopes").help_text,
    )
    sso_only = forms.BooleanField(
        label=capfirst(FIELD("sso_only").verbose_name),
        required=False,
        help_text=FIELD("sso_only").help_text,
    )
    break_glass = forms.ModelChoiceField(
        label=capfirst(FIELD("break_glass").verbose_name),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        help_text=FIELD("break_glass").help_text,
    )

    def __init__(self, *args, secret_stored: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["break_glass"]).queryset = (
            Person.objects.current().filter(is_staff=True, is_active=True).order_by("name", "pk")
        )
        self.fields["client_secret"].help_text = (
            _("A secret is stored, and never shown again. Leave this empty to keep it.")
            if secret_stored
            else _("From the application registered for Cadence at the provider.")
        )


class UnlinkForm(forms.Form):
    """Whose link to their account at the provider to forget (`accounts.services.unlink_sso`)."""

    email = forms.EmailField(
        label=_("Their e-mail address in Cadence"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "unlink")
        super().__init__(*args, **kwargs)
