"""The people directory: search, team filter, leavers, htmx results and pagination."""

import re
from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people.tests.factories import add_organisation, add_people
from people.views import COUNT_UP_TO

DIRECTORY = reverse("people:directory")
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def names(response):
    return [person.name for person in response.context["page"].object_list]


@pytest.fixture
def leaver(cast):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    return cast.dave


def test_it_lists_everyone_who_works_here(login, cast):
    response = login(cast.alice).get(DIRECTORY)
    assert response.status_code == 200
    assert names(response) == [
        "Alice Employee",
        "Bob Manager",
        "Carol Leader",
        "Dave Peer",
        "Erin HR",
        "Frank Admin",
    ]
    assert "6 people" in response.text


def test_it_shows_job_title_team_and_manager(login, cast):
    response = login(cast.dave).get(DIRECTORY)
    assert "Software engineer" in response.text
    assert f'<a href="{cast.platform.get_absolute_url()}">Platform</a>' in response.text
    assert f'<a href="{cast.bob.get_absolute_url()}">Bob Manager</a>' in response.text


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("alice", ["Alice Employee"]),
        ("MANAGER", ["Bob Manager"]),
        ("dave@example", ["Dave Peer"]),
        ("engineer", ["Alice Employee", "Bob Manager", "Carol Leader"]),
        ("nobody-like-this", []),
    ],
)
def test_it_searches_by_name_email_and_job_title(login, cast, q, found):
    response = login(cast.alice).get(DIRECTORY, {"q": q})
    assert names(response) == found


def test_it_says_when_nobody_matches(login, cast):
    response = login(cast.alice).get(DIRECTORY, {"q": "zzz"})
    assert "Nobody matches." in response.text


def test_it_filters_by_team_including_sub_teams(login, cast):
    client = login(cast.alice)
    engineering = client.get(DIRECTORY, {"team": cast.engineering.pk})
    assert names(engineering) == ["Alice Employee", "Bob Manager", "Carol Leader"]
    platform = client.get(DIRECTORY, {"team": cast.platform.pk})
    assert names(platform) == ["Alice Employee", "Bob Manager"]


def test_it_combines_search_and_team(login, cast):
    response = login(cast.alice).get(DIRECTORY, {"q": "manager", "team": cast.sales.pk})
    assert names(response) == []


def test_it_hides_people_who_have_left(login, cast, leaver):
    response = login(cast.alice).get(DIRECTORY)
    assert "Dave Peer" not in names(response)


def test_it_lists_people_who_leave_in_the_future(login, cast):
    cast.dave.leave_date = timezone.localdate() + timedelta(days=7)
    cast.dave.save()
    assert "Dave Peer" in names(login(cast.alice).get(DIRECTORY))


def test_it_ignores_include_left_for_people_outside_hr(login, cast, leaver):
    for person in (cast.alice, cast.bob, cast.carol, cast.frank):
        response = login(person).get(DIRECTORY, {"include_left": "on"})
        assert "Dave Peer" not in names(response)
        assert "Include people who have left" not in response.text


def test_it_lets_hr_include_people_who_have_left(login, cast, leaver):
    client = login(cast.erin)
    assert "Dave Peer" not in names(client.get(DIRECTORY))
    response = client.get(DIRECTORY, {"include_left": "on"})
    assert "Dave Peer" in names(response)
    assert '<span class="badge">left</span>' in response.text


def test_it_lets_scoped_hr_include_only_leavers_in_scope(login, cast, leaver):
    from access.models import HRRole

    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    cast.alice.leave_date = cast.dave.leave_date
    cast.alice.save()
    response = login(cast.erin).get(DIRECTORY, {"include_left": "on"})
    assert "Alice Employee" in names(response)
    assert "Dave Peer" not in names(response)


def test_it_shows_the_hr_actions_to_hr_only(login, cast):
    assert "Add a person" in login(cast.erin).get(DIRECTORY).text
    for person in (cast.alice, cast.bob, cast.carol, cast.dave, cast.frank):
        assert "Add a person" not in login(person).get(DIRECTORY).text


