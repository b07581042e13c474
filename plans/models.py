"""The personal development plan (PDP): one per person, owned by them.

A `Plan` holds the employee's ambition, the step of the career tracks they aim for (a track's
stable key and a level: `growth.queries` finds the step in the current framework) and the
competencies they focus on (stable competency keys, in their order). Its `PlanAction`s are
what they will do (a course, mentoring, a stretch assignment), each with what they need of
their manager and what the manager says and confirms. Learning goals are goals of the goals
module, linked here (`PlanGoal`). `PlanShare` names whom the employee shared the plan with.

A plan is *active* while it has an open action due today or later, or was updated in the last
`ACTIVE_DAYS` days, and its owner has not left (`plans.activity`); `PlanActivePeriod` keeps the
dated history of that, one row per period (`end` None while it lasts), for Insights' retention
analysis.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL

# A plan updated this many days ago is still active (`plans.activity`).
ACTIVE_DAYS = 90
MAX_FOCUS = 5


class Plan(models.Model):
    person = models.OneToOneField(
        PERSON, on_delete=models.CASCADE, related_name="development_plan", verbose_name=_("whose")
    )
    ambition = models.TextField(_("ambition"), blank=True)
    # The step aimed for: a track's stable key and a level of it (blank: none chosen).
    target_track = models.SlugField(_("target track"), max_length=50, blank=True)
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    # The competencies focused on, by their stable keys, in the employee's order.
    focus = models.JSONField(_("focus competencies"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Every write to the plan, its actions, goals and shares (by either person) sets it.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")

    def __str__(self) -> str:
        return f"plan {self.pk}"

    @property
    def target_step_id(self) -> str:
        """The step as `growth.queries.Step.id` names it ("management-4"), or ""."""
        if not self.target_track or self.target_level is None:
            return ""
        return f"{self.target_track}-{self.target_level}"


class ActionKind(models.TextChoices):
    TRAINING = "training", _("Training")
    COURSE = "course", _("Course")
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    STRETCH = "stretch", _("Stretch assignment")
    SHADOWING = "shadowing", _("Shadowing")
    READING = "reading", _("Reading")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class PlanAction(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices)
    title = models.CharField(_("what"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    support = models.TextField(_("support needed from the manager"), blank=True)
    cost = models.DecimalField(_("cost"), max_digits=10, decimal_places=2, null=True, blank=True)
    # The manager's: a comment, and that they confirmed the support asked for (when, who).
    manager_comment = models.TextField(_("manager's comment"), blank=True)
    commented_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    support_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    support_confirmed_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["plan", models.F("due_date").asc(nulls_last=True), "pk"]
        verbose_name = _("development action")
        verbose_name_plural = _("development actions")
        indexes = [
            # Open actions past due (waiting) and due later (the active rule).
            models.Index(fields=["status", "due_date"], name="plan_action_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_choices(self) -> list[tuple[str, object]]:
        return list(ActionStatus.choices)

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today


class PlanGoal(models.Model):
    """A learning goal (goals module) made for the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goal_links")
    objective = models.OneToOneField(
        "goals.Objective", on_delete=models.CASCADE, related_name="plan_link"
    )

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.objective_id}"


class PlanShare(models.Model):
    """The employee shared their plan with this person (until they take it back: deleted)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="plans_shared_with")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="plan_share_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} → {self.person_id}"


class PlanActivePeriod(models.Model):
    """A period the plan was active: from `start` to the day before `end` (None: still is)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="active_periods")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(end__isnull=True), name="plan_one_open_period"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="plan_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.start}–{self.end or ''}"
