"""The surveys' forms: they only parse (the writes and their limits are `surveys.services`')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from people.models import Team
from surveys import bank
from surveys.models import MAX_PER_ROUND, Question, QuestionKind, SurveySettings
from surveys.services import OWN_KINDS, OwnQuestion

OWN_SLOTS = ("", "_2", "_3")  # the form's own questions, by their fields' suffix
RHYTHMS = (
    ("", _("Once")),
    ("14", _("Every two weeks")),
    ("28", _("Every four weeks")),
    ("91", _("Every quarter")),
)


def _question_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    by_construct: dict[str, list[tuple[str, str]]] = {}
    for item in bank.BANK:
        by_construct.setdefault(str(bank.CONSTRUCTS[item.construct]), []).append(
            (item.key, str(item.text))
        )
    return list(by_construct.items())


class SurveyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label=_("Who is asked"),
        queryset=None,
        required=False,
        help_text=_("A team with the teams below it."),
    )
    questions = forms.MultipleChoiceField(
        label=_("Questions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A pulse asks at most five of them each round, in turn, so that every question is "
            "asked before any is asked again."
        ),
    )
    rhythm = forms.ChoiceField(label=_("How often"), choices=RHYTHMS, required=False)
    open_days = forms.IntegerField(label=_("Open for (days)"), min_value=1, max_value=30, initial=7)
    starts_on = forms.DateField(
        label=_("First round opens"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], everyone: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for suffix in OWN_SLOTS:
            self.fields[f"own_question{suffix}"] = forms.CharField(
                label=_("Question"), max_length=300, required=False
            )
            self.fields[f"own_kind{suffix}"] = forms.ChoiceField(
                label=_("Answered"),
                choices=list(OWN_KINDS.items()),
                required=False,
                initial=bank.SCALE,
            )
            self.fields[f"own_options{suffix}"] = forms.CharField(
                label=_("Options"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("For a single choice: 2 to 8 options, one a line."),
            )
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = teams
        team.required = not everyone
        team.empty_label = str(_("Everyone")) if everyone else str(_("Choose a team"))
        questions = self.fields["questions"]
        assert isinstance(questions, forms.MultipleChoiceField)
        questions.choices = _question_choices()

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith("own_")]

    @property
    def own_slots(self) -> list[tuple[int, list[forms.BoundField]]]:
        """Each own question's fields, numbered from 1."""
        return [
            (
                number,
                [self[f"{name}{suffix}"] for name in ("own_question", "own_kind", "own_options")],
            )
            for number, suffix in enumerate(OWN_SLOTS, start=1)
        ]

    def _own(self) -> list[OwnQuestion]:
        """Every own question's fields, filled in or not (`own_questions.<i>` is slot i)."""
        data = self.cleaned_data
        return [
            OwnQuestion(
                data.get(f"own_question{suffix}") or "",
                data.get(f"own_kind{suffix}") or bank.SCALE,
                tuple((data.get(f"own_options{suffix}") or "").splitlines()),
            )
            for suffix in OWN_SLOTS
        ]

    @staticmethod
    def own_fields() -> dict[str, str]:
        """The service's names of the own questions' fields, as the form names them."""
        names = {}
        for index, suffix in enumerate(OWN_SLOTS):
            names[f"own_questions.{index}"] = f"own_question{suffix}"
            names[f"own_questions.{index}.kind"] = f"own_kind{suffix}"
            names[f"own_questions.{index}.options"] = f"own_options{suffix}"
        return names

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        rhythm = data.get("rhythm")
        return {
            "name": data["name"],
            "team": data.get("team"),
            "keys": data.get("questions") or [],
            "own_questions": self._own(),
            "every_days": int(rhythm) if rhythm else None,
            "per_round": MAX_PER_ROUND,
            "open_days": data["open_days"],
            "starts_on": data["starts_on"],
        }


class AnswerForm(forms.Form):
    """One field per question of the round, named by the question's id."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.wording,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("Optional. Shown without your name, only in large enough groups."),
                )
                continue
            labels = scale_labels(question)
            self.fields[name] = forms.TypedChoiceField(
                label=question.wording,
                choices=list(zip(question.values, labels, strict=True)),
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[int, Any]:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}")
            for question in self.questions
            if self.cleaned_data.get(f"q{question.pk}") not in (None, "")
        }


def scale_labels(question: Question) -> list[str]:
    if question.kind == QuestionKind.CHOICE:
        return [str(option) for option in question.options]
    if question.kind == QuestionKind.ENPS:
        return [str(value) for value in question.values]
    ends = {
        5: (_("1 · strongly disagree"), _("5 · strongly agree")),
        7: (_("1 · strongly disagree"), _("7 · strongly agree")),
    }.get(question.points or 0)
    labels = [str(value) for value in question.values]
    if ends and labels:
        labels[0], labels[-1] = str(ends[0]), str(ends[1])
    return labels


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = SurveySettings
        fields = ["anonymity_threshold", "comment_threshold"]


class PlanForm(forms.Form):
    """A new action plan: focus areas among the round's closed questions, and a note."""

    focus = forms.TypedMultipleChoiceField(
        label=_("Focus areas"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The questions the team will work on; later rounds show whether they move."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you take from the results, in a few words."),
    )

    def __init__(self, *args: Any, questions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        focus = self.fields["focus"]
        assert isinstance(focus, forms.TypedMultipleChoiceField)
        focus.choices = [(str(pk), label) for pk, label in questions]


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=300)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, empty_label=_("Choose someone")
    )
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, owners: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
