"""The e-mail preferences' form on the profile page: the optional kinds of e-mail offered to the
person (`notifications.mail.offered`), each ticked while it is on. It only parses: the write is
`notifications.services.set_email_preferences`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import mail

if TYPE_CHECKING:
    from access.viewer import Viewer


class EmailPreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        label=_("E-mail me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick what you do not want by e-mail: Cadence still tells you in the app."),
    )

    def __init__(self, *args: Any, viewer: Viewer, off: frozenset[str], **kwargs: Any) -> None:
        # On the profile page beside the profile form: ids of its own.
        kwargs.setdefault("auto_id", "id_email_%s")
        super().__init__(*args, **kwargs)
        self.kinds = mail.offered(viewer)
        field = self.fields["email"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(kind.key, kind.label) for kind in self.kinds]
        field.initial = [kind.key for kind in self.kinds if kind.key not in off]

    def turned_off(self) -> list[str]:
        """The kinds offered and not ticked (after `is_valid`)."""
        on = set(self.cleaned_data["email"])
        return [kind.key for kind in self.kinds if kind.key not in on]

    def offered_keys(self) -> list[str]:
        return [kind.key for kind in self.kinds]
