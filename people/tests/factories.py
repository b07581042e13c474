"""Many people at once, for pagination and query-count tests (bulk, without hashing)."""

from people.models import Person, Team


def add_people(count, *, manager=None, team=None, prefix="person", name=None, **fields):
    """`count` people reporting to `manager` in `team`, with their chains filled in (and all
    called `name`, if given)."""
    chain = manager.subtree_prefix if manager is not None else "/"
    people = [
        Person(
            email=f"{prefix}{i:04}@example.com",
            name=name or f"{prefix.title()} {i:04}",
            job_title="Engineer",
            password="!",  # unusable: nobody signs in as them
            manager=manager,
            chain=chain,
            team=team,
            **fields,
        )
        for i in range(count)
    ]
    return Person.objects.bulk_create(people)


def add_organisation(size, *, team=None, manager=None, name="org"):
    """A tree of `size` people: managers with ten reports each, in three sub-teams of `team`."""
    teams = [team or Team.objects.create(name=name.title())]
    for i in range(3):
        teams.append(Team.objects.create(name=f"{name.title()} unit {i}", parent=teams[0]))
    managers = add_people(size // 10, manager=manager, team=teams[0], prefix=f"{name}-lead")
    rest = size - len(managers)
    for i, boss in enumerate(managers):
        share = rest // len(managers) + (1 if i < rest % len(managers) else 0)
        add_people(share, manager=boss, team=teams[1 + i % 3], prefix=f"{name}-m{i:03}-")
    return teams
