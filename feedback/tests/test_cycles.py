"""360 cycles for HR: setting one up (questionnaire as short text, anonymity threshold frozen),
adding participants by team or e-mail within HR scope, moving the cycle through its steps
(invitations built once, right), the progress page (counts only) and the reviews page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from feedback.models import (
    FeedbackSettings,
    Nomination,
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
)
from feedback.question_bank import BANK
from feedback.tests.factories import add_participant, invite, make_cycle
from people.tests.factories import add_people

REVIEWS = reverse("feedback:reviews")
CREATE = reverse("feedback:cycle_create")


def participants_url(cycle):
    return reverse("feedback:cycle_participants", args=[cycle.pk])


def advance(client, cycle, to):
    return client.post(
        reverse("feedback:cycle_advance", args=[cycle.pk]), {"to": to, "confirm": "yes"}
    )


def cycle_data(**overrides):
    today = timezone.localdate()
    data = {
        "name": "Autumn 360",
        "period_start": (today - timedelta(days=180)).isoformat(),
        "period_end": today.isoformat(),
        "nominations_due": (today + timedelta(days=7)).isoformat(),
        "answers_due": (today + timedelta(days=21)).isoformat(),
        "min_peers": "2",
        "max_peers": "5",
        "include_reports": "on",
        "start_from_bank": "on",
    }
    data.update(overrides)
    return data


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Creating and editing ----------------------------------------------------------------------


def test_hr_creates_a_cycle_with_the_organisations_threshold(login, cast):
    settings = FeedbackSettings.load()
    settings.anonymity_threshold = 4
    settings.save()
    client = login(cast.erin)
    page = client.get(CREATE)
    assert page.status_code == 200
    # Our question bank to start from.
    assert "Start with our question bank" in page.content.decode()
    response = client.post(CREATE, cycle_data())
    cycle = ReviewCycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == participants_url(cycle)
    assert cycle.status == "draft"
    assert cycle.anonymity_threshold == 4
    assert cycle.created_by == cast.erin
    questions = list(cycle.questions.all())
    assert len(questions) == len(BANK) == 11
    assert [q.position for q in questions] == list(range(11))
    assert (questions[0].text, questions[0].kind, questions[0].competency) == (
        "Explains ideas and decisions so that others can act on them.",
        "rating",
        "Communication",
    )
    assert questions[0].scale_labels[0] == "Rarely"
    assert [q.kind for q in questions].count("open") == 3


def test_a_cycle_can_start_without_the_bank(login, cast):
    data = cycle_data()
    del data["start_from_bank"]
    assert login(cast.erin).post(CREATE, data).status_code == 302
    assert not ReviewCycle.objects.get().questions.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"period_end": "2020-01-01", "period_start": "2020-02-01"},
        {"answers_due": "2000-01-01"},
        {"min_peers": "6", "max_peers": "5"},
        {"max_peers": "50"},
        {"period_start": "not a date"},
        {"name": ""},
    ],
)
def test_bad_input_re_renders_with_errors_and_keeps_what_was_typed(login, cast, overrides):
    response = login(cast.erin).post(CREATE, cycle_data(**overrides))
    assert response.status_code == 400
    assert not ReviewCycle.objects.exists()
    assert "Autumn 360" in response.content.decode() or overrides.get("name") == ""


def test_only_hr_sets_up_cycles(login, cast):
    cycle = make_cycle(status="draft")
    for person in (cast.alice, cast.bob, cast.carol, cast.frank):
        client = login(person)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, cycle_data()).status_code == 403
        assert client.get(reverse("feedback:cycle_edit", args=[cycle.pk])).status_code == 403
        assert advance(client, cycle, "nominating").status_code == 403
    assert ReviewCycle.objects.count() == 1


def test_the_threshold_is_shown_but_not_editable(login, cast):
    cycle = make_cycle(status="draft", anonymity_threshold=5)
    client = login(cast.erin)
    page = client.get(reverse("feedback:cycle_edit", args=[cycle.pk]))
    assert "at least 5 people" in page.content.decode()
    client.post(
        reverse("feedback:cycle_edit", args=[cycle.pk]),
        cycle_data(anonymity_threshold="2"),
    )
    cycle.refresh_from_db()
    assert cycle.anonymity_threshold == 5


# --- Participants ------------------------------------------------------------------------------


def test_adding_a_team_adds_its_sub_teams_with_todays_managers(login, cast):
    cycle = make_cycle(status="draft")
    client = login(cast.erin)
    response = client.post(
        participants_url(cycle), {"action": "add_team", "team": cast.engineering.pk}
    )
    assert response.status_code == 302
    participants = {p.person: p.manager for p in cycle.participants.all()}
    assert participants == {cast.carol: None, cast.bob: cast.carol, cast.alice: cast.bob}
    # Adding again adds nobody twice.
    client.post(participants_url(cycle), {"action": "add_team", "team": cast.platform.pk})
    assert cycle.participants.count() == 3
    page = client.get(participants_url(cycle)).content.decode()
    assert "Alice Employee" in page and "3 participants" in page


def test_leavers_are_not_added(login, cast):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    cycle = make_cycle(status="draft")
    client = login(cast.erin)
    client.post(participants_url(cycle), {"action": "add_team", "team": cast.platform.pk})
    assert list(cycle.participants.values_list("person", flat=True)) == [cast.bob.pk]
    response = client.post(
        participants_url(cycle), {"action": "add_emails", "emails": "alice@example.com"}
    )
    assert response.status_code == 400


def test_adding_by_email_refuses_the_whole_list_when_one_is_unknown(login, cast):
    cycle = make_cycle(status="draft")
    client = login(cast.erin)
    response = client.post(
        participants_url(cycle),
        {"action": "add_emails", "emails": "alice@example.com, nobody@example.com"},
    )
    assert response.status_code == 400
    assert "nobody@example.com" in response.content.decode()
    assert not cycle.participants.exists()
    response = client.post(
        participants_url(cycle),
        {"action": "add_emails", "emails": "ALICE@example.com\ndave@example.com;"},
    )
    assert response.status_code == 302
    assert set(cycle.participants.values_list("person", flat=True)) == {
        cast.alice.pk,
        cast.dave.pk,
    }


@pytest.mark.parametrize("emails", ["", "not-an-address", "a@b.c " * 501])
def test_bad_address_lists_are_form_errors(login, cast, emails):
    cycle = make_cycle(status="draft")
    response = login(cast.erin).post(
        participants_url(cycle), {"action": "add_emails", "emails": emails}
    )
    assert response.status_code == 400


def test_hr_adds_only_people_in_scope(login, cast):
    sales_hr = add_people(1, team=cast.sales, prefix="saleshr")[0]
    HRRole.objects.create(person=sales_hr, scope=cast.sales)
    cycle = make_cycle(status="draft", scope=cast.sales)
    client = login(sales_hr)
    response = client.post(
        participants_url(cycle), {"action": "add_emails", "emails": "alice@example.com"}
    )
    assert response.status_code == 400
    # Teams outside the scope are not even offered.
    response = client.post(
        participants_url(cycle), {"action": "add_team", "team": cast.engineering.pk}
    )
    assert response.status_code == 400
    client.post(participants_url(cycle), {"action": "add_team", "team": cast.sales.pk})
    assert set(cycle.participants.values_list("person", flat=True)) == {cast.dave.pk, sales_hr.pk}
    # Nor does organisation-wide HR add someone from outside the cycle's scope.
    response = login(cast.erin).post(
        participants_url(cycle), {"action": "add_emails", "emails": "alice@example.com"}
    )
    assert response.status_code == 400
    assert not cycle.participants.filter(person=cast.alice).exists()


def test_participants_are_removed_only_while_draft(login, cast):
    cycle = make_cycle(status="draft")
    alice = add_participant(cycle, cast.alice)
    bob = add_participant(cycle, cast.bob)
    client = login(cast.erin)
    client.post(participants_url(cycle), {"action": "remove", "participant": alice.pk})
    assert list(cycle.participants.all()) == [bob]
    cycle.status = "nominating"
    cycle.save()
    client.post(participants_url(cycle), {"action": "remove", "participant": bob.pk})
    assert list(cycle.participants.all()) == [bob]
    # Still open for additions while nominating; not once reviewing.
    client.post(participants_url(cycle), {"action": "add_emails", "emails": "alice@example.com"})
    assert cycle.participants.count() == 2
    cycle.status = "reviewing"
    cycle.save()
    client.post(participants_url(cycle), {"action": "add_emails", "emails": "dave@example.com"})
    assert cycle.participants.count() == 2


@pytest.mark.parametrize(
    "data",
    [{}, {"action": "nonsense"}, {"action": "remove", "participant": "9" * 30}],
)
def test_odd_posts_do_not_fail(login, cast, data):
    cycle = make_cycle(status="draft")
    response = login(cast.erin).post(participants_url(cycle), data)
    assert response.status_code in (400, 404)


# --- Moving on ---------------------------------------------------------------------------------


def test_the_steps_go_one_way_one_at_a_time(login, cast):
    cycle = make_cycle(status="draft")
    client = login(cast.erin)
    # Nobody to review yet: the confirmation page says so, and nothing moves.
    response = advance(client, cycle, "nominating")
    assert response.status_code == 400
    assert "Add at least one participant first." in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == "draft"
    add_participant(cycle, cast.alice)
    # No skipping.
    advance(client, cycle, "reviewing")
    cycle.refresh_from_db()
    assert cycle.status == "draft"
    advance(client, cycle, "nominating")
    cycle.refresh_from_db()
    assert cycle.status == "nominating"
    # A second click changes nothing and says so.
    response = advance(client, cycle, "nominating")
    cycle.refresh_from_db()
    assert cycle.status == "nominating"
    assert "already" in client.get(response["Location"]).content.decode()
    advance(client, cycle, "draft")
    cycle.refresh_from_db()
    assert cycle.status == "nominating"
    advance(client, cycle, "reviewing")
    advance(client, cycle, "closed")
    cycle.refresh_from_db()
    assert cycle.status == "closed"
    response = advance(client, cycle, "reviewing")
    cycle.refresh_from_db()
    assert cycle.status == "closed"
    assert "cannot go back" in client.get(response["Location"]).content.decode()
    assert advance(client, cycle, "flying").status_code == 400


def test_a_cycle_without_questions_cannot_start(login, cast):
    cycle = make_cycle(status="draft", questions=())
    add_participant(cycle, cast.alice)
    advance(login(cast.erin), cycle, "nominating")
    cycle.refresh_from_db()
    assert cycle.status == "draft"


def test_opening_the_reviews_invites_self_manager_peers_and_reports(login, cast):
    cycle = make_cycle(status="nominating")
    bob = add_participant(cycle, cast.bob)  # manages Alice, reports to Carol
    leaver, approved, proposed, removed = add_people(4, team=cast.sales, prefix="peer")
    leaver.leave_date = timezone.localdate() - timedelta(days=3)
    leaver.save()
    for person, status in (
        (approved, "approved"),
        (proposed, "proposed"),
        (removed, "removed"),
        (leaver, "approved"),
    ):
        Nomination.objects.create(participant=bob, reviewer=person, status=status)
    # Alice is nominated as a peer and is Bob's report: she is invited once.
    Nomination.objects.create(participant=bob, reviewer=cast.alice, status="approved")
    client = login(cast.erin)
    advance(client, cycle, "reviewing")
    cycle.refresh_from_db()
    assert cycle.status == "reviewing"
    invited = {(i.reviewer, i.group) for i in ReviewInvitation.objects.filter(participant=bob)}
    assert invited == {
        (cast.bob, RaterGroup.SELF),
        (cast.carol, RaterGroup.MANAGER),
        (approved, RaterGroup.PEER),
        (proposed, RaterGroup.PEER),
        (cast.alice, RaterGroup.PEER),
    }
    assert Nomination.objects.get(reviewer=proposed).status == "approved"
    assert Nomination.objects.get(reviewer=removed).status == "removed"
    # Idempotent: asking again adds nothing.
    advance(client, cycle, "reviewing")
    assert ReviewInvitation.objects.count() == 5


def test_direct_reports_are_invited_as_a_group_when_the_cycle_includes_them(login, cast):
    cycle = make_cycle(status="nominating")
    add_participant(cycle, cast.bob)
    add_participant(cycle, cast.alice)
    advance(login(cast.erin), cycle, "reviewing")
    invitations = {
        (i.participant.person, i.reviewer, i.group)
        for i in ReviewInvitation.objects.select_related("participant__person")
    }
    assert invitations == {
        (cast.bob, cast.bob, "self"),
        (cast.bob, cast.carol, "manager"),
        (cast.bob, cast.alice, "report"),
        (cast.alice, cast.alice, "self"),
        (cast.alice, cast.bob, "manager"),
    }


def test_without_reports_only_self_manager_and_peers(login, cast):
    cycle = make_cycle(status="nominating", include_reports=False)
    add_participant(cycle, cast.bob)
    advance(login(cast.erin), cycle, "reviewing")
    assert set(ReviewInvitation.objects.values_list("group", flat=True)) == {"self", "manager"}


def test_the_manager_is_the_one_at_the_start(login, cast):
    cycle = make_cycle(status="nominating")
    alice = add_participant(cycle, cast.alice)
    cast.alice.manager = cast.carol
    cast.alice.save()
    advance(login(cast.erin), cycle, "reviewing")
    manager = ReviewInvitation.objects.get(participant=alice, group="manager")
    assert manager.reviewer == cast.bob


# --- Progress ----------------------------------------------------------------------------------


def test_progress_shows_counts_per_group_never_anonymous_reviewers(login, cast):
    cycle = make_cycle()
    alice = add_participant(cycle, cast.alice)
    peers = add_people(3, team=cast.sales, prefix="witness")
    invite(alice, cast.alice, "self", answered=True)
    invite(alice, cast.bob, "manager")
    invite(alice, peers[0], "peer", answered=True)
    invite(alice, peers[1], "peer", declined=True)
    invite(alice, peers[2], "peer")
    page = login(cast.erin).get(cycle.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alice Employee" in html
    assert "2 of 5 reviews answered" in html
    assert "1 of 3" in html
    for peer in peers:
        assert peer.name not in html
        assert peer.email not in html
    row = page.context["rows"][0]
    assert [(g.group, g.invited, g.answered) for g in row.groups] == [
        ("self", 1, 1),
        ("manager", 1, 0),
        ("peer", 3, 1),
        ("report", 0, 0),
    ]


def test_progress_is_hr_only(login, cast):
    cycle = make_cycle()
    add_participant(cycle, cast.alice)
    for person in (cast.alice, cast.bob, cast.carol, cast.dave, cast.frank):
        assert login(person).get(cycle.get_absolute_url()).status_code == 403
    assert login(cast.erin).get(reverse("feedback:cycle", args=[10**30])).status_code == 404


def fill(cycle, count, manager):
    people = add_people(count, manager=manager, team=manager.team, prefix=f"c{cycle.pk}x")
    for person in people:
        participant = add_participant(cycle, person)
        invite(participant, person, "self", answered=True)
        invite(participant, manager, "manager")
        Nomination.objects.create(participant=participant, reviewer=manager.manager)
    return people


def test_progress_costs_the_same_with_3_or_20_participants(login, cast):
    small, large = make_cycle("Small"), make_cycle("Large")
    fill(small, 3, cast.bob)
    fill(large, 20, cast.bob)
    client = login(cast.erin)
    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url()
    )


# --- The reviews page --------------------------------------------------------------------------


def test_the_reviews_page_for_each_role(login, cast):
    cycle = make_cycle()
    alice = add_participant(cycle, cast.alice)
    invite(alice, cast.dave, "peer")
    invite(alice, cast.bob, "manager")
    nominating = make_cycle("Nominations open", status="nominating")
    bob = add_participant(nominating, cast.bob)
    draft = make_cycle("Secret draft", status="draft")
    add_participant(draft, cast.alice)

    html = login(cast.dave).get(REVIEWS).content.decode()
    assert "Alice Employee" in html
    assert reverse("feedback:answer", args=[alice.invitations.get(reviewer=cast.dave).pk]) in html
    assert "New cycle" not in html

    html = login(cast.alice).get(REVIEWS).content.decode()
    assert "Spring 360" in html and "Secret draft" not in html
    assert "Your reports" not in html

    html = login(cast.bob).get(REVIEWS).content.decode()
    assert reverse("feedback:nominate", args=[bob.pk]) in html
    assert reverse("feedback:approve", args=[alice.pk]) not in html  # reviews already open
    assert reverse("feedback:report", args=[alice.pk]) in html

    html = login(cast.carol).get(REVIEWS).content.decode()
    assert reverse("feedback:approve", args=[bob.pk]) in html

    html = login(cast.erin).get(REVIEWS).content.decode()
    assert "New cycle" in html and "Secret draft" in html


def test_a_released_report_is_linked_for_its_participant(login, cast):
    cycle = make_cycle(status="closed")
    alice = add_participant(cycle, cast.alice)
    html = login(cast.alice).get(REVIEWS).content.decode()
    assert reverse("feedback:report", args=[alice.pk]) not in html
    alice.released_at = timezone.now()
    alice.save()
    html = login(cast.alice).get(REVIEWS).content.decode()
    assert reverse("feedback:report", args=[alice.pk]) in html


def test_the_reviews_page_costs_the_same_however_much_there_is(login, cast):
    small = make_cycle("Small")
    fill(small, 2, cast.bob)
    for participant in ReviewParticipant.objects.filter(cycle=small)[:1]:
        invite(participant, cast.alice, "peer")
    counts = {person: count_queries(login(person), REVIEWS) for person in (cast.bob, cast.erin)}
    for n in range(3):
        cycle = make_cycle(f"Cycle {n}")
        fill(cycle, 5, cast.bob)
        add_participant(cycle, cast.bob)
    for person, few in counts.items():
        assert count_queries(login(person), REVIEWS) == few
