"""The audit log records 360 cycles created, changed and moved on, reports released, and the
organisation's settings, rhythms and conversation prompts changed, through their pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import ReviewCycle
from feedback.tests.factories import add_participant, make_cycle
from trust import audit
from trust.actions import ORGANISATION
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db

RHYTHMS = reverse("conversations:rhythms")
INHERIT = {"check_in": "inherit", "quarterly": "inherit", "development": "inherit"}


def only(action):
    found = list(AuditEntry.objects.filter(action=action))
    assert len(found) == 1, list(AuditEntry.objects.values_list("action", flat=True))
    return found[0]


def cycle_form(**overrides):
    day = timezone.localdate()
    data = {
        "name": "Autumn 360",
        "period_start": (day - timedelta(days=180)).isoformat(),
        "period_end": day.isoformat(),
        "nominations_due": (day + timedelta(days=7)).isoformat(),
        "answers_due": (day + timedelta(days=21)).isoformat(),
        "min_peers": "3",
        "max_peers": "8",
        "include_reports": "on",
    }
    return {**data, **overrides}


def test_creating_and_changing_a_cycle_is_recorded(login, cast):
    client = login(cast.erin)
    client.post(reverse("feedback:cycle_create"), cycle_form())
    cycle = ReviewCycle.objects.get()
    created = only("feedback.cycle_created")
    assert (created.actor_id, created.target) == (
        cast.erin.pk,
        f"feedback.reviewcycle:{cycle.pk}",
    )
    assert created.changes["name"] == [None, "Autumn 360"]
    assert created.changes["scope"] == [None, ORGANISATION]
    assert created.changes["max_peers"] == [None, 8]
    client.post(
        reverse("feedback:cycle_edit", args=[cycle.pk]),
        cycle_form(name="Autumn 360°", max_peers="6"),
    )
    assert only("feedback.cycle_changed").changes == {
        "name": ["Autumn 360", "Autumn 360°"],
        "max_peers": [8, 6],
    }


def test_moving_a_cycle_on_is_recorded_once(login, cast):
    cycle = make_cycle(status="draft")
    add_participant(cycle, cast.alice)
    client = login(cast.erin)
    url = reverse("feedback:cycle_advance", args=[cycle.pk])
    client.post(url, {"to": "nominating", "confirm": "yes"})
    client.post(url, {"to": "nominating", "confirm": "yes"})  # a second click moves nothing
    moved = only("feedback.cycle_moved")
    assert (moved.actor_id, moved.target) == (cast.erin.pk, f"feedback.reviewcycle:{cycle.pk}")
    assert moved.changes == {"status": ["draft", "nominating"]}


def test_releasing_a_report_is_recorded_about_its_participant(login, cast):
    participant = add_participant(make_cycle(status="closed"), cast.alice)
    login(cast.bob).post(reverse("feedback:release", args=[participant.pk]), {"confirm": "yes"})
    released = only("feedback.report_released")
    assert (released.actor_id, released.subject_id) == (cast.bob.pk, cast.alice.pk)


def test_the_feedback_and_goal_settings_are_recorded_when_they_change(login, cast):
    client = login(cast.erin)
    client.post(reverse("feedback:settings"), {"anonymity_threshold": "5"})
    client.post(reverse("feedback:settings"), {"anonymity_threshold": "5"})
    client.post(reverse("goals:settings"), {"stale_after_weeks": "6"})
    assert only("feedback.settings_changed").changes == {"anonymity_threshold": [3, 5]}
    goals = only("goals.settings_changed")
    assert (goals.actor_id, goals.changes) == (cast.erin.pk, {"stale_after_weeks": [3, 6]})


def test_rhythms_are_recorded_at_every_level(login, cast):
    login(cast.erin).post(RHYTHMS, {"check_in": "2", "quarterly": "3", "development": "6"})
    login(cast.bob).post(
        reverse("conversations:team_rhythm", args=[cast.platform.pk]), {**INHERIT, "check_in": "3"}
    )
    login(cast.bob).post(
        reverse("conversations:pair_rhythm", args=[cast.alice.pk]), {**INHERIT, "quarterly": "6"}
    )
    default, team, pair = AuditEntry.objects.filter(action="conversations.rhythm_changed").order_by(
        "id"
    )
    assert (default.actor_id, default.subject_id, default.target) == (cast.erin.pk, None, "")
    assert default.changes == {"check_in": [1, 2]}
    assert (team.actor_id, team.target) == (cast.bob.pk, f"people.team:{cast.platform.pk}")
    assert team.changes == {"check_in": [None, 3]}
    assert (pair.actor_id, pair.subject_id) == (cast.bob.pk, cast.alice.pk)
    assert pair.changes == {"quarterly": [None, 6]}


def test_conversation_prompts_are_recorded_when_changed_and_set_back(login, cast):
    client = login(cast.erin)
    url = reverse("conversations:template_edit", args=["check_in"])
    client.post(url, {"text": "How are you\n- Anything on your mind?"})
    client.post(url, {"reset": "1"})
    changed = only("conversations.template_changed")
    assert changed.changes == {
        "kind": "check_in",
        "text": [None, "How are you\n- Anything on your mind?"],
    }
    reset = only("conversations.template_reset")
    assert reset.changes == {
        "kind": "check_in",
        "text": ["How are you\n- Anything on your mind?", None],
    }
    client.post(url, {"reset": "1"})  # ours already: nothing changes, nothing is recorded
    assert AuditEntry.objects.count() == 2
    assert audit.verify() == (2, None)


def test_people_added_to_and_taken_out_of_a_cycle_are_recorded_about_each(login, cast):
    cycle = make_cycle("Autumn 360", status="draft")
    client = login(cast.erin)
    url = reverse("feedback:cycle_participants", args=[cycle.pk])
    client.post(url, {"action": "add_team", "team": cast.platform.pk})
    added = AuditEntry.objects.filter(action="feedback.participant_added")
    assert sorted(added.values_list("subject_id", flat=True)) == sorted(
        [cast.alice.pk, cast.bob.pk]
    )
    assert {entry.target for entry in added} == {f"feedback.reviewcycle:{cycle.pk}"}
    alice = cycle.participants.get(person=cast.alice)
    client.post(url, {"action": "remove", "participant": alice.pk})
    removed = only("feedback.participant_removed")
    assert (removed.actor_id, removed.subject_id) == (cast.erin.pk, cast.alice.pk)
    # Alice sees both among the changes about her.
    page = login(cast.alice).get(reverse("trust:changes")).content.decode()
    assert "Added to a 360 cycle" in page and "Taken out of a 360 cycle" in page


def test_goal_templates_added_and_changed_are_recorded(login, cast):
    from goals.models import GoalTemplate
    from goals.tests.test_goal_templates import template_data

    client = login(cast.erin)
    client.post(reverse("goals:template_create"), template_data())
    template = GoalTemplate.objects.get()
    added = only("goals.template_added")
    assert added.changes["title"] == [None, "Grow as a reviewer"]
    edit = reverse("goals:template_edit", args=[template.pk])
    client.post(edit, template_data(title="Grow as a mentor"))
    changed = only("goals.template_changed")
    assert changed.changes["title"] == ["Grow as a reviewer", "Grow as a mentor"]
    client.post(edit, template_data(title="Grow as a mentor"))  # nothing changed
    assert AuditEntry.objects.filter(action="goals.template_changed").count() == 1
