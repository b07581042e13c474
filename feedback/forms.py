"""Forms for giving feedback, replying, and the organisation's feedback settings.

Whom the viewer may give feedback to comes from `feedback.rules.feedback_recipients` (anyone
working here today but themselves): with thousands of people that is no menu, so the person is
chosen with the people picker (`people.picker`: a name typed, suggestions to choose from). The
goal a feedback is about is one of the receiver's own goals that the giver may see
(`access.rules.visible`): a short list, loaded once, so a forbidden or unknown choice is a form
error and never a database error.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from access.rules import visible
from feedback.models import (
    MAX_ANONYMITY_THRESHOLD,
    MIN_ANONYMITY_THRESHOLD,
    Feedback,
    FeedbackSettings,
    Kind,
    Reply,
    Visibility,
)
from feedback.rules import feedback_recipients
from growth.queries import competency_choices
from people.models import Person
from people.picker import PeopleField, PickerFormMixin

GOALS_OFFERED = 50
TEXT_MAX = Feedback._meta.get_field("text").max_length
SBI_PLACEHOLDER = _(
    "Situation: when and where (“In Tuesday’s demo…”).\n"
    "Behaviour: what they did or said, as you saw it.\n"
    "Impact: what it led to, for you, the team or the work."
)


def goals_of(viewer, receiver) -> list:
    """The receiver's goals the giver may see, newest period first (a short list)."""
    if receiver is None:
        return []
    from goals.models import Objective

    goals = visible(viewer, Objective.objects.filter(owner_person=receiver))
    return list(
        goals.only("title", "end_date").order_by("-end_date", "title", "pk")[:GOALS_OFFERED]
    )


class FeedbackForm(PickerFormMixin, forms.Form):
    """Give feedback (with a `to` field), or correct it before it is read (`instance`)."""

    to = PeopleField(
        label=_("To"),
        in_scope=True,
        help_text=_("Type a name and choose from the suggestions."),
        error_messages={
            "required": _("Choose whom the feedback is for."),
            "self": _("Feedback is for someone else: write a note to yourself elsewhere."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Kind.choices, initial=Kind.PRAISE, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your feedback"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": SBI_PLACEHOLDER}),
        help_text=_(
            "Describe one situation, the behaviour you saw and its impact. Specific beats "
            "general; behaviour beats character."
        ),
    )
    goal = forms.TypedChoiceField(
        label=_("About one of their goals"), coerce=int, required=False, empty_value=None
    )
    competency = forms.ChoiceField(
        label=_("About a competency"),
        required=False,
        help_text=_("Optional: a competency of the framework it is about."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Praise can be shared with the receiver's team or everyone, on the praise wall."
        ),
    )

    def __init__(self, *args, viewer, instance: Feedback | None = None, receiver=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.instance = instance
        competencies = competency_choices() if instance is None else []
        if competencies:
            field = cast(forms.ChoiceField, self.fields["competency"])
            field.choices = [("", _("No competency")), *competencies]
        else:  # no framework yet, or a correction (the competency stays as given)
            del self.fields["competency"]
        self.receiver: Person | None
        if "to" in self.fields:
            to = cast(PeopleField, self.fields["to"])
            to.people = feedback_recipients(viewer)
            to.me = viewer.person
        if instance is not None:
            del self.fields["to"]
            self.receiver = instance.receiver
            self.initial.update(
                kind=instance.kind,
                text=instance.text,
                goal=instance.goal_id,
                visibility=instance.visibility,
            )
        elif self.is_bound:
            self.receiver = self.chosen_receiver()
        else:
            self.receiver = receiver
            if receiver is not None:
                self.initial["to"] = receiver
        self.goals = goals_of(viewer, self.receiver)
        self.goal_titles = {goal.pk: goal.title for goal in self.goals}
        cast(forms.ChoiceField, self.fields["goal"]).choices = [
            ("", _("None")),
            *((goal.pk, goal.title) for goal in self.goals),
        ]

    def chosen_receiver(self) -> Person | None:
        """Whom the posted form names, if anyone (their goals are offered); the field says
        what is wrong when the form is cleaned."""
        to = cast(PeopleField, self.fields["to"])
        try:
            return to.clean(to.picker.value_from_datadict(self.data, self.files, "to"))
        except forms.ValidationError:
            return None

    def clean_to(self):
        self.receiver = self.cleaned_data["to"]
        return self.receiver

    def clean_goal(self):
        goal = self.cleaned_data.get("goal")
        if goal is not None and goal not in self.goal_titles:
            raise forms.ValidationError(_("Choose one of their goals that you can see."))
        return goal

    def clean(self):
        cleaned = super().clean()
        # Constructive feedback is always private to the receiver (who may share it with their
        # manager); praise may go wider.
        if cleaned.get("kind") == Kind.CONSTRUCTIVE or not cleaned.get("visibility"):
            cleaned["visibility"] = Visibility.PRIVATE
        return cleaned

    def save(self, giver=None) -> Feedback:
        data = self.cleaned_data
        feedback = self.instance or Feedback(giver=giver, receiver=self.receiver)
        feedback.kind = data["kind"]
        feedback.text = data["text"]
        feedback.goal_id = data.get("goal")
        feedback.visibility = data["visibility"]
        if self.instance is None:
            feedback.save()
        else:
            fields = ["kind", "text", "goal", "visibility", "edited_at"]
            feedback.save(update_fields=fields)
        return feedback


class ReplyForm(forms.ModelForm):
    class Meta:
        model = Reply
        fields = ["text"]
        labels = {"text": _("Your reply")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class FeedbackSettingsForm(forms.ModelForm):
    anonymity_threshold = forms.IntegerField(
        label=_("Fewest answers behind any 360 figure or comment"),
        min_value=MIN_ANONYMITY_THRESHOLD,
        max_value=MAX_ANONYMITY_THRESHOLD,
    )

    class Meta:
        model = FeedbackSettings
        fields = ["anonymity_threshold"]
