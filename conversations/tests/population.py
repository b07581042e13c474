"""Conversations for the generic rules tests (`access/tests/test_rules_agree.py`): for pairs of
the generated organisation, conversations of every kind and status, open and closed (signed off
by one, by both), with talking points, shared notes and remarks, action items (done or not) and
private notes by each participant and by someone who is not one (stored as is: the rules must
still agree on it); rhythm rules of every level and a template."""

from datetime import timedelta

from django.utils import timezone

from conversations.models import (
    ActionItem,
    AgendaItem,
    Conversation,
    ConversationTemplate,
    Kind,
    Note,
    PrivateNote,
    RhythmRule,
    Status,
)


def populate(org, rng) -> None:
    now = timezone.now()
    today = timezone.localdate()
    pairs = [(person, person.manager) for person in org.people if person.manager is not None]
    conversations: list[Conversation] = []
    for employee, manager in rng.sample(pairs, min(len(pairs), 8)):
        for kind in Kind.values:
            for status in Status.values:
                signed = rng.choice([(None, None), (now, None), (None, now), (now, now)])
                if status in (Status.SKIPPED, Status.CANCELLED):
                    signed = (None, None)
                if status == Status.SCHEDULED and kind != Kind.ONE_ON_ONE:
                    signed = (None, None) if rng.random() < 0.5 else (now, None)
                conversations.append(
                    Conversation.objects.create(
                        employee=employee,
                        manager=manager,
                        kind=kind,
                        status=status,
                        due_date=today + timedelta(days=rng.randint(-60, 60)),
                        held_on=today if status == Status.HELD else None,
                        employee_signed_at=signed[0],
                        manager_signed_at=signed[1],
                    )
                )
    for conversation in rng.sample(conversations, len(conversations) // 2):
        two = [conversation.employee, conversation.manager]
        author = rng.choice(two)
        AgendaItem.objects.create(conversation=conversation, author=author, text="Roadmap")
        Note.objects.create(
            conversation=conversation,
            author=rng.choice(two),
            text="Agreed",
            is_remark=rng.random() < 0.3,
        )
        ActionItem.objects.create(
            conversation=conversation,
            owner=rng.choice(two),
            text="Draft it",
            done_at=now if rng.random() < 0.3 else None,
        )
        PrivateNote.objects.create(conversation=conversation, author=author, text="Mine")
        outsider = rng.choice(org.people)
        PrivateNote.objects.create(conversation=conversation, author=outsider, text="Stray")
    RhythmRule.objects.create(kind=Kind.CHECK_IN, interval_months=2)
    for team in rng.sample(org.teams, 3):
        RhythmRule.objects.create(kind=Kind.QUARTERLY, interval_months=6, team=team)
    for employee, _manager in rng.sample(pairs, min(len(pairs), 4)):
        RhythmRule.objects.create(kind=Kind.DEVELOPMENT, interval_months=12, employee=employee)
    ConversationTemplate.objects.create(kind=Kind.CHECK_IN, text="## How are you\n- Well?")
