"""Forms for signing in, the profile and API tokens."""

import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.models import LoginFailure, is_throttled
from people.models import Person


class SignInForm(AuthenticationForm):
    """E-mail and password; refuses to even check a password after repeated failures."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match. Please try again."),
        "throttled": _(
            "Too many failed attempts for this address. Wait a few minutes, or reset your password."
        ),
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        if email and is_throttled(email):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError as error:
            if email and getattr(error, "code", None) == "invalid_login":
                LoginFailure.objects.create(email=email, ip=_client_ip(self.request))
            raise


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


class ResetForm(PasswordResetForm):
    """Also for people added without a password (HR adds them so); never for people who left."""

    def get_users(self, email):
        people = Person.objects.current().filter(email__iexact=email, is_active=True)
        # As Django's own form: the database's case folding must not match look-alike addresses.
        return (p for p in people if _fold(p.email) == _fold(email))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "time_zone", "language"]
        help_texts = {
            "time_zone": _("Dates and reminders follow your local time."),
            "language": _("Leave empty to follow your browser."),
        }


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_('What the token is for, e.g. "reporting script".'),
    )
