"""Goals for the generic rules tests (`access/tests/test_rules_agree.py`): a goal of every
owner (each person, each team, the company) with every visibility, stored as is (also the
combinations the forms refuse: the rules must still agree on them), aligned at random, with
key results, progress updates, adjustments, and templates."""

from decimal import Decimal

from goals.models import (
    Adjustment,
    GoalTemplate,
    KeyResult,
    Objective,
    ProgressUpdate,
    Visibility,
)
from goals.tests.factories import make_goal


def populate(org, rng) -> None:
    owners = [(person, None) for person in org.people] + [(None, team) for team in org.teams]
    owners.append((None, None))
    goals: list[Objective] = []
    for person, team in owners:
        for visibility in Visibility.values:
            parent = rng.choice([*goals, None, None]) if goals else None
            goals.append(
                make_goal(person, team=team, visibility=visibility, parent=parent, title="Goal")
            )
    for goal in rng.sample(goals, len(goals) // 3):
        result = KeyResult.objects.create(
            objective=goal,
            title="Key result",
            start_value=Decimal(0),
            target_value=Decimal(10),
            current_value=Decimal(rng.randint(0, 10)),
        )
        ProgressUpdate.objects.create(
            objective=goal, key_result=result, value=result.current_value, author=goal.created_by
        )
    for goal in rng.sample(goals, len(goals) // 4):
        Adjustment.objects.create(objective=goal, reason="Moved", author=goal.created_by)
    GoalTemplate.objects.create(title="Grow the pipeline")
    GoalTemplate.objects.create(title="Learn a language")
