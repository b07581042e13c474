"""HR's roles, as "who can see this" reads them (`access.who._hr_roles`), come from SQL compiled
once a day and run again: always what the queryset reads now (a role granted, a person who
left), and the next day's SQL names the next day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access import who
from access.models import HRRole
from people.models import current_q


def read_now() -> list[tuple]:
    roles = HRRole.objects.select_related("person", "scope")
    roles = roles.filter(current_q("person__"), person__is_active=True)
    return [as_seen(role) for role in roles]


def as_seen(role) -> tuple:
    scope = role.scope
    return (
        role.pk,
        role.person.name,
        role.person.email,
        role.can_manage_people,
        scope and scope.path,
    )


@pytest.mark.django_db
def test_hr_roles_are_what_the_queryset_reads_each_time(cast):
    assert [as_seen(role) for role in who._hr_roles()] == read_now() != []
    HRRole.objects.create(person=cast.dave, scope=cast.sales)
    assert cast.dave.pk in {role.person_id for role in who._hr_roles()}
    assert [as_seen(role) for role in who._hr_roles()] == read_now()
    cast.erin.leave_date = timezone.localdate() - timedelta(days=1)
    cast.erin.save()
    assert cast.erin.pk not in {role.person_id for role in who._hr_roles()}


@pytest.mark.django_db
def test_the_next_day_reads_with_the_next_days_date(cast, monkeypatch):
    today = timezone.localdate()
    cast.erin.leave_date = today
    cast.erin.save()
    assert cast.erin.pk in {role.person_id for role in who._hr_roles()}  # their last day
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=1))
    assert cast.erin.pk not in {role.person_id for role in who._hr_roles()}
