"""The forms of the webhook and chat channel pages: they parse; `webhooks.services` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cadence import events
from webhooks.models import URL_MAX, ChatKind
from webhooks.services import DESCRIPTION_MAX


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address"),
        max_length=URL_MAX,
        widget=forms.TextInput(
            attrs={"placeholder": "https://", "inputmode": "url", "autocomplete": "off"}
        ),
        help_text=_(
            "An HTTPS address of your own systems on the public internet. Cadence posts JSON "
            "to it, signed, and does not follow redirects."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text=_("What it is for, for whoever reads this list next."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(events.KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    active = forms.BooleanField(
        label=_("Active: send it the events it wants"), required=False, initial=True
    )


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Chat tool"), choices=ChatKind.choices, widget=forms.RadioSelect
    )
    url = forms.CharField(
        label=_("Incoming webhook address"),
        max_length=URL_MAX,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "https://", "inputmode": "url", "autocomplete": "off"}
        ),
    )
    praise = forms.BooleanField(
        label=_("Post praise given publicly to someone in the team, as it is given"),
        required=False,
        initial=True,
    )
    digest = forms.BooleanField(
        label=_("Post a weekly digest of the team's public activity"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, has_address: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = (
            _("Leave it empty to keep the address Cadence has.")
            if has_address
            else _(
                "In Slack: an app's Incoming Webhooks. In Microsoft Teams: the workflow "
                "“Post to a channel when a webhook request is received”."
            )
        )
