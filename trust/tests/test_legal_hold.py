"""A legal hold: HR who may manage a person places and lifts it on the person's edit page, with
a reason each time (kept in the audit log); while it is on, the person is not anonymised."""

import pytest
from django.urls import reverse

from access.models import HRRole
from trust import erasure
from trust.models import AuditEntry
from trust.tests.test_erase_leavers import left

pytestmark = pytest.mark.django_db


def hold_url(person):
    return reverse("trust:legal_hold", args=[person.pk])


def place(reason="Case 2024-17, employment tribunal"):
    return {"hold-hold": "1", "hold-reason": reason}


def lift(reason="The case is closed"):
    return {"hold-hold": "0", "hold-reason": reason}


def test_the_edit_page_has_the_card(login, cast, django_assert_max_num_queries):
    client = login(cast.erin)
    with django_assert_max_num_queries(7):  # 6, and the access log (HR reads the details)
        response = client.get(reverse("people:person_edit", args=[cast.alice.pk]))
    assert response.status_code == 200
    assert b"Place a legal hold" in response.content
    assert hold_url(cast.alice).encode() in response.content


def test_hr_places_a_hold_with_a_reason(login, cast):
    response = login(cast.erin).post(hold_url(cast.alice), place())
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_edit", args=[cast.alice.pk])
    cast.alice.refresh_from_db()
    assert cast.alice.legal_hold
    assert cast.alice.legal_hold_reason == "Case 2024-17, employment tribunal"
    assert cast.alice.legal_hold_since is not None
    entry = AuditEntry.objects.get(action="person.legal_hold_placed")
    assert (entry.actor_id, entry.subject_id) == (cast.erin.pk, cast.alice.pk)
    assert entry.changes == {
        "legal_hold": [False, True],
        "reason": "Case 2024-17, employment tribunal",
    }
    page = login(cast.erin).get(reverse("people:person_edit", args=[cast.alice.pk]))
    assert b"Lift the hold" in page.content
    assert b"employment tribunal" in page.content


def test_hr_lifts_it_with_a_reason(login, cast):
    client = login(cast.erin)
    client.post(hold_url(cast.alice), place())
    response = client.post(hold_url(cast.alice), lift())
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert not cast.alice.legal_hold
    assert (cast.alice.legal_hold_reason, cast.alice.legal_hold_since) == ("", None)
    entry = AuditEntry.objects.get(action="person.legal_hold_lifted")
    assert entry.changes == {"legal_hold": [True, False], "reason": "The case is closed"}


def test_a_hold_needs_a_reason(login, cast):
    response = login(cast.erin).post(hold_url(cast.alice), place(reason="  "))
    assert response.status_code == 400  # the form again, as every form of Cadence refuses
    assert response.context["form"].errors["reason"]
    cast.alice.refresh_from_db()
    assert not cast.alice.legal_hold
    assert not AuditEntry.objects.exists()


def test_a_form_sent_twice_does_not_undo_itself(login, cast):
    client = login(cast.erin)
    client.post(hold_url(cast.alice), place())
    response = client.post(hold_url(cast.alice), place("Again"))
    assert response.status_code == 400
    assert "The hold is on already." in response.context["form"].non_field_errors()
    cast.alice.refresh_from_db()
    assert cast.alice.legal_hold_reason == "Case 2024-17, employment tribunal"


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "frank"])
def test_only_hr_who_may_manage_people_may(login, cast, who):
    response = login(getattr(cast, who)).post(hold_url(cast.alice), place())
    assert response.status_code == 403
    cast.alice.refresh_from_db()
    assert not cast.alice.legal_hold


def test_hr_who_may_not_manage_people_may_not(login, cast):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    assert login(cast.erin).post(hold_url(cast.alice), place()).status_code == 403


def test_hr_of_another_part_of_the_organisation_may_not(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    assert login(cast.erin).post(hold_url(cast.alice), place()).status_code == 403


def test_a_hold_stops_erasure_and_lifting_it_lets_it_happen(login, cast):
    leaver = left("Lee", days_ago=1000, team=cast.platform)
    client = login(cast.erin)
    client.post(hold_url(leaver), place())
    assert list(erasure.due()) == []
    with pytest.raises(erasure.NotErasable):
        erasure.erase(leaver)
    client.post(hold_url(leaver), lift())
    assert list(erasure.due()) == [leaver]
    assert erasure.erase(leaver).done
