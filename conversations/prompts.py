"""The prompts that guide each kind of conversation, and the GROW questions for managers.

A template is plain text that HR can edit: a line is a section heading, and the lines below it
that start with "- " are its prompts. The employee prepares by answering the prompts; in the
conversation they structure the talk. Our defaults are translated; HR's own text is used as
written and frozen into each conversation created after the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conversations.models import ConversationTemplate, Kind


@dataclass(frozen=True)
class Section:
    title: str
    prompts: tuple[str, ...]

    def as_json(self) -> dict:
        return {"title": self.title, "prompts": list(self.prompts)}


def default_text(kind: str) -> str:
    """Our default template for a kind, in the active language."""
    if kind == Kind.CHECK_IN:
        lines = [
            _("Progress on goals"),
            "- " + _("Where are you on your goals since we last spoke?"),
            _("What went well"),
            "- " + _("What went well, and what are you proud of?"),
            _("Blockers"),
            "- " + _("What is in your way or slowing you down?"),
            _("Support needed"),
            "- " + _("What do you need from me or from others?"),
            _("Wellbeing"),
            "- " + _("How are you doing, and how is your workload?"),
        ]
    elif kind == Kind.QUARTERLY:
        lines = [
            _("Looking back"),
            "- " + _("How did your goals go this quarter? (Their progress is shown above.)"),
            "- " + _("What feedback did you receive, and what did you take from it?"),
            _("Looking forward"),
            "- " + _("Which goals should we adjust, drop or add?"),
            "- " + _("What is your focus for the next quarter?"),
        ]
    elif kind == Kind.DEVELOPMENT:
        lines = [
            _("Reflection"),
            "- " + _("What did you learn in the last months?"),
            "- " + _("Where did you grow?"),
            "- " + _("What was hard, and how did you handle it?"),
            _("Ambitions"),
            "- " + _("Where do you want to go: in your role, and after it?"),
            _("Actions"),
            "- "
            + _("Which projects, tasks, training, coaching or mentoring will help you get there?"),
            "- " + _("How will we know that it works?"),
        ]
    else:
        lines = [
            _("Talking points"),
            "- " + _("What is on your mind?"),
        ]
    return "\n".join(lines)


def parse(text: str) -> list[Section]:
    """Sections from a template's text. Prompts before any heading go into an untitled one;
    blank lines are ignored; headings without prompts are kept (a topic to talk about)."""
    sections: list[tuple[str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(("- ", "* ")) or line in ("-", "*"):
            prompt = line[2:].strip()
            if not prompt:
                continue
            if not sections:
                sections.append(("", []))
            sections[-1][1].append(prompt)
        else:
            sections.append((line, []))
    return [Section(title, tuple(prompts)) for title, prompts in sections]


def frozen_prompts(kind: str) -> list[dict] | None:
    """What a new conversation stores in `prompts`: HR's sections, or None for our defaults."""
    template = ConversationTemplate.objects.filter(kind=kind).first()
    if template is None:
        return None
    return [section.as_json() for section in parse(template.text)]


def sections_of(conversation) -> list[Section]:
    """The sections that guide a conversation, in the reader's language for our defaults."""
    if conversation.prompts:
        return [
            Section(s.get("title", ""), tuple(s.get("prompts", ()))) for s in conversation.prompts
        ]
    return parse(default_text(conversation.kind))


# The GROW model, for the manager's coaching panel. Only the manager of a conversation sees it.
GROW = (
    (
        gettext_lazy("Goal"),
        (
            gettext_lazy("What would you like to get out of this conversation?"),
            gettext_lazy("What do you want to achieve, and by when?"),
            gettext_lazy("How will you know you have got there?"),
        ),
    ),
    (
        gettext_lazy("Reality"),
        (
            gettext_lazy("What is happening now? What have you tried so far?"),
            gettext_lazy("What is in your control, and what is not?"),
            gettext_lazy("On a scale of 1 to 10, where are you now?"),
        ),
    ),
    (
        gettext_lazy("Options"),
        (
            gettext_lazy("What could you do? What else?"),
            gettext_lazy("What would you do if you had no constraints?"),
            gettext_lazy("Who could help you?"),
        ),
    ),
    (
        gettext_lazy("Will"),
        (
            gettext_lazy("What will you do, and when?"),
            gettext_lazy("What might get in the way, and how will you handle it?"),
            gettext_lazy("What support do you need from me?"),
        ),
    ),
)
