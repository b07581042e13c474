"""The forms of the Invitations tab. They only parse: who may be invited, and what inviting
does, is `accounts.invitations`'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.invitations import EXPIRED, NOT_INVITED, WAITING
from cadence.ids import MAX_ID

# At most this many people chosen by hand in one go: a page's worth, with room to spare.
MAX_CHOSEN = 500


class InvitationFilterForm(forms.Form):
    """Whom the list shows: found by name (or address, job title, team), in one state."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Everyone who has not accepted")),
            (NOT_INVITED, _("Not invited")),
            (WAITING, _("Waiting: invited, the link still works")),
            (EXPIRED, _("Expired: the link no longer works")),
        ],
    )


class IdsField(forms.Field):
    """A list of ids from check boxes of the same name."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        if len(value) > MAX_CHOSEN:
            raise ValidationError(
                _("Choose at most %(count)s people at a time."), params={"count": MAX_CHOSEN}
            )
        try:
            ids = [int(item) for item in value]
        except (TypeError, ValueError):
            raise ValidationError(_("Choose people from the list.")) from None
        if any(not 0 < pk <= MAX_ID for pk in ids):
            raise ValidationError(_("Choose people from the list."))
        return ids


class InviteForm(forms.Form):
    """What to send: to one person (their row's button), to everyone in a state ("invite
    everyone not invited yet"), or to the people ticked."""

    one = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    everyone = forms.ChoiceField(required=False, choices=[(NOT_INVITED, ""), (EXPIRED, "")])
    person = IdsField(required=False)
