"""Forms for 360 review cycles: the cycle itself (with its questionnaire as short text),
adding participants, picking peers and answering. They parse what was typed; the cycle's rules
are checked by the writes (`feedback.services_cycles`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from feedback.cycles import (
    DEFAULT_QUESTIONNAIRE,
    MAX_PEERS,
    format_questions,
    parse_questions,
    split_emails,
)
from feedback.models import CycleStatus, QuestionKind, ReviewAnswer, ReviewCycle, ReviewQuestion
from feedback.services_cycles import CycleData
from people.models import Person, Team
from people.picker import PeopleField, PickerFormMixin

MAX_EMAILS = 500
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleForm(forms.ModelForm):
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=12000,
        help_text=_(
            "One question per line. Lines starting with “?” or “Open:” are open questions, "
            "answered in words; all others are rated from 1 to 5. Put a competency in square "
            "brackets in front to group questions by it, e.g. “[Communication] Explains "
            "ideas clearly”."
        ),
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
        if cycle.pk is None:
            self.fields["questions"].initial = str(DEFAULT_QUESTIONNAIRE)
        else:
            self.fields["questions"].initial = format_questions(cycle.questions.all())
        if cycle.pk is not None and cycle.status != CycleStatus.DRAFT:
            self.fields["questions"].disabled = True
            self.fields["questions"].required = False
            self.fields["questions"].help_text = _(
                "Questions can only be changed while the cycle is a draft."
            )
        if cycle.pk is not None and cycle.status in (CycleStatus.REVIEWING, CycleStatus.CLOSED):
            for name in ("min_peers", "max_peers", "include_reports", "nominations_due"):
                self.fields[name].disabled = True
        self.fields["min_peers"].widget.attrs["max"] = MAX_PEERS
        self.fields["max_peers"].widget.attrs["max"] = MAX_PEERS
        self.parsed_questions = None

    def clean_questions(self):
        if self.fields["questions"].disabled:
            return None
        try:
            self.parsed_questions = parse_questions(self.cleaned_data["questions"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return self.cleaned_data["questions"]

    def cycle_data(self) -> CycleData:
        """What was typed, parsed, for `feedback.services_cycles` (which checks it against
        the cycle's rules: dates in order, peers within bounds)."""
        data = self.cleaned_data
        return CycleData(**{field: data[field] for field in CycleData.__dataclass_fields__})


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
    never a peer). The page makes this form without its viewer; whether each person may be a
    peer of this participant is the write's to say (`feedback.services_cycles.nominate`)."""
    return Person.objects.current().filter(is_active=True)


class PeerEmailForm(PickerFormMixin, forms.Form):
    """The peers to add, chosen with the people picker (`people.picker`); cleaned into their
    e-mail addresses, as `feedback.services_cycles.nominate` takes several at once."""

    emails = PeopleField(
        label=_("Whom to add"),
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
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    required=False,
                    choices=[(str(n), str(n)) for n in range(1, 6)]
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
