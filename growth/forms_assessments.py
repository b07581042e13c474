"""The forms of assessments: they only parse (`growth.services` decides); the level choices
are the assessment's version's levels, and "not assessed"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from growth.models import ProficiencyLevel
from growth.services import MAX_EVIDENCE, MAX_NAME


def _levels(levels: list[ProficiencyLevel], empty: Any) -> list[tuple[Any, str]]:
    return [("", str(empty)), *((lv.number, f"{lv.number} · {lv.name}") for lv in levels)]


def _choices(field: forms.Field, choices: list[tuple[Any, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"), coerce=int, empty_value=None, required=False, choices=()
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=MAX_EVIDENCE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you did that shows this level: situations, results, what others said."),
    )
    goals = forms.TypedMultipleChoiceField(
        label=_("Goals as evidence"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    feedback = forms.TypedMultipleChoiceField(
        label=_("Feedback you received, attached"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        levels: list[ProficiencyLevel],
        goals: list[tuple[int, str]],
        feedback: list[tuple[int, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["level"], _levels(levels, _("Not assessed")))
        goal_field = self.fields["goals"]
        assert isinstance(goal_field, forms.TypedMultipleChoiceField)
        goal_field.choices = goals
        if not goals:
            del self.fields["goals"]
        if not feedback:  # the manager attaches none; the person, of what they received
            del self.fields["feedback"]
        else:
            feedback_field = self.fields["feedback"]
            assert isinstance(feedback_field, forms.TypedMultipleChoiceField)
            feedback_field.choices = feedback


class AgreeForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Agreed level"), coerce=int, choices=())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_EVIDENCE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, levels: list[ProficiencyLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["level"], _levels(levels, _("Choose a level")))


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME)
    team = forms.TypedChoiceField(
        label=_("Who"), coerce=int, empty_value=None, required=False, choices=()
    )
    due_date = forms.DateField(
        label=_("Self-assessments due"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, teams: list[Any], whole: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", str(_("The whole organisation")))] if whole else []
        choices += [(team.pk, team.name) for team in teams]
        _choices(self.fields["team"], choices)
        self.fields["team"].required = not whole
