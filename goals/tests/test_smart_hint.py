"""SMART hints: what a draft goal is missing, shown beside the editor, never blocking a save."""

from datetime import date

from django.urls import reverse

from goals.models import Objective
from goals.smart import hints, vague_words
from goals.tests.factories import make_goal
from goals.tests.test_goal_create import CREATE, DEALS, goal_data

Q3 = {"start": date(2026, 7, 1), "end": date(2026, 9, 30)}
DEALS_KR = {"title": "Deals closed", "type": "metric", "start": 0, "target": 12}
HTMX = {"HX-Request": "true"}


def codes(found):
    return [hint.code for hint in found]


def test_a_specific_measurable_goal_with_an_end_date_gets_no_hint():
    assert hints(title="Close 12 enterprise deals", key_results=[DEALS_KR], **Q3) == []


def test_vague_words_are_named():
    found = hints(title="Improve onboarding and do more etc", key_results=[DEALS_KR], **Q3)
    assert codes(found) == ["vague"]
    assert found[0].message == (
        "Vague words: “improve”, “more”, “etc”. Say what will be different, and by how much."
    )


def test_vague_words_count_as_whole_words_only():
    assert vague_words("Somewhere, moreover, a tryout") == []
    assert vague_words("Try to do BETTER, better") == ["try", "better"]


def test_vague_words_in_key_results_count_too():
    vague_kr = {**DEALS_KR, "title": "Some more deals"}
    assert codes(hints(title="Close deals", key_results=[vague_kr], **Q3)) == ["vague"]


def test_a_result_goal_without_a_measurable_key_result_is_pointed_out():
    milestone = {"title": "Launch the portal", "type": "milestone"}
    found = hints(title="Launch the portal", key_results=[milestone], **Q3)
    assert codes(found) == ["not_measurable"]
    assert found[0].message.startswith("No measurable key result")


def test_a_behavioural_or_learning_goal_needs_no_measurable_key_result():
    assert hints(title="Listen first in meetings", kind="behavioural", **Q3) == []
    assert hints(title="Learn Rust", kind="learning", **Q3) == []


def test_a_target_equal_to_the_start_is_pointed_out():
    flat = {**DEALS_KR, "start": "12.0", "target": 12}
    found = hints(title="Keep 12 customers", key_results=[flat], **Q3)
    assert codes(found) == ["target_is_start"]
    assert found[0].message == (
        "“Deals closed”: the target equals the start, so progress cannot be measured."
    )


def test_no_end_date_is_pointed_out():
    found = hints(title="Close 12 deals", key_results=[DEALS_KR], start=date(2026, 7, 1))
    assert codes(found) == ["no_end"]


def test_a_period_longer_than_a_year_is_pointed_out():
    found = hints(
        title="Close 12 deals",
        key_results=[DEALS_KR],
        start=date(2026, 1, 1),
        end=date(2027, 6, 30),
    )
    assert codes(found) == ["long_period"]
    assert found[0].message == (
        "The period is longer than a year: shorter goals are easier to revisit."
    )


def test_a_year_is_not_too_long():
    year = {"start": date(2028, 1, 1), "end": date(2028, 12, 31)}  # a leap year
    assert hints(title="Close 50 deals", key_results=[DEALS_KR], **year) == []


def test_a_long_title_is_pointed_out():
    found = hints(title="Close " + "very " * 20 + "big deals", key_results=[DEALS_KR], **Q3)
    assert codes(found) == ["long_title"]


# --- On the pages ---------------------------------------------------------------------------


def test_the_create_page_shows_the_hints_beside_the_editor(login, cast):
    response = login(cast.alice).get(CREATE)
    assert codes(response.context["hints"]) == ["not_measurable"]
    assert 'id="smart-hint"' in response.text
    assert 'hx-vals=\'{"hint": "1"}\'' in response.text


def test_a_hint_request_returns_only_the_hint(login, cast):
    data = goal_data(cast.alice, [DEALS], title="Improve our deals", hint="1")
    response = login(cast.alice).post(CREATE, data, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Vague words: “improve”." in response.text
    assert "No measurable key result" not in response.text


def test_a_hint_request_saves_nothing(login, cast):
    login(cast.alice).post(CREATE, goal_data(cast.alice, [DEALS], hint="1"), headers=HTMX)
    assert not Objective.objects.exists()


def test_a_hint_request_on_invalid_input_still_answers(login, cast):
    data = goal_data(cast.alice, [{**DEALS, "target_value": "nan"}], title="", hint="1")
    response = login(cast.alice).post(CREATE, data, headers=HTMX)
    assert response.status_code == 200
    assert "Before you save" in response.text


def test_the_hints_do_not_block_saving(login, cast):
    response = login(cast.alice).post(CREATE, goal_data(cast.alice, title="Try to improve"))
    assert response.status_code == 302


def test_the_adjust_page_shows_and_refreshes_the_hints_too(login, cast):
    goal = make_goal(cast.alice, title="Grow the pipeline", key_results=[(0, 10, 2)])
    url = reverse("goals:adjust", args=[goal.pk])
    client = login(cast.alice)
    assert client.get(url).context["hints"] == []
    data = {
        "title": "Maximize the pipeline",
        "start_date": goal.start_date,
        "end_date": goal.end_date,
        "visibility": "public",
        "hint": "1",
    }
    response = client.post(url, data, headers=HTMX)
    assert "Vague words: “maximize”." in response.text
    assert "<html" not in response.text
    goal.refresh_from_db()
    assert goal.title == "Grow the pipeline"
