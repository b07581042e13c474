"""During a pilot, 360 reviews involving someone outside it wait for nobody and are in nobody's
list: Home's "360 reviews to answer" counts, as the reminders do, only reviews by someone
inside of someone inside; the reviews page and the API list the same; HR's cycle pages leave
out the participants outside; and opening the reviews invites nobody outside. Without a pilot,
everything is as before."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.jobs import run_jobs
from feedback import cycles
from feedback.models import CycleStatus, RaterGroup, ReviewInvitation
from feedback.tests.factories import add_participant, invite, make_cycle
from organisation.tests.factories import end_pilot, start_pilot

HOME = reverse("home")
REVIEWS = reverse("feedback:reviews")
API = "/api/v1/reviews/invitations"


@pytest.fixture
def cycle(cast):
    """Before the pilot: Bob reviews Alice and Dave (Sales); Dave and Erin (People) review
    Alice."""
    cycle = make_cycle("Spring 360", status=CycleStatus.REVIEWING)
    alice = add_participant(cycle, cast.alice)
    dave = add_participant(cycle, cast.dave)
    invite(alice, cast.bob, group=RaterGroup.MANAGER)
    invite(dave, cast.bob)
    invite(alice, cast.dave)
    invite(alice, cast.erin)
    return cycle


@pytest.fixture
def pilot(cast, cycle):
    start_pilot(cast.engineering)  # Carol, Bob and Alice; not Dave (Sales) nor Erin (People)


def owed(client):
    page = client.get(HOME)
    items = [item for item in page.context["waiting"] if item.source == "reviews_owed"]
    return [str(item.whom) for item in items]


def test_a_review_of_someone_outside_waits_for_nobody(login, cast, pilot):
    client = login(cast.bob)
    assert owed(client) == ["Alice Employee"]
    assert 'Feedback <span class="nav-count">1<' in client.get(REVIEWS).content.decode()


def test_a_review_by_someone_outside_waits_for_nobody(login, cast, pilot):
    assert owed(login(cast.erin)) == []  # HR outside still opens the modules


def test_home_the_reviews_page_the_api_and_the_reminders_agree(login, cast, pilot):
    for person in (cast.bob, cast.erin, cast.alice):
        client = login(person)
        page = client.get(REVIEWS)
        listed = [invitation.participant.person.name for invitation in page.context["to_give"]]
        api = [item["reviewing"]["name"] for item in client.get(API).json()["items"]]
        assert owed(client) == listed == api
    lines = run_jobs(timezone.now(), ["feedback-reminders"])
    assert lines == ["feedback: 0 request reminders, 1 review reminders"]  # Bob's of Alice


def test_the_reviews_page_leaves_out_a_report_outside(login, cast, pilot):
    cast.dave.manager = cast.bob
    cast.dave.save()
    closed = make_cycle("Winter 360", status=CycleStatus.CLOSED)
    add_participant(closed, cast.dave)
    add_participant(closed, cast.alice)
    client = login(cast.bob)
    page = client.get(REVIEWS)
    assert {p.person.name for p in page.context["reports"]} == {"Alice Employee"}
    assert "Dave Peer" not in page.content.decode()
    waiting = client.get(HOME).context["waiting"]
    release = [item for item in waiting if item.source == "reports_to_release"]
    assert [str(item.whom) for item in release] == ["Alice Employee"]


def test_the_cycle_pages_leave_out_the_participants_outside(login, cast, cycle, pilot):
    client = login(cast.erin)
    page = client.get(reverse("feedback:cycle", args=[cycle.pk]))
    assert [row.participant.person.name for row in page.context["rows"]] == ["Alice Employee"]
    assert page.context["invited"] == 1  # Bob's review of Alice; not Dave's, nor Erin's
    participants = client.get(reverse("feedback:cycle_participants", args=[cycle.pk]))
    assert [p.person.name for p in participants.context["page"]] == ["Alice Employee"]
    (listed,) = client.get(REVIEWS).context["cycles"]
    assert listed.participant_count == 1


def test_opening_the_reviews_invites_nobody_outside(cast, pilot):
    nominating = make_cycle(
        "Autumn 360",
        status=CycleStatus.NOMINATING,
        nominations_due=timezone.localdate() - timedelta(days=1),
    )
    alice = add_participant(nominating, cast.alice)
    add_participant(nominating, cast.dave)
    alice.nominations.create(reviewer=cast.erin, nominated_by=cast.alice)
    alice.nominations.create(reviewer=cast.carol, nominated_by=cast.alice)
    cycles.build_invitations(nominating)
    invited = ReviewInvitation.objects.filter(participant__cycle=nominating)
    assert sorted(invited.values_list("participant__person__name", "reviewer__name")) == [
        ("Alice Employee", "Alice Employee"),
        ("Alice Employee", "Bob Manager"),
        ("Alice Employee", "Carol Leader"),
    ]


def test_without_a_pilot_every_review_waits(login, cast, pilot):
    end_pilot()
    assert owed(login(cast.bob)) == ["Alice Employee", "Dave Peer"]
    assert owed(login(cast.erin)) == ["Alice Employee"]
