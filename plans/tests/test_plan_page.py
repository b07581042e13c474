"""The plan page: the owner writes it; their manager reads and coaches; nobody else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import ActionStatus, Plan, PlanAction, PlanShare

MINE = reverse("plans:mine")


def test_an_employee_without_a_plan_sees_an_empty_one_to_write(client, login, cast):
    login(cast.alice)
    response = client.get(MINE)
    assert response.status_code == 200
    assert "My development plan" in response.content.decode()
    assert not Plan.objects.exists()  # reading writes nothing


def test_the_owner_writes_ambition_target_and_focus(client, login, cast, framework):
    login(cast.alice)
    response = client.post(
        MINE,
        {
            "ambition": "Lead the platform team",
            "target": "management-4",
            "focus": ["developing-people"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get(person=cast.alice)
    assert (plan.ambition, plan.target_step_id, plan.focus) == (
        "Lead the platform team",
        "management-4",
        ["developing-people"],
    )
    assert plan.active_periods.filter(end__isnull=True).count() == 1


def test_an_unknown_target_is_refused_on_the_form(client, login, cast, framework):
    login(cast.alice)
    response = client.post(MINE, {"ambition": "x", "target": "nowhere-9"})
    assert response.status_code == 200
    assert not Plan.objects.filter(ambition="x").exists()


def test_the_owner_adds_an_action(client, login, cast):
    login(cast.alice)
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("plans:add_action"),
        {
            "kind": "course",
            "title": "Facilitation course",
            "status": "planned",
            "due_date": due.isoformat(),
            "support": "Two days off",
            "cost": "450.00",
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert (action.title, action.plan.person) == ("Facilitation course", cast.alice)


@pytest.fixture
def plan(cast):
    plan = Plan.objects.create(person=cast.alice, ambition="Grow into leading")
    PlanAction.objects.create(plan=plan, kind="course", title="Course", support="Time")
    return plan


def test_the_manager_reads_the_plan_and_coaches(client, login, cast, plan):
    login(cast.bob)
    response = client.get(reverse("plans:plan", args=[plan.pk]))
    assert response.status_code == 200
    assert "Grow into leading" in response.content.decode()
    action = plan.actions.get()
    response = client.post(
        reverse("plans:coach_action", args=[action.pk]),
        {"comment": "Good choice", "confirm_support": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.manager_comment == "Good choice" and action.support_confirmed_by == cast.bob
    response = client.post(reverse("plans:action_status", args=[action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "frank"])
def test_nobody_else_knows_the_plan_exists(client, login, cast, plan, who):
    login(getattr(cast, who))
    assert client.get(reverse("plans:plan", args=[plan.pk])).status_code == 404


def test_a_previous_manager_loses_the_plan_when_the_line_changes(client, login, cast, plan):
    cast.alice.manager = cast.carol
    cast.alice.save()
    login(cast.bob)
    assert client.get(reverse("plans:plan", args=[plan.pk])).status_code == 404
    login(cast.carol)
    assert client.get(reverse("plans:plan", args=[plan.pk])).status_code == 200


def test_shared_then_taken_back(client, login, cast, plan):
    share = PlanShare.objects.create(plan=plan, person=cast.dave)
    login(cast.dave)
    assert client.get(reverse("plans:plan", args=[plan.pk])).status_code == 200
    login(cast.alice)
    assert client.post(reverse("plans:revoke_share", args=[share.pk])).status_code == 302
    login(cast.dave)
    assert client.get(reverse("plans:plan", args=[plan.pk])).status_code == 404


def test_hr_sees_coverage_not_content(client, login, cast, plan):
    login(cast.erin)
    page = client.get(reverse("plans:coverage")).content.decode()
    assert cast.alice.name in page
    assert "Grow into leading" not in page and "Course" not in page


def test_a_share_recipient_reads_the_plan_but_not_the_owners_levels(client, login, cast):
    """Sharing a plan shares the plan: the gap and readiness are made of assessed levels, which
    are the owner's and their manager's (`growth.rules.sees_levels_of`)."""
    from growth.tests.factories import cast_framework
    from growth.tests.helpers import rated

    cast_framework(cast)
    rated(cast, mine=4, theirs=2)  # Bob's rating of Alice's communication, shared with her
    plan = Plan.objects.create(person=cast.alice, target_track="management", target_level=4)
    PlanShare.objects.create(plan=plan, person=cast.dave)
    url = reverse("plans:plan", args=[plan.pk])
    login(cast.bob)
    page = client.get(url).content.decode()
    assert 'class="readiness' in page and 'data-label="Now">2 · ' in page
    login(cast.dave)
    page = client.get(url).content.decode()
    assert "seen by them and their manager only" in page
    assert 'class="readiness' not in page and 'data-label="Now"' not in page
    assert "Not assessed" not in page and "Expected at the target" in page


def test_the_manager_reading_the_levels_is_in_the_owners_access_log(client, login, cast):
    from growth.tests.factories import cast_framework
    from growth.tests.helpers import rated
    from trust.models import AccessLogEntry

    cast_framework(cast)
    rated(cast, mine=4, theirs=2)
    plan = Plan.objects.create(person=cast.alice, target_track="management", target_level=4)
    login(cast.bob)
    client.get(reverse("plans:plan", args=[plan.pk]))
    kinds = set(
        AccessLogEntry.objects.filter(subject=cast.alice, viewer=cast.bob).values_list(
            "kind", flat=True
        )
    )
    assert "growth.manager_ratings" in kinds
