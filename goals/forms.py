"""Forms for goals: writing one, adjusting it, copying it forward, templates and settings.

Validation lives here and in the models, so the API can reuse these forms as they are. Forms that
depend on who is asking take `viewer` (an `access.viewer.Viewer`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.db import transaction
from django.db.models import Q
from django.forms import BaseFormSet, BaseInlineFormSet, formset_factory, inlineformset_factory
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from access.rules import visible
from goals import periods
from goals.models import (
    OPEN_STATUSES,
    GoalSettings,
    GoalTemplate,
    KeyResult,
    Kind,
    Objective,
    Status,
    Visibility,
    quarter_of,
)
from goals.progress_forms import FiniteDecimalField, plain_number
from goals.rules import owners_for
from people.forms import DateInput
from people.models import Role, Team, ids_in

MAX_KEY_RESULTS = 5
COMPANY = "company"
# The name of the "Add key result" button: without JavaScript it posts the form, which comes
# back with one more row and everything typed kept (`with_one_more_row`).
ADD_ROW = "add_key_result"


def show_number(value) -> str:
    """10.5000 → "10.5", 12.0000 → "12", None → "—"."""
    return "—" if value is None else str(plain_number(Decimal(value)))


def periods_overlap(goal: Objective, start: date, end: date) -> bool:
    return goal.start_date <= end and goal.end_date >= start


# --- Alignment ------------------------------------------------------------------------------


class ParentField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Objective.objects.none(),
            required=False,
            label=_("Contributes to"),
            empty_label=_("Nothing: it stands on its own"),
            **kwargs,
        )

    def label_from_instance(self, goal):
        return f"{goal.title} · {goal.owner_label} · {goal.period_label}"


def parent_candidates(viewer, *, start: date, end: date, people=(), teams=(), include=None):
    """The goals a goal may contribute to, kept short: open goals of the company, of the teams
    of the viewer and of the owner (and the teams above them), of the viewer, the owner and
    their managers; among those the viewer may see, in an overlapping period. `include` (a
    goal id, the current parent) is offered whatever its owner, period and status."""
    me = viewer.person
    people = [me, *people]
    person_ids = {p.pk for p in people} | {p.manager_id for p in people if p.manager_id}
    team_paths = [p.team.path for p in people if p.team_id] + [t.path for t in teams]
    team_paths += Team.objects.filter(lead=me).values_list("path", flat=True)
    team_ids = {pk for path in team_paths for pk in ids_in(path)}
    owners = (
        Q(owner_person__isnull=True, owner_team__isnull=True)
        | Q(owner_person_id__in=person_ids)
        | Q(owner_team_id__in=team_ids)
    )
    condition = owners & Q(status__in=OPEN_STATUSES, start_date__lte=end, end_date__gte=start)
    if include:
        condition |= Q(pk=include)
    return (
        visible(viewer, Objective)
        .filter(condition)
        .select_related("owner_person", "owner_team")
        .order_by("owner_person", "owner_team", "title")
    )


def check_alignment(form, start, end):
    """Shared by the create and adjust forms: the parent's period must overlap the goal's."""
    parent = form.cleaned_data.get("parent")
    if parent and start and end and not periods_overlap(parent, start, end):
        form.add_error(
            "parent",
            _("“%(title)s” runs %(period)s: choose a goal whose period overlaps this one.")
            % {"title": parent.title, "period": parent.period_label},
        )


def check_visibility(form, owner_person, owner_team):
    visibility = form.cleaned_data.get("visibility")
    if owner_person is None and owner_team is None and visibility not in (None, Visibility.PUBLIC):
        form.add_error("visibility", _("A company goal is always seen by everyone."))
    elif owner_person is None and visibility == Visibility.PRIVATE:
        form.add_error(
            "visibility", _("Only a person's goal can be private: share this one with the team.")
        )


# --- Writing a goal -----------------------------------------------------------------------


class GoalForm(forms.ModelForm):
    owner = forms.ChoiceField(label=_("Whose goal is it?"))
    period = forms.ChoiceField(
        label=_("Period"), choices=periods.PERIOD_CHOICES, initial=periods.THIS_QUARTER
    )
    template = forms.ModelChoiceField(
        queryset=GoalTemplate.objects.all(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Objective
        fields = [
            "title",
            "description",
            "kind",
            "owner",
            "period",
            "start_date",
            "end_date",
            "visibility",
            "parent",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"title": _("Objective")}

    parent = ParentField()

    def __init__(self, *args, viewer, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.today = today or timezone.localdate()
        owners = owners_for(viewer)
        me = viewer.person
        self.owners = {}
        people: list[tuple[str, str]] = []
        teams: list[tuple[str, str]] = []
        for person in owners["people"].select_related("team").order_by("name"):
            key = f"person:{person.pk}"
            self.owners[key] = (person, None)
            if person.pk == me.pk:
                people.insert(0, (key, _("Myself (%(name)s)") % {"name": person.name}))
            else:
                people.append((key, person.name))
        for team in owners["teams"].order_by("name"):
            self.owners[f"team:{team.pk}"] = (None, team)
            teams.append((f"team:{team.pk}", team.name))
        choices: list[tuple[Any, Any]] = [(_("People"), people)]
        if teams:
            choices.append((_("Teams"), teams))
        if owners["company"]:
            self.owners[COMPANY] = (None, None)
            choices.append((COMPANY, _("The company")))
        cast(forms.ChoiceField, self.fields["owner"]).choices = choices
        self.fields["owner"].initial = f"person:{me.pk}"
        self.fields["start_date"].required = self.fields["end_date"].required = False
        self.fields["start_date"].help_text = _("Only for other dates.")
        window_start = quarter_of(self.today)[0]
        window_end = max(
            periods.next_period(*quarter_of(self.today))[1],
            date(self.today.year, 12, 31),
        )
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = parent_candidates(
            viewer,
            start=window_start,
            end=window_end,
            people=[person for person, _team in self.owners.values() if person],
            teams=[team for _person, team in self.owners.values() if team],
        )

    def clean_owner(self):
        return self.owners[self.cleaned_data["owner"]]

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period and period != periods.CUSTOM:
            # The custom dates are ignored, even unreadable ones.
            self.errors.pop("start_date", None)
            self.errors.pop("end_date", None)
            data["start_date"], data["end_date"] = periods.period_dates(period, self.today)
        elif period:
            start, end = data.get("start_date"), data.get("end_date")
            for name in ("start_date", "end_date"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Give the dates, or choose a period above."))
            if start and end and end <= start:
                self.add_error("end_date", _("The end date must be after the start date."))
        if data.get("owner"):
            person, team = data["owner"]
            self.instance.owner_person, self.instance.owner_team = person, team
            check_visibility(self, person, team)
        check_alignment(self, data.get("start_date"), data.get("end_date"))
        return data

    def save(self, commit: bool = True) -> Objective:
        self.instance.created_by = self.viewer.person
        self.instance.template = self.cleaned_data.get("template")
        goal: Objective = super().save(commit)
        return goal


class KeyResultForm(forms.ModelForm):
    start_value = FiniteDecimalField(label=_("Start"), required=False)
    target_value = FiniteDecimalField(label=_("Target"), required=False)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("From start and target")), *KeyResult.Direction.choices],
    )
    weight = FiniteDecimalField(
        label=_("Weight"), max_digits=6, decimal_places=2, required=False, initial=1
    )

    class Meta:
        model = KeyResult
        fields = ["title", "type", "start_value", "target_value", "unit", "direction", "weight"]

    def clean_weight(self):
        weight = self.cleaned_data.get("weight")
        if weight is None:
            return Decimal(1)
        weight = weight.quantize(Decimal("0.01"))  # the column's precision
        if weight <= 0:
            raise forms.ValidationError(_("The weight is a number above zero."))
        return weight

    def clean(self):
        data = super().clean()
        if data.get("type") == KeyResult.Type.MILESTONE:
            data["start_value"] = data["target_value"] = None
            data["direction"] = KeyResult.Direction.INCREASE
        elif not data.get("direction"):
            start, target = data.get("start_value"), data.get("target_value")
            falling = start is not None and target is not None and target < start
            data["direction"] = (
                KeyResult.Direction.DECREASE if falling else KeyResult.Direction.INCREASE
            )
        return data


class BaseKeyResultFormSet(BaseInlineFormSet):
    def filled_forms(self):
        return [form for form in self.forms if form.has_changed()]

    def save_for(self, objective: Objective) -> list[KeyResult]:
        saved = []
        for position, form in enumerate(self.filled_forms()):
            result = form.save(commit=False)
            result.objective = objective
            result.position = position
            result.save()
            saved.append(result)
        return saved


# Cast: the factories' stubs return the base formset class, not the `formset=` one given.
KeyResultFormSet = cast(
    type[BaseKeyResultFormSet],
    inlineformset_factory(
        Objective,
        KeyResult,
        form=KeyResultForm,
        formset=BaseKeyResultFormSet,
        extra=1,  # rows are added as needed ("Add key result"), up to MAX_KEY_RESULTS
        max_num=MAX_KEY_RESULTS,
        validate_max=True,
        can_delete=False,
    ),
)


def typed_values(form) -> dict:
    """What a bound form holds in each of its fields, as typed (valid or not), to show again
    as initial values; a formset row's own id and parent are left out."""
    return {name: form[name].value() for name in form.fields if name not in ("id", "objective")}


