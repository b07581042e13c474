"""One's own plan is read through the plans rules like anyone's: the Growth page's card, My
plan and the API ask `access.rules.visible(viewer, Plan)` for it, not the table directly."""

import pytest
from django.urls import reverse

from plans.models import Plan
from plans.rules import PlanRules


@pytest.fixture
def plan(cast):
    return Plan.objects.create(person=cast.alice, ambition="Lead the platform team")


def _seen(client) -> dict[str, bool]:
    growth = client.get(reverse("growth:index")).content.decode()
    mine = client.get(reverse("plans:mine")).content.decode()
    api = client.get(reverse("api:get_my_plan")).json()
    return {
        "growth": "Lead the platform team" in growth and "Open my plan" in growth,
        "mine": "Lead the platform team" in mine,
        "api": api["ambition"] == "Lead the platform team",
    }


def test_the_owner_sees_her_plan_everywhere(client, login, cast, framework, plan):
    login(cast.alice)
    assert _seen(client) == {"growth": True, "mine": True, "api": True}


def test_where_the_rules_say_no_nothing_shows_it(client, login, cast, framework, plan, monkeypatch):
    """Were the policy to keep her own plan from her, no page would read it past the policy."""
    monkeypatch.setattr(
        PlanRules, "visible", lambda self, viewer, queryset, action="view": queryset.none()
    )
    login(cast.alice)
    assert _seen(client) == {"growth": False, "mine": False, "api": False}
