"""The short forms of a conversation's page: a talking point, a note, an action item, the
employee's preparation, a reason to skip and the meeting time.

Each is as short as it can be (principle: the conversation matters more than the form). Forms
that depend on the conversation take it as `conversation`; none of them runs a query.
"""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.models import (
    ActionItem,
    AgendaItem,
    Conversation,
    Kind,
    Note,
    PrivateNote,
)
from conversations.prompts import sections_of

ISO_DATE = "%Y-%m-%d"
# How far from today a meeting time or an action's due date may be: beyond that it is a typo
# (and far-away years cannot overflow when converted between time zones).
PAST_YEARS, FUTURE_YEARS = 1, 5
ANSWER_MAX = 5000


class DateInput(forms.DateInput):
    """The browser's date picker; the value is always ISO, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def within_reach(day: datetime.date, today: datetime.date) -> bool:
    return (
        today.replace(year=today.year - PAST_YEARS, day=min(today.day, 28))
        <= day
        <= today.replace(year=today.year + FUTURE_YEARS, day=min(today.day, 28))
    )


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["text"]
        widgets = {
            "text": forms.TextInput(
                attrs={"placeholder": _("Add a talking point…"), "autocomplete": "off"}
            )
        }
        error_messages = {"text": {"required": _("Write the talking point first.")}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "agenda_%s")
        super().__init__(*args, **kwargs)


class NoteForm(forms.ModelForm):
    """A shared note; after both signed off, the same form appends a remark."""

    class Meta:
        model = Note
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": _("Write the note first.")}}

    def __init__(self, *args, remark: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        if remark:
            field.label = _("Add a remark")
            field.widget.attrs["placeholder"] = _("Appended below the signed-off record…")
            field.error_messages["required"] = _("Write the remark first.")
        else:
            field.label = _("Add a shared note")
            field.widget.attrs["placeholder"] = _("What you talked about, what you agreed…")


class PrivateNoteForm(forms.ModelForm):
    class Meta:
        model = PrivateNote
        fields = ["text"]
        labels = {"text": _("Add a private note")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3, "placeholder": _("Only you will see this…")})
        }
        error_messages = {"text": {"required": _("Write the note first.")}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "private_%s")
        super().__init__(*args, **kwargs)


class ActionItemForm(forms.ModelForm):
    """What, who (one of the two) and, if it helps, by when."""

    # An id among the two participants, chosen from what is loaded: no query.
    who = forms.TypedChoiceField(label=_("Who"), coerce=int)

    class Meta:
        model = ActionItem
        fields = ["text", "due_date"]
        labels = {"text": _("Action"), "due_date": _("Due (optional)")}
        widgets = {
            "text": forms.TextInput(
                attrs={"placeholder": _("Add an action item…"), "autocomplete": "off"}
            ),
            "due_date": DateInput(),
        }
        error_messages = {"text": {"required": _("Write what is to be done first.")}}

    def __init__(self, *args, conversation: Conversation, today: datetime.date, **kwargs):
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        self.conversation, self.today = conversation, today
        cast(forms.ChoiceField, self.fields["who"]).choices = [
            (conversation.employee_id, conversation.employee.name),
            (conversation.manager_id, conversation.manager.name),
        ]
        self.fields["who"].initial = conversation.employee_id
        self.order_fields(["text", "who", "due_date"])

    def clean_who(self):
        who = self.cleaned_data["who"]
        if who not in self.conversation.participant_ids():
            raise forms.ValidationError(_("Choose one of the two of you."))
        return who

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due is not None and not within_reach(due, self.today):
            raise forms.ValidationError(
                _("Choose a date between a year ago and five years from now.")
            )
        return due

    def save(self, *, by, commit=True):
        item = super().save(commit=False)
        item.conversation = self.conversation
        item.employee_id = self.conversation.employee_id
        item.manager_id = self.conversation.manager_id
        item.owner_id = self.cleaned_data["who"]
        item.created_by = by
        if commit:
            item.save()
        return item


def matched_answers(conversation: Conversation, prompts: list[str]) -> tuple[list[str], list]:
    """The stored preparation lined up with the prompts: (an answer per prompt, and the
    answered entries that match no prompt). Answers are matched by their prompt; when the
    prompts read differently (our defaults in another language) but are as many, by position."""
    previous = [e for e in (conversation.preparation or []) if isinstance(e, dict)]
    by_prompt = {str(e.get("prompt", "")): str(e.get("answer", "") or "") for e in previous}
    same_shape = len(previous) == len(prompts)
    answers, used = [], set()
    for index, prompt in enumerate(prompts):
        if prompt in by_prompt:
            answers.append(by_prompt[prompt])
            used.add(prompt)
        elif same_shape:
            answers.append(str(previous[index].get("answer", "") or ""))
            used.add(str(previous[index].get("prompt", "")))
        else:
            answers.append("")
    unmatched = [e for e in previous if str(e.get("prompt", "")) not in used and e.get("answer")]
    return answers, unmatched


class PrepareForm(forms.Form):
    """One optional answer per prompt of the conversation's template, grouped by section."""

    def __init__(self, *args, conversation: Conversation, **kwargs):
        kwargs.setdefault("auto_id", "prepare_%s")
        super().__init__(*args, **kwargs)
        self.conversation = conversation
        self.sections = sections_of(conversation)
        self.prompts = [prompt for section in self.sections for prompt in section.prompts]
        answers, self.unmatched = matched_answers(conversation, self.prompts)
        self.grouped = []
        index = 0
        for section in self.sections:
            names = []
            for prompt in section.prompts:
                name = f"answer_{index}"
                self.fields[name] = forms.CharField(
                    label=prompt,
                    required=False,
                    max_length=ANSWER_MAX,
                    initial=answers[index],
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                names.append(name)
                index += 1
            self.grouped.append((section, names))

    def section_fields(self):
        """[(section, [bound field, …]), …] for the template."""
        return [(section, [self[name] for name in names]) for section, names in self.grouped]

    def save(self, now=None) -> Conversation:
        answers = [
            {"prompt": prompt, "answer": self.cleaned_data[f"answer_{index}"].strip()}
            for index, prompt in enumerate(self.prompts)
        ]
        # Answers to prompts this conversation no longer shows are kept, not lost.
        answers += [
            {"prompt": str(e.get("prompt", "")), "answer": str(e.get("answer", ""))}
            for e in self.unmatched
        ]
        answered = any(entry["answer"] for entry in answers)
        conversation = self.conversation
        conversation.preparation = answers if answered else []
        # Prepared means something was written down; saving an empty form is not preparing.
        conversation.prepared_at = (now or timezone.now()) if answered else None
        conversation.save(update_fields=["preparation", "prepared_at"])
        return conversation


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this conversation skipped?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Both of you will see the reason. The next conversation is scheduled from this "
            "one’s due date."
        ),
        error_messages={"required": _("Give a reason: a skipped conversation needs one.")},
    )


