"""Moving a 360 cycle on asks first (issue 14, point 3): each step has a confirmation page that
says what it will do and to whom, in counts, warns (nominations below the minimum or below the
anonymity threshold, moving before the deadline, nobody answered), and acts only on a POST
with `confirm`. Due dates in the past are refused, on the form (keeping what was typed) and
by the step they belong to."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from feedback.models import CycleStatus, FeedbackSettings, Nomination, ReviewCycle
from feedback.tests.factories import add_participant, invite, make_cycle
from people.tests.factories import add_people

CREATE = reverse("feedback:cycle_create")


def advance_url(cycle):
    return reverse("feedback:cycle_advance", args=[cycle.pk])


def text(response):
    return " ".join(response.content.decode().split())


def status_of(cycle):
    cycle.refresh_from_db()
    return cycle.status


def today():
    return timezone.localdate()


def cycle_form(cycle=None, **overrides):
    day = today()
    data = {
        "name": cycle.name if cycle else "Autumn 360",
        "period_start": (day - timedelta(days=180)).isoformat(),
        "period_end": day.isoformat(),
        "nominations_due": (
            cycle.nominations_due if cycle else day + timedelta(days=7)
        ).isoformat(),
        "answers_due": (cycle.answers_due if cycle else day + timedelta(days=21)).isoformat(),
        "min_peers": "3",
        "max_peers": "8",
        "include_reports": "on",
    }
    data.update(overrides)
    return data


# --- Asking first -----------------------------------------------------------------------------


def test_each_step_shows_a_confirmation_and_acts_only_on_confirm(login, cast):
    cycle = make_cycle(status="draft")
    add_participant(cycle, cast.alice)
    client = login(cast.erin)
    for step, label in (
        ("nominating", "Nominating reviewers"),
        ("reviewing", "Reviews open"),
        ("closed", "Closed"),
    ):
        before = cycle.status
        # The cycle page links to the confirmation; it does not post.
        page = text(client.get(cycle.get_absolute_url()))
        assert f'href="{advance_url(cycle)}?to={step}"' in page
        # Opening the confirmation changes nothing.
        response = client.get(advance_url(cycle), {"to": step})
        assert response.status_code == 200
        assert f"Move on to: {label}?" in text(response)
        assert "cannot be undone" in text(response)
        assert status_of(cycle) == before
        # A post without `confirm` shows the confirmation again, and changes nothing.
        response = client.post(advance_url(cycle), {"to": step})
        assert response.status_code == 200
        assert f"Yes, move on to: {label}" in text(response)
        assert status_of(cycle) == before
        response = client.post(advance_url(cycle), {"to": step, "confirm": "no"})
        assert response.status_code == 200
        assert status_of(cycle) == before
        # Confirmed: moved.
        response = client.post(advance_url(cycle), {"to": step, "confirm": "yes"})
        assert response.status_code == 302
        assert status_of(cycle) == step
    # No step after the close: the page sends HR back.
    response = client.get(advance_url(cycle))
    assert response.status_code == 302


def test_the_confirmation_is_for_the_next_step_only(login, cast):
    cycle = make_cycle(status="draft")
    add_participant(cycle, cast.alice)
    client = login(cast.erin)
    # Without `to`, the page is for the next step.
    assert "Move on to: Nominating reviewers?" in text(client.get(advance_url(cycle)))
    response = client.get(advance_url(cycle), {"to": "closed"})
    assert response.status_code == 302
    assert "cannot move on to" in text(client.get(response["Location"]))
    assert client.get(advance_url(cycle), {"to": "flying"}).status_code == 400
    assert client.post(advance_url(cycle), {"confirm": "yes"}).status_code == 400
    assert status_of(cycle) == "draft"


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "frank"])
def test_only_hr_sees_the_confirmation(login, cast, who):
    cycle = make_cycle(status="draft")
    client = login(getattr(cast, who))
    assert client.get(advance_url(cycle)).status_code == 403
    assert (
        client.post(advance_url(cycle), {"to": "nominating", "confirm": "yes"}).status_code == 403
    )
    assert status_of(cycle) == "draft"


def test_hr_whose_scope_does_not_cover_the_cycle_gets_a_404(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.platform)
    cycle = make_cycle(status="draft", scope=cast.sales)
    assert login(cast.erin).get(advance_url(cycle)).status_code == 404


# --- What each step says -----------------------------------------------------------------------


def test_starting_nominations_counts_participants_and_managers_and_warns_below_k(login, cast):
    cycle = make_cycle(status="draft", min_peers=2)
    for person in (cast.alice, cast.bob, *add_people(2, manager=cast.bob, team=cast.platform)):
        add_participant(cycle, person)
    response = login(cast.erin).get(advance_url(cycle))
    page = text(response)
    preview = response.context["preview"]
    assert (preview.participants, preview.managers, preview.questions) == (4, 2, 2)
    assert "4 participants can choose 2 to 8 peers until" in page
    assert "Their 2 managers approve the lists." in page
    assert "Cadence sends no e-mail for it." in page
    assert "at least 2 peers, fewer than the anonymity threshold of 3" in page


def test_no_threshold_warning_when_the_minimum_reaches_it(login, cast):
    cycle = make_cycle(status="draft", min_peers=3)
    add_participant(cycle, cast.alice)
    response = login(cast.erin).get(advance_url(cycle))
    assert not response.context["preview"].min_peers_below_threshold
    assert "Before you confirm" not in text(response)


def nominating_cycle_with_three_participants(cast):
    """A: three approved peers; B: one proposed; C: none. Nobody manages anyone in it."""
    cycle = make_cycle(status="nominating", min_peers=2)
    team = add_people(5, manager=cast.bob, team=cast.platform, prefix="mate")
    a, b, _c = (add_participant(cycle, person) for person in team[:3])
    for reviewer in team[1:4]:
        Nomination.objects.create(participant=a, reviewer=reviewer, status="approved")
    a.nominations_approved_at = timezone.now()
    a.save()
    Nomination.objects.create(participant=b, reviewer=team[0])
    Nomination.objects.create(participant=b, reviewer=team[4], status="removed")
    return cycle


def test_opening_the_reviews_counts_invitations_people_and_thin_peer_lists(login, cast):
    cycle = nominating_cycle_with_three_participants(cast)
    response = login(cast.erin).get(advance_url(cycle))
    preview = response.context["preview"]
    # A: self, Bob, 3 peers; B: self, Bob, 1 peer (the removed one is not invited); C: self, Bob.
    assert preview.invitations == {"self": 3, "manager": 3, "peer": 4}
    assert (preview.invitation_total, preview.reviewers) == (10, 5)
    assert (preview.below_minimum, preview.below_threshold, preview.not_approved) == (2, 2, 2)
    assert (preview.days_early, preview.threshold) == (7, 3)
    page = text(response)
    assert "10 invitations go to 5 people, who each get an e-mail" in page
    assert "2 participants have fewer peers than the minimum of 2." in page
    assert "2 participants have fewer than 3 peers (the anonymity threshold)" in page
    assert "2 lists of peers are not approved by the manager yet." in page
    assert "in 7 days: participants still choosing peers can no longer change" in page
    # What the page counted is what opening the reviews does.
    response = login(cast.erin).post(advance_url(cycle), {"to": "reviewing", "confirm": "yes"})
    assert response.status_code == 302
    assert cycle.participants.values("invitations").count() == 10


def test_opening_the_reviews_counts_the_threshold_it_will_fix(login, cast):
    cycle = nominating_cycle_with_three_participants(cast)
    FeedbackSettings.objects.update_or_create(pk=1, defaults={"anonymity_threshold": 4})
    preview = login(cast.erin).get(advance_url(cycle)).context["preview"]
    assert (preview.threshold, preview.below_threshold) == (4, 3)


def test_opening_the_reviews_on_the_deadline_does_not_warn_early(login, cast):
    cycle = nominating_cycle_with_three_participants(cast)
    ReviewCycle.objects.filter(pk=cycle.pk).update(nominations_due=today())
    response = login(cast.erin).get(advance_url(cycle))
    assert response.context["preview"].days_early == 0
    assert "participants still choosing peers" not in text(response)


def test_closing_counts_answers_waiting_reviewers_and_withheld_groups(login, cast):
    cycle = make_cycle(status="reviewing")
    participant = add_participant(cycle, cast.alice)
    invite(participant, cast.alice, "self", answered=True)
    invite(participant, cast.bob, "manager")
    peers = add_people(3, manager=cast.bob, team=cast.platform, prefix="peer")
    invite(participant, peers[0], "peer", answered=True)
    invite(participant, peers[1], "peer", answered=True)
    invite(participant, peers[2], "peer", declined=True)
    response = login(cast.erin).get(advance_url(cycle))
    preview = response.context["preview"]
    assert (preview.invited, preview.answered, preview.declined) == (5, 3, 1)
    assert (preview.waiting, preview.waiting_reviewers, preview.withheld) == (1, 1, 1)
    assert preview.days_early == 21
    page = text(response)
    assert "3 of 5 reviews answered.</strong> 1 declined." in page
    assert "1 reviewer has not answered yet." in page
    assert "For 1 participant, peers or direct reports have fewer than 3 answers" in page
    assert "Answers are due on" in page and "in 21 days" in page
    assert "Nobody has answered yet." not in page


def test_closing_with_nobody_answered_says_so(login, cast):
    cycle = make_cycle(status="reviewing", answers_due=today() - timedelta(days=1))
    people = add_people(17, manager=cast.bob, team=cast.platform, prefix="quiet")
    for person in people:
        invite(add_participant(cycle, person), person, "self")
    response = login(cast.erin).get(advance_url(cycle))
    page = text(response)
    assert "0 of 17 reviews answered." in page
    assert "Nobody has answered yet." in page
    assert "17 reviewers have not answered yet." in page
    # After the due date: no "early" warning, and closing is allowed.
    assert "Answers are due on" not in page
    login(cast.erin).post(advance_url(cycle), {"to": "closed", "confirm": "yes"})
    assert status_of(cycle) == "closed"


# --- Dates in the past --------------------------------------------------------------------------


def test_a_new_cycle_with_due_dates_in_the_past_is_refused_keeping_what_was_typed(login, cast):
    client = login(cast.erin)
    past = "2020-03-01"
    response = client.post(
        CREATE, cycle_form(name="Spring 2020", nominations_due=past, answers_due="2020-03-15")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["nominations_due"] == ["Choose today or a later date."]
    assert form.errors["answers_due"] == ["Choose today or a later date."]
    page = response.content.decode()
    assert 'value="Spring 2020"' in page and f'value="{past}"' in page
    assert not ReviewCycle.objects.exists()
    # Today is fine.
    day = today().isoformat()
    assert client.post(CREATE, cycle_form(nominations_due=day, answers_due=day)).status_code == 302


def test_editing_refuses_a_due_date_moved_into_the_past_but_keeps_one_that_passed(login, cast):
    passed = today() - timedelta(days=3)
    cycle = make_cycle(status="draft", nominations_due=passed)
    client = login(cast.erin)
    edit = reverse("feedback:cycle_edit", args=[cycle.pk])
    # The name changes; the date that has passed meanwhile stays as it was.
    assert client.post(edit, cycle_form(cycle, name="Renamed")).status_code == 302
    cycle.refresh_from_db()
    assert cycle.name == "Renamed"
    response = client.post(edit, cycle_form(cycle, answers_due=(passed).isoformat()))
    assert response.status_code == 400
    assert response.context["form"].errors["answers_due"] == ["Choose today or a later date."]
    cycle.refresh_from_db()
    assert cycle.answers_due == today() + timedelta(days=21)


def test_a_step_whose_deadline_has_passed_is_refused_until_the_date_is_changed(login, cast):
    cycle = make_cycle(status="draft", nominations_due=today() - timedelta(days=1))
    add_participant(cycle, cast.alice)
    client = login(cast.erin)
    response = client.get(advance_url(cycle))
    page = text(response)
    assert "The cycle cannot move on yet" in page
    assert "in the past: set a new date first" in page
    assert "Yes, move on to" not in page
    response = client.post(advance_url(cycle), {"to": "nominating", "confirm": "yes"})
    assert response.status_code == 400
    assert status_of(cycle) == "draft"
    # A new date: the step goes.
    edit = reverse("feedback:cycle_edit", args=[cycle.pk])
    new_date = (today() + timedelta(days=2)).isoformat()
    assert client.post(edit, cycle_form(cycle, nominations_due=new_date)).status_code == 302
    client.post(advance_url(cycle), {"to": "nominating", "confirm": "yes"})
    assert status_of(cycle) == "nominating"
    # Opening the reviews when the answers were due yesterday: refused too.
    ReviewCycle.objects.filter(pk=cycle.pk).update(answers_due=today() - timedelta(days=1))
    response = client.post(advance_url(cycle), {"to": "reviewing", "confirm": "yes"})
    assert response.status_code == 400
    assert "Answers were due on" in text(response)
    assert status_of(cycle) == CycleStatus.NOMINATING


# --- Cost ---------------------------------------------------------------------------------------


def filled(name, count, cast, status):
    cycle = make_cycle(name, status=status)
    people = add_people(count, manager=cast.bob, team=cast.platform, prefix=f"{name.lower()}x")
    for person in people:
        participant = add_participant(cycle, person)
        Nomination.objects.create(participant=participant, reviewer=cast.dave)
        if status == "reviewing":
            invite(participant, person, "self", answered=True)
            invite(participant, cast.bob, "manager")
            invite(participant, cast.dave, "peer")
    return cycle


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("status", ["draft", "nominating", "reviewing"])
def test_the_confirmation_costs_the_same_with_3_or_40_participants(login, cast, status):
    small, large = filled("Small", 3, cast, status), filled("Large", 40, cast, status)
    client = login(cast.erin)
    queries_for(client, advance_url(small))  # the first reads settings once, then cached
    assert queries_for(client, advance_url(small)) == queries_for(client, advance_url(large))


def test_the_cycle_page_with_many_participants_stays_within_its_queries(
    login, cast, django_assert_max_num_queries
):
    cycle = filled("Big", 60, cast, "reviewing")
    client = login(cast.erin)
    with django_assert_max_num_queries(11):  # 10, and the access log's one insert
        assert client.get(cycle.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(advance_url(cycle)).status_code == 200
