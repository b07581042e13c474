"""Internal mobility: a person's wish to move (`MobilityPreference`), internal openings
(`Opening`) and a person's interest in one (`Interest`).

A preference says whether the person is open to a move, whom they let see it (HR whose scope
covers them, or HR and their current manager: `Audience`) and what interests them: career
tracks (stable keys of the framework's tracks), job roles and teams (ids). People carry no
location in Cadence, so there are no locations to choose. An opening is a role at a level in a
team, with its hiring manager; what it expects is the role profile of that role and level in
the current framework (`growth.queries.current().step_of`). An interest is one person's, in
one opening, once; withdrawing it deletes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL
MAX_NOTE = 500
MAX_INTERESTS = 20


class Audience(models.TextChoices):
    HR = "hr", _("HR whose scope covers me")
    HR_AND_MANAGER = "hr_and_manager", _("HR and my current manager")


class MobilityPreference(models.Model):
    person = models.OneToOneField(
        PERSON,
        on_delete=models.CASCADE,
        related_name="mobility_preference",
        verbose_name=_("whose"),
    )
    open_to_move = models.BooleanField(_("open to a move"), default=False)
    audience = models.CharField(
        _("who may see it"), max_length=20, choices=Audience.choices, default=Audience.HR
    )
    # What interests them: track keys, role ids and team ids (in their order).
    tracks = models.JSONField(_("career tracks"), default=list, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    teams = models.JSONField(_("teams"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=MAX_NOTE)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("mobility preference")
        verbose_name_plural = _("mobility preferences")
        indexes = [models.Index(fields=["open_to_move"], name="mobility_open_idx")]

    def __str__(self) -> str:
        return f"mobility preference {self.pk}"

    @property
    def shows_manager(self) -> bool:
        return self.audience == Audience.HR_AND_MANAGER


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Opening(models.Model):
    title = models.CharField(_("title"), max_length=200)
    role = models.ForeignKey(
        "people.Role", on_delete=models.PROTECT, related_name="openings", verbose_name=_("role")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    team = models.ForeignKey(
        "people.Team", on_delete=models.PROTECT, related_name="openings", verbose_name=_("team")
    )
    description = models.TextField(_("description"), blank=True)
    hiring_manager = models.ForeignKey(
        PERSON,
        on_delete=models.PROTECT,
        related_name="openings_hiring",
        verbose_name=_("hiring manager"),
    )
    posted_by = models.ForeignKey(
        PERSON,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        indexes = [models.Index(fields=["status", "team"], name="opening_status_team_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mobility:opening", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == OpeningStatus.OPEN


class Interest(models.Model):
    person = models.ForeignKey(
        PERSON, on_delete=models.CASCADE, related_name="mobility_interests", verbose_name=_("who")
    )
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="interests")
    note = models.TextField(_("note"), blank=True, max_length=MAX_NOTE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("interest in an opening")
        verbose_name_plural = _("interests in openings")
        constraints = [
            models.UniqueConstraint(fields=["person", "opening"], name="mobility_interest_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.opening_id}"
