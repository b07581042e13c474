"""Objectives, their key results, progress updates, adjustments and templates.

An objective belongs to a person, a team or the company, covers a period (a quarter, a year or
custom dates) and may be aligned to a parent objective; the alignment is stored twice, as the
`parent` link and as a materialised `path` of ids, so that a subtree is one prefix match.

Progress lives on key results: every update is kept (`ProgressUpdate`), and a key result's
current value is the latest update by time. Adjusting a goal keeps the old values and a reason
(`Adjustment`), so goals are revisited, not silently rewritten.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cadence.kept import Kept
from goals import progress as maths
from people.models import MaterialisedPath, ids_in

MAX_NUMBER = Decimal("1e12")


class Kind(models.TextChoices):
    RESULT = "result", _("Result")
    BEHAVIOURAL = "behavioural", _("Behavioural")
    LEARNING = "learning", _("Learning")


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]
# A goal ending within this many days with less than this progress needs attention.
ENDING_DAYS = 14
ENDING_PROGRESS = 0.7


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone in the organisation")
    TEAM = "team", _("The team and management chain")
    PRIVATE = "private", _("Only the owner and their manager")


def validate_finite(value):
    if value is not None and (not math.isfinite(value) or abs(value) >= MAX_NUMBER):
        raise ValidationError(_("Enter a finite number below a trillion."))


def quarter_of(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = (date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def period_label(start: date, end: date) -> str:
    """ "Q3 2026", "2026" or the dates themselves."""
    if (start, end) == quarter_of(start):
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{date_format(start)} – {date_format(end)}"


def needing_attention_q(stale_since: Any, today: date | None = None) -> models.Q:
    """SQL condition of `needing_attention` (open goals are the caller's): not updated since
    `stale_since` (a datetime, or an expression that gives one), at risk or off track, or
    ending within `ENDING_DAYS` with less than `ENDING_PROGRESS` done."""
    today = today or timezone.localdate()
    return (
        models.Q(last_activity_at__lt=stale_since)
        | models.Q(status__in=[Status.AT_RISK, Status.OFF_TRACK])
        | models.Q(
            end_date__lte=today + timedelta(days=ENDING_DAYS),
            progress_cache__lt=ENDING_PROGRESS,
        )
    )


class ObjectiveQuerySet(models.QuerySet["Objective"]):
    def current(self, today: date | None = None) -> Self:
        today = today or timezone.localdate()
        return self.filter(start_date__lte=today, end_date__gte=today)

    def in_period(self, start: date, end: date) -> Self:
        """Goals whose dates overlap [start, end]."""
        return self.filter(start_date__lte=end, end_date__gte=start)

    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)

    def needing_attention(self, stale_weeks: int, today: date | None = None) -> Self:
        """Open goals not updated for `stale_weeks`, at risk or off track, or ending within two
        weeks with less than 70 % progress (`progress_cache`, kept by every write): exactly
        the goals whose `attention_reasons(stored_progress=True)` are not empty."""
        stale_since = timezone.now() - timedelta(weeks=stale_weeks)
        return self.open().filter(needing_attention_q(stale_since, today))

    def with_key_results(self) -> Self:
        return self.prefetch_related(
            models.Prefetch("key_results", queryset=KeyResult.objects.order_by("position", "pk"))
        )


class Objective(MaterialisedPath, models.Model):
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("why it matters"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RESULT)
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    owner_team = models.ForeignKey(
        "people.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ON_TRACK
    )
    visibility = models.CharField(
        _("who can see it"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("contributes to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    # Ids from the top of the alignment tree down to this goal, this one included.
    path = models.CharField(max_length=1000, default="/", editable=False)
    # For objectives without key results (behavioural and learning goals): set by the owner.
    manual_progress = models.DecimalField(
        _("progress (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # The objective's own progress (0–1), kept up to date on every write that changes it, so that
    # trees and insights can aggregate in SQL. `progress` (computed) stays the truth on a page.
    progress_cache = models.FloatField(null=True, blank=True, editable=False)
    # The link point for Growth: a learning goal may develop a competency (no foreign key yet).
    competency_id = models.BigIntegerField(null=True, blank=True, editable=False)
    # Both set on few goals: their indexes hold only those (`Meta.indexes`). A full index, all
    # but a few rows NULL, tells SQLite's planner that a lookup finds every row, and it scans.
    template = models.ForeignKey(
        "GoalTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        db_index=False,
    )
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )
    final_score = models.DecimalField(
        _("final score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The last progress update, adjustment or status change: "stale" is measured from it.
    last_activity_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "title"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        indexes = [
            models.Index(fields=["owner_person", "end_date"], name="goal_owner_end_idx"),
            models.Index(fields=["owner_team", "end_date"], name="goal_team_end_idx"),
            models.Index(fields=["visibility", "end_date"], name="goal_vis_end_idx"),
            models.Index(fields=["path"], name="goal_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["last_activity_at"], name="goal_activity_idx"),
            models.Index(
                fields=["template"],
                condition=models.Q(template__isnull=False),
                name="goal_template_idx",
            ),
            models.Index(
                fields=["copied_from"],
                condition=models.Q(copied_from__isnull=False),
                name="goal_copied_from_idx",
            ),
            # The API's company goals, newest first (`owner=company`): a few among many.
            models.Index(
                fields=["-id"],
                condition=models.Q(owner_person__isnull=True, owner_team__isnull=True),
                name="goal_company_idx",
            ),
            # Company goals (the company's and every team's) in their list's order.
            models.Index(
                fields=["end_date", "title", "id"],
                name="goal_org_list_idx",
                condition=models.Q(owner_person__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="goal_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(owner_person__isnull=False, owner_team__isnull=False),
                name="goal_has_one_owner",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("goals:goal", args=[self.pk])

    # --- Owner and period -------------------------------------------------------------------

    @property
    def owner_kind(self) -> str:
        if self.owner_person_id:
            return "person"
        if self.owner_team_id:
            return "team"
        return "company"

    @property
    def owner_label(self) -> str:
        if self.owner_person is not None:
            return self.owner_person.name
        if self.owner_team is not None:
            return self.owner_team.name
        return str(_("Company"))

    @property
    def period_label(self) -> str:
        return period_label(self.start_date, self.end_date)

    @property
    def ancestor_ids(self) -> list[int]:
        return ids_in(self.path)[:-1]

    # --- Progress -----------------------------------------------------------------------------

    @property
    def progress(self) -> float | None:
        """Weighted mean of the key results, or the owner's own figure when there are none.

        Uses the prefetched key results (`with_key_results()`), so lists do no extra queries.
        """
        results = list(self.key_results.all())
        if results:
            return maths.weighted_mean((kr.progress, float(kr.weight)) for kr in results)
        if self.manual_progress is None:
            return None
        return float(self.manual_progress) / 100

    @property
    def expected_progress(self) -> float:
        """On the straight line from the start (or the day the goal was set, when later) to
        the end: a goal written late in its period is not behind on the day it is written."""
        start = maths.measured_from(self.start_date, self.set_on)
        return maths.expected_progress(start, self.end_date, timezone.localdate())

    @property
    def set_on(self) -> date:
        return timezone.localdate(self.created_at)

    @property
    def suggested_status(self) -> str | None:
        if self.status in (Status.DONE, Status.DROPPED):
            return None
        return maths.suggested_status(
            self.progress, self.start_date, self.end_date, timezone.localdate(), self.set_on
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def attention_reasons(self, stale_weeks: int, *, stored_progress: bool = False) -> list[str]:
        """Why this goal needs attention, in words; empty when it does not. `stored_progress`:
        read the progress from `progress_cache` (kept by every write), for counts that load no
        key results."""
        if not self.is_open:
            return []
        reasons = []
        if self.last_activity_at < timezone.now() - timedelta(weeks=stale_weeks):
            weeks = (timezone.now() - self.last_activity_at).days // 7
            reasons.append(
                ngettext("not updated for %(weeks)s week", "not updated for %(weeks)s weeks", weeks)
                % {"weeks": weeks}
            )
        if self.status in (Status.AT_RISK, Status.OFF_TRACK):
            reasons.append(self.get_status_display().lower())
        progress = self.progress_cache if stored_progress else self.progress
        ending = self.end_date <= timezone.localdate() + timedelta(days=ENDING_DAYS)
        if ending and progress is not None and progress < ENDING_PROGRESS:
            reasons.append(
                _("ends soon with %(progress)s%% done") % {"progress": round(progress * 100)}
            )
        return reasons

    def refresh_progress(self) -> None:
        """Recompute `progress_cache` from the database (after key results change)."""
        refresh_progress_cache([self.pk])
        self.progress_cache = Objective.objects.values_list("progress_cache", flat=True).get(
            pk=self.pk
        )

    # --- Alignment ----------------------------------------------------------------------------

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.owner_person_id and self.owner_team_id:
            raise ValidationError(_("A goal belongs to a person, a team or the company."))
        if self.owner_kind == "company" and self.visibility != Visibility.PUBLIC:
            raise ValidationError({"visibility": _("Company goals are seen by everyone.")})
        if self.owner_kind == "team" and self.visibility == Visibility.PRIVATE:
            raise ValidationError(
                {"visibility": _("A team's goal is shared with the team at least.")}
            )
        if (
            self.parent_id
            and self.pk
            and (self.parent_id == self.pk or self.pk in ids_in(self.parent.path))
        ):
            raise ValidationError(
                {"parent": _("A goal cannot contribute to itself or to a goal that supports it.")}
            )
        if self.manual_progress is not None and not 0 <= self.manual_progress <= 100:
            raise ValidationError({"manual_progress": _("Progress is between 0 and 100 %.")})

    def save(self, *args, **kwargs):
        if self.manual_progress is not None and (self.pk is None or not self.key_results.exists()):
            self.progress_cache = float(self.manual_progress) / 100
        super().save(*args, **kwargs)


class KeyResult(models.Model):
    class Type(models.TextChoices):
        METRIC = "metric", _("Measurable")
        MILESTONE = "milestone", _("Milestone (done or not)")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(_("key result"), max_length=200)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.METRIC)
    start_value = models.DecimalField(
        _("start"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[validate_finite],
    )
    target_value = models.DecimalField(
        _("target"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[validate_finite],
    )
    current_value = models.DecimalField(
        _("current"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[validate_finite],
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    done = models.BooleanField(_("done"), default=False)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        refresh_progress_cache([self.objective_id])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        refresh_progress_cache([self.objective_id])
        return result

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("key result")
        verbose_name_plural = _("key results")

    def __str__(self):
        return self.title

    @property
    def progress(self) -> float | None:
        if self.type == self.Type.MILESTONE:
            return maths.milestone_progress(self.done)
        return maths.key_result_progress(self.start_value, self.target_value, self.current_value)

    def clean(self):
        super().clean()
        if self.type == self.Type.METRIC:
            missing = {
                field: _("A measurable key result needs a %(field)s value.") % {"field": label}
                for field, label in (("start_value", _("start")), ("target_value", _("target")))
                if getattr(self, field) is None
            }
            if missing:
                raise ValidationError(missing)
            if self.target_value == self.start_value:
                # Allowed, but progress is undefined: the SMART hint says so.
                pass
            elif (self.target_value > self.start_value) != (self.direction == "increase"):
                raise ValidationError(
                    {"direction": _("The target does not go in the chosen direction.")}
                )
            if self.current_value is None:
                self.current_value = self.start_value


class ProgressUpdate(models.Model):
    """One check-in on a key result (or on an objective without key results). Never edited."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="updates")
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="updates"
    )
    value = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, validators=[validate_finite]
    )
    done = models.BooleanField(null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [
            models.Index(fields=["key_result", "created_at"], name="update_kr_time_idx"),
            models.Index(fields=["objective", "created_at"], name="update_goal_time_idx"),
        ]

    def __str__(self):
        return f"{self.objective_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Adjustment(models.Model):
    """A change to a goal's target, dates or wording, with its reason ("adjusted because …")."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="adjustments")
    reason = models.CharField(_("reason"), max_length=300)
    changes = models.JSONField(default=list)  # [{"field": label, "old": "…", "new": "…"}]
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.reason


class GoalTemplate(models.Model):
    """A goal HR offers, e.g. for a role; people start from it and make it their own."""

    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("why it matters"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RESULT)
    role = models.ForeignKey(
        "people.Role", verbose_name=_("for role"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # [{"title": …, "type": "metric"|"milestone", "unit": …, "start": …, "target": …}]
    key_results = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("goal template")
        verbose_name_plural = _("goal templates")

    def __str__(self):
        return self.title


class GoalSettings(models.Model):
    """The organisation's goal settings (one row)."""

    stale_after_weeks = models.PositiveSmallIntegerField(
        _("a goal needs attention when not updated for (weeks)"), default=3
    )

    class Meta:
        verbose_name = _("goal settings")
        verbose_name_plural = _("goal settings")

    def __str__(self):
        return str(_("Goal settings"))

    @classmethod
    def load(cls) -> GoalSettings:
        """The row, to change (created with the defaults the first time)."""
        return cls.objects.get_or_create(pk=1)[0]


def _read_stale_weeks() -> int:
    found = GoalSettings.objects.filter(pk=1).values_list("stale_after_weeks", flat=True).first()
    return found if found is not None else STALE_WEEKS_DEFAULT


STALE_WEEKS_DEFAULT: int = GoalSettings._meta.get_field("stale_after_weeks").get_default()
# What pages read: the weeks after which a goal not updated needs attention, kept in each
# process (`cadence.kept`), read without creating the row.
STALE_WEEKS = Kept(_read_stale_weeks, changed_by=(GoalSettings,))


@transaction.atomic
def record_progress(
    objective: Objective,
    *,
    author,
    key_result: KeyResult | None = None,
    value: Decimal | None = None,
    done: bool | None = None,
    confidence: int | None = None,
    comment: str = "",
    at=None,
) -> ProgressUpdate:
    """Keep one progress update and make the current value the latest update by time.

    The key result's row is locked first, so two people updating it at the same moment are
    applied one after the other: both updates are kept, and the later one is current.
    """
    at = at or timezone.now()
    if key_result is not None:
        KeyResult.objects.select_for_update().filter(pk=key_result.pk).first()
    update = ProgressUpdate.objects.create(
        objective=objective,
        key_result=key_result,
        value=value,
        done=done,
        confidence=confidence,
        comment=comment,
        author=author,
        created_at=at,
    )
    if key_result is not None:
        latest = (
            ProgressUpdate.objects.filter(key_result=key_result)
            .order_by("-created_at", "-pk")
            .values("value", "done", "created_at")
            .first()
        )
        assert latest is not None  # the update written above
        fields: dict[str, object] = {"updated_at": latest["created_at"]}
        if key_result.type == KeyResult.Type.MILESTONE:
            fields["done"] = bool(latest["done"])
        else:
            fields["current_value"] = latest["value"]
        KeyResult.objects.filter(pk=key_result.pk).update(**fields)
        for name, new in fields.items():
            setattr(key_result, name, new)
    elif value is not None:
        # The objective's own progress, too, is its latest update by time.
        Objective.objects.select_for_update().filter(pk=objective.pk).first()
        latest_value = (
            ProgressUpdate.objects.filter(
                objective=objective, key_result__isnull=True, value__isnull=False
            )
            .order_by("-created_at", "-pk")
            .values_list("value", flat=True)
            .first()
        )
        objective.manual_progress = latest_value
        Objective.objects.filter(pk=objective.pk).update(manual_progress=latest_value)
    Objective.objects.filter(pk=objective.pk, last_activity_at__lt=at).update(last_activity_at=at)
    objective.last_activity_at = max(objective.last_activity_at, at)
    objective.refresh_progress()
    return update


def refresh_progress_cache(objective_ids) -> None:
    """Recompute the stored progress of these objectives from their key results (or their
    manual progress). For bulk writers (the demo, imports) as well as single changes."""
    ids = list(objective_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        goals = list(
            Objective.objects.filter(pk__in=chunk)
            .only("pk", "manual_progress", "progress_cache")
            .prefetch_related("key_results")
        )
        changed = []
        for goal in goals:
            value = goal.progress
            if value != goal.progress_cache:
                goal.progress_cache = value
                changed.append(goal)
        Objective.objects.bulk_update(changed, ["progress_cache"], batch_size=500)