def rows_shown(formset, rows: int):
    """Make an unbound key-result formset show `rows` rows (at least one, at most
    MAX_KEY_RESULTS): its initial rows, then empty ones. Returns the formset."""
    rows = max(1, min(MAX_KEY_RESULTS, rows))
    # A model formset counts no initial forms (it has no objects yet); a plain one its initial.
    formset.extra = max(0, rows - formset.initial_form_count())
    return formset


def lenient_values(form, names) -> dict:
    """Each field's value as far as it reads well, else the instance's: for hints while typing.
    A form that is not bound gives its initial values."""
    if form.is_bound:
        form.is_valid()
        read = form.cleaned_data
    else:
        read = {name: form[name].value() for name in names if name in form.fields}
    return {name: read.get(name, getattr(form.instance, name, None)) for name in names}


def draft_of(form, formset) -> dict:
    """The goal as typed so far, as `smart.hints()` takes it."""
    goal = lenient_values(form, ["title", "kind", "start_date", "end_date"])
    period = form["period"].value() if "period" in form.fields else None
    dates = periods.period_dates(period, form.today) if period else None  # None: custom dates
    if dates is not None:
        goal["start_date"], goal["end_date"] = dates
    key_results = []
    for kr_form in formset.forms:
        filled = kr_form.has_changed() if kr_form.is_bound else kr_form.initial
        if not (filled or kr_form.instance.pk):
            continue
        kr = lenient_values(kr_form, ["title", "type", "start_value", "target_value"])
        key_results.append(
            {
                "title": kr["title"] or "",
                "type": kr["type"] or KeyResult.Type.METRIC,
                "start": kr["start_value"],
                "target": kr["target_value"],
            }
        )
    return {
        "title": goal["title"] or "",
        "kind": goal["kind"] or Kind.RESULT,
        "start": goal["start_date"],
        "end": goal["end_date"],
        "key_results": key_results,
    }


