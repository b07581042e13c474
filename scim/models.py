"""SCIM provisioning's own records: the tokens an identity provider calls with, and the ids it
knows people and teams by.

A token is stored as its SHA-256 digest only (as `accounts.ApiToken`): it is shown once, when
an administrator makes it. It is a table of its own, not a personal API token, so that it
opens `/scim/v2/` and nothing else: the API and the pages never look here.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "scim_"  # noqa: S105 - a visible prefix, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ScimToken(models.Model):
    """The bearer token an identity provider (Entra ID, Okta) provisions with."""

    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that administrators can tell tokens apart.
    hint = models.CharField(max_length=16, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, name: str, created_by) -> tuple[ScimToken, str]:
        """Make a token; returns it with the raw secret, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            name=name,
            digest=hash_token(raw),
            hint=raw[: len(TOKEN_PREFIX) + 6],
            created_by=created_by,
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> ScimToken | None:
        """The working token with this secret, or None (unknown or revoked)."""
        token = cls.objects.filter(digest=hash_token(raw), revoked_at__isnull=True).first()
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token


class ScimUser(models.Model):
    """What the identity provider calls a person: its user name (often the sign-in name, which
    need not be their e-mail address) and its own id for them (`externalId`)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim"
    )
    user_name = models.CharField(max_length=254, unique=True)
    external_id = models.CharField(max_length=254, blank=True, db_index=True)

    def __str__(self):
        return self.user_name


class ScimGroup(models.Model):
    """The identity provider's own id for a team it provisions as a group (`externalId`)."""

    team = models.OneToOneField("people.Team", on_delete=models.CASCADE, related_name="scim")
    external_id = models.CharField(max_length=254, blank=True, db_index=True)

    def __str__(self):
        return self.external_id
