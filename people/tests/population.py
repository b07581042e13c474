"""People and teams for the generic rules tests (`access/tests/test_rules_agree.py`): the
organisation is built there; here, the edge cases of the people rules join it: someone without
a team, someone leaving today (still here) and one leaving later, a leaver without a team, a
leaver still managing someone, and a team with no members."""

from datetime import timedelta

from django.utils import timezone

from people.models import Person, Team


def populate(org, rng) -> None:
    today = timezone.localdate()
    boss = rng.choice(org.people)
    extra = [
        ("No team", None, None),
        ("Leaving today", rng.choice(org.teams), today),
        ("Leaving later", rng.choice(org.teams), today + timedelta(days=40)),
        ("Left, no team", None, today - timedelta(days=3)),
    ]
    for number, (name, team, leave_date) in enumerate(extra):
        org.people.append(
            Person.objects.create_user(
                f"edge{number}@example.com",
                None,
                name=name,
                team=team,
                manager=boss,
                leave_date=leave_date,
            )
        )
    leaver = org.people[-1]
    org.people.append(
        Person.objects.create_user(
            "edge-report@example.com", None, name="Reports to a leaver", manager=leaver
        )
    )
    org.teams.append(Team.objects.create(name="Nobody here yet", parent=rng.choice(org.teams)))
    # They look, too: a leaver, someone without a team.
    org.viewers.update({person.email: person for person in org.people[-5:]})
