"""Which side of an assessment the viewer is on is one rule (`growth.rules.side_of`,
`on_a_side`), asked by Growth's page, the assessment page, the services and the API alike:
the subject's own side, their current manager's, or none (HR in scope, the chain above, a
former manager)."""

import pytest
from django.urls import reverse

from access.rules import visible
from growth import services
from growth.models import Assessment, Side
from growth.rules import on_a_side, side_of
from growth.tests.helpers import as_, competency, rated

LIST = "/api/v1/growth/assessments"


@pytest.fixture
def assessments(cast, framework):
    """Alice's closed one and her open one, Bob's own (Carol is his manager), Dave's own."""
    closed = rated(cast, mine=3, theirs=2)
    services.close(as_(cast.alice), closed)
    return {
        "closed": closed.pk,
        "alice": services.start_assessment(as_(cast.bob), cast.alice.pk).pk,
        "bob": services.start_assessment(as_(cast.bob), cast.bob.pk).pk,
        "dave": services.start_assessment(as_(cast.dave), cast.dave.pk).pk,
    }


def api_ids(login, person):
    return {item["id"] for item in login(person).get(LIST).json()["items"]}


def ruled(person, side=None):
    viewer = as_(person)
    return set(on_a_side(viewer, visible(viewer, Assessment), side).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", {"closed", "alice"}),
        ("bob", {"closed", "alice", "bob"}),  # his own, and his report's
        ("carol", {"bob"}),  # her report Bob's; never Alice's, below him
        ("dave", {"dave"}),
        ("erin", set()),  # HR sees them all, from neither side
        ("frank", set()),
    ],
)
def test_the_api_lists_the_assessments_the_rule_puts_the_caller_on_a_side_of(
    login, cast, assessments, who, expected
):
    person = getattr(cast, who)
    assert api_ids(login, person) == ruled(person) == {assessments[key] for key in expected}


def test_growth_page_lists_mine_and_my_teams_open_ones_by_the_same_rule(
    login, cast, assessments, client
):
    response = login(cast.bob).get(reverse("growth:index"))
    assert {a.pk for a in response.context["assessments"]} == ruled(cast.bob, Side.SELF)
    assert {a.pk for a in response.context["assessments"]} == {assessments["bob"]}
    team = {a.pk for a in response.context["team"]}
    assert team == ruled(cast.bob, Side.MANAGER) - {assessments["closed"]}
    assert team == {assessments["alice"]}


def test_a_new_manager_is_on_the_managers_side_and_the_former_one_on_none(
    login, cast, assessments, client
):
    alice = Assessment.objects.select_related("subject").get(pk=assessments["alice"])
    cast.alice.manager = cast.carol
    cast.alice.save()
    alice.subject.refresh_from_db()
    assert side_of(as_(cast.alice), alice) == Side.SELF
    assert side_of(as_(cast.carol), alice) == Side.MANAGER
    assert side_of(as_(cast.bob), alice) is None
    assert side_of(as_(cast.erin), alice) is None
    assert assessments["alice"] in api_ids(login, cast.carol)
    client.logout()
    assert assessments["alice"] not in api_ids(login, cast.bob)
    client.logout()
    page = reverse("growth:assessment", args=[alice.pk])
    assert login(cast.carol).get(page).context["page"].my_side == Side.MANAGER
    client.logout()
    assert login(cast.erin).get(page).context["page"].my_side is None
    client.logout()
    assert login(cast.bob).get(page).status_code == 404


@pytest.mark.parametrize(
    ("who", "status", "side"),
    [
        ("alice", 200, Side.SELF),
        ("carol", 200, Side.MANAGER),
        ("bob", 404, None),
        ("erin", 403, None),
    ],
)
def test_the_side_a_rating_is_written_on_is_the_rules(login, cast, assessments, who, status, side):
    """Through the API, as each: the subject writes her own side, the new manager his; the
    former manager may no longer know of it; HR sees it but is on no side."""
    cast.alice.manager = cast.carol
    cast.alice.save()
    alice = Assessment.objects.get(pk=assessments["alice"])
    target = competency(alice, "communication").pk
    response = login(getattr(cast, who)).post(
        f"{LIST}/{alice.pk}/ratings",
        {"competency": target, "level": 2},
        content_type="application/json",
    )
    assert response.status_code == status
    written = set(alice.ratings.values_list("side", flat=True))
    assert written == ({side} if side else set())
