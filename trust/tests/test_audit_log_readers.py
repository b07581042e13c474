"""Who reads the whole audit log, by name ("who can see" an entry about me): organisation-wide
HR and the administrators who can sign in today; not an account that is switched off, nor
someone who has left, who open nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access import rules
from access.models import HRRole
from conftest import make_person
from trust import audit
from trust.rules import audit_log_readers

pytestmark = pytest.mark.django_db


def names(people):
    return [person.name for person in people]


def test_organisation_wide_hr_and_the_administrators_read_it(cast):
    assert names(audit_log_readers()) == ["Erin HR", "Frank Admin"]


def test_a_switched_off_account_is_not_a_reader(cast):
    off_hr = make_person("olga@example.com", "Olga Off", is_active=False)
    HRRole.objects.create(person=off_hr)
    make_person("oscar@example.com", "Oscar Off", is_staff=True, is_active=False)
    assert names(audit_log_readers()) == ["Erin HR", "Frank Admin"]
    entry = audit.record("person.changed", actor=cast.erin, subject=cast.alice)
    words = rules.who_can(entry)
    assert "Erin HR" in words and "Olga Off" not in words and "Oscar Off" not in words


def test_someone_who_left_is_not_a_reader(cast):
    gone = make_person(
        "gert@example.com", "Gert Gone", leave_date=timezone.localdate() - timedelta(days=1)
    )
    HRRole.objects.create(person=gone)
    assert names(audit_log_readers()) == ["Erin HR", "Frank Admin"]


def test_the_names_agree_with_who_the_rule_lists(cast):
    make_person("oscar@example.com", "Oscar Off", is_staff=True, is_active=False)
    HRRole.objects.create(person=make_person("olga@example.com", "Olga Off", is_active=False))
    entry = audit.record("person.changed", actor=cast.erin, subject=cast.alice)
    groups = rules.who(entry)
    listed = {person.pk for group in groups for person in group.people} - {cast.alice.pk}
    assert listed == {person.pk for person in audit_log_readers()}
