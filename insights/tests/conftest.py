"""A filled organisation for Insights' tests: Bob's Platform with many reports (joined over
three years, some of whom left), and three more teams below Engineering, each with its lead."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_person
from people.models import Team


@pytest.fixture
def filled(cast):
    today = timezone.localdate()
    for number in range(14):
        make_person(
            f"plat{number}@example.com",
            f"Platform {number}",
            team=cast.platform,
            manager=cast.bob,
            start_date=today - timedelta(days=60 + 70 * number),
            leave_date=today - timedelta(days=10 * number) if number % 4 == 3 else None,
        )
    for name in ("Web", "Data", "Infra"):
        team = Team.objects.create(name=name, parent=cast.engineering)
        lead = make_person(
            f"{name}@example.com",
            f"{name} Lead",
            team=team,
            manager=cast.carol,
            start_date=today - timedelta(days=900),
        )
        team.lead = lead
        team.save()
        for number in range(7):
            make_person(
                f"{name}{number}@example.com",
                f"{name} {number}",
                team=team,
                manager=lead,
                start_date=today - timedelta(days=100 + 90 * number),
            )
    return cast