def initial_from_template(template: GoalTemplate) -> tuple[dict, list[dict]]:
    """The goal form's and the key results' initial values from a template."""
    goal = {
        "title": template.title,
        "description": template.description,
        "kind": template.kind,
        "template": template.pk,
    }
    results = [
        {**row, "start_value": row.pop("start"), "target_value": row.pop("target")}
        for row in template_rows(template)
    ]
    return goal, results


# --- Adjusting a goal -------------------------------------------------------------------------


class ChangeTracking:
    """Remembers the instance's values before the form touched it, to list what changed."""

    tracked: tuple[str, ...] = ()
    change_labels: dict = {}  # how a field is named in the history, when not by its label
    # From the model form this is mixed into, and set by it before it changes the instance.
    instance: Any
    fields: dict[str, forms.Field]
    before: dict[str, Any]

    def snapshot(self) -> dict:
        return {name: getattr(self.instance, name) for name in self.tracked if name in self.fields}

    @staticmethod
    def show(name: str, value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, Decimal):
            return show_number(value)
        if isinstance(value, date):
            return value.isoformat()
        if name == "visibility" and value in Visibility.values:
            return str(Visibility(value).label)
        return Truncator(str(value)).chars(80)

    def changes(self, prefix: str = "") -> list[dict]:
        """[{"field": label, "old": text, "new": text}] for each field whose value changed."""
        after = self.snapshot()
        return [
            {
                "field": f"{prefix}{self.change_labels.get(name, self.fields[name].label)}",
                "old": self.show(name, old),
                "new": self.show(name, after[name]),
            }
            for name, old in self.before.items()
            if after[name] != old
        ]


