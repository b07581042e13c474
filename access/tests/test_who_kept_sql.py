"""The people in "who can see this" come from SQL kept per day and shape (`access.who._kept`)
and run with the ids of each request: always who the database holds now."""

import pytest

from access import who
from access.who import Group
from people.models import Person


def named(*groups: Group) -> list[int]:
    return sorted(person.pk for person in who._named_people(groups))


@pytest.mark.django_db
def test_the_same_shape_runs_with_other_ids_and_sees_changes(cast):
    first = named(Group(who.SELF, ids=(cast.alice.pk,)), Group(who.TEAM, team_id=cast.sales.pk))
    expected = {cast.alice.pk} | set(
        Person.objects.filter(team=cast.sales, is_active=True).values_list("pk", flat=True)
    )
    assert set(first) >= {cast.alice.pk} and set(first) <= expected
    assert named(Group(who.SELF, ids=(cast.bob.pk,))) == [cast.bob.pk]
    assert named(Group(who.SELF, ids=(cast.alice.pk,))) == [cast.alice.pk]  # same shape
    Person.objects.filter(pk=cast.bob.pk).update(is_active=False)
    assert named(Group(who.SELF, ids=(cast.bob.pk,))) == []
