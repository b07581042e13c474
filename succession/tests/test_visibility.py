"""Who sees a succession plan, through the real pages: HR in scope and the leads of the
position's part see the plan; a candidate's manager and those above them see their candidacy;
never the candidate, a peer or an administrator as such; and every read by someone else lands
in the candidate's access log."""

import pytest
from django.urls import reverse

from succession.models import Readiness
from succession.tests.factories import make_position, name
from trust.models import AccessLogEntry

NOTE = "Ready to lead the platform team"


@pytest.fixture
def plan(cast):
    """Head of Platform (held by Bob) with Alice as a candidate; Head of Sales (Sales has no
    lead) with Alice too."""
    platform = make_position(cast.platform, incumbent=cast.bob)
    sales = make_position(cast.sales, title="Head of Sales")
    return {
        "platform": platform,
        "alice": name(platform, cast.alice, emergency=True),
        "sales": sales,
        "alice_in_sales": name(sales, cast.alice),
    }


@pytest.mark.parametrize("who", ["erin", "carol", "bob"])
def test_hr_and_the_leads_of_the_part_see_the_plan(client, login, cast, plan, who):
    login(getattr(cast, who))
    page = client.get(reverse("succession:position", args=[plan["platform"].pk]))
    assert page.status_code == 200
    assert "Alice Employee" in page.content.decode() and NOTE in page.content.decode()


@pytest.mark.parametrize("who", ["alice", "dave", "frank"])
def test_the_candidate_a_peer_and_the_administrator_do_not_know_it_exists(
    client, login, cast, plan, who
):
    login(getattr(cast, who))
    assert client.get(reverse("succession:position", args=[plan["platform"].pk])).status_code == 404
    assert client.get(reverse("succession:candidacy", args=[plan["alice"].pk])).status_code == 404
    listing = client.get(reverse("succession:index")).content.decode()
    assert "Head of Platform" not in listing and "Alice Employee" not in listing


def test_the_candidates_manager_sees_her_candidacy_elsewhere_not_the_position(
    client, login, cast, plan
):
    login(cast.bob)
    assert client.get(reverse("succession:position", args=[plan["sales"].pk])).status_code == 404
    listing = client.get(reverse("succession:index")).content.decode()
    assert "Your people in succession plans" in listing and "Head of Sales" in listing
    page = client.get(reverse("succession:candidacy", args=[plan["alice_in_sales"].pk]))
    assert page.status_code == 200 and NOTE in page.content.decode()
    # Seeing is not changing: the position's managers change it.
    assert "Change the candidacy" not in page.content.decode()
    url = reverse("succession:remove_candidate", args=[plan["alice_in_sales"].pk])
    assert client.post(url).status_code == 403


def test_a_lead_sees_positions_in_the_teams_within_theirs_not_elsewhere(client, login, cast, plan):
    login(cast.carol)
    listing = client.get(reverse("succession:index")).content.decode()
    assert "Head of Platform" in listing
    assert client.get(reverse("succession:position", args=[plan["sales"].pk])).status_code == 404


def test_every_read_by_someone_else_is_in_the_candidates_access_log(client, login, cast, plan):
    login(cast.erin)
    client.get(reverse("succession:position", args=[plan["platform"].pk]))
    assert AccessLogEntry.objects.filter(subject=cast.alice, viewer=cast.erin).exists()
    login(cast.bob)
    client.get(reverse("succession:candidacy", args=[plan["alice_in_sales"].pk]))
    assert AccessLogEntry.objects.filter(subject=cast.alice, viewer=cast.bob).exists()


def test_the_talent_card_is_for_hr_and_leads_only(client, login, cast, plan):
    for who, shown in [("erin", True), ("carol", True), ("alice", False), ("frank", False)]:
        login(getattr(cast, who))
        page = client.get(reverse("talent:index")).content.decode()
        assert ("Key positions and succession" in page) is shown, who


def test_the_plan_shows_what_changed_since_the_last_page(client, login, cast, plan):
    """The candidacies and the history are read with SQL kept per viewer state and position
    (`cadence.waiting.kept_rows`): the rows never are."""
    from django.utils import timezone

    from access.viewer import Viewer
    from succession import services

    url = reverse("succession:position", args=[plan["platform"].pk])
    login(cast.erin)
    assert "Dave Peer" not in client.get(url).content.decode()
    services.add_candidate(
        Viewer(person=cast.erin),
        plan["platform"],
        person_id=cast.dave.pk,
        readiness=Readiness.ONE_TWO,
        readiness_on=timezone.localdate(),
        rank=2,
        emergency=False,
        notes="Ready in a year or two",
    )
    page = client.get(url).content.decode()
    assert "Dave Peer" in page and "Ready in a year or two" in page
    assert page.count("Dave Peer") >= 2  # the plan and its history
    # Another viewer, another state: their own SQL, the same plan.
    login(cast.carol)
    assert "Dave Peer" in client.get(url).content.decode()
    login(cast.alice)  # the candidate never sees it
    assert client.get(url).status_code == 404


def test_the_key_positions_show_what_changed_since_the_last_page(client, login, cast, plan):
    """Both lists of the key positions page are read with SQL kept per viewer state and day:
    a position marked and a candidacy named since show on the next page, to those who see
    them only."""
    index = reverse("succession:index")
    login(cast.erin)
    assert "Head of Engineering" not in client.get(index).content.decode()
    make_position(cast.engineering, title="Head of Engineering")
    assert "Head of Engineering" in client.get(index).content.decode()
    login(cast.bob)  # leads Platform: not Engineering's position
    page = client.get(index).content.decode()
    assert "Head of Platform" in page and "Head of Engineering" not in page
    login(cast.carol)  # Alice's manager's manager: her candidacy in Sales, among "others"
    assert "Head of Sales" in client.get(index).content.decode()