class AdjustForm(ChangeTracking, forms.ModelForm):
    tracked = ("title", "description", "start_date", "end_date", "visibility", "parent")
    reason = forms.CharField(
        label=_("Why the change?"),
        max_length=300,
        help_text=_("A sentence, kept in the goal's history: what changed since you set it."),
    )
    parent = ParentField()

    class Meta:
        model = Objective
        fields = ["title", "description", "start_date", "end_date", "visibility", "parent"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"title": _("Objective")}

    def __init__(
        self, *args, viewer, parent_visible: bool = True, may_share: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        goal = self.instance
        if not may_share:
            # Only the owner shows their goal to more (or fewer) people (`goals.rules`, share).
            del self.fields["visibility"]
        if not parent_visible:
            # Someone who cannot see the parent must not learn it, nor unlink it unknowingly.
            del self.fields["parent"]
        else:
            field = cast(forms.ModelChoiceField, self.fields["parent"])
            owner = goal.owner_person
            field.queryset = parent_candidates(
                viewer,
                start=goal.start_date,
                end=goal.end_date,
                people=[owner] if owner else [],
                teams=[goal.owner_team] if goal.owner_team_id else [],
                include=goal.parent_id,
            )
            # Offer no goal that supports this one; Objective.clean explains a refused choice.
            # (ModelChoiceIteratorValue or "", label) pairs; the stubs' type is a broad union.
            options: Any = field.choices
            field.widget.choices = [
                (value, label)
                for value, label in options
                if not value or not value.instance.path.startswith(goal.path)
            ]
        self.before = self.snapshot()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        check_visibility(self, self.instance.owner_person, self.instance.owner_team)
        check_alignment(self, start, end)
        return data


class AdjustKeyResultForm(ChangeTracking, forms.ModelForm):
    tracked = ("title", "target_value", "unit")
    change_labels = {"title": _("title"), "target_value": _("target"), "unit": _("unit")}
    target_value = FiniteDecimalField(label=_("Target"), required=False)

    class Meta:
        model = KeyResult
        fields = ["title", "target_value", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.type == KeyResult.Type.MILESTONE:
            del self.fields["target_value"]
        elif self.instance.target_value is not None:
            self.initial["target_value"] = plain_number(
                self.instance.target_value
            )  # 12, not 12.0000
        self.before = self.snapshot()

    def clean(self):
        data = super().clean()
        result = self.instance
        target = data.get("target_value")
        if "target_value" in self.fields and target is None and "target_value" not in self.errors:
            self.add_error("target_value", _("A measurable key result needs a target."))
        elif target is not None and result.start_value is not None and target != result.start_value:
            # A new target on the other side of the start turns the direction round.
            result.direction = (
                KeyResult.Direction.INCREASE
                if target > result.start_value
                else KeyResult.Direction.DECREASE
            )
        return data


class BaseAdjustKeyResultFormSet(BaseInlineFormSet):
    """Only the goal's existing key results, whatever the posted counts and ids say."""

    stale_message = _(
        "The key results changed since this page was opened. Reload it and adjust again."
    )

    def initial_form_count(self):
        return len(self.get_queryset())

    def total_form_count(self):
        return self.initial_form_count()

    def _construct_form(self, i, **kwargs):
        # Each form adjusts one of the goal's key results: the one its posted id names, or else
        # the i-th. An empty, unknown or other goal's id (tampered with, or a key result removed
        # meanwhile) never makes a new key result; the form's id field refuses it (`clean`).
        self._fallback = self.get_queryset()[i] if i < self.initial_form_count() else None
        if self.is_bound and self._fallback is not None:
            kwargs.setdefault("instance", self._fallback)
        return super()._construct_form(i, **kwargs)

    def _existing_object(self, pk):
        found = super()._existing_object(pk)
        return found if found is not None else self._fallback

    def clean(self):
        super().clean()
        ids = [form.instance.pk for form in self.forms]
        # The id field accepts any key result that exists: each must name its form's own.
        posted = [getattr(form.cleaned_data.get("id"), "pk", None) for form in self.forms]
        if posted != ids or len(set(ids)) < len(ids):
            raise forms.ValidationError(self.stale_message, code="stale")

    def is_stale(self) -> bool:
        """Posted for other key results than the goal has now: a bad request, not a mistake."""
        return self.is_bound and any(
            error.code == "stale" for error in self.non_form_errors().as_data()
        )

    def save_changed(self) -> None:
        for form in self.forms:
            if form.instance.pk and form.has_changed():
                form.save()


AdjustKeyResultFormSet = inlineformset_factory(
    Objective,
    KeyResult,
    form=AdjustKeyResultForm,
    formset=BaseAdjustKeyResultFormSet,
    extra=0,
    can_delete=False,
)


def describe_changes(form, formset) -> list[dict]:
    """[{"field": label, "old": text, "new": text}] for the goal and each key result."""
    changes = form.changes()
    for kr_form in formset.forms:
        label = kr_form.before.get("title") or str(kr_form.instance)
        changes += kr_form.changes(prefix=f"{label}: ")
    return changes


# --- Copying forward, templates and settings ------------------------------------------------


class CopyForwardForm(forms.Form):
    """Close `goal` with its final score and copy it to the period from `start` to `end`."""

    final_score = FiniteDecimalField(
        label=_("Final score (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=_("How far the goal got, from 0 to 100; kept with the closed goal."),
    )

    def __init__(self, *args, goal: Objective, start: date, end: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal, self.start, self.end = goal, start, end

    @transaction.atomic
    def save(self, author) -> Objective:
        goal, now = self.goal, timezone.now()
        goal.final_score = self.cleaned_data["final_score"]
        goal.status = Status.DONE
        goal.last_activity_at = now
        goal.save(update_fields=["final_score", "status", "last_activity_at"])
        copy = Objective.objects.create(
            title=goal.title,
            description=goal.description,
            kind=goal.kind,
            owner_person_id=goal.owner_person_id,
            owner_team_id=goal.owner_team_id,
            start_date=self.start,
            end_date=self.end,
            visibility=goal.visibility,
            parent_id=goal.parent_id,
            template_id=goal.template_id,
            competency_id=goal.competency_id,
            copied_from=goal,
            created_by=author,
            created_at=now,
            last_activity_at=now,
        )
        for result in goal.key_results.all():
            start = result.current_value if result.current_value is not None else result.start_value
            direction = result.direction
            if (
                start is not None
                and result.target_value is not None
                and start != result.target_value
            ):
                direction = (
                    KeyResult.Direction.INCREASE
                    if result.target_value > start
                    else KeyResult.Direction.DECREASE
                )
            KeyResult.objects.create(
                objective=copy,
                title=result.title,
                type=result.type,
                start_value=start,
                target_value=result.target_value,
                current_value=start,
                unit=result.unit,
                direction=direction,
                done=False,
                weight=result.weight,
                position=result.position,
                updated_at=now,
            )
        return copy


def number_from_json(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def number_to_json(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class GoalTemplateForm(forms.ModelForm):
    class Meta:
        model = GoalTemplate
        fields = ["title", "description", "kind", "role"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.order_by("name")
        self.fields["kind"].initial = Kind.RESULT


class TemplateKeyResultForm(forms.Form):
    title = forms.CharField(label=_("key result"), max_length=200)
    type = forms.ChoiceField(
        label=_("type"), choices=KeyResult.Type.choices, initial=KeyResult.Type.METRIC
    )
    start = FiniteDecimalField(label=_("start"), required=False)
    target = FiniteDecimalField(label=_("target"), required=False)
    unit = forms.CharField(label=_("unit"), max_length=20, required=False)


class BaseTemplateKeyResultFormSet(BaseFormSet):
    def get_form_kwargs(self, index):
        # Every row may stay empty; the view passes the stored rows as initial only when
        # showing the form, so a posted row counts as filled in when it has any value.
        return {"empty_permitted": True}

    def as_json(self) -> list[dict]:
        return [
            {
                "title": form.cleaned_data["title"],
                "type": form.cleaned_data["type"],
                "unit": form.cleaned_data["unit"],
                "start": number_to_json(form.cleaned_data["start"]),
                "target": number_to_json(form.cleaned_data["target"]),
            }
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


TemplateKeyResultFormSet = cast(
    type[BaseTemplateKeyResultFormSet],
    formset_factory(
        TemplateKeyResultForm,
        formset=BaseTemplateKeyResultFormSet,
        extra=1,  # rows are added as needed ("Add key result"), up to MAX_KEY_RESULTS
        max_num=MAX_KEY_RESULTS,
        validate_max=True,
    ),
)


def template_rows(template: GoalTemplate) -> list[dict]:
    return [
        {
            "title": row.get("title", ""),
            "type": row.get("type") or KeyResult.Type.METRIC,
            "start": number_from_json(row.get("start")),
            "target": number_from_json(row.get("target")),
            "unit": row.get("unit", ""),
        }
        for row in (template.key_results or [])[:MAX_KEY_RESULTS]
    ]


class GoalSettingsForm(forms.ModelForm):
    stale_after_weeks = forms.IntegerField(
        label=_("A goal needs attention when not updated for (weeks)"), min_value=1, max_value=52
    )

    class Meta:
        model = GoalSettings
        fields = ["stale_after_weeks"]
