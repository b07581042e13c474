"""Signing in (with the demo picker), the profile page and personal API tokens."""

import math
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import (
    LoginView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import who_asked
from access.viewer import viewer_of
from access.who import WhoSees, who_sees
from accounts import sessions, sso, throttle
from accounts.demo import demo_personas
from accounts.forms import ApiTokenForm, ChangePasswordForm, ProfileForm, SignInForm
from accounts.models import ApiToken, EmailChange
from firstrun.codes import administrator_exists
from notifications import mail
from notifications.forms import EmailPreferencesForm
from people.models import Person


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_personas"] = demo_personas() if settings.DEMO else []
        # A fresh installation: its first administrator claims it at /setup/ (`firstrun`).
        context["unclaimed"] = not administrator_exists()
        # Single sign-on (`accounts.sso`): its button; while passwords are off, the password
        # form is for the break-glass administrator only, folded away.
        context["sso"] = sso.provider()
        context["passwords_off"] = sso.passwords_off()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.remember_device(self.request, response, form.cleaned_data["username"])
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.wait is not None:
            response.status_code = 429
            response["Retry-After"] = str(math.ceil(form.wait.total_seconds()))
        return response


class ChangePasswordView(PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:profile")

    def dispatch(self, request, *args, **kwargs):
        # While passwords are off ("SSO only"), only the break-glass administrator has one.
        if request.user.is_authenticated and not sso.password_allowed(request.user):
            context = {"passwords_off": sso.passwords_off()}
            status = 200 if request.method in ("GET", "HEAD") else 403
            return render(request, self.template_name, context, status=status)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        # The new password ends every session (`accounts.sessions`); this one goes on, under
        # the new key Django gives it, still signed in since it was.
        current = sessions.current(self.request)
        response = super().form_valid(form)
        sessions.track(self.request, form.user, signed_in_at=current and current.signed_in_at)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.wait is not None:
            response.status_code = 429
            response["Retry-After"] = str(math.ceil(form.wait.total_seconds()))
        return response


class ResetView(PasswordResetView):
    """ "Forgot your password?": while passwords are off ("SSO only", `accounts.sso`) it says so,
    and sends a link to the break-glass administrator only (`ResetForm`)."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "passwords_off": sso.passwords_off()}


class ResetConfirmView(PasswordResetConfirmView):
    """A reset link sets no password, while passwords are off, for anyone but the break-glass
    administrator (a link sent before they were switched off): it says so instead."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.validlink and not sso.password_allowed(self.user):
            context.update(validlink=False, form=None, passwords_off=sso.passwords_off())
        return context

    def form_valid(self, form):
        if not sso.password_allowed(form.user):
            return self.render_to_response(self.get_context_data(form=form), status=403)
        return super().form_valid(form)


@require_POST
def demo_login(request):
    """Demo mode only: sign in as one of the demo organisation's personas, without a password."""
    if not settings.DEMO:
        raise Http404
    personas = {str(p.person.pk): p.person for p in demo_personas()}
    person = personas.get(request.POST.get("person", ""))
    if person is None:
        messages.error(request, _("Choose one of the people listed."))
        return redirect("accounts:login")
    login(request, person, backend="accounts.backends.EmailBackend")
    return redirect("home")


@login_required
def profile(request):
    viewer = viewer_of(request)
    # A copy of the person, so that a rejected form does not show unsaved values elsewhere.
    person = Person.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        # Said in the language just chosen, as the next page will be.
        with translation.override(_language_after(request, person)):
            messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, person.language or "", samesite="Lax")
        return response
    return render(request, "accounts/profile.html", _profile_context(request, viewer, form))


def _language_after(request, person):
    """The language of the pages after a profile change: the one chosen, or else the browser's
    (not the cookie's, which the change replaces)."""
    if person.language:
        return person.language
    return translation.get_language_from_request(SimpleNamespace(COOKIES={}, META=request.META))


def _who_sees_my_details(person) -> dict[str, WhoSees]:
    """Who can see my profile and my employment details, from the rules (My data has the rest)."""
    profile, employment = who_asked([(person, "view"), (person, "view_employment")])
    return {"profile": who_sees([profile], person), "employment": who_sees([employment], person)}


def _profile_context(request, viewer, form, token_form=None, new_token=None):
    return {
        "form": form,
        "token_form": token_form or ApiTokenForm(),
        "tokens": ApiToken.objects.filter(person=request.user).active(),
        "new_token": new_token,
        "who": _who_sees_my_details(viewer.person),
        "email_change": EmailChange.objects.filter(person=request.user).open().first(),
        "email_form": EmailPreferencesForm(viewer=viewer, off=mail.turned_off(viewer.person)),
    }


@login_required
@require_POST
def create_token(request):
    viewer = viewer_of(request)
    token_form = ApiTokenForm(request.POST)
    new_token = None
    if token_form.is_valid():
        _token, new_token = ApiToken.issue(request.user, token_form.cleaned_data["name"])
        token_form = None
    context = _profile_context(
        request, viewer, ProfileForm(instance=request.user), token_form, new_token
    )
    return render(request, "accounts/profile.html", context, status=200 if new_token else 400)


@login_required
@require_POST
def revoke_token(request, token_id):
    token = get_object_or_404(ApiToken.objects.active(), pk=token_id, person=request.user)
    token.revoke()
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")
