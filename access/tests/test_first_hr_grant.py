"""The first run's one exception to the grant rules (`grants.grant_first_hr`): the
administrator of a fresh installation gives organisation-wide HR to someone else while nobody
has it and the organisation is not set up; announced and recorded like every grant."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access import grants
from access.models import HRRole
from conftest import make_person
from organisation import current
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_person("ada@example.com", "Ada Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def hilde():
    return make_person("hilde@example.com", "Hilde HR")


def test_the_administrator_names_the_first_hr(admin, hilde):
    role = grants.grant_first_hr(hilde, by=admin)
    assert (role.person, role.scope, role.can_manage_people) == (hilde, None, True)
    entry = AuditEntry.objects.get(action="hr_role.granted")
    assert (entry.actor_id, entry.subject_id) == (admin.pk, hilde.pk)
    assert [message.to for message in mail.outbox] == [["hilde@example.com"]]


def test_never_to_themselves(admin):
    with pytest.raises(ValidationError) as refused:
        grants.grant_first_hr(admin, by=admin)
    assert refused.value.code == "own_role"
    assert not HRRole.objects.exists()


def test_only_an_administrator(hilde):
    someone = make_person("sam@example.com", "Sam")
    with pytest.raises(PermissionDenied):
        grants.grant_first_hr(hilde, by=someone)
    assert not HRRole.objects.exists()


def test_refused_once_anyone_has_organisation_wide_hr(admin, hilde):
    grants.grant_hr(make_person("olga@example.com", "Olga"))  # on the server
    with pytest.raises(ValidationError) as refused:
        grants.grant_first_hr(hilde, by=admin)
    assert refused.value.code == "hr_exists"
    assert not HRRole.objects.filter(person=hilde).exists()


def test_hr_for_one_team_does_not_count(admin, hilde):
    from people.models import Team

    grants.grant_hr(make_person("tom@example.com", "Tom"), scope=Team.objects.create(name="Ops"))
    assert grants.grant_first_hr(hilde, by=admin).scope is None


def test_refused_once_the_organisation_is_set_up(admin, hilde):
    row = current.row()
    row.set_up_at = timezone.now()
    row.save()
    with pytest.raises(ValidationError) as refused:
        grants.grant_first_hr(hilde, by=admin)
    assert refused.value.code == "set_up"
    assert not HRRole.objects.exists()


def test_never_to_someone_who_cannot_sign_in(admin, hilde):
    hilde.is_active = False
    hilde.save()
    with pytest.raises(ValidationError):
        grants.grant_first_hr(hilde, by=admin)


def test_revoking_the_last_organisation_wide_hr_does_not_reopen_the_exception(admin, hilde):
    """Otherwise an administrator could revoke HR and then give HR's read rights, through the
    web, to someone nobody else is told of."""
    olga = make_person("olga@example.com", "Olga")
    grants.grant_hr(olga)
    grants.revoke_hr(olga)
    with pytest.raises(ValidationError) as refused:
        grants.grant_first_hr(hilde, by=admin)
    assert refused.value.code == "set_up"
    assert not HRRole.objects.filter(person=hilde).exists()
