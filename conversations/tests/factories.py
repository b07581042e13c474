"""Conversations for tests: `make_conversation(cast.alice)` is Alice's next check-in with Bob."""

from datetime import timedelta

from django.utils import timezone

from conversations.models import (
    ActionItem,
    AgendaItem,
    Conversation,
    Kind,
    Note,
    PrivateNote,
    Status,
)


def make_conversation(employee, manager=None, kind=Kind.CHECK_IN, due=None, **fields):
    manager = manager or employee.manager
    due = due or timezone.localdate() + timedelta(days=7)
    fields.setdefault("status", Status.SCHEDULED)
    return Conversation.objects.create(
        employee=employee, manager=manager, kind=kind, due_date=due, **fields
    )


def held(conversation, on=None, both_signed=True):
    """Mark a conversation held (and by default signed off by both) without the views."""
    now = timezone.now()
    conversation.mark_held(on or conversation.due_date)
    conversation.employee_signed_at = now if both_signed else None
    conversation.manager_signed_at = now if both_signed else None
    conversation.save()
    return conversation


def add_agenda_item(conversation, author, text="Talk about the roadmap"):
    return AgendaItem.objects.create(conversation=conversation, author=author, text=text)


def add_note(conversation, author, text="We agreed on the plan."):
    return Note.objects.create(conversation=conversation, author=author, text=text)


def add_private_note(conversation, author, text="Seems tired; ask about workload."):
    return PrivateNote.objects.create(conversation=conversation, author=author, text=text)


def add_action(conversation, owner, text="Draft the proposal", due=None, done=False):
    return ActionItem.objects.create(
        conversation=conversation,
        owner=owner,
        text=text,
        due_date=due,
        done_at=timezone.now() if done else None,
    )
