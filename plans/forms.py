"""The plan page's forms: they only parse (the rules of each write are `plans.services`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from access.rules import visible
from cadence import widgets as in_python
from goals import periods
from growth.queries import Framework
from people.models import Person
from people.picker import PeopleField, PickerFormMixin
from plans.models import MAX_FOCUS, ActionStatus, Plan, PlanAction

# Widgets written in Python (`cadence.widgets`): the plan page shows these forms on every visit.
DATE = in_python.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    ambition = forms.CharField(
        label=_("My ambition"),
        required=False,
        widget=in_python.Textarea(attrs={"rows": 3}),
        help_text=_("Where you want to grow, in your own words: a role, a craft, a kind of work."),
    )
    target = forms.ChoiceField(
        label=_("The step I aim for"), required=False, widget=in_python.Select
    )
    focus = forms.MultipleChoiceField(
        label=_("Competencies I focus on"),
        required=False,
        widget=in_python.CheckboxSelectMultiple,
        help_text=_(
            "One to three is plenty. Suggested: the furthest below what your target expects."
        ),
    )

    def __init__(self, *args: Any, framework: Framework | None, plan: Plan | None, **kwargs: Any):
        if plan is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "ambition": plan.ambition,
                "target": plan.target_step_id,
                "focus": plan.focus,
            }
        super().__init__(*args, **kwargs)
        steps = framework.steps if framework else []
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [("", _("No target yet"))] + [
            (step.id, f"{step.track.name} · {step.profile.title} ({step.profile.level})")
            for step in steps
        ]
        focus = self.fields["focus"]
        assert isinstance(focus, forms.MultipleChoiceField)
        focus.choices = [(c.key, c.name) for c in (framework.competencies if framework else [])]

    def clean_focus(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["focus"]
        if len(chosen) > MAX_FOCUS:
            raise forms.ValidationError(
                _("At most %(count)s focus competencies.") % {"count": MAX_FOCUS}
            )
        return chosen


class ActionForm(forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["kind", "title", "status", "due_date", "support", "cost"]
        widgets = {
            "kind": in_python.Select,
            "title": in_python.TextInput,
            "status": in_python.Select,
            "due_date": DATE,
            "support": in_python.Textarea(attrs={"rows": 2}),
            "cost": in_python.NumberInput(
                attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}
            ),
        }

    def __init__(self, *args: Any, currency: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["cost"].label = _("Cost (%(currency)s)") % {"currency": currency}
        self.fields["cost"].help_text = _("If it costs money: what the organisation would pay.")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class CoachForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_support = forms.BooleanField(label=_("I confirm the support asked for"), required=False)


class LearningGoalForm(forms.Form):
    title = forms.CharField(label=_("Learning goal"), max_length=200, widget=in_python.TextInput)
    period = forms.ChoiceField(
        label=_("Period"),
        widget=in_python.Select,
        choices=[c for c in periods.PERIOD_CHOICES if c[0] != periods.CUSTOM],
        initial=periods.THIS_QUARTER,
    )
    competency = forms.ChoiceField(label=_("Develops"), required=False, widget=in_python.Select)

    def __init__(self, *args: Any, framework: Framework | None, plan: Plan, **kwargs: Any):
        # Its own ids: the plan page holds the action form too, whose title is "title" as well.
        kwargs.setdefault("auto_id", "goal_%s")
        super().__init__(*args, **kwargs)
        competencies = framework.competencies if framework else []
        focus = [c for c in competencies if c.key in plan.focus]
        field = self.fields["competency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No competency in particular"))] + [
            (c.key, c.name) for c in (focus or competencies)
        ]


class ShareForm(PickerFormMixin, forms.Form):
    person = PeopleField(
        label=_("Share with"),
        help_text=_("Type a name and choose from the suggestions."),
        error_messages={"self": _("Your plan is yours already.")},
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PeopleField)
        field.people = visible(viewer, Person.objects.current())
        field.me = viewer.person
