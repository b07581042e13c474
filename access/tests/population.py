"""A small generated organisation for the generic rules tests: the cast, more teams and people
placed at random (seeded), leavers, a team without a lead, HR scoped to one team and HR that
may not manage people; then every app adds its own objects from `<app>/tests/population.py`
(a `populate(org, rng)` function), found by app name, so a new module's objects join in by
adding that file."""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from access.models import HRRole
from people.models import Person, Team

SEED = 12


@dataclass
class Org:
    people: list[Person]
    teams: list[Team]
    # Every generated viewer, by a name that says what they are: for messages.
    viewers: dict[str, Person | None] = field(default_factory=dict)


def build(cast, seed: int = SEED, extra_teams: int = 4, extra_people: int = 14) -> Org:
    rng = random.Random(seed)
    teams = [cast.engineering, cast.platform, cast.sales, cast.people_team]
    for number in range(extra_teams):
        parent = rng.choice([*teams, None])
        teams.append(Team.objects.create(name=f"Team {number}", parent=parent))
    people = [cast.alice, cast.bob, cast.carol, cast.dave, cast.erin, cast.frank]
    today = timezone.localdate()
    for number in range(extra_people):
        manager = rng.choice([*people, None])
        people.append(
            Person.objects.create_user(
                f"person{number}@example.com",
                None,
                name=f"Person {number}",
                team=rng.choice([*teams, None]),
                manager=manager,
                # A few leavers: rules about people who have left must hold for them too.
                leave_date=today - timedelta(days=30) if number % 5 == 4 else None,
            )
        )
    for team in teams[4:]:
        team.lead = rng.choice([*people, None, None])  # some teams have no lead
        team.save()
    scoped, reader = people[6], people[7]
    HRRole.objects.create(person=scoped, scope=rng.choice(teams), can_manage_people=True)
    HRRole.objects.create(person=reader, scope=None, can_manage_people=False)
    org = Org(people=people, teams=teams)
    org.viewers = {"signed out": None}
    org.viewers.update({person.email: person for person in people})
    for config in apps.get_app_configs():
        if config.name == "access" or not module_has_submodule(config.module, "tests"):
            continue
        tests = importlib.import_module(f"{config.name}.tests")
        if module_has_submodule(tests, "population"):
            importlib.import_module(f"{config.name}.tests.population").populate(org, rng)
    return org
