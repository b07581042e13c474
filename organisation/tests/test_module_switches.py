"""A module switched off is gone: from the navigation, and from every page and API route of
it (404, for everyone), with its data kept; switched on again, it is all back."""

import pytest
from django.urls import reverse

from goals.models import Objective
from goals.tests.factories import make_goal
from organisation import current
from trust.models import AuditEntry

MODULES = reverse("organisation:modules")
ALL_ON = {
    "goals": "on",
    "conversations": "on",
    "feedback": "on",
    "reviews": "on",
    "growth": "on",
    "talent": "on",
    "surveys": "on",
    "insights": "on",
}


def _switch(client, **off):
    return client.post(MODULES, {k: v for k, v in ALL_ON.items() if k not in off})


def test_the_administrator_switches_goals_off_and_on(login, cast):
    goal = make_goal(cast.alice)
    admin = login(cast.frank)
    assert _switch(admin, goals=True).status_code == 302
    assert current.row().modules_off == ["goals"]
    alice = login(cast.alice)
    home = alice.get(reverse("home")).content.decode()
    assert 'class="nav-goals' not in home
    assert alice.get(reverse("goals:mine")).status_code == 404
    assert alice.get(reverse("goals:goal", args=[goal.pk])).status_code == 404
    api = alice.get("/api/v1/goals")
    assert api.status_code == 404
    assert "switched off" in api.json()["detail"]
    assert Objective.objects.filter(pk=goal.pk).exists()

    assert _switch(login(cast.frank)).status_code == 302
    alice = login(cast.alice)
    assert alice.get(reverse("goals:goal", args=[goal.pk])).status_code == 200
    assert 'class="nav-goals' in alice.get(reverse("home")).content.decode()
    entries = AuditEntry.objects.filter(action="organisation.modules_changed").order_by("pk")
    assert [e.changes["modules_off"] for e in entries] == [[[], ["goals"]], [["goals"], []]]


def test_a_switched_off_module_is_hidden_from_the_signed_out_too(client, cast):
    row = current.row()
    row.modules_off = ["conversations"]
    row.save()
    assert client.get(reverse("conversations:index")).status_code == 404


def test_360_reviews_are_off_with_feedback_and_may_be_off_alone(login, cast):
    admin = login(cast.frank)
    _switch(admin, reviews=True)
    alice = login(cast.alice)
    assert alice.get(reverse("feedback:reviews")).status_code == 404
    assert alice.get("/api/v1/reviews").status_code == 404
    assert alice.get(reverse("feedback:inbox")).status_code == 200

    _switch(login(cast.frank), feedback=True)
    alice = login(cast.alice)
    assert alice.get(reverse("feedback:inbox")).status_code == 404
    assert alice.get(reverse("feedback:reviews")).status_code == 404
    assert alice.get("/api/v1/feedback-requests").status_code == 404


@pytest.mark.parametrize("module", ["goals", "conversations", "feedback"])
def test_other_modules_stay_on(login, cast, module):
    _switch(login(cast.frank), **{module: True})
    alice = login(cast.alice)
    pages = {
        "goals": reverse("goals:mine"),
        "conversations": reverse("conversations:index"),
        "feedback": reverse("feedback:inbox"),
    }
    for key, url in pages.items():
        assert alice.get(url).status_code == (404 if key == module else 200), url
    assert alice.get(reverse("people:directory")).status_code == 200


def test_the_modules_page_shows_what_is_on(login, cast):
    _switch(login(cast.frank), conversations=True)
    page = login(cast.frank).get(MODULES)
    form = page.context["form"]
    assert form["goals"].value() is True
    assert form["conversations"].value() is False
    assert "Off whenever Feedback is off." in page.content.decode()
