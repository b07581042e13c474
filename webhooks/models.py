"""Webhooks and chat channels (issue 21): telling the organisation's other tools what happens
in Cadence.

- An `Endpoint` is an HTTPS address of the organisation's own systems, registered by an
  administrator, with the events it wants (`cadence.events.KINDS`). Every delivery to it is
  signed with its secret (`webhooks.signing`), which is shown once, when it is made: the server
  must keep it to sign, so it is stored sealed (`cadence.sealing`: encrypted with a key derived
  from SECRET_KEY, bound to the endpoint's row), with its first characters as a hint.
- A `TeamChannel` is a team's Slack or Microsoft Teams channel (an incoming-webhook address,
  itself a secret: stored sealed, shown only as its host and last characters), set by the
  team's leads or HR covering it: public praise is posted as it happens, and a weekly digest of
  the team's public activity (`webhooks.digest`).
- An `Event` is one thing that happened, with the payload sent for it (`webhooks.payloads`:
  never private content) and the people it names (so that erasing one of them removes it);
  each `Delivery` takes it to one endpoint or channel, and logs its attempts' outcome: the
  answer's status and the start of its body, retried with exponential back-off
  (`webhooks.sending`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

PERSON = settings.AUTH_USER_MODEL

URL_MAX = 500
# The start of an answer's body kept in the log (characters), and the most of it read.
RESPONSE_KEPT = 1000


class Endpoint(models.Model):
    # Binds the sealed secret to this row (`cadence.sealing`), and names it in the signature
    # headers; never in a URL of Cadence's own (those use the id).
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    url = models.CharField(_("address"), max_length=URL_MAX)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # The keys of the events it receives (`cadence.events.KINDS`).
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    sealed_secret = models.BinaryField(editable=False)
    secret_hint = models.CharField(max_length=16, editable=False)
    secret_set_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def wants(self, kind: str) -> bool:
        return self.active and kind in (self.events or [])


class ChatKind(models.TextChoices):
    SLACK = "slack", _("Slack")
    TEAMS = "teams", _("Microsoft Teams")


class TeamChannel(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.OneToOneField(
        "people.Team", on_delete=models.CASCADE, related_name="chat_channel", verbose_name=_("team")
    )
    kind = models.CharField(_("chat tool"), max_length=8, choices=ChatKind.choices)
    sealed_url = models.BinaryField(editable=False)
    # Its host and last characters ("hooks.slack.com/…a1b2"): the address itself is a secret.
    url_hint = models.CharField(max_length=120, editable=False)
    praise = models.BooleanField(_("post public praise as it is given"), default=True)
    digest = models.BooleanField(_("post a weekly digest"), default=True)
    # The first day of the last week whose digest was posted (the job claims each week once).
    digest_week = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("team chat channel")
        verbose_name_plural = _("team chat channels")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url_hint}"


# Events sent that are not of `cadence.events.KINDS`: a test, a team's weekly digest.
PING, DIGEST = "ping", "team.digest"
OTHER_KINDS: dict[str, StrOrPromise] = {PING: _("Test event"), DIGEST: _("Weekly digest")}


class Event(models.Model):
    """One thing that happened, as told outside: `payload` is the `data` of what was built when
    it happened; each delivery builds it again from `subject` when it is sent
    (`webhooks.sending.payload_now`)."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    # The id of the object it is about (a goal, praise…, by its kind); none for a test or a
    # digest (a digest is counted again from its week and channel).
    subject = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The people the payload names: erasing one of them deletes the event and its deliveries.
    people = models.ManyToManyField("people.Person", related_name="+", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def public_id(self) -> str:
        return f"evt_{self.key.hex}"

    @property
    def label(self) -> StrOrPromise:
        """What happened, in words: the event's kind's label."""
        from cadence.events import KINDS

        return {**KINDS, **OTHER_KINDS}.get(self.kind, self.kind)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")  # not sent yet, or to be sent again after a failure
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")  # every attempt failed: given up
    NOT_SENT = "not_sent", _("Not sent (demo)")  # demo mode sends nothing


class Delivery(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        Endpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(
        TeamChannel, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When it is due (again), while pending; an attempt under way pushes it out (its claim).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The start of the last answer's body (RESPONSE_KEPT characters), as the receiver wrote it.
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(endpoint__isnull=False, channel__isnull=True)
                | Q(endpoint__isnull=True, channel__isnull=False),
                name="delivery_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["event", "endpoint"],
                condition=Q(endpoint__isnull=False),
                name="delivery_once_per_endpoint",
            ),
            models.UniqueConstraint(
                fields=["event", "channel"],
                condition=Q(channel__isnull=False),
                name="delivery_once_per_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id or self.channel_id}: {self.status}"
