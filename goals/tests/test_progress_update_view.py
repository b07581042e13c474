"""The "update in seconds" check-in: inline with htmx, a page of its own without JavaScript."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import KeyResult, Objective, ProgressUpdate, Status
from goals.tests.factories import days_ago, make_goal

HTMX = {"HX-Request": "true"}


def url(goal):
    return reverse("goals:update", args=[goal.pk])


@pytest.fixture
def goal(cast):
    """Alice's goal, shared with her team and chain, with two measurable key results."""
    return make_goal(
        cast.alice,
        title="Grow the pipeline",
        visibility="team",
        key_results=[(0, 10, 2), (0, 4, 1)],
    )


def post_values(goal, **fields):
    """The form as the browser sends it: every key result's current value, the status."""
    data = {f"kr_{kr.pk}": kr.current_value for kr in goal.key_results.all()}
    data["status"] = goal.status
    data.update(fields)
    return data


def first_key_result(goal):
    return goal.key_results.order_by("position").first()


def test_htmx_gets_the_form_inline_with_current_values(login, cast, goal):
    response = login(cast.alice).get(url(goal), headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<li class="goal-row editing">')
    assert f'hx-post="{url(goal)}"' in response.text
    assert 'value="2"' in response.text and 'value="1"' in response.text
    assert "From 0 to 10" in response.text


def test_without_javascript_the_same_url_is_a_page_with_the_form(login, cast, goal):
    response = login(cast.alice).get(url(goal))
    assert response.status_code == 200
    assert "<html" in response.text and "Update progress" in response.text
    assert "hx-post" not in response.text


def test_it_records_an_update_with_confidence_and_comment(login, cast, goal):
    kr = first_key_result(goal)
    data = post_values(goal, **{f"kr_{kr.pk}": "5", "confidence": "7", "comment": "Two deals"})
    response = login(cast.alice).post(url(goal), data, headers=HTMX)
    assert response.status_code == 200
    update = ProgressUpdate.objects.get()
    assert (update.key_result, update.value, update.confidence) == (kr, Decimal(5), 7)
    assert (update.comment, update.author) == ("Two deals", cast.alice)
    kr.refresh_from_db()
    assert kr.current_value == 5
    # (5/10 + 1/4) / 2 = 37.5 %, shown as the updated row with a success message.
    assert response.text.lstrip().startswith('<li class="goal-row')
    assert '<progress max="100" value="38"' in response.text and "38%" in response.text
    assert "Progress on “Grow the pipeline” is saved." in response.text


def test_it_records_only_the_key_results_that_changed(login, cast, goal):
    second = goal.key_results.order_by("position").last()
    login(cast.alice).post(url(goal), post_values(goal, **{f"kr_{second.pk}": "3"}), headers=HTMX)
    assert list(ProgressUpdate.objects.values_list("key_result", "value")) == [
        (second.pk, Decimal(3))
    ]


def test_a_milestone_marked_done_shows_100_percent(login, cast):
    goal = make_goal(cast.alice, title="Launch")
    milestone = KeyResult.objects.create(objective=goal, title="Go live", type="milestone")
    response = login(cast.alice).post(
        url(goal), {f"kr_{milestone.pk}": "on", "status": "on_track"}, headers=HTMX
    )
    milestone.refresh_from_db()
    assert milestone.done is True
    assert ProgressUpdate.objects.get().done is True
    assert '<progress max="100" value="100"' in response.text and "100%" in response.text


def test_a_goal_without_key_results_takes_a_percentage(login, cast):
    goal = make_goal(cast.alice, title="Listen more", kind="behavioural")
    response = login(cast.alice).post(
        url(goal), {"progress": "40", "status": "on_track"}, headers=HTMX
    )
    goal.refresh_from_db()
    assert goal.manual_progress == 40
    assert ProgressUpdate.objects.get().value == 40
    assert "40%" in response.text


def test_a_goal_without_key_results_refuses_more_than_100_percent(login, cast):
    goal = make_goal(cast.alice, title="Listen more", kind="behavioural")
    response = login(cast.alice).post(
        url(goal), {"progress": "140", "status": "on_track"}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 100." in response.text
    assert not ProgressUpdate.objects.exists()


def test_an_undefined_progress_shows_a_dash(login, cast):
    goal = make_goal(cast.alice, title="Hold steady", key_results=[(5, 5, 5)])
    response = login(cast.alice).get(url(goal), {"cancel": "1"}, headers=HTMX)
    assert "—</span>" in response.text and "<progress" not in response.text


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("abc", "Enter a number, such as 42 or 3.5."),
        ("1e400", "Enter a finite number below a trillion."),
        ("nan", "Enter a number, such as 42 or 3.5."),
        ("-inf", "Enter a number, such as 42 or 3.5."),
    ],
)
def test_an_invalid_value_shows_a_clear_error_keeps_the_input_and_saves_nothing(
    login, cast, goal, typed, error
):
    kr = first_key_result(goal)
    data = post_values(goal, **{f"kr_{kr.pk}": typed, "comment": "Typed this"})
    response = login(cast.alice).post(url(goal), data, headers=HTMX)
    assert response.status_code == 400
    assert error in response.text
    assert f'value="{typed}"' in response.text and "Typed this" in response.text
    assert not ProgressUpdate.objects.exists()
    kr.refresh_from_db()
    assert kr.current_value == 2


