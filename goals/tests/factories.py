"""Small helpers that build goals for tests."""

from datetime import datetime, time, timedelta
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
    # Set when its period starts (or now, for a goal set ahead): as most goals are.
    began = datetime.combine(fields["start_date"], time(9), tzinfo=timezone.get_current_timezone())
    fields.setdefault("created_at", min(timezone.now(), began))
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
