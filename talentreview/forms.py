"""The talent review pages' forms: they only parse (the rules of each write are
`talentreview.services`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from people.models import Person, Team
from talentreview.models import DEFAULT_LABELS, LEVELS, TalentReview

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    scope = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
        help_text=_("The team reviewed, with the teams within it."),
    )
    meeting_on = forms.DateField(label=_("Meeting date"), required=False, widget=DATE)

    def __init__(self, *args: Any, teams: QuerySet[Team], whole: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ModelChoiceField)
        scope.queryset = teams.order_by("path")
        scope.required = not whole
        if not whole:
            scope.empty_label = None


class PlacementForm(forms.Form):
    performance = forms.TypedChoiceField(
        label=_("Performance"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    potential = forms.TypedChoiceField(
        label=_("Potential"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why here: what you have seen of their work. They may read it one day."),
    )


class NewPlacementForm(PlacementForm):
    person = forms.ModelChoiceField(label=_("Whom"), queryset=Person.objects.none())

    field_order = ["person", "performance", "potential", "rationale"]

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = people


class LabelsForm(forms.Form):
    def __init__(self, *args: Any, review: TalentReview, **kwargs: Any):
        super().__init__(*args, **kwargs)
        own = review.labels or []
        for i, default in enumerate(DEFAULT_LABELS):
            self.fields[f"label_{i}"] = forms.CharField(
                label=_("Box %(number)s") % {"number": i + 1},
                max_length=60,
                required=False,
                initial=own[i] if i < len(own) else "",
                widget=forms.TextInput(attrs={"placeholder": str(default)}),
            )

    def labels(self) -> list[str]:
        return [self.cleaned_data.get(f"label_{i}", "") for i in range(9)]


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=_("Your response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by the same people who see your placement."),
    )
