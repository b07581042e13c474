"""Small helpers that build goals for tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from goals.models import KeyResult, Objective, quarter_of


def make_goal(owner=None, *, team=None, title="Grow the pipeline", key_results=(), **fields):
    """A goal for this quarter, owned by a person, a team or (neither) the company.

    `key_results` is a list of (start, target, current) tuples for measurable key results.
    """
    start, end = quarter_of(timezone.localdate())
    fields.setdefault("start_date", start)
    fields.setdefault("end_date", end)
    goal = Objective.objects.create(
        title=title, owner_person=owner, owner_team=team, created_by=owner, **fields
    )
    for position, (begin, target, current) in enumerate(key_results):
        KeyResult.objects.create(
            objective=goal,
            title=f"Key result {position + 1}",
            start_value=Decimal(begin),
            target_value=Decimal(target),
            current_value=Decimal(current),
            direction="increase" if target >= begin else "decrease",
            position=position,
        )
    return goal


def days_ago(days):
    return timezone.now() - timedelta(days=days)
