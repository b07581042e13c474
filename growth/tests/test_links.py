"""Reaching a person's assessments from elsewhere (`{% person_assessments %}`): from My team
and from a person's page, a manager opens their report's open assessment or starts one; a
person reaches their own from their page; HR in scope sees the open one; nobody else sees a
link. The lists cost no query more whatever the team's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growth import services
from growth.tests.helpers import as_
from organisation import current
from people.tests.factories import add_people
from trust.models import AccessLogEntry

MY_TEAM = reverse("my_team")
START = reverse("growth:assessment_start")


def person_page(person):
    return reverse("people:person", args=[person.pk])


def assessment_page(assessment):
    return reverse("growth:assessment", args=[assessment.pk])


def start_form(person):
    return f'<input type="hidden" name="person" value="{person.pk}">'


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_my_team_offers_to_start_one_and_then_links_to_it(login, cast, framework):
    client = login(cast.bob)
    html = page(client, MY_TEAM)
    assert f'action="{START}"' in html and start_form(cast.alice) in html
    response = client.post(START, {"person": cast.alice.pk})  # the button, as it posts
    assessment = cast.alice.assessments.get()
    assert response["Location"] == assessment_page(assessment)
    html = page(client, MY_TEAM)
    assert start_form(cast.alice) not in html
    assert f'href="{assessment_page(assessment)}"' in html
    assert client.get(assessment_page(assessment)).status_code == 200


def test_without_a_framework_there_is_nothing_to_start(login, cast, framework):
    framework.delete()
    client = login(cast.bob)
    assert start_form(cast.alice) not in page(client, MY_TEAM)
    assert start_form(cast.alice) not in page(client, person_page(cast.alice))


def test_with_growth_off_no_page_links_to_it(login, cast, framework, client):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    row = current.row()
    row.modules_off = ["growth"]
    row.save()
    for who, url in [("bob", MY_TEAM), ("bob", person_page(cast.alice))]:
        html = page(login(getattr(cast, who)), url)
        assert assessment_page(assessment) not in html and start_form(cast.alice) not in html
        client.logout()
    assert reverse("growth:index") not in page(login(cast.alice), person_page(cast.alice))


@pytest.mark.parametrize(
    ("who", "sees_link", "sees_start"),
    [
        ("bob", True, True),  # her manager
        ("erin", True, False),  # HR in scope: the open one, as HR sees it
        ("carol", False, False),  # above her manager
        ("dave", False, False),
        ("frank", False, False),
    ],
)
def test_a_persons_page_links_to_their_assessment_as_the_rules_say(
    login, cast, framework, client, who, sees_link, sees_start
):
    viewer = getattr(cast, who)
    assert (start_form(cast.alice) in page(login(viewer), person_page(cast.alice))) == sees_start
    client.logout()
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    html = page(login(viewer), person_page(cast.alice))
    assert (f'href="{assessment_page(assessment)}"' in html) == sees_link
    assert start_form(cast.alice) not in html
    if sees_link:
        assert login(viewer).get(assessment_page(assessment)).status_code == 200


def test_a_person_reaches_their_own_from_their_page(login, cast, framework):
    client = login(cast.alice)
    html = page(client, person_page(cast.alice))
    assert f'href="{reverse("growth:index")}#assessments-h"' in html  # where she starts one
    assert start_form(cast.alice) not in html
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    html = page(client, person_page(cast.alice))
    assert f'href="{assessment_page(assessment)}"' in html
    assert "My open assessment" in html


def test_showing_the_open_one_is_in_the_persons_access_log(login, cast, framework):
    services.start_assessment(as_(cast.alice), cast.alice.pk)
    page(login(cast.bob), MY_TEAM)
    assert AccessLogEntry.objects.filter(
        viewer=cast.bob, subject=cast.alice, kind="growth.assessments"
    ).exists()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_team_costs_no_query_more_with_every_report_assessed(
    login, cast, framework, django_assert_max_num_queries
):
    services.start_assessment(as_(cast.alice), cast.alice.pk)
    client = login(cast.bob)
    client.get(MY_TEAM)  # what a process keeps (the rhythm rules) read once, as in a worker
    few = queries_of(client, MY_TEAM)
    for person in add_people(10, manager=cast.bob, team=cast.platform, prefix="more"):
        services.start_assessment(as_(person), person.pk)
    assert queries_of(client, MY_TEAM) == few
    with django_assert_max_num_queries(13):  # My team's own pin (conversations' tests)
        client.get(MY_TEAM)


@pytest.mark.parametrize("who", ["alice", "bob", "erin"])
def test_a_persons_page_costs_one_query_more_for_whoever_sees_the_link(
    login, cast, framework, django_assert_max_num_queries, who
):
    services.start_assessment(as_(cast.alice), cast.alice.pk)
    client = login(getattr(cast, who))
    with django_assert_max_num_queries(12):  # the person page's own pin (people's tests)
        client.get(person_page(cast.alice))


def test_outside_the_pilot_scope_no_page_links_to_it(login, cast, framework, client):
    from organisation.tests.factories import start_pilot

    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    start_pilot(cast.sales)  # Alice's team is outside
    for who in ("alice", "bob", "erin"):
        html = page(login(getattr(cast, who)), person_page(cast.alice))
        assert assessment_page(assessment) not in html
        assert reverse("growth:index") not in html.split("<main")[-1]
        client.logout()
