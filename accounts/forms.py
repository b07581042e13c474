"""Forms for signing in, the profile and API tokens."""

import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accounts import sso
from accounts.throttle import wait_message
from notifications.mail import PASSWORD_RESET, send_email
from people.models import Person, time_zone_choices


class SignInForm(AuthenticationForm):
    """E-mail and password; throttled by the authentication backend (`accounts/throttle.py`)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match. Please try again."),
    }
    wait = None  # how long this client must wait before trying again, when throttled

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            self.wait = getattr(self.request, "sign_in_wait", None)
            if self.wait is not None:
                raise forms.ValidationError(wait_message(self.wait), code="throttled") from None
            passwords_off = getattr(self.request, "sign_in_passwords_off", None)
            if passwords_off:  # SSO only: the same answer whoever tried (accounts.backends)
                raise forms.ValidationError(passwords_off, code="passwords_off") from None
            raise


class ChangePasswordForm(PasswordChangeForm):
    """The current password is checked as a sign-in is, throttled alike: someone holding an
    open session cannot guess it without limit and then lock the person out with a new one."""

    wait = None

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        try:
            person = authenticate(self.request, username=self.user.email, password=old_password)
        except PermissionDenied:
            person = None
        self.wait = getattr(self.request, "sign_in_wait", None)
        if self.wait is not None:
            raise forms.ValidationError(wait_message(self.wait), code="throttled")
        if person is None or person.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ResetForm(PasswordResetForm):
    """Also for people added without a password (HR adds them so); never for people who left,
    nor, while passwords are off ("SSO only", `accounts.sso`), for anyone but the break-glass
    administrator. The page says the same whoever asked."""

    def get_users(self, email):
        people = Person.objects.current().filter(email__iexact=email, is_active=True)
        people = sso.with_passwords(people)
        # As Django's own form: the database's case folding must not match look-alike addresses.
        return (p for p in people if _fold(p.email) == _fold(email))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """As every e-mail, through `notifications.mail`: essential, so always sent, and without
        an unsubscribe link."""
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        send_email(context["user"], PASSWORD_RESET, subject, body, to=to_email)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class FastSelect(forms.Select):
    """A plain select rendered in one pass: Django renders each option through a template,
    which costs tens of milliseconds for the few hundred time zones."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = mark_safe(" selected")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, selected if key == value else "", label) for key, label in self.choices),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        widget=FastSelect,
        help_text=_("Dates and reminders follow your local time."),
    )

    class Meta:
        model = Person
        fields = ["name", "time_zone", "language"]
        help_texts = {"language": _("Leave empty to follow your browser.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language by its own name ("Nederlands"), so that whoever reads it finds theirs.
        language = self.fields["language"]
        language.choices = [language.choices[0]] + [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_('What the token is for, e.g. "reporting script".'),
    )

    def __init__(self, *args, **kwargs):
        # On the profile page beside the profile form, whose name field is `id_name`.
        kwargs.setdefault("auto_id", "id_token_%s")
        super().__init__(*args, **kwargs)


class SsoCodeForm(forms.Form):
    """The code e-mailed to confirm a first sign-in with single sign-on (`accounts.sso_link`)."""

    code = forms.CharField(
        label=_("Code from the e-mail"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
