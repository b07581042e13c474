"""HR anonymises one person who left, now, from the person page: a button for HR who may
manage the person, a page that says what changes and asks for their name, an audit entry.
Never a current employee."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from people.models import Person
from trust.models import AuditEntry
from trust.tests.test_erase_leavers import left

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee(cast):
    return left("Lee Leaver", days_ago=30, team=cast.platform, manager=cast.bob)


def erase_url(person):
    return reverse("trust:erase_person", args=[person.pk])


def anonymised(person):
    return Person.objects.get(pk=person.pk).anonymised_at is not None


def test_hr_sees_the_button_on_a_leavers_page(login, cast, lee):
    response = login(cast.erin).get(lee.get_absolute_url())
    assert erase_url(lee).encode() in response.content


def test_there_is_no_button_for_someone_who_works_here(login, cast):
    soon = cast.alice
    soon.leave_date = timezone.localdate() + timedelta(days=10)
    soon.save(update_fields=["leave_date"])
    response = login(cast.erin).get(soon.get_absolute_url())
    assert b"Anonymise now" not in response.content


def test_there_is_no_button_for_hr_who_may_not_manage_people(login, cast, lee):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    response = login(cast.erin).get(lee.get_absolute_url())
    assert response.status_code == 200
    assert b"Anonymise now" not in response.content


def test_the_page_says_what_changes_and_asks_for_the_name(
    login, cast, lee, django_assert_max_num_queries
):
    client = login(cast.erin)
    # Six, and the access log's insert: HR read the profile of someone who left.
    with django_assert_max_num_queries(7):
        response = client.get(erase_url(lee))
    assert response.status_code == 200
    assert b"What changes" in response.content and b"What stays" in response.content
    assert b"Type their name to confirm" in response.content


def test_a_wrong_name_changes_nothing(login, cast, lee):
    response = login(cast.erin).post(erase_url(lee), {"confirmation": "Lee"})
    assert response.status_code == 400  # as every form of Cadence refuses what it cannot take
    assert response.context["form"].errors["confirmation"]
    assert not anonymised(lee)
    assert not AuditEntry.objects.exists()


def test_hr_anonymises_them_with_their_name_typed(login, cast, lee):
    client = login(cast.erin)
    response = client.post(erase_url(lee), {"confirmation": "  lee   LEAVER "})
    assert response.status_code == 302
    assert response["Location"] == lee.get_absolute_url()
    assert anonymised(lee)
    entry = AuditEntry.objects.get(action="person.erased")
    assert (entry.actor_id, entry.subject_id) == (cast.erin.pk, lee.pk)
    page = client.get(lee.get_absolute_url())
    assert page.status_code == 200
    assert b"A former employee" in page.content and b"Anonymised on" in page.content
    assert b"Lee Leaver" not in page.content and b"Anonymise now" not in page.content
    assert client.get(erase_url(lee)).status_code == 403  # nothing left to do


def test_a_legal_hold_stops_it(login, cast, lee):
    Person.objects.filter(pk=lee.pk).update(legal_hold=True, legal_hold_reason="Case 7")
    client = login(cast.erin)
    page = client.get(erase_url(lee))
    assert page.status_code == 200
    assert b"is on legal hold" in page.content and b'name="confirmation"' not in page.content
    response = client.post(erase_url(lee), {"confirmation": "Lee Leaver"})
    assert response.status_code == 400
    assert "Lee Leaver is on legal hold: lift the hold first." in (
        response.context["form"].non_field_errors()
    )
    assert not anonymised(lee)


def test_never_someone_who_works_here(login, cast):
    client = login(cast.erin)
    assert client.get(erase_url(cast.alice)).status_code == 403
    assert client.post(erase_url(cast.alice), {"confirmation": "Alice Employee"}).status_code == 403
    assert not anonymised(cast.alice)


@pytest.mark.parametrize(
    "who, status",
    [("alice", 404), ("bob", 404), ("carol", 404), ("dave", 404), ("frank", 404), ("erin", 302)],
)
def test_who_may_anonymise(login, cast, lee, who, status):
    response = login(getattr(cast, who)).post(erase_url(lee), {"confirmation": "Lee Leaver"})
    assert response.status_code == status
    assert anonymised(lee) == (who == "erin")


def test_hr_of_another_part_of_the_organisation_may_not(login, cast, lee):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    response = login(cast.erin).post(erase_url(lee), {"confirmation": "Lee Leaver"})
    assert response.status_code == 404
    assert not anonymised(lee)


def test_hr_who_may_not_manage_people_may_not(login, cast, lee):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    response = login(cast.erin).post(erase_url(lee), {"confirmation": "Lee Leaver"})
    assert response.status_code == 403
    assert not anonymised(lee)
