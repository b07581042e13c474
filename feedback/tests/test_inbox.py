"""The inbox: received, given, and (for managers) what their reports shared with them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, Kind, Reply
from feedback.tests.factories import give, make_request
from goals.tests.factories import make_goal
from people.tests.factories import add_people

INBOX = reverse("feedback:inbox")


def texts(response):
    return [f.text for f in response.context["rows"]]


def test_received_is_the_default_tab(login, cast):
    give(cast.dave, cast.alice, text="From Dave")
    give(cast.alice, cast.dave, text="To Dave")
    give(cast.bob, cast.carol, text="Not Alice's")
    response = login(cast.alice).get(INBOX)
    assert response.status_code == 200
    assert response.context["tab"] == "received"
    assert texts(response) == ["From Dave"]


def test_360_reviews_are_reached_from_the_feedback_section(login, cast):
    for person in (cast.alice, cast.bob, cast.erin):
        page = login(person).get(INBOX).text
        assert f'href="{reverse("feedback:reviews")}"' in page, person
        assert login(person).get(reverse("feedback:reviews")).status_code == 200


def test_the_given_tab(login, cast):
    give(cast.dave, cast.alice, text="From Dave")
    give(cast.alice, cast.dave, text="To Dave")
    response = login(cast.alice).get(INBOX, {"tab": "given"})
    assert texts(response) == ["To Dave"]
    assert "not read yet" in response.text


def test_unread_feedback_is_marked(login, cast):
    give(cast.dave, cast.alice, text="Old one", read_at=timezone.now())
    give(cast.dave, cast.alice, text="New one")
    response = login(cast.alice).get(INBOX)
    unread = {f.text: f.unread for f in response.context["rows"]}
    assert unread == {"Old one": False, "New one": True}
    assert response.context["unread"] == 1
    assert 'class="feedback-item unread"' in response.text


def test_managers_see_what_their_reports_shared(login, cast):
    shared = give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE, text="Shared one")
    give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE, text="Kept private")
    Feedback.objects.filter(pk=shared.pk).update(
        shared_with=cast.bob, shared_with_manager_at=timezone.now()
    )
    response = login(cast.bob).get(INBOX, {"tab": "shared"})
    assert response.context["tab"] == "shared"
    assert texts(response) == ["Shared one"]
    assert "Shared by your reports" in response.text
    # Carol manages Bob, not Alice directly: nothing shared with her.
    assert texts(login(cast.carol).get(INBOX, {"tab": "shared"})) == []


def test_people_without_reports_have_no_shared_tab(login, cast):
    response = login(cast.alice).get(INBOX, {"tab": "shared"})
    assert response.context["tab"] == "received"
    assert "Shared by your reports" not in response.text


@pytest.mark.parametrize("tab", ["nonsense", "", "x" * 500])
def test_an_unknown_tab_is_the_received_one(login, cast, tab):
    assert login(cast.alice).get(INBOX, {"tab": tab}).context["tab"] == "received"


def test_filter_by_kind(login, cast):
    give(cast.dave, cast.alice, text="Praise")
    give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE, text="Constructive")
    assert texts(login(cast.alice).get(INBOX, {"kind": "constructive"})) == ["Constructive"]


def test_filter_by_person_name(login, cast):
    give(cast.dave, cast.alice, text="From Dave")
    give(cast.bob, cast.alice, text="From Bob")
    give(cast.alice, cast.bob, text="To Bob")
    client = login(cast.alice)
    assert texts(client.get(INBOX, {"person": "dave"})) == ["From Dave"]
    assert texts(client.get(INBOX, {"person": "BOB", "tab": "given"})) == ["To Bob"]


def test_filter_by_goal(login, cast):
    goal = make_goal(cast.alice, title="Ship the importer")
    give(cast.dave, cast.alice, text="About the goal", goal=goal)
    give(cast.dave, cast.alice, text="Not about it")
    response = login(cast.alice).get(INBOX, {"goal": goal.pk})
    assert texts(response) == ["About the goal"]
    assert "About “Ship the importer”" in response.text


def test_filter_by_period(login, cast):
    now = timezone.now()
    give(cast.dave, cast.alice, text="Now", created_at=now)
    give(cast.dave, cast.alice, text="Two years ago", created_at=now - timedelta(days=800))
    client = login(cast.alice)
    for period in ("month", "quarter", "year"):
        assert texts(client.get(INBOX, {"period": period})) == ["Now"]
    assert texts(client.get(INBOX, {"period": ""})) == ["Now", "Two years ago"]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "nice"},
        {"period": "decade"},
        {"goal": "99999999999999999999999"},
        {"goal": "-3"},
        {"person": "x" * 500},
        {"page": "last"},
        {"page": "999"},
    ],
)
def test_bad_filters_never_break_the_page(login, cast, params):
    give(cast.dave, cast.alice)
    assert login(cast.alice).get(INBOX, params).status_code == 200


def test_the_goal_title_shows_only_when_the_viewer_may_see_the_goal(login, cast):
    goal = make_goal(cast.alice, title="Alice's private plan", visibility="private")
    give(cast.alice, cast.dave, text="About my plan")
    give(cast.bob, cast.alice, text="About her plan", goal=goal)
    response = login(cast.alice).get(INBOX)
    assert response.context["rows"][0].goal_title == "Alice's private plan"


def test_pending_asks_are_counted_and_linked(login, cast):
    make_request(cast.bob, [cast.alice])
    make_request(cast.dave, [cast.alice, cast.carol])
    response = login(cast.alice).get(INBOX)
    assert response.context["pending_asks"] == 2
    assert reverse("feedback:requests") in response.text
    assert "2 colleagues asked you for feedback." in response.text


def test_reply_counts(login, cast):
    feedback = give(cast.dave, cast.alice)
    Reply.objects.create(feedback=feedback, author=cast.alice, text="Thanks")
    Reply.objects.create(feedback=feedback, author=cast.dave, text="You're welcome")
    assert login(cast.alice).get(INBOX).context["rows"][0].reply_count == 2


def test_the_inbox_is_paginated_by_25(login, cast):
    for i in range(30):
        give(cast.dave, cast.alice, text=f"Feedback {i}")
    client = login(cast.alice)
    assert len(client.get(INBOX).context["rows"]) == 25
    assert len(client.get(INBOX, {"page": 2}).context["rows"]) == 5


def fill(cast, count, prefix):
    """`count` people who each gave Alice feedback about her goal (shared with Bob, replied
    to) and got feedback from her."""
    people = add_people(count, team=cast.sales, prefix=prefix)
    goal = make_goal(cast.alice, title=f"Goal {prefix}")
    now = timezone.now()
    for i, person in enumerate(people):
        received = give(
            person,
            cast.alice,
            text=f"Received {i}",
            goal=goal,
            shared_with=cast.bob,
            shared_with_manager_at=now,
        )
        Reply.objects.create(feedback=received, author=cast.alice, text="Thanks")
        give(cast.alice, person, text=f"Given {i}")
    make_request(people[0], [cast.alice])


@pytest.mark.parametrize("tab", ["received", "given", "shared"])
def test_the_inbox_needs_the_same_queries_for_3_or_30_items(
    login, cast, django_assert_max_num_queries, tab
):
    fill(cast, 3, "few")
    client = login(cast.bob if tab == "shared" else cast.alice)
    # 11: is anything shared with a non-manager; the navigation's counts (read first: they tell
    # whether the viewer manages anyone, which was a query of its own).
    with django_assert_max_num_queries(11) as few:
        client.get(INBOX, {"tab": tab})
    fill(cast, 27, "many")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX, {"tab": tab})
    assert len(response.context["rows"]) == 25
    goal = response.context["rows"][0].goal_id
    filters = {"tab": tab, "goal": goal or 1, "kind": "praise", "period": "year", "person": "m"}
    with django_assert_max_num_queries(len(few.captured_queries) + 1):  # the goal's title
        assert client.get(INBOX, filters).status_code == 200


# --- The organisation's feedback settings ------------------------------------------------------

SETTINGS = reverse("feedback:settings")


def test_hr_sets_the_anonymity_threshold_with_an_explanation(login, cast):
    from feedback.models import FeedbackSettings

    client = login(cast.erin)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    assert "A cycle keeps the number it had when its reviews opened" in response.text
    response = client.post(SETTINGS, {"anonymity_threshold": "5"})
    assert response.status_code == 302
    assert FeedbackSettings.load().anonymity_threshold == 5
    assert "Settings" in client.get(INBOX).text


@pytest.mark.parametrize("value", ["2", "1", "0", "21", "", "three", "99999999999999999999999"])
def test_a_threshold_outside_3_to_20_is_refused(login, cast, value):
    from feedback.models import FeedbackSettings

    response = login(cast.erin).post(SETTINGS, {"anonymity_threshold": value})
    assert response.status_code == 400
    assert FeedbackSettings.load().anonymity_threshold == 3


def test_only_organisation_wide_hr_who_may_manage_people_edits_the_settings(login, cast):
    from access.models import HRRole

    for person in (cast.alice, cast.bob, cast.carol, cast.dave, cast.frank):
        assert login(person).get(SETTINGS).status_code == 403
        assert login(person).post(SETTINGS, {"anonymity_threshold": "2"}).status_code == 403
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    assert login(cast.erin).get(SETTINGS).status_code == 403
    HRRole.objects.filter(person=cast.erin).update(scope=None, can_manage_people=False)
    assert login(cast.erin).get(SETTINGS).status_code == 403