class RescheduleForm(forms.Form):
    """The meeting time, as a date and a time in the viewer's time zone. Both empty (or the
    "clear" button) removes it."""

    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())

    def __init__(self, *args, conversation: Conversation, today: datetime.date, **kwargs):
        kwargs.setdefault("auto_id", "when_%s")
        super().__init__(*args, **kwargs)
        self.conversation, self.today = conversation, today
        if conversation.starts_at and not self.is_bound:
            local = timezone.localtime(conversation.starts_at)
            self.initial = {"day": local.date(), "time": local.time().replace(second=0)}
        elif not self.is_bound:
            self.initial = {"day": max(conversation.due_date, today)}

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("day"), cleaned.get("time")
        if self.errors:
            return cleaned
        if day is None and time is None:
            cleaned["starts_at"] = None
            return cleaned
        if day is None:
            self.add_error("day", _("Choose the date too."))
        elif time is None:
            self.add_error("time", _("Choose the time too."))
        elif not within_reach(day, self.today):
            self.add_error("day", _("Choose a date between a year ago and five years from now."))
        else:
            naive = datetime.datetime.combine(day, time)
            cleaned["starts_at"] = timezone.make_aware(naive, timezone.get_current_timezone())
        return cleaned

    def save(self) -> Conversation:
        conversation = self.conversation
        conversation.starts_at = self.cleaned_data["starts_at"]
        fields = ["starts_at"]
        if conversation.kind == Kind.ONE_ON_ONE and conversation.starts_at is not None:
            # A one-on-one's due date is its day: it moves with the meeting (the employee's
            # calendar, as due dates are).
            conversation.due_date = conversation.employee.local_today(conversation.starts_at)
            fields.append("due_date")
        conversation.save(update_fields=fields)
        return conversation
