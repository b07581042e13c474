"""The competency framework: one document per organisation, published in versions.

A `FrameworkVersion` owns its rows: the proficiency levels, the competencies with a behaviour
per level, the career tracks with a role profile per level and the expected proficiency of each
competency. Publishing writes a new version with new rows (`growth.services.publish`); nothing of
a published version is ever changed, so that what points at a version's competency (an
assessment, later) keeps meaning what it meant. `CarryOver` says, for each competency of the
version before, where its ratings go in the new one (kept, renamed, merged or split); a
competency with none was retired.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL


class FrameworkVersion(models.Model):
    number = models.PositiveIntegerField(_("version"), unique=True)
    published_at = models.DateTimeField(_("published"))
    # None: published from the command line or by the demo, not by someone in the app.
    published_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self) -> str:
        return f"v{self.number}"


class ProficiencyLevel(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="growth_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Category(models.TextChoices):
    """The categories we name; a framework may use others of its own."""

    CORE = "core", _("Core")
    CRAFT = "craft", _("Craft")
    LEADERSHIP = "leadership", _("Leadership")


class Competency(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="competencies"
    )
    # Stable across versions: the same key is the same competency (`CarryOver`).
    key = models.SlugField(_("key"), max_length=50)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="growth_competency_key")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def category_label(self) -> str:
        """Ours translated, the framework's own as written."""
        try:
            return str(Category(self.category).label)
        except ValueError:
            return self.category


class Behaviour(models.Model):
    """What a competency looks like at one proficiency level."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="behaviours")
    level = models.PositiveSmallIntegerField(_("level"))
    description = models.TextField(_("description"))
    examples = models.JSONField(_("examples"), default=list, blank=True)  # a list of strings

    class Meta:
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="growth_behaviour_level")
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}@{self.level}"


class CarryOver(models.Model):
    """Where the ratings of a competency of the version before go in a new version."""

    class Kind(models.TextChoices):
        SAME = "same", _("carried over")
        RENAMED = "renamed", _("renamed")
        MERGED = "merged", _("merged")
        SPLIT = "split", _("split")

    source = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="carried_to")
    target = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="carried_from")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="growth_carry_over_once")
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} ({self.kind})"


class Track(models.Model):
    """A career track (individual contributor, management): its levels are role profiles, and
    it holds the job roles whose people climb it."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="tracks")
    key = models.SlugField(_("key"), max_length=50)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    roles = models.ManyToManyField("people.Role", blank=True, related_name="growth_tracks")

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="growth_track_key")]

    def __str__(self) -> str:
        return self.name


class RoleProfile(models.Model):
    """A step of a track: for its roles at this level (`Person.level`), the title, what the
    step is about and the proficiency expected of each competency."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="profiles")
    level = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["track", "level"]
        constraints = [
            models.UniqueConstraint(fields=["track", "level"], name="growth_profile_level")
        ]

    def __str__(self) -> str:
        return self.title


class Expectation(models.Model):
    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="expectations")
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="expectations"
    )
    level = models.PositiveSmallIntegerField(_("expected level"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competency"], name="growth_expectation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.level}"


# --- Assessments ----------------------------------------------------------------------------------


class AssessmentRound(models.Model):
    """HR asking a team (and the teams within it) or the whole organisation to assess, by a
    date: one assessment started for each person in it."""

    name = models.CharField(_("name"), max_length=120)
    # None: the whole organisation.
    scope = models.ForeignKey(
        "people.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due"))
    started_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SELF_DONE = "self_done", _("Self-assessment shared")
    MANAGER_DONE = "manager_done", _("Manager's assessment shared")
    BOTH_DONE = "both_done", _("Both shared")
    AGREED = "agreed", _("Levels agreed")
    CLOSED = "closed", _("Closed")


class Assessment(models.Model):
    """One person (the subject) assessed against one version of the framework: their own
    ratings and their manager's, side by side and never combined, then the levels they agreed.
    Its ratings point at the version's competency rows, which never change."""

    subject = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="assessments")
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    started_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    round = models.ForeignKey(
        AssessmentRound,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Each side's ratings are its own until it shares them (done).
    self_shared_at = models.DateTimeField(null=True, blank=True)
    manager_shared_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The subject chose to show the ratings to HR in scope (who otherwise see the status only).
    hr_shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["subject", "-created_at"], name="growth_assessment_subject")
        ]
        constraints = [
            # One open assessment per person at a time, whoever starts it (the person, their
            # manager, HR's round), even when two start at once.
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(closed_at__isnull=True),
                name="growth_one_open_assessment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} v{self.version_id} {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("growth:assessment", args=[self.pk])

    @property
    def status(self) -> str:
        if self.closed_at is not None:
            return AssessmentStatus.CLOSED
        if self.agreed_at is not None:
            return AssessmentStatus.AGREED
        if self.self_shared_at and self.manager_shared_at:
            return AssessmentStatus.BOTH_DONE
        if self.manager_shared_at:
            return AssessmentStatus.MANAGER_DONE
        if self.self_shared_at:
            return AssessmentStatus.SELF_DONE
        return AssessmentStatus.OPEN

    @property
    def status_label(self) -> str:
        return str(AssessmentStatus(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Side(models.TextChoices):
    SELF = "self", _("Self")
    MANAGER = "manager", _("Manager")
    AGREED = "agreed", _("Agreed")


class Rating(models.Model):
    """One side's level of one competency in an assessment, with its evidence (for the agreed
    level: the note). Never combined with the other side's into any figure."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    # None: not assessed.
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    text = models.TextField(_("evidence"), blank=True, max_length=4000)
    rated_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # The subject's goals the rater chose as evidence (shown to whoever may see both).
    goals = models.ManyToManyField("goals.Objective", blank=True, related_name="+")
    # Feedback the subject received and attached (on their own ratings only).
    feedback = models.ManyToManyField("feedback.Feedback", blank=True, related_name="+")

    class Meta:
        ordering = ["assessment", "competency__position", "side"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency", "side"], name="growth_rating_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.competency_id}: {self.level}"
