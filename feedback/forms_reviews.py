"""Forms for 360 review cycles: the cycle itself, one question of its questionnaire, adding
participants, picking peers and answering. They parse what was typed; the cycle's rules
are checked by the writes (`feedback.services_cycles`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from feedback.cycles import (
    COMPETENCY_LENGTH,
    MAX_PEERS,
    QUESTION_LENGTH,
    QuestionData,
    split_emails,
)
from feedback.models import (
    SCALE_LABEL_LENGTH,
    SCALE_POINTS,
    CycleStatus,
    QuestionKind,
    ReviewAnswer,
    ReviewCycle,
    ReviewQuestion,
)
from feedback.question_bank import BANK
from feedback.services_cycles import CycleData
from organisation import scope
from people.models import Person, Team
from people.picker import PeopleField, PickerFormMixin

MAX_EMAILS = 500
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleForm(forms.ModelForm):
    start_from_bank = forms.BooleanField(
        label=_("Start with our question bank"),
        required=False,
        initial=True,
        help_text=ngettext_lazy(
            "%(count)s question on communication, collaboration, ownership and growth; change, "
            "remove or add questions next.",
            "%(count)s questions on communication, collaboration, ownership and growth; change, "
            "remove or add questions next.",
            "count",
        )
        % {"count": len(BANK)},
    )

    class Meta:
        model = ReviewCycle
        fields = [
            "name",
            "period_start",
            "period_end",
            "nominations_due",
            "answers_due",
            "min_peers",
            "max_peers",
            "include_reports",
            "scope",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "nominations_due": DATE,
            "answers_due": DATE,
        }

    def __init__(self, *args, scopes=None, whole_organisation=False, **kwargs):
        """`scopes`: the teams a new cycle may be for (HR's own scope and below);
        `whole_organisation`: whether it may be for everyone (organisation-wide HR)."""
        super().__init__(*args, **kwargs)
        cycle = self.instance
        if cycle.pk is None:
            scope = self.fields["scope"]
            scope.queryset = (scopes if scopes is not None else Team.objects.none()).order_by(
                "path"
            )
            scope.label_from_instance = lambda t: "— " * t.depth + t.name
            scope.required = not whole_organisation
            scope.empty_label = _("The whole organisation") if whole_organisation else None
        else:
            # A cycle keeps its scope: its participants were chosen within it.
            del self.fields["scope"]
        if cycle.pk is not None:
            del self.fields["start_from_bank"]
        if cycle.pk is not None and cycle.status in (CycleStatus.REVIEWING, CycleStatus.CLOSED):
            for name in ("min_peers", "max_peers", "include_reports", "nominations_due"):
                self.fields[name].disabled = True
        # A hint for the date picker; the write refuses a due date set in the past.
        today = timezone.localdate().isoformat()
        for name in ("nominations_due", "answers_due"):
            field = self.fields[name]
            if not field.disabled:
                # Its own widget: the Meta's date widget is one object for all four dates.
                field.widget = forms.DateInput(
                    attrs={"type": "date", "min": today}, format="%Y-%m-%d"
                )
        self.fields["min_peers"].widget.attrs["max"] = MAX_PEERS
        self.fields["max_peers"].widget.attrs["max"] = MAX_PEERS

    def cycle_data(self) -> CycleData:
        """What was typed, parsed, for `feedback.services_cycles` (which checks it against
        the cycle's rules: dates in order, peers within bounds)."""
        data = self.cleaned_data
        return CycleData(**{field: data[field] for field in CycleData.__dataclass_fields__})


class QuestionForm(forms.Form):
    """One question of a cycle, as the question editor shows it."""

    saved: ReviewQuestion | None = None  # what `cadence.refusals.form_saved` wrote

    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=[
            (QuestionKind.RATING, _("Rating: reviewers choose 1 to 5 (or “can’t say”)")),
            (QuestionKind.OPEN, _("Open: reviewers answer in their own words")),
        ],
        initial=QuestionKind.RATING,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Question"),
        max_length=QUESTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Describe one behaviour that reviewers can have seen."),
    )
    competency = forms.CharField(
        label=_("Competency"),
        max_length=COMPETENCY_LENGTH,
        required=False,
        help_text=_("Optional. Questions with the same competency are grouped in the report."),
    )

    def __init__(self, *args, competencies=(), framework=(), kept=None, **kwargs):
        """`framework`: the competency framework's competencies as (key, name), to choose
        from (`growth.queries.competency_choices`; empty without a framework). `kept`: the
        question's own competency as (what is stored, its name), offered too when it is not
        one of them (text from before the framework, a competency retired since). Without a
        framework, the competency is text: `competencies`, the ones the cycle and the bank
        use, are suggested as one types."""
        super().__init__(*args, **kwargs)
        self.competencies = []
        if framework:
            choices = [("", _("No competency")), *framework]
            stored, name = kept or ("", "")
            if stored and stored not in dict(framework):
                choices.append((stored, _("%(name)s (not in the framework)") % {"name": name}))
            self.fields["competency"] = forms.ChoiceField(
                label=_("Competency"),
                choices=choices,
                required=False,
                help_text=self.fields["competency"].help_text,
                error_messages={"invalid_choice": _("Choose a competency of the framework.")},
            )
        else:
            self.competencies = sorted(set(competencies))
            if self.competencies:
                self.fields["competency"].widget.attrs["list"] = "competencies"
        for point in range(1, SCALE_POINTS + 1):
            self.fields[f"scale_{point}"] = forms.CharField(
                label=_("Words for %(point)s") % {"point": point},
                max_length=SCALE_LABEL_LENGTH,
                required=False,
            )

    @classmethod
    def initial_of(cls, question: ReviewQuestion) -> dict:
        initial = {"kind": question.kind, "text": question.text, "competency": question.competency}
        for point, label in enumerate(question.scale_labels or [], start=1):
            initial[f"scale_{point}"] = label
        return initial

    def scale_fields(self):
        return [self[f"scale_{point}"] for point in range(1, SCALE_POINTS + 1)]

    def question_data(self) -> QuestionData:
        data = self.cleaned_data
        return QuestionData(
            text=data["text"],
            kind=data["kind"],
            competency=data["competency"],
            scale_labels=tuple(data[f"scale_{p}"] for p in range(1, SCALE_POINTS + 1)),
        )


# Where the question form shows the errors of `feedback.services_cycles`.
QUESTION_FIELDS = {"scale_labels": "scale_1"}


class EmailsField(forms.CharField):
    """Several e-mail addresses, separated by spaces, commas or new lines."""

    def clean(self, value):
        value = super().clean(value)
        emails = split_emails(value)
        if len(emails) > MAX_EMAILS:
            raise forms.ValidationError(
                _("At most %(max)s addresses at once.") % {"max": MAX_EMAILS}
            )
        invalid = [e for e in emails if "@" not in e or len(e) > 254]
        if invalid:
            raise forms.ValidationError(
                _("These are not e-mail addresses: %(list)s") % {"list": ", ".join(invalid[:10])}
            )
        return emails


class AddByTeamForm(forms.Form):
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label=_("Team"), queryset=None, empty_label=_("Choose a team")
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].help_text = _("Everyone in the team and the teams below it.")


