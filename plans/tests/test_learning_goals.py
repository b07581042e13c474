"""A plan's learning goals are goals, written by the goals module (`goals.services`) with the
competency they develop: nothing of the plans module writes to a goal behind its back."""

import pytest
from django.db.models.signals import post_save
from django.urls import reverse

from goals.models import Objective
from growth.queries import current
from plans.models import PlanGoal


@pytest.fixture
def saved_goals():
    """What each save of a goal wrote (as the goals module's own saves see it)."""
    seen: list[tuple[str, int | None]] = []

    def note(sender, instance, **kwargs):
        seen.append((instance.title, instance.competency_id))

    post_save.connect(note, sender=Objective, weak=False)
    yield seen
    post_save.disconnect(note, sender=Objective)


def test_the_goal_is_saved_with_the_competency_it_develops(
    client, login, cast, framework, saved_goals
):
    login(cast.alice)
    response = client.post(
        reverse("plans:add_goal"),
        {"title": "Run a retrospective", "period": "this_quarter", "competency": "communication"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    communication = next(c for c in current().competencies if c.key == "communication")
    goal = PlanGoal.objects.get().objective
    assert (goal.title, goal.kind, goal.competency_id) == (
        "Run a retrospective",
        "learning",
        communication.pk,
    )
    # Every save of the goal carried it: no write set it afterwards, past the goals module.
    assert saved_goals and all(c == communication.pk for _title, c in saved_goals)


def test_no_competency_in_particular(client, login, cast, framework):
    login(cast.alice)
    client.post(reverse("plans:add_goal"), {"title": "Read", "period": "this_quarter"})
    assert PlanGoal.objects.get().objective.competency_id is None


def test_a_competency_outside_the_framework_is_refused_on_the_form(client, login, cast, framework):
    login(cast.alice)
    response = client.post(
        reverse("plans:add_goal"),
        {"title": "Juggle", "period": "this_quarter", "competency": "juggling"},
    )
    assert response.status_code == 200
    assert not Objective.objects.exists()
