"""A person's page: reporting line for everyone, employment details for the few."""

import datetime as dt
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from people.models import Role
from people.tests.factories import add_people

EMPLOYMENT = "Role and employment"


def page_of(person):
    return reverse("people:person", args=[person.pk])


@pytest.fixture
def employed(cast):
    cast.alice.start_date = dt.date(2021, 3, 15)
    cast.alice.role = Role.objects.create(name="Backend developer")
    cast.alice.save()
    return cast.alice


def test_it_shows_name_job_title_team_and_email(login, cast):
    response = login(cast.dave).get(page_of(cast.alice))
    assert response.status_code == 200
    assert "<h1>Alice Employee" in response.text
    assert "Software engineer" in response.text
    assert f'<a href="{cast.platform.get_absolute_url()}">Platform</a>' in response.text
    assert "mailto:alice@example.com" in response.text


def test_it_shows_manager_and_skip_level(login, cast):
    response = login(cast.dave).get(page_of(cast.alice))
    assert response.context["manager"] == cast.bob
    assert response.context["skip_level"] == cast.carol
    assert "Skip-level" in response.text
    assert f'<a href="{page_of(cast.carol)}">Carol Leader</a>' in response.text


def test_it_says_who_is_at_the_top(login, cast):
    response = login(cast.dave).get(page_of(cast.carol))
    assert "Nobody: top of the organisation" in response.text
    assert "Skip-level" not in response.text


def test_it_shows_direct_reports(login, cast):
    response = login(cast.dave).get(page_of(cast.bob))
    assert list(response.context["reports"]) == [cast.alice]
    carol = login(cast.dave).get(page_of(cast.carol))
    assert list(carol.context["reports"]) == [cast.bob]


def test_it_hides_reports_who_have_left_from_people_outside_hr(login, cast):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    assert list(login(cast.carol).get(page_of(cast.bob)).context["reports"]) == []
    hr = login(cast.erin).get(page_of(cast.bob))
    assert list(hr.context["reports"]) == [cast.alice]
    assert '<span class="badge">left</span>' in hr.text


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "erin"])
def test_it_shows_employment_details_to_self_chain_and_hr(login, cast, employed, who):
    response = login(getattr(cast, who)).get(page_of(cast.alice))
    assert response.context["show_employment"] is True
    assert EMPLOYMENT in response.text
    assert "Backend developer" in response.text
    assert "<dt>Level</dt><dd>2</dd>" in response.text
    assert "15 Mar 2021" in response.text


@pytest.mark.parametrize("who", ["dave", "frank"])
def test_it_hides_employment_details_from_others(login, cast, employed, who):
    response = login(getattr(cast, who)).get(page_of(cast.alice))
    assert response.status_code == 200
    assert response.context["show_employment"] is False
    assert EMPLOYMENT not in response.text
    assert "Backend developer" not in response.text
    assert "15 Mar 2021" not in response.text


def test_it_hides_the_details_of_a_manager_from_their_reports(login, cast):
    response = login(cast.alice).get(page_of(cast.bob))
    assert EMPLOYMENT not in response.text


def test_it_hides_employment_details_from_hr_outside_its_scope(login, cast, employed):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    assert EMPLOYMENT not in login(cast.erin).get(page_of(cast.alice)).text
    assert EMPLOYMENT in login(cast.erin).get(page_of(cast.dave)).text


def test_it_tells_who_can_see_the_details_by_name_and_role(login, cast, employed):
    response = login(cast.alice).get(page_of(cast.alice))
    lines = {line.label: [p.name for p in line.people] for line in response.context["who"].lines}
    assert lines == {
        "you": ["Alice Employee"],
        "your management chain": ["Bob Manager", "Carol Leader"],
        "HR for the whole organisation": ["Erin HR"],
    }
    assert "Who can see this" in response.text
    page = login(cast.bob).get(page_of(cast.alice)).text
    assert "<strong>Alice Employee’s management chain</strong>: 2 people" in page
    assert "Bob Manager (you)" in page


def test_it_shows_the_leave_date_to_those_who_see_employment(login, cast):
    cast.alice.leave_date = timezone.localdate() + timedelta(days=10)
    cast.alice.save()
    assert "<dt>Last working day</dt>" in login(cast.bob).get(page_of(cast.alice)).text
    assert "<dt>Last working day</dt>" not in login(cast.dave).get(page_of(cast.alice)).text


def test_a_leaver_is_not_found_outside_hr(login, cast):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    for person in (cast.alice, cast.carol, cast.frank):
        assert login(person).get(page_of(cast.dave)).status_code == 404


def test_a_leaver_is_not_found_by_their_former_manager(login, cast):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    assert login(cast.bob).get(page_of(cast.alice)).status_code == 404


def test_hr_sees_a_leaver(login, cast):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    response = login(cast.erin).get(page_of(cast.dave))
    assert response.status_code == 200
    assert '<span class="badge">left</span>' in response.text
    assert EMPLOYMENT in response.text


def test_scoped_hr_does_not_see_a_leaver_outside_its_scope(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    assert login(cast.erin).get(page_of(cast.dave)).status_code == 404


def test_an_unknown_person_is_not_found(login, cast):
    assert login(cast.alice).get(reverse("people:person", args=[999_999])).status_code == 404


def test_it_shows_the_edit_actions_to_hr_only(login, cast):
    edit = reverse("people:person_edit", args=[cast.alice.pk])
    assert edit in login(cast.erin).get(page_of(cast.alice)).text
    for person in (cast.alice, cast.bob, cast.carol, cast.dave, cast.frank):
        assert edit not in login(person).get(page_of(cast.alice)).text


def test_it_sends_anonymous_people_to_sign_in(client, cast):
    response = client.get(page_of(cast.alice))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["dave", "carol", "erin"])
def test_its_query_count_does_not_grow_with_the_reports(login, cast, who):
    def count_queries():
        client = login(getattr(cast, who))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_of(cast.bob)).status_code == 200
        return len(queries)

    add_people(3, manager=cast.bob, team=cast.platform, prefix="few")
    few = count_queries()
    add_people(9, manager=cast.bob, team=cast.sales, prefix="more")
    assert count_queries() == few


def test_its_query_count_is_pinned(login, cast, django_assert_max_num_queries):
    add_people(12, manager=cast.bob, team=cast.platform)
    client = login(cast.carol)
    # 11: with the navigation's counts (one query) and who can see the employment details (two);
    # one more writes the access log (Carol reads Bob's employment details).
    with django_assert_max_num_queries(12):
        client.get(page_of(cast.bob))
