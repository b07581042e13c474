"""`people.rules.invitable` is `can_invite` in SQL: for every viewer, the people it lists are
exactly those `can_invite` allows, among people of every kind (in and out of an HR scope, who
left, who may not sign in, anonymised)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access.models import HRRole
from access.viewer import Viewer
from conftest import make_person
from people.models import Person
from people.rules import can_invite, can_invite_people, invitable


@pytest.fixture
def everyone(cast):
    HRRole.objects.create(person=cast.dave, scope=cast.sales, can_manage_people=True)
    HRRole.objects.create(person=cast.carol, scope=cast.engineering, can_manage_people=False)
    yesterday = timezone.localdate() - timedelta(days=1)
    make_person("sam@example.com", "Sam Sales", team=cast.sales)
    make_person("lea@example.com", "Lea Left", team=cast.sales, leave_date=yesterday)
    make_person("ina@example.com", "Ina Inactive", team=cast.sales, is_active=False)
    ana = make_person("ana@example.com", "Ana Anonymised", leave_date=yesterday)
    Person.objects.filter(pk=ana.pk).update(anonymised_at=timezone.now())
    make_person("tom@example.com", "Tom Later", team=cast.platform, leave_date=timezone.localdate())
    return list(Person.objects.select_related("team"))


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "erin", "frank"])
def test_invitable_agrees_with_can_invite(cast, everyone, who):
    viewer = Viewer.of(Person.objects.get(pk=getattr(cast, who).pk))
    listed = set(invitable(viewer).values_list("pk", flat=True))
    allowed = {person.pk for person in everyone if can_invite(viewer, person)}
    assert listed == allowed
    assert bool(allowed) == can_invite_people(viewer)


def test_nobody_signed_out_invites(cast, everyone):
    viewer = Viewer(person=None)
    assert not invitable(viewer).exists()
    assert not can_invite_people(viewer)
