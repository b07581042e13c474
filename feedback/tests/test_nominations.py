"""Nominating peers (the participant, while the cycle is nominating) and approving them (the
participant's manager at the cycle's start, or HR covering them)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Nomination
from feedback.tests.factories import add_participant, make_cycle
from people.tests.factories import add_people


@pytest.fixture
def setup(cast):
    cycle = make_cycle(status="nominating", min_peers=2, max_peers=3)
    participant = add_participant(cycle, cast.alice)
    colleagues = add_people(4, team=cast.platform, prefix="colleague")
    return participant, colleagues


def nominate_url(participant):
    return reverse("feedback:nominate", args=[participant.pk])


def approve_url(participant):
    return reverse("feedback:approve", args=[participant.pk])


def peers(participant, status=None):
    nominations = participant.nominations.all()
    if status:
        nominations = nominations.filter(status=status)
    return {n.reviewer for n in nominations}


def test_the_participant_nominates_by_email_and_by_search(login, cast, setup):
    participant, colleagues = setup
    client = login(cast.alice)
    page = client.get(nominate_url(participant))
    assert page.status_code == 200
    assert "<select" not in page.content.decode()  # never the whole organisation in a list

    response = client.post(
        nominate_url(participant), {"action": "add", "emails": colleagues[0].email.upper()}
    )
    assert response.status_code == 302

    page = client.get(nominate_url(participant), {"q": "colleague 0001"})
    results = page.context["results"]
    assert results == [colleagues[1]]
    assert "<select" not in page.content.decode()
    response = client.post(
        nominate_url(participant), {"action": "add", "reviewer": colleagues[1].pk}
    )
    assert response.status_code == 302
    assert peers(participant, "proposed") == {colleagues[0], colleagues[1]}
    assert all(n.nominated_by == cast.alice for n in participant.nominations.all())

    response = client.post(nominate_url(participant), {"action": "submit"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.nominations_submitted_at is not None


def test_search_leaves_out_the_participant_their_manager_and_leavers(login, cast, setup):
    participant, colleagues = setup
    colleagues[3].leave_date = timezone.localdate() - timedelta(days=1)
    colleagues[3].save()
    client = login(cast.alice)
    found = client.get(nominate_url(participant), {"q": "example.com"}).context["results"]
    assert cast.alice not in found and cast.bob not in found and colleagues[3] not in found
    assert colleagues[0] in found and cast.dave in found
    assert len(found) <= 10
    short = client.get(nominate_url(participant), {"q": "a"})
    assert short.status_code == 200 and short.context["results"] is None


@pytest.mark.parametrize("who", ["alice", "bob", "leaver", "unknown"])
def test_who_cannot_be_nominated(login, cast, setup, who):
    participant, colleagues = setup
    colleagues[3].leave_date = timezone.localdate() - timedelta(days=1)
    colleagues[3].save()
    email = {
        "alice": cast.alice.email,
        "bob": cast.bob.email,
        "leaver": colleagues[3].email,
        "unknown": "ghost@example.com",
    }[who]
    response = login(cast.alice).post(nominate_url(participant), {"action": "add", "emails": email})
    assert response.status_code == 400
    assert not participant.nominations.exists()
    response = login(cast.alice).post(
        nominate_url(participant), {"action": "add", "reviewer": cast.bob.pk}
    )
    assert response.status_code == 400
    assert not participant.nominations.exists()


def test_the_list_has_a_minimum_and_a_maximum(login, cast, setup):
    participant, colleagues = setup
    client = login(cast.alice)
    client.post(nominate_url(participant), {"action": "add", "emails": colleagues[0].email})
    response = client.post(nominate_url(participant), {"action": "submit"})
    assert response.status_code == 400
    assert "at least 2" in response.content.decode()
    participant.refresh_from_db()
    assert participant.nominations_submitted_at is None
    emails = ", ".join(c.email for c in colleagues[1:])
    response = client.post(nominate_url(participant), {"action": "add", "emails": emails})
    assert response.status_code == 400
    assert "At most 3" in response.content.decode()
    assert len(peers(participant)) == 1  # all or nothing
    client.post(nominate_url(participant), {"action": "add", "emails": colleagues[1].email})
    client.post(nominate_url(participant), {"action": "remove", "reviewer": colleagues[0].pk})
    assert peers(participant) == {colleagues[1]}


def test_nominating_is_for_the_participant_while_the_cycle_nominates(login, cast, setup):
    participant, _colleagues = setup
    assert login(cast.bob).get(nominate_url(participant)).status_code == 403
    assert login(cast.erin).get(nominate_url(participant)).status_code == 403
    for person in (cast.carol, cast.dave, cast.frank):
        assert login(person).get(nominate_url(participant)).status_code == 404
    assert login(cast.alice).get(reverse("feedback:nominate", args=[10**30])).status_code == 404

    participant.cycle.status = "reviewing"
    participant.cycle.save()
    client = login(cast.alice)
    page = client.get(nominate_url(participant))
    assert page.status_code == 200 and "Nominations are closed" in page.content.decode()
    response = client.post(nominate_url(participant), {"action": "add", "emails": cast.dave.email})
    assert response.status_code == 302
    assert not participant.nominations.exists()

    participant.cycle.status = "draft"
    participant.cycle.save()
    assert client.get(nominate_url(participant)).status_code == 404


@pytest.mark.parametrize("data", [{}, {"action": "approve"}, {"action": "remove"}])
def test_odd_posts_are_bad_requests(login, cast, setup, data):
    participant, _ = setup
    response = login(cast.alice).post(nominate_url(participant), data)
    assert response.status_code == 400


def test_the_manager_changes_and_approves_the_list(login, cast, setup):
    participant, colleagues = setup
    alice = login(cast.alice)
    for colleague in colleagues[:3]:
        alice.post(nominate_url(participant), {"action": "add", "reviewer": colleague.pk})
    alice.post(nominate_url(participant), {"action": "submit"})

    bob = login(cast.bob)
    page = bob.get(approve_url(participant))
    assert page.status_code == 200
    assert colleagues[0].name in page.content.decode()
    bob.post(approve_url(participant), {"action": "remove", "reviewer": colleagues[0].pk})
    bob.post(approve_url(participant), {"action": "add", "emails": cast.dave.email})
    response = bob.post(approve_url(participant), {"action": "approve"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.nominations_approved_at is not None
    assert peers(participant, "approved") == {colleagues[1], colleagues[2], cast.dave}
    assert peers(participant, "removed") == {colleagues[0]}
    assert participant.nominations.get(reviewer=cast.dave).nominated_by == cast.bob

    # Approved: the participant's list is final.
    alice = login(cast.alice)
    page = alice.get(nominate_url(participant))
    assert "the list is final" in page.content.decode()
    alice.post(nominate_url(participant), {"action": "remove", "reviewer": cast.dave.pk})
    assert cast.dave in peers(participant, "approved")


def test_the_participant_cannot_bring_back_whom_the_manager_removed(login, cast, setup):
    participant, colleagues = setup
    login(cast.alice).post(
        nominate_url(participant), {"action": "add", "reviewer": colleagues[0].pk}
    )
    login(cast.bob).post(
        approve_url(participant), {"action": "remove", "reviewer": colleagues[0].pk}
    )
    alice = login(cast.alice)
    alice.post(nominate_url(participant), {"action": "remove", "reviewer": colleagues[0].pk})
    response = alice.post(
        nominate_url(participant), {"action": "add", "reviewer": colleagues[0].pk}
    )
    assert response.status_code == 400
    assert peers(participant, "removed") == {colleagues[0]}
    # The manager can.
    login(cast.bob).post(approve_url(participant), {"action": "add", "reviewer": colleagues[0].pk})
    assert peers(participant, "proposed") == {colleagues[0]}


def test_approving_needs_enough_peers(login, cast, setup):
    participant, _colleagues = setup
    response = login(cast.bob).post(approve_url(participant), {"action": "approve"})
    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.nominations_approved_at is None


def test_who_approves(login, cast, setup):
    participant, _colleagues = setup
    assert login(cast.erin).get(approve_url(participant)).status_code == 200
    assert login(cast.alice).get(approve_url(participant)).status_code == 403
    for person in (cast.carol, cast.dave, cast.frank):
        assert login(person).get(approve_url(participant)).status_code == 404
        response = login(person).post(approve_url(participant), {"action": "approve"})
        assert response.status_code == 404
    # The manager at the cycle's start keeps approving after a change of manager.
    cast.alice.manager = cast.carol
    cast.alice.save()
    assert login(cast.bob).get(approve_url(participant)).status_code == 200
    assert login(cast.carol).get(approve_url(participant)).status_code == 404


def test_approving_is_closed_once_the_reviews_open(login, cast, setup):
    participant, colleagues = setup
    participant.cycle.status = "reviewing"
    participant.cycle.save()
    bob = login(cast.bob)
    assert bob.get(approve_url(participant)).status_code == 200
    bob.post(approve_url(participant), {"action": "add", "reviewer": colleagues[0].pk})
    assert not Nomination.objects.exists()


def test_the_participant_cannot_take_off_whom_the_manager_added(login, cast, setup):
    participant, colleagues = setup
    login(cast.bob).post(approve_url(participant), {"action": "add", "reviewer": colleagues[0].pk})
    alice = login(cast.alice)
    page = alice.get(nominate_url(participant)).content.decode()
    assert "added by the manager" in page
    response = alice.post(
        nominate_url(participant), {"action": "remove", "reviewer": colleagues[0].pk}
    )
    assert response.status_code == 400
    assert peers(participant, "proposed") == {colleagues[0]}


# --- The nominee picker (people.picker) ---------------------------------------------------------


def test_peers_are_chosen_with_the_people_picker_by_id(login, cast, setup):
    participant, colleagues = setup
    client = login(cast.alice)
    page = client.get(nominate_url(participant)).content.decode()
    assert 'role="combobox"' in page and 'name="emails_q"' in page and "people/picker.js" in page
    chosen = [colleagues[0].pk, colleagues[1].pk]
    response = client.post(nominate_url(participant), {"action": "add", "emails": chosen})
    assert response.status_code == 302
    assert peers(participant) == {colleagues[0], colleagues[1]}


@pytest.mark.parametrize("who", ["leaver", "unknown"])
def test_a_leavers_or_unknown_id_is_refused_without_naming_anyone(login, cast, setup, who):
    participant, colleagues = setup
    colleagues[3].leave_date = timezone.localdate() - timedelta(days=1)
    colleagues[3].save()
    value = colleagues[3].pk if who == "leaver" else 99_999_999
    response = login(cast.alice).post(
        nominate_url(participant), {"action": "add", "emails": [colleagues[0].pk, value]}
    )
    assert response.status_code == 400
    assert "Someone chosen cannot be chosen here." in response.content.decode()
    assert colleagues[3].name not in response.content.decode()
    assert not participant.nominations.exists()  # all or nothing


def test_searching_for_a_peer_without_javascript_offers_matches(login, cast, setup):
    participant, colleagues = setup
    response = login(cast.alice).post(
        nominate_url(participant),
        {"action": "add", "emails": colleagues[0].pk, "emails_q": "colleague", "emails_search": 1},
    )
    html = response.content.decode()
    assert response.status_code == 200  # not a mistake: a search
    assert not participant.nominations.exists()
    assert f'name="emails" value="{colleagues[0].pk}" checked' in html  # still chosen
    assert f'name="emails" value="{colleagues[1].pk}">' in html  # a match to tick
    assert 'value="colleague"' in html
