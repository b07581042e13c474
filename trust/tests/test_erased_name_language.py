"""An erased person's name and removed texts are written in the organisation's default
language (set in the app), not the installation's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_person
from organisation import current
from people.models import Person
from trust import erasure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "name"), [("en", "A former employee"), ("nl", "Een oud-medewerker")]
)
def test_the_erased_name_is_in_the_organisations_language(language, name):
    row = current.row()
    row.language = language
    row.save()
    left = timezone.localdate() - timedelta(days=400)
    gone = make_person("gone@example.com", "Gone Person", language="en", leave_date=left)
    erasure.erase(gone)
    assert Person.objects.get(pk=gone.pk).name == name
