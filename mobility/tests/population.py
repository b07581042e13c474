"""Internal mobility for the generic rules tests (`access/tests/test_rules_agree.py`,
`test_who_agrees.py`): wishes to move of every shape (open or not, for HR or also the manager,
none), among them two people whose manager is organisation-wide HR (who as HR sees their wish
only where they let their manager see it); openings open and closed, one whose hiring manager
has left; interests in them, from people with and without a wish of their own."""

from mobility.models import Audience, Interest, MobilityPreference, Opening, OpeningStatus
from people.models import Person, Role


def populate(org, rng) -> None:
    people = org.people
    hr_reader = people[7]  # organisation-wide HR (see access/tests/population.py)
    for number in range(2):
        people.append(
            Person.objects.create_user(
                f"mobility{number}@example.com",
                None,
                name=f"Mobility {number}",
                team=rng.choice(org.teams),
                manager=hr_reader,
            )
        )
        org.viewers[people[-1].email] = people[-1]
    shapes = [
        (True, Audience.HR),
        (True, Audience.HR_AND_MANAGER),
        (False, Audience.HR_AND_MANAGER),
        None,
    ]
    for index, person in enumerate(people):
        shape = shapes[index % 4] if index < len(people) - 2 else (True, None)
        if shape is None:
            continue
        open_to_move, audience = shape
        if audience is None:  # the two managed by HR
            audience = (
                Audience.HR if person.email.startswith("mobility0") else Audience.HR_AND_MANAGER
            )
        MobilityPreference.objects.create(
            person=person, open_to_move=open_to_move, audience=audience, note="Keen"
        )
    role, _created = Role.objects.get_or_create(name="Mobility role")
    leaver = next(person for person in people if person.leave_date is not None)
    openings = []
    for team, manager, status in (
        (org.teams[1], people[1], OpeningStatus.OPEN),
        (org.teams[2], people[3], OpeningStatus.CLOSED),
        (org.teams[4], leaver, OpeningStatus.OPEN),
        (org.teams[5], rng.choice(people), OpeningStatus.CLOSED),
    ):
        openings.append(
            Opening.objects.create(
                title="Opening",
                role=role,
                level=3,
                team=team,
                hiring_manager=manager,
                posted_by=manager,
                status=status,
            )
        )
    for person in [*rng.sample(people, 8), people[-1], people[-2]]:
        for opening in rng.sample(openings, 2):
            if opening.hiring_manager_id != person.pk:
                Interest.objects.get_or_create(
                    person=person, opening=opening, defaults={"note": "Me"}
                )
