"""Who sees which goal: the SQL filter and the per-object check agree with the rules."""

import pytest

from access.rules import can, visible
from access.viewer import Viewer
from goals.models import Objective
from goals.tests.factories import make_goal

EVERYONE = {"alice", "bob", "carol", "dave", "erin", "frank"}

# (owner, visibility) -> who may see it. Private = the owner and their direct manager only.
CASES = [
    ("alice", "public", EVERYONE),
    ("alice", "team", {"alice", "bob", "carol", "erin"}),
    ("alice", "private", {"alice", "bob"}),
    ("bob", "private", {"bob", "carol"}),
    ("dave", "team", {"dave", "erin"}),
    ("platform", "team", {"alice", "bob", "carol", "erin"}),
    ("engineering", "team", {"alice", "bob", "carol", "erin"}),
    ("sales", "team", {"dave", "erin"}),
    ("platform", "public", EVERYONE),
    ("company", "public", EVERYONE),
]


def goal_for(cast, owner, visibility):
    if owner == "company":
        return make_goal(None, visibility=visibility)
    if owner in {"platform", "engineering", "sales"}:
        return make_goal(None, team=getattr(cast, owner), visibility=visibility)
    return make_goal(getattr(cast, owner), visibility=visibility)


@pytest.mark.parametrize(("owner", "visibility", "allowed"), CASES)
def test_a_goal_is_seen_by_exactly_who_the_rules_say(cast, owner, visibility, allowed):
    goal = goal_for(cast, owner, visibility)
    for name in EVERYONE:
        viewer = Viewer(person=getattr(cast, name))
        in_sql = visible(viewer, Objective).filter(pk=goal.pk).exists()
        per_object = can(viewer, "view", goal)
        expected = name in allowed
        assert in_sql == expected, (name, "queryset")
        assert per_object == expected, (name, "object")


def test_nobody_signed_out_sees_any_goal(cast):
    make_goal(None, visibility="public")
    assert not visible(Viewer(person=None), Objective).exists()


def test_hr_scoped_to_a_team_sees_shared_goals_there_only(cast):
    from access.models import HRRole

    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    inside = make_goal(cast.dave, visibility="team")
    outside = make_goal(cast.alice, visibility="team")
    private = make_goal(cast.dave, visibility="private")
    viewer = Viewer(person=type(cast.erin).objects.get(pk=cast.erin.pk))
    seen = set(visible(viewer, Objective).values_list("pk", flat=True))
    assert inside.pk in seen
    assert outside.pk not in seen
    assert private.pk not in seen


def test_a_company_goal_is_seen_by_everyone_whatever_its_stored_visibility(cast):
    goal = make_goal(None)
    Objective.objects.filter(pk=goal.pk).update(visibility="team")
    goal.refresh_from_db()
    for name in EVERYONE:
        viewer = Viewer(person=getattr(cast, name))
        assert visible(viewer, Objective).filter(pk=goal.pk).exists()
        assert can(viewer, "view", goal)