class AddByEmailForm(forms.Form):
    emails = EmailsField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=40000,
        help_text=_("Separated by spaces, commas or new lines."),
    )


def nominee_people():
    """Whom the nominee picker accepts: people working here today, whom every signed-in viewer
    may see (`people.rules.PersonRules`: a leaver is seen only by themselves and HR, and is
    never a peer), inside the pilot scope (`organisation.scope`). The page makes this form
    without its viewer; whether each person may be a peer of this participant is the write's
    to say (`feedback.services_cycles.nominate`)."""
    return Person.objects.current().filter(scope.in_scope_q(), is_active=True)


class PeerEmailForm(PickerFormMixin, forms.Form):
    """The peers to add, chosen with the people picker (`people.picker`); cleaned into their
    e-mail addresses, as `feedback.services_cycles.nominate` takes several at once."""

    emails = PeopleField(
        label=_("Whom to add"),
        in_scope=True,
        multiple=True,
        help_text=_("Type a name and choose from the suggestions; add several at once."),
        error_messages={"required": _("Choose at least one colleague.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(PeopleField, self.fields["emails"]).people = nominee_people()

    def clean_emails(self):
        return [person.email for person in self.cleaned_data["emails"]]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find a colleague"), min_length=2, max_length=100)


class AnswerForm(forms.Form):
    """One field per question: a 1–5 rating (or "can't say") or an open answer."""

    CANT_SAY = "none"

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        comment_length = ReviewAnswer._meta.get_field("comment").max_length
        for question in self.questions:
            name = self.field_name(question)
            if question.kind == QuestionKind.OPEN:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=comment_length,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                labels = list(question.scale_labels or [])
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    required=False,
                    choices=[
                        (
                            str(n),
                            f"{n} · {labels[n - 1]}"
                            if len(labels) >= n and labels[n - 1]
                            else str(n),
                        )
                        for n in range(1, SCALE_POINTS + 1)
                    ]
                    + [(self.CANT_SAY, _("Can’t say"))],
                    widget=forms.RadioSelect,
                )
            self.fields[name].question = question

    @staticmethod
    def field_name(question) -> str:
        return f"q{question.pk}"

    def clean(self):
        data = super().clean()
        if not self.errors and not any(value and value != self.CANT_SAY for value in data.values()):
            raise forms.ValidationError(_("Answer at least one question."))
        return data

    def answers(self) -> list[tuple[ReviewQuestion, int | None, str]]:
        """[(question, rating or None, comment)] as `feedback.reviewing.submit_answers` takes
        them."""
        result: list[tuple[ReviewQuestion, int | None, str]] = []
        for question in self.questions:
            value = self.cleaned_data.get(self.field_name(question)) or ""
            if question.kind == QuestionKind.OPEN:
                result.append((question, None, value.strip()))
            else:
                rating = int(value) if value and value != self.CANT_SAY else None
                result.append((question, rating, ""))
        return result

    def rows(self):
        return [self[self.field_name(q)] for q in self.questions]


def peers_help(cycle) -> str:
    return ngettext(
        "Choose %(min)s to %(max)s colleague who know your work.",
        "Choose %(min)s to %(max)s colleagues who know your work.",
        cycle.max_peers,
    ) % {"min": cycle.min_peers, "max": cycle.max_peers}
