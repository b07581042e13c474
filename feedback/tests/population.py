"""Feedback for the generic rules tests (`access/tests/test_rules_agree.py`): feedback of every
kind and visibility between people chosen at random (leavers too), read or not, shared with the
receiver's manager (of now or of before); requests with asks in every state; 360 cycles of
every status, for the whole organisation and for teams, with participants (a manager or none,
reports released or not) and invitations in every group and state."""

from datetime import timedelta

from django.utils import timezone

from feedback.models import (
    AskStatus,
    CycleStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    Kind,
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    Visibility,
)


def _two(people, rng):
    giver = rng.choice(people)
    receiver = rng.choice([p for p in people if p.pk != giver.pk])
    return giver, receiver


def populate(org, rng) -> None:
    people = org.people
    now = timezone.now()
    states = [
        (Kind.PRAISE, Visibility.PRIVATE),
        (Kind.PRAISE, Visibility.TEAM),
        (Kind.PRAISE, Visibility.ORGANISATION),
        (Kind.CONSTRUCTIVE, Visibility.PRIVATE),
    ]
    for number in range(40):
        giver, receiver = _two(people, rng)
        kind, visibility = states[number % len(states)]
        shared = rng.choice([None, None, receiver.manager, rng.choice(people)])
        Feedback.objects.create(
            giver=giver,
            receiver=receiver,
            kind=kind,
            visibility=visibility,
            text="Feedback",
            shared_with=shared,
            shared_with_manager_at=now if shared else None,
            read_at=rng.choice([None, now]),
        )
    for _number in range(8):
        requester = rng.choice(people)
        request = FeedbackRequest.objects.create(
            requester=requester,
            topic="Topic",
            due_date=timezone.localdate() + timedelta(days=rng.randint(-5, 10)),
        )
        others = [p for p in people if p.pk != requester.pk]
        for person, status in zip(
            rng.sample(others, rng.randint(0, 3)), rng.sample(AskStatus.values, 3), strict=False
        ):
            FeedbackAsk.objects.create(request=request, requestee=person, status=status)
    today = timezone.localdate()
    scopes = [None, *org.teams]
    for number, status in enumerate(CycleStatus.values * 2):
        cycle = ReviewCycle.objects.create(
            name=f"Cycle {number}",
            status=status,
            scope=scopes[number % len(scopes)],
            period_start=today - timedelta(days=180),
            period_end=today,
            nominations_due=today,
            answers_due=today,
            anonymity_threshold=3 + number % 3,
        )
        for person in rng.sample(people, 5):
            participant = ReviewParticipant.objects.create(
                cycle=cycle,
                person=person,
                manager=rng.choice([person.manager, person.manager, None]),
                released_at=now if status == CycleStatus.CLOSED and rng.random() < 0.5 else None,
            )
            for reviewer, group in [
                (person, RaterGroup.SELF),
                (participant.manager, RaterGroup.MANAGER),
                (rng.choice(people), RaterGroup.PEER),
                (rng.choice(people), RaterGroup.REPORT),
            ]:
                if reviewer is None:
                    continue
                ReviewInvitation.objects.get_or_create(
                    participant=participant,
                    reviewer=reviewer,
                    defaults={
                        "group": group,
                        "answered": rng.random() < 0.4,
                        "declined": rng.random() < 0.1,
                    },
                )