def test_without_javascript_an_invalid_value_shows_the_page_again(login, cast, goal):
    kr = first_key_result(goal)
    response = login(cast.alice).post(url(goal), post_values(goal, **{f"kr_{kr.pk}": "abc"}))
    assert response.status_code == 200
    assert "<html" in response.text and "Enter a number" in response.text


def test_it_rounds_a_value_to_four_decimal_places(login, cast, goal):
    kr = first_key_result(goal)
    login(cast.alice).post(url(goal), post_values(goal, **{f"kr_{kr.pk}": "3.14159"}))
    kr.refresh_from_db()
    assert kr.current_value == Decimal("3.1416")


def test_it_changes_the_status_and_counts_it_as_activity(login, cast, goal):
    Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(40))
    response = login(cast.alice).post(url(goal), post_values(goal, status="at_risk"), headers=HTMX)
    goal.refresh_from_db()
    assert goal.status == Status.AT_RISK
    assert goal.last_activity_at > timezone.now() - timedelta(minutes=1)
    assert '<span class="status status-at_risk">At risk</span>' in response.text
    assert not ProgressUpdate.objects.exists()  # a status change alone is not a check-in


def test_it_shows_the_suggested_status_as_a_hint(login, cast):
    start = timezone.localdate() - timedelta(days=50)
    goal = make_goal(
        cast.alice,
        start_date=start,
        end_date=start + timedelta(days=100),
        key_results=[(0, 10, 0)],
    )
    response = login(cast.alice).get(url(goal), headers=HTMX)
    assert "Suggested from progress and time: Off track." in response.text


def test_a_check_in_without_changes_still_counts(login, cast, goal):
    Objective.objects.filter(pk=goal.pk).update(last_activity_at=days_ago(40))
    login(cast.alice).post(url(goal), post_values(goal, comment="Still on it"), headers=HTMX)
    update = ProgressUpdate.objects.get()
    assert (update.key_result, update.comment) == (None, "Still on it")
    goal.refresh_from_db()
    assert goal.last_activity_at > timezone.now() - timedelta(minutes=1)


def test_without_javascript_it_saves_and_goes_to_the_goal_with_a_message(login, cast, goal):
    kr = first_key_result(goal)
    client = login(cast.alice)
    response = client.post(url(goal), post_values(goal, **{f"kr_{kr.pk}": "6"}))
    assert response.status_code == 302
    assert response["Location"] == goal.get_absolute_url()
    kr.refresh_from_db()
    assert kr.current_value == 6
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Progress on “Grow the pipeline” is saved."]


def test_cancel_gives_the_row_back(login, cast, goal):
    response = login(cast.alice).get(url(goal), {"cancel": "1"}, headers=HTMX)
    assert response.text.lstrip().startswith('<li class="goal-row')
    assert "<form" not in response.text


def test_bob_may_update_the_goal_of_alice_who_reports_to_him(login, cast, goal):
    kr = first_key_result(goal)
    login(cast.bob).post(url(goal), post_values(goal, **{f"kr_{kr.pk}": "4"}), headers=HTMX)
    assert ProgressUpdate.objects.get().author == cast.bob


@pytest.mark.parametrize(("who", "status"), [("carol", 403), ("erin", 403), ("dave", 404)])
def test_who_may_see_but_not_change_gets_403_and_who_may_not_see_404(
    login, cast, goal, who, status
):
    kr = first_key_result(goal)
    client = login(getattr(cast, who))
    assert client.get(url(goal), headers=HTMX).status_code == status
    data = post_values(goal, **{f"kr_{kr.pk}": "9"})
    assert client.post(url(goal), data, headers=HTMX).status_code == status
    assert not ProgressUpdate.objects.exists()


def test_frank_the_administrator_may_not_know_a_private_goal_exists(login, cast):
    goal = make_goal(cast.alice, visibility="private")
    assert login(cast.frank).get(url(goal)).status_code == 404
    assert login(cast.carol).get(url(goal)).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, goal):
    assert client.post(url(goal), {"status": "done"}).status_code == 302
    assert not ProgressUpdate.objects.exists()
