"""Key positions and their succession plans (Talent, issue 18).

A `KeyPosition` is a job role at a level in a team that the organisation cannot afford to
leave empty, optionally held by someone (the incumbent). Its succession plan is its
`SuccessionCandidate`s: people who could step in, each with a readiness (ready now, in one to
two years, in three or more), a rank, at most one emergency successor per position, notes, and
the date of the evidence the readiness rests on (`readiness_on`): a readiness whose evidence is
older than `EXPIRES_DAYS` has expired and counts as not ready. Every change to a candidacy
(named, changed, removed) is kept in `CandidacyChange`, append-only: who, when, and each
field's `[before, after]` (the notes only as "changed", never their words).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL

# A readiness resting on evidence older than this has expired (ask for a fresh assessment).
EXPIRES_DAYS = 365
MAX_RANK = 99


class Readiness(models.TextChoices):
    NOW = "now", _("Ready now")
    ONE_TWO = "1-2", _("Ready in 1–2 years")
    THREE_PLUS = "3+", _("Ready in 3+ years")


class KeyPosition(models.Model):
    team = models.ForeignKey(
        "people.Team",
        on_delete=models.PROTECT,
        related_name="key_positions",
        verbose_name=_("team"),
    )
    role = models.ForeignKey(
        "people.Role",
        on_delete=models.PROTECT,
        related_name="key_positions",
        verbose_name=_("role"),
    )
    level = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=120)
    incumbent = models.ForeignKey(
        PERSON,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_positions_held",
        verbose_name=_("held by"),
    )
    why_key = models.TextField(_("why it is key"), blank=True)
    created_by = models.ForeignKey(
        PERSON, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("key position")
        verbose_name_plural = _("key positions")

    def __str__(self) -> str:
        return self.title

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class SuccessionCandidate(models.Model):
    position = models.ForeignKey(KeyPosition, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(
        PERSON, on_delete=models.CASCADE, related_name="candidacies", verbose_name=_("candidate")
    )
    readiness = models.CharField(_("readiness"), max_length=3, choices=Readiness.choices)
    # The date of the evidence the readiness rests on (an assessment, a conversation).
    readiness_on = models.DateField(_("evidence from"))
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    emergency = models.BooleanField(_("emergency successor"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        PERSON, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "rank", "pk"]
        verbose_name = _("succession candidate")
        verbose_name_plural = _("succession candidates")
        constraints = [
            models.UniqueConstraint(fields=["position", "person"], name="succession_named_once"),
            models.UniqueConstraint(
                fields=["position"],
                condition=models.Q(emergency=True),
                name="succession_one_emergency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position_id}: {self.person_id}"

    def expired(self, today: date) -> bool:
        return self.readiness_on < today - timedelta(days=EXPIRES_DAYS)

    def ready_now(self, today: date) -> bool:
        return self.readiness == Readiness.NOW and not self.expired(today)


class ChangeKind(models.TextChoices):
    NAMED = "named", _("Named")
    CHANGED = "changed", _("Changed")
    REMOVED = "removed", _("Removed")


class CandidacyChange(models.Model):
    """One change to a candidacy, kept after the candidacy itself is removed."""

    position = models.ForeignKey(KeyPosition, on_delete=models.CASCADE, related_name="changes")
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    candidacy = models.ForeignKey(
        SuccessionCandidate, null=True, on_delete=models.SET_NULL, related_name="changes"
    )
    kind = models.CharField(max_length=8, choices=ChangeKind.choices)
    # Each field's [before, after]: readiness, readiness_on, rank, emergency; the notes only as
    # [null, "changed"] (their words stay on the candidacy).
    changes = models.JSONField(default=dict)
    by = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id} @ {self.position_id}"
