"""Development plans for the generic rules tests (`access/tests/test_rules_agree.py`,
`test_who_agrees.py`): a plan for most people, leavers and people without a manager among
them, with actions, a learning goal's link, active periods and shares (with colleagues, with
their own manager, with someone who has left), and one shared then taken back. A reporting
line that changes is `plans/tests/test_visibility.py`'s."""

from datetime import timedelta

from django.utils import timezone

from goals.tests.factories import make_goal
from plans.models import (
    ActionKind,
    ActionStatus,
    Plan,
    PlanAction,
    PlanActivePeriod,
    PlanGoal,
    PlanShare,
)


def populate(org, rng) -> None:
    today = timezone.localdate()
    people = org.people
    plans = []
    for index, person in enumerate(people):
        if index % 4 == 3:
            continue  # some have no plan
        plan = Plan.objects.create(person=person, ambition="Lead a team", focus=["feedback"])
        plans.append(plan)
        for status in rng.sample(ActionStatus.values, 2):
            PlanAction.objects.create(
                plan=plan,
                kind=rng.choice(ActionKind.values),
                title="Course",
                status=status,
                due_date=today + timedelta(days=rng.randint(-60, 60)),
            )
        PlanActivePeriod.objects.create(plan=plan, start=today - timedelta(days=200), end=today)
        PlanActivePeriod.objects.create(plan=plan, start=today)
    for plan in rng.sample(plans, len(plans) // 2):
        for person in rng.sample(people, 2):
            if person.pk != plan.person_id:
                PlanShare.objects.get_or_create(plan=plan, person=person)
    # Shared, then taken back.
    taken_back = PlanShare.objects.create(plan=plans[0], person=people[-1])
    taken_back.delete()
    goal = make_goal(plans[0].person, visibility="private", title="Learn", kind="learning")
    PlanGoal.objects.create(plan=plans[0], objective=goal)
