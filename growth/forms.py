"""The import form: a file uploaded or pasted, parsed only (the checks are `growth.document`'s,
the write `growth.services.publish`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from growth import document
from growth.services import MAX_NOTE


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        label=gettext_lazy("Framework file"),
        help_text=gettext_lazy("A YAML file (.yaml), at most 256 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )
    text = forms.CharField(
        required=False,
        strip=False,
        label=gettext_lazy("Or paste it here"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "code"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > document.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 256 KB."))
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload:
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text: save it as UTF-8."))
        if not self.errors and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the framework's text."))
        return data


class PublishForm(forms.Form):
    """The preview's form: the text checked, the version it was compared with, HR's note."""

    text = forms.CharField(strip=False, widget=forms.HiddenInput)
    base = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        required=False,
        max_length=MAX_NOTE,
        label=gettext_lazy("Note"),
        help_text=gettext_lazy("What changed and why, for the version history (optional)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
