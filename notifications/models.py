"""In-app notifications: what the product also tells people by e-mail, listed for them in
Cadence, read or unread.

A notification stores its kind and the values its sentence needs, never a rendered sentence:
it is put in words when it is read, in the reader's language (`notifications.kinds`). It holds
only what its recipient could read when it was made (a name, a topic, a date), and the link to
where the rest is, which the visibility policy guards as ever.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # The sentence's values: names, topics, dates (ISO), conversation kinds.
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, blank=True)  # a path on this site
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def text(self) -> str:
        from notifications.kinds import sentence

        return sentence(self.kind, self.params)


class EmailOptOut(models.Model):
    """A kind of e-mail (`notifications.mail.EMAILS`) its person turned off, on their profile,
    through the API or from an e-mail's unsubscribe link. Every other kind is sent; what
    Cadence tells in-app (`Notification`) is not affected."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(_("kind of e-mail"), max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("e-mail turned off")
        verbose_name_plural = _("e-mails turned off")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="email_opt_out_once"),
        ]

    def __str__(self):
        return f"{self.kind} off for {self.person_id}"


class WeeklyDigest(models.Model):
    """A person's weekly digest (`notifications.digest`) for one week: claimed under a unique
    key before it is built, so that at most one goes out per person and ISO week, however
    often and however concurrently the job runs. `sent_at` is set when it went out; a digest
    with nothing in it is claimed and never sent."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The Monday of the ISO week, in the person's own calendar.
    week = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        constraints = [
            models.UniqueConstraint(fields=["person", "week"], name="weekly_digest_once"),
        ]
        indexes = [models.Index(fields=["week"], name="weekly_digest_week_idx")]

    def __str__(self):
        return f"digest {self.week} for {self.person_id}"
