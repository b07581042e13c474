"""Key positions and candidacies for tests, written straight to the database."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from people.models import Role
from succession.models import KeyPosition, Readiness, SuccessionCandidate


def make_position(team, *, title="Head of Platform", role=None, level=4, incumbent=None):
    role = role or Role.objects.get_or_create(name="Engineering manager")[0]
    return KeyPosition.objects.create(
        team=team, role=role, level=level, title=title, incumbent=incumbent, why_key="Hard to fill"
    )


def name(position, person, *, readiness=Readiness.NOW, days_ago=10, rank=1, emergency=False):
    return SuccessionCandidate.objects.create(
        position=position,
        person=person,
        readiness=readiness,
        readiness_on=timezone.localdate() - timedelta(days=days_ago),
        rank=rank,
        emergency=emergency,
        notes="Ready to lead the platform team",
    )