def test_it_returns_only_the_results_to_htmx(login, cast):
    response = login(cast.alice).get(DIRECTORY, {"q": "alice"}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text
    assert 'role="search"' not in response.text
    assert "Alice Employee" in response.text
    assert "Dave Peer" not in response.text


def test_it_returns_the_whole_page_to_htmx_aiming_elsewhere(login, cast):
    headers = {"HX-Request": "true", "HX-Target": "main"}
    response = login(cast.alice).get(DIRECTORY, headers=headers)
    assert "<html" in response.text


def next_link(response):
    """The "Next" link's query string, as a dict."""
    found = re.search(r'rel="next" href="\?([^"]*)"', response.text)
    return dict(parse_qsl(found.group(1).replace("&amp;", "&"))) if found else None


def previous_link(response):
    found = re.search(r'rel="prev" href="\?([^"]*)"', response.text)
    return dict(parse_qsl(found.group(1).replace("&amp;", "&"))) if found else None


def test_it_pages_the_results(login, cast):
    add_people(60, team=cast.sales, prefix="zed")  # "Zed …" sorts after the cast
    client = login(cast.alice)
    first = client.get(DIRECTORY)
    assert len(names(first)) == 50
    assert "66 people" in first.text
    assert previous_link(first) is None
    second = client.get(DIRECTORY, next_link(first))
    assert len(names(second)) == 16
    assert names(second)[-1] == "Zed 0059"
    assert next_link(second) is None
    back = client.get(DIRECTORY, previous_link(second))
    assert names(back) == names(first)


def test_it_pages_people_of_the_same_name_without_losing_any(login, cast):
    add_people(120, team=cast.sales, prefix="twin", name="Sam Same")
    client = login(cast.alice)
    seen, params = [], {"q": "sam same"}
    while params is not None:
        response = client.get(DIRECTORY, params)
        seen += [person.pk for person in response.context["page"].object_list]
        params = next_link(response)
    assert len(seen) == len(set(seen)) == 120


def test_it_keeps_the_search_when_paging(login, cast):
    add_people(60, team=cast.sales, prefix="zed")
    response = login(cast.alice).get(DIRECTORY, {"q": "zed"})
    assert next_link(response)["q"] == "zed"
    assert names(login(cast.alice).get(DIRECTORY, next_link(response)))[0] == "Zed 0050"


def test_it_counts_up_to_a_bound_and_says_so(login, cast, settings):
    add_people(COUNT_UP_TO + 1, team=cast.sales, prefix="many")
    response = login(cast.alice).get(DIRECTORY, {"q": "many"})
    assert f"More than {COUNT_UP_TO:,} people".replace(",", "") in response.text.replace(",", "")


def test_it_shows_the_first_page_for_a_boundary_it_cannot_read(login, cast):
    for bad in ("99", "not base64!", "WyJ4Il0"):  # "WyJ4Il0" is ["x"]: one value of two
        response = login(cast.alice).get(DIRECTORY, {"after": bad})
        assert response.status_code == 200
        assert len(names(response)) == 6


def test_it_sends_anonymous_people_to_sign_in(client, cast):
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["alice", "erin"])
def test_its_query_count_does_not_grow_with_the_organisation(login, cast, who):
    def count_queries(params):
        client = login(getattr(cast, who))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DIRECTORY, params).status_code == 200
        return len(queries)

    add_organisation(30, team=cast.engineering, manager=cast.carol)
    small = count_queries({}), count_queries({"include_left": "on", "q": "m"})
    add_organisation(270, team=cast.sales, manager=cast.dave, name="big")
    large = count_queries({}), count_queries({"include_left": "on", "q": "m"})
    assert small == large


def test_its_query_count_is_pinned(login, cast, django_assert_max_num_queries):
    add_organisation(300, team=cast.engineering, manager=cast.carol)
    client = login(cast.alice)
    with django_assert_max_num_queries(8):
        client.get(DIRECTORY, {"team": cast.engineering.pk})
    with django_assert_max_num_queries(6):
        client.get(DIRECTORY, {"q": "lead"}, headers=HTMX)
