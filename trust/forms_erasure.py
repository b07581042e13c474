"""Forms of the erasure pages for HR: they only parse (the writes are trust.services')."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trust.services import REASON_MAX


class LegalHoldForm(forms.Form):
    """Place or lift a legal hold: which one is the hidden `hold`, so that a form sent twice
    (or after someone else changed it) is refused rather than undoing itself."""

    hold = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why, for the audit log: a case or request reference, say."),
    )

    def __init__(self, *args, placing: bool, **kwargs):
        kwargs.setdefault("prefix", "hold")
        kwargs.setdefault("initial", {"hold": "1" if placing else "0"})
        super().__init__(*args, **kwargs)


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type their name to confirm"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
