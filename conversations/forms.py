"""The short forms of a conversation's page: a talking point, a note, an action item, the
employee's preparation, a reason to skip and the meeting time.

Each is as short as it can be (principle: the conversation matters more than the form). Forms
that depend on the conversation take it as `conversation`; none of them runs a query. They only
read what was posted: the rules on it (the date window, who may own an action) and the writes
are `conversations.services`', whose refusals the views show on the form
(`cadence.refusals.form_saved`).
"""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadence import widgets as in_python
from conversations.models import (
    ActionItem,
    AgendaItem,
    Conversation,
    Note,
    PrivateNote,
)
from conversations.prompts import sections_of

ISO_DATE = "%Y-%m-%d"
ANSWER_MAX = 5000


class DateInput(in_python.DateInput):
    """The browser's date picker; the value is always ISO, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class TimeInput(in_python.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["text"]
        widgets = {
            "text": in_python.TextInput(
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
        widgets = {"text": in_python.Textarea(attrs={"rows": 3})}
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
            "text": in_python.Textarea(
                attrs={"rows": 3, "placeholder": _("Only you will see this…")}
            )
        }
        error_messages = {"text": {"required": _("Write the note first.")}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "private_%s")
        super().__init__(*args, **kwargs)


class ActionItemForm(forms.ModelForm):
    """What, who (one of the two) and, if it helps, by when."""

    # An id among the two participants, chosen from what is loaded: no query.
    who = forms.TypedChoiceField(label=_("Who"), coerce=int, widget=in_python.Select)

    class Meta:
        model = ActionItem
        fields = ["text", "due_date"]
        labels = {"text": _("Action"), "due_date": _("Due (optional)")}
        widgets = {
            "text": in_python.TextInput(
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

    def answers(self) -> list[dict[str, str]]:
        """The answers, for `services.prepare`."""
        answers = [
            {"prompt": prompt, "answer": self.cleaned_data[f"answer_{index}"].strip()}
            for index, prompt in enumerate(self.prompts)
        ]
        # Answers to prompts this conversation no longer shows are kept, not lost.
        answers += [
            {"prompt": str(e.get("prompt", "")), "answer": str(e.get("answer", ""))}
            for e in self.unmatched
        ]
        return answers


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
        else:
            naive = datetime.datetime.combine(day, time)
            cleaned["starts_at"] = timezone.make_aware(naive, timezone.get_current_timezone())
        return cleaned
