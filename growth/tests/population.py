"""Assessments for the generic rules tests (`access/tests/test_rules_agree.py`,
`test_who_agrees.py`): the starter framework, assessments of people chosen at random (leavers,
people without a manager, HR's own) in every state, one open at a time per person (as the
database holds), each side's ratings, drafts and shared, some shared with HR; and rounds for
the organisation and for teams."""

from datetime import timedelta

from django.utils import timezone

from growth.models import Assessment, AssessmentRound, FrameworkVersion, Rating, Side
from growth.tests.factories import publish_starter

# (self shared, manager shared, agreed, closed, shared with HR)
STATES = [
    (False, False, False, False, False),
    (True, False, False, False, False),
    (False, True, False, False, True),
    (True, True, False, False, False),
    (True, True, True, False, True),
    (True, True, True, True, False),
    (False, False, False, True, True),
]


def populate(org, rng) -> None:
    version = FrameworkVersion.objects.order_by("-number").first() or publish_starter()
    competencies = list(version.competencies.all()[:2])
    now = timezone.now()
    people = list(org.people)
    with_one_open: set[int] = set()
    for number in range(len(STATES) * 3):
        subject = rng.choice(people)
        mine, theirs, agreed, closed, hr = STATES[number % len(STATES)]
        if not closed:  # one open assessment per person: the next one along without one
            start = people.index(subject)
            subject = next(
                person
                for person in people[start:] + people[:start]
                if person.pk not in with_one_open
            )
            with_one_open.add(subject.pk)
        assessment = Assessment.objects.create(
            subject=subject,
            version=version,
            started_by=subject,
            self_shared_at=now if mine else None,
            manager_shared_at=now if theirs else None,
            agreed_at=now if agreed else None,
            closed_at=now if closed else None,
            hr_shared_at=now if hr else None,
        )
        for competency in competencies:
            for side in (Side.SELF, Side.MANAGER, Side.AGREED):
                if side == Side.AGREED and not agreed and rng.random() < 0.5:
                    continue
                Rating.objects.create(
                    assessment=assessment,
                    competency=competency,
                    side=side,
                    level=rng.choice([None, 1, 2, 3]),
                    text="Evidence",
                )
    today = timezone.localdate()
    AssessmentRound.objects.create(name="Everyone", scope=None, due_date=today)
    for team in rng.sample(list(org.teams), 3):
        AssessmentRound.objects.create(
            name=f"Round {team.name}", scope=team, due_date=today + timedelta(days=7)
        )
