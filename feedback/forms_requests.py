"""Forms for feedback requests: asking colleagues, answering, declining.

Whom one may ask comes from `feedback.rules.feedback_recipients` (anyone working here today
but oneself). The organisation may have thousands of people, so they are chosen with the people
picker (`people.picker`: type a name, choose from suggestions), never from a list of everyone.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import FeedbackAsk, FeedbackRequest, Kind
from feedback.requesting import MAX_REQUESTEES
from feedback.rules import feedback_recipients
from growth.queries import competency_choices
from people.picker import PeopleField, PickerFormMixin

DEFAULT_DUE_DAYS = 7
LATEST_DUE_DAYS = 366
TEXT_MAX = 4000


def no_nul(value: str) -> str:
    if "\x00" in value:
        raise forms.ValidationError(_("Null characters are not allowed."))
    return value


class RequestForm(PickerFormMixin, forms.Form):
    people = PeopleField(
        label=_("Whom to ask"),
        in_scope=True,
        multiple=True,
        max_people=MAX_REQUESTEES,
        help_text=_("Type a name and choose from the suggestions: 1 to 10 colleagues."),
        error_messages={
            "required": _("Name at least one colleague."),
            "self": _("Ask colleagues: you cannot ask yourself."),
        },
    )
    topic = forms.CharField(
        label=_("About"),
        max_length=FeedbackRequest._meta.get_field("topic").max_length,
        help_text=_("What should they look at? E.g. “My presentation at today's all-hands”."),
    )
    goal = forms.TypedChoiceField(label=_("About the goal"), coerce=int, required=False)
    competency = forms.ChoiceField(label=_("About a competency"), required=False)
    due_date = forms.DateField(
        label=_("Answer by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, viewer, goals, today, **kwargs):
        """`viewer`: who asks; `goals`: their own goals they may link; `today`: their date."""
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.today = today
        self.goals = {goal.pk: goal for goal in goals}
        self.fields["goal"].choices = [("", _("No goal")), *((g.pk, g.title) for g in goals)]
        competencies = competency_choices()
        if competencies:
            self.fields["competency"].choices = [("", _("No competency")), *competencies]
        else:  # no framework yet
            del self.fields["competency"]
        self.fields["due_date"].initial = today + timedelta(days=DEFAULT_DUE_DAYS)
        people = self.fields["people"]
        people.people = feedback_recipients(viewer)
        people.me = viewer.person
        self.requestees = []

    def clean_topic(self):
        return no_nul(self.cleaned_data["topic"].strip())

    def clean_people(self):
        self.requestees = self.cleaned_data["people"]
        return self.requestees

    def clean_goal(self):
        goal_id = self.cleaned_data.get("goal")
        if goal_id in (None, ""):
            return None
        if goal_id not in self.goals:  # the choices already refuse it; kept for safety
            raise forms.ValidationError(_("Choose one of your own goals."))
        return self.goals[goal_id]

    def clean_due_date(self):
        day = self.cleaned_data["due_date"]
        if day < self.today:
            raise forms.ValidationError(_("Choose today or a later date."))
        if day > self.today + timedelta(days=LATEST_DUE_DAYS):
            raise forms.ValidationError(_("Choose a date within the next year."))
        return day


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        initial=Kind.PRAISE,
        widget=forms.RadioSelect,
        help_text=_("Praise what worked; be constructive about what could work better."),
    )
    text = forms.CharField(
        label=_("Your feedback"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Situation, behaviour, impact: when and where it was, what they did (not what they "
            "are), and what effect it had. A concrete example helps most."
        ),
    )

    def clean_text(self):
        text = no_nul(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError(_("Write a few sentences."))
        return text


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=FeedbackAsk._meta.get_field("declined_reason").max_length,
        help_text=_(
            "Optional, e.g. “I was not at the presentation”. The person who asked sees it."
        ),
    )

    def clean_reason(self):
        return no_nul(self.cleaned_data["reason"]).strip()
