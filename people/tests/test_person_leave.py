"""HR marks someone as left: a leave date, a warning about their reports, and its effects."""

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole

NOT_HR = ["alice", "bob", "carol", "dave", "frank"]


def leave_url(person):
    return reverse("people:person_leave", args=[person.pk])


def test_hr_sees_the_form_with_today(login, cast):
    response = login(cast.erin).get(leave_url(cast.alice))
    assert response.status_code == 200
    assert "Mark Alice Employee as left" in response.text
    assert f'value="{timezone.localdate().isoformat()}"' in response.text


def test_hr_marks_someone_as_left(login, cast):
    response = login(cast.erin).post(leave_url(cast.alice), {"leave_date": "2030-06-30"})
    assert response.status_code == 302
    assert response.url == cast.alice.get_absolute_url()
    cast.alice.refresh_from_db()
    assert cast.alice.leave_date == dt.date(2030, 6, 30)


def test_it_confirms_the_leave_date(login, cast):
    response = login(cast.erin).post(
        leave_url(cast.alice), {"leave_date": "2030-06-30"}, follow=True
    )
    assert "Alice Employee is marked as leaving on" in response.text
    assert "still report to" not in response.text


def test_it_keeps_everything_else(login, cast):
    login(cast.erin).post(leave_url(cast.bob), {"leave_date": "2030-06-30"})
    cast.bob.refresh_from_db()
    cast.alice.refresh_from_db()
    assert cast.bob.manager == cast.carol
    assert cast.bob.check_password(cast.password)
    assert cast.alice.manager == cast.bob


def test_it_warns_when_people_still_report_to_the_leaver(login, cast):
    response = login(cast.erin).post(leave_url(cast.bob), {"leave_date": "2030-06-30"}, follow=True)
    assert "1 person still reports to Bob Manager: give them a new manager." in response.text


def test_it_counts_the_reports_who_remain(login, cast):
    cast.alice.manager = cast.carol
    cast.alice.save()
    response = login(cast.erin).post(
        leave_url(cast.carol), {"leave_date": "2030-06-30"}, follow=True
    )
    assert "2 people still report to Carol Leader: give them a new manager." in response.text


def test_it_does_not_count_reports_who_left_already(login, cast):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    response = login(cast.erin).post(leave_url(cast.bob), {"leave_date": "2030-06-30"}, follow=True)
    assert "still report to" not in response.text


def test_it_refuses_a_leave_date_before_the_start_date(login, cast):
    cast.alice.start_date = dt.date(2024, 5, 1)
    cast.alice.save()
    response = login(cast.erin).post(leave_url(cast.alice), {"leave_date": "2024-04-30"})
    assert response.status_code == 400
    assert "The leave date is before the start date." in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.leave_date is None


def test_it_accepts_a_leave_date_on_the_start_date(login, cast):
    cast.alice.start_date = dt.date(2024, 5, 1)
    cast.alice.save()
    login(cast.erin).post(leave_url(cast.alice), {"leave_date": "2024-05-01"})
    cast.alice.refresh_from_db()
    assert cast.alice.leave_date == dt.date(2024, 5, 1)


def test_it_needs_a_date(login, cast):
    response = login(cast.erin).post(leave_url(cast.alice), {"leave_date": "soon"})
    assert "Enter a valid date." in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.leave_date is None


def test_a_leaver_drops_out_of_the_directory_and_cannot_sign_in(client, login, cast):
    yesterday = timezone.localdate() - timedelta(days=1)
    login(cast.erin).post(leave_url(cast.dave), {"leave_date": yesterday.isoformat()})
    names = [p.name for p in login(cast.alice).get("/people/").context["page"].object_list]
    assert "Dave Peer" not in names
    client.logout()
    client.post(reverse("accounts:login"), {"username": cast.dave.email, "password": cast.password})
    assert "_auth_user_id" not in client.session


def test_someone_is_still_here_on_their_last_working_day(client, login, cast):
    today = timezone.localdate()
    login(cast.erin).post(leave_url(cast.dave), {"leave_date": today.isoformat()})
    names = [p.name for p in login(cast.alice).get("/people/").context["page"].object_list]
    assert "Dave Peer" in names


@pytest.mark.parametrize("who", NOT_HR)
def test_marking_as_left_is_forbidden_outside_hr(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(leave_url(cast.alice)).status_code == 403
    assert client.post(leave_url(cast.alice), {"leave_date": "2030-01-01"}).status_code == 403
    cast.alice.refresh_from_db()
    assert cast.alice.leave_date is None


def test_scoped_hr_marks_leavers_in_its_scope_only(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    client = login(cast.erin)
    assert client.post(leave_url(cast.dave), {"leave_date": "2030-01-01"}).status_code == 403
    assert client.post(leave_url(cast.alice), {"leave_date": "2030-01-01"}).status_code == 302


def test_marking_an_unknown_person_is_not_found(login, cast):
    assert login(cast.erin).get(reverse("people:person_leave", args=[999_999])).status_code == 404
