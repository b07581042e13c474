"""Forms of the goal lists: the filters above a list, and the "update in seconds" check-in."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import (
    OPEN_STATUSES,
    KeyResult,
    Kind,
    Objective,
    Status,
    quarter_of,
    record_progress,
    validate_finite,
)
from people.models import Team

FOUR_PLACES = Decimal("0.0001")  # the precision of the database columns


def plain_number(value: Decimal | None) -> Decimal | None:
    """12.0000 → 12 and 3.5000 → 3.5 for display, without turning 100 into 1E+2."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class FiniteDecimalField(forms.DecimalField):
    """A number as people type it in their language, finite and below a trillion, kept to the
    four decimal places the database stores (rounded, not refused)."""

    default_error_messages = {"invalid": _("Enter a number, such as 42 or 3.5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(validators=[validate_finite], **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value):
        value = super().clean(value)
        return None if value is None else value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


# --- Filters ----------------------------------------------------------------------------------


def period_bounds(period: str, today: date) -> tuple[date, date] | None:
    start, end = quarter_of(today)
    if period == "next_quarter":
        return quarter_of(end + timedelta(days=1))
    if period == "last_quarter":
        return quarter_of(start - timedelta(days=1))
    if period == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if period == "all":
        return None
    return start, end


class GoalFilterForm(forms.Form):
    """The filters of a goal list, read from the query string; anything invalid falls back to
    the default (this quarter, open goals) instead of failing the page."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("this_quarter", _("This quarter")),
            ("next_quarter", _("Next quarter")),
            ("last_quarter", _("Last quarter")),
            ("this_year", _("This year")),
            ("all", _("All periods")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("done", _("Done")),
            ("dropped", _("Dropped")),
            ("all", _("All statuses")),
        ],
    )
    owner = forms.CharField(
        label=_("Owner (person or team)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.only("name", "path"), required=False, widget=forms.HiddenInput
    )

    def values(self) -> dict:
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "period": data.get("period") or "this_quarter",
            "kind": data.get("kind") or "",
            "status": data.get("status") or "open",
            "owner": (data.get("owner") or "").strip(),
            "team": data.get("team"),
        }

    def filter(self, goals, *, with_team: bool = True):
        values = self.values()
        bounds = period_bounds(values["period"], timezone.localdate())
        if bounds:
            goals = goals.in_period(*bounds)
        if values["kind"]:
            goals = goals.filter(kind=values["kind"])
        if values["status"] == "open":
            goals = goals.filter(status__in=OPEN_STATUSES)
        elif values["status"] in (Status.DONE, Status.DROPPED):
            goals = goals.filter(status=values["status"])
        if values["owner"]:
            q = values["owner"]
            goals = goals.filter(
                Q(owner_person__name__icontains=q) | Q(owner_team__name__icontains=q)
            )
        if with_team and values["team"]:
            path = values["team"].path
            goals = goals.filter(
                Q(owner_team__path__startswith=path) | Q(owner_person__team__path__startswith=path)
            )
        return goals


# --- The progress update ----------------------------------------------------------------------


class ProgressUpdateForm(forms.Form):
    """One check-in for a whole goal: a field per key result with its current value filled in
    (or the goal's own percentage when it has no key results), a confidence, a comment and the
    status. Only what changed is recorded; a check-in without changes still counts as one."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    confidence = forms.IntegerField(
        label=_("Confidence (1–10)"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("How sure are you of reaching it? Optional."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, goal: Objective, **kwargs):
        super().__init__(data, **kwargs)
        self.goal = goal
        self.key_results = list(goal.key_results.all())
        for kr in self.key_results:
            self.fields[f"kr_{kr.pk}"] = self._key_result_field(kr)
        if not self.key_results:
            self.fields["progress"] = FiniteDecimalField(
                label=_("Progress (%)"),
                required=False,
                min_value=0,
                max_value=100,
                initial=plain_number(goal.manual_progress),
            )
        self.fields["status"].initial = goal.status
        suggested = goal.suggested_status
        if suggested:
            self.fields["status"].help_text = _("Suggested from progress and time: %(status)s.") % {
                "status": Status(suggested).label
            }
        self.order_fields([*self.progress_field_names, "status", "confidence", "comment"])

    @staticmethod
    def _key_result_field(kr: KeyResult) -> forms.Field:
        if kr.type == KeyResult.Type.MILESTONE:
            return forms.BooleanField(label=kr.title, required=False, initial=kr.done)
        help_text = _("From %(start)s to %(target)s %(unit)s") % {
            "start": plain_number(kr.start_value),
            "target": plain_number(kr.target_value),
            "unit": kr.unit,
        }
        return FiniteDecimalField(
            label=kr.title,
            required=False,
            initial=plain_number(kr.current_value),
            help_text=help_text.strip(),
        )

    @property
    def progress_field_names(self) -> list[str]:
        return [f"kr_{kr.pk}" for kr in self.key_results] or ["progress"]

    def progress_fields(self):
        return [self[name] for name in self.progress_field_names]

    def note_fields(self):
        return [self["status"], self["confidence"], self["comment"]]

    @transaction.atomic
    def save(self, author) -> list:
        """Record the check-in; every update of it shares one moment, comment and confidence."""
        goal, data = self.goal, self.cleaned_data
        at = timezone.now()
        note = {
            "author": author,
            "confidence": data.get("confidence"),
            "comment": data.get("comment", "").strip(),
            "at": at,
        }
        recorded = []
        for kr in self.key_results:
            new = data.get(f"kr_{kr.pk}")
            if kr.type == KeyResult.Type.MILESTONE:
                if bool(new) != kr.done:
                    recorded.append(record_progress(goal, key_result=kr, done=bool(new), **note))
            elif new is not None and new != kr.current_value:
                recorded.append(record_progress(goal, key_result=kr, value=new, **note))
        new = data.get("progress")
        if not self.key_results and new is not None and new != goal.manual_progress:
            recorded.append(record_progress(goal, value=new, **note))
        status_changed = data["status"] != goal.status
        if not recorded and (note["comment"] or note["confidence"] or not status_changed):
            # "Looked at it, nothing moved" is a check-in too: the goal is no longer stale.
            recorded.append(record_progress(goal, **note))
        if status_changed:
            goal.status = data["status"]
            goal.last_activity_at = at
            Objective.objects.filter(pk=goal.pk).update(status=goal.status, last_activity_at=at)
        return recorded
