"""Sign-in failures (for throttling, `accounts/throttle.py`), personal API tokens and the
sessions people are signed in with."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "cad_"  # noqa: S105 - a visible prefix, not a secret


class LoginFailure(models.Model):
    """One failed sign-in, for throttling (`accounts/throttle.py`). Kept in the database so that
    every app process sees the same count; pruned once it no longer counts."""

    email = models.CharField(max_length=254)  # the address tried, lower-case
    # The client: its IP address, or its /64 network for IPv6 ("unknown" without one).
    client = models.CharField(max_length=50, default="")
    # The trusted browser's device id when it came from one for this address, else empty.
    device = models.CharField(max_length=32, blank=True, default="")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.email} from {self.client} at {self.at:%Y-%m-%d %H:%M}"

    class Meta:
        indexes = [
            models.Index(fields=["email", "at"], name="loginfailure_email_at_idx"),
            models.Index(fields=["client", "at"], name="loginfailure_client_at_idx"),
            models.Index(fields=["at"], name="loginfailure_at_idx"),
        ]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that people can tell their tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, person, name: str) -> tuple[ApiToken, str]:
        """Create a token; returns it with the raw secret, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            person=person, name=name, digest=hash_token(raw), hint=raw[: len(TOKEN_PREFIX) + 6]
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        """The person a raw token belongs to, or None when unknown, revoked or left."""
        # With the person's team, which the rules and the pilot scope read: no query of their own.
        tokens = cls.objects.active().select_related("person__team")
        token = tokens.filter(digest=hash_token(raw)).first()
        if token is None or not token.person.is_active or token.person.has_left:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.person

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class EmailChangeQuerySet(models.QuerySet["EmailChange"]):
    def open(self, now: datetime | None = None) -> Self:
        """Neither applied nor cancelled, and its confirmation link has not expired."""
        now = now or timezone.now()
        since = now - timedelta(days=settings.EMAIL_CHANGE_CONFIRM_DAYS)
        return self.filter(
            applied_at__isnull=True, cancelled_at__isnull=True, requested_at__gt=since
        )


class EmailChange(models.Model):
    """A requested change of someone's sign-in address (see `accounts.email_change`).

    It takes effect only once confirmed from the new address and, when someone else asked for
    it, not before the old address had time to object (`takes_effect_at`).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_changes"
    )
    old_email = models.EmailField()
    new_email = models.EmailField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    takes_effect_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = EmailChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(
                fields=["takes_effect_at"],
                name="emailchange_due_idx",
                condition=models.Q(applied_at__isnull=True, cancelled_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.old_email} → {self.new_email}"

    @property
    def expires_at(self):
        return self.requested_at + timedelta(days=settings.EMAIL_CHANGE_CONFIRM_DAYS)


class Invitation(models.Model):
    """An invitation e-mail with a link to choose a password (see `accounts.invitations`): one
    row per e-mail sent, so that HR sees when someone was last invited. The link works once,
    for `settings.INVITATION_DAYS` days."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    # Who sent it: HR or an administrator on the person page, the importer (None: the server).
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["person", "-sent_at"], name="invitation_person_idx")]

    def __str__(self):
        return f"{self.person} ({self.sent_at:%Y-%m-%d %H:%M})"

    @property
    def expires_at(self) -> datetime:
        return self.sent_at + timedelta(days=settings.INVITATION_DAYS)


class SignedInSession(models.Model):
    """A browser session someone is signed in with, for their list of sessions (see
    `accounts.sessions`): where from and when, never the session key in clear."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the session key
    sealed_key = models.BinaryField()  # the key, sealed with SECRET_KEY: to end the session
    user_agent = models.CharField(max_length=300, blank=True)
    # Roughly where from: the address shortened ("203.0.113.*").
    network = models.CharField(max_length=50, blank=True)
    # None for a session signed in before sessions were listed.
    signed_in_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        indexes = [models.Index(fields=["person", "-last_seen_at"], name="session_person_idx")]

    def __str__(self) -> str:
        return f"session of {self.person_id} seen {self.last_seen_at:%Y-%m-%d %H:%M}"


class SsoSettings(models.Model):
    """Signing in with the organisation's identity provider (OpenID Connect), as administered
    in the app (Administration → Single sign-on; `accounts.sso`): one row. The OIDC_*
    environment variables, when set, take its place. The client secret is kept sealed with a
    key derived from SECRET_KEY, and never shown again."""

    enabled = models.BooleanField(_("offer sign-in with the identity provider"), default=False)
    provider_name = models.CharField(
        _("provider's name"),
        max_length=60,
        blank=True,
        help_text=_("Shown on the sign-in button: “Sign in with Microsoft”, “… with Okta”."),
    )
    issuer = models.CharField(
        _("issuer"),
        max_length=300,
        blank=True,
        help_text=_(
            "The provider's issuer address (or its discovery document's address, ending in "
            "/.well-known/openid-configuration)."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=300, blank=True)
    # The client secret sealed (`accounts.sso.seal_secret`); empty: none stored.
    client_secret_sealed = models.BinaryField(default=b"", blank=True, editable=False)
    scopes = models.CharField(
        _("scopes"),
        max_length=300,
        default="openid email profile",
        help_text=_("Separated by spaces; openid and email are needed."),
    )
    sso_only = models.BooleanField(
        _("single sign-on only"),
        default=False,
        help_text=_(
            "Passwords are switched off for everyone but the break-glass administrator: no "
            "password sign-in, reset or invitation to choose a password."
        ),
    )
    break_glass = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("break-glass administrator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The one administrator who may still sign in with a password, should the provider fail."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("single sign-on settings")
        verbose_name_plural = _("single sign-on settings")

    def __str__(self) -> str:
        return str(_("Single sign-on settings"))


class SsoLink(models.Model):
    """A person's account at the identity provider (its issuer and subject), linked to them
    the first time they signed in with it, by the address it confirmed (`accounts.sso`). From
    then on the subject finds them, whatever address the provider later gives it: an account
    at the provider whose address changes cannot reach anyone else's."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_links"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on link")
        verbose_name_plural = _("single sign-on links")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="ssolink_subject_once"),
            models.UniqueConstraint(fields=["person", "issuer"], name="ssolink_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.issuer}"
