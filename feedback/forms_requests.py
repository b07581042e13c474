"""Forms for feedback requests: asking colleagues, answering, declining.

Whom one may ask comes from `feedback.rules.feedback_recipients` (anyone working here today
but oneself). The organisation may have thousands of people, so the form takes e-mail
addresses (typed, pasted, or added by the page's search) rather than a list of everyone, and
looks them up in one query.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from feedback.models import FeedbackAsk, FeedbackRequest, Kind
from feedback.requesting import MAX_REQUESTEES
from feedback.rules import feedback_recipients

DEFAULT_DUE_DAYS = 7
LATEST_DUE_DAYS = 366
SEPARATORS = re.compile(r"[\s,;]+")
TEXT_MAX = 4000


def no_nul(value: str) -> str:
    if "\x00" in value:
        raise forms.ValidationError(_("Null characters are not allowed."))
    return value


def split_addresses(value: str) -> list[str]:
    """The distinct addresses in `value`, lower-cased, in the order given. "Name <a@b>" works."""
    seen: dict[str, None] = {}
    for part in SEPARATORS.split(value or ""):
        part = part.strip().strip("<>\"'").lower()
        if part:
            seen.setdefault(part, None)
    return list(seen)


class RequestForm(forms.Form):
    people = forms.CharField(
        label=_("Whom to ask"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "E-mail addresses of 1 to 10 colleagues, separated by commas or new lines. "
            "Find someone with the search above."
        ),
    )
    topic = forms.CharField(
        label=_("About"),
        max_length=FeedbackRequest._meta.get_field("topic").max_length,
        help_text=_("What should they look at? E.g. “My presentation at today's all-hands”."),
    )
    goal = forms.TypedChoiceField(label=_("About the goal"), coerce=int, required=False)
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
        self.fields["due_date"].initial = today + timedelta(days=DEFAULT_DUE_DAYS)
        self.requestees = []

    def clean_topic(self):
        return no_nul(self.cleaned_data["topic"].strip())

    def clean_people(self):
        addresses = split_addresses(no_nul(self.cleaned_data["people"]))
        if not addresses:
            raise forms.ValidationError(_("Name at least one colleague."))
        if len(addresses) > MAX_REQUESTEES:
            raise forms.ValidationError(
                ngettext(
                    "Ask at most %(count)d colleague at once.",
                    "Ask at most %(count)d colleagues at once.",
                    MAX_REQUESTEES,
                )
                % {"count": MAX_REQUESTEES}
            )
        me = self.viewer.person
        if me.email.lower() in addresses:
            raise forms.ValidationError(_("Ask colleagues: you cannot ask yourself."))
        if any(len(address) > 254 for address in addresses):
            raise forms.ValidationError(_("That is not an e-mail address."))
        found = {
            person.email.lower(): person
            for person in feedback_recipients(self.viewer)
            .filter(email__in=addresses)
            .only("pk", "name", "email", "time_zone")
        }
        unknown = [address for address in addresses if address not in found]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "Nobody working here has this address: %(addresses)s.",
                    "Nobody working here has these addresses: %(addresses)s.",
                    len(unknown),
                )
                % {"addresses": ", ".join(unknown)}
            )
        self.requestees = [found[address] for address in addresses]
        return "\n".join(addresses)

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
