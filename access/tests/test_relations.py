"""The relationship primitives: each SQL condition keeps exactly what its check on one object
allows, for every viewer of the cast, and each relation means what its name says."""

import pytest

from access import relations
from access.models import HRRole
from access.viewer import Viewer
from goals.models import Objective
from goals.tests.factories import make_goal
from people.models import Person

NAMES = ("alice", "bob", "carol", "dave", "erin", "frank")

PERSON_RELATIONS = {
    "self": (relations.self_q, lambda viewer, person: relations.is_self(viewer, person.pk)),
    "reports": (relations.reports_q, relations.is_report),
    "below": (relations.below_q, relations.is_below),
    "team-mates": (relations.team_mates_q, relations.is_team_mate),
    "HR scope": (relations.hr_covers_q, relations.hr_covers),
}


def viewer(cast, name) -> Viewer:
    if name is None:
        return Viewer(person=None)
    return Viewer(person=Person.objects.get(pk=getattr(cast, name).pk))


def short(person) -> str:
    return person.email.split("@")[0]


def people_where(condition) -> set[str]:
    return {short(person) for person in Person.objects.filter(condition)}


def team_goals(cast) -> dict[int, str]:
    """A goal of each team, so that team relations are seen at "owner_team" as rules use them."""
    teams = (cast.engineering, cast.platform, cast.sales, cast.people_team)
    return {make_goal(None, team=team).pk: team.name for team in teams}


def teams_where(goals, condition) -> set[str]:
    return {goals[pk] for pk in Objective.objects.filter(condition).values_list("pk", flat=True)}


@pytest.mark.parametrize("relation", PERSON_RELATIONS)
@pytest.mark.parametrize("name", [*NAMES, None])
def test_a_person_relation_holds_in_sql_exactly_where_it_holds_for_one_person(cast, relation, name):
    q, check = PERSON_RELATIONS[relation]
    who = viewer(cast, name)
    assert people_where(q(who)) == {short(p) for p in Person.objects.all() if check(who, p)}


@pytest.mark.parametrize("name", [*NAMES, None])
def test_a_team_relation_holds_in_sql_exactly_where_it_holds_for_one_team(cast, name):
    goals = team_goals(cast)
    who = viewer(cast, name)
    teams = {goal.owner_team for goal in Objective.objects.select_related("owner_team")}
    assert teams_where(goals, relations.within_q(who, "owner_team")) == {
        team.name for team in teams if relations.is_within(who, team)
    }
    assert teams_where(goals, relations.hr_covers_team_q(who, "owner_team")) == {
        team.name for team in teams if relations.hr_covers_team(who, team)
    }


def test_self_is_the_viewer_alone(cast):
    assert people_where(relations.self_q(viewer(cast, "alice"))) == {"alice"}


def test_reports_are_direct_and_below_is_every_depth(cast):
    carol = viewer(cast, "carol")
    assert people_where(relations.reports_q(carol)) == {"bob"}
    assert people_where(relations.below_q(carol)) == {"bob", "alice"}
    assert people_where(relations.below_q(viewer(cast, "alice"))) == set()


def test_team_mates_are_the_people_of_the_viewers_own_team(cast):
    assert people_where(relations.team_mates_q(viewer(cast, "alice"))) == {"alice", "bob"}
    assert people_where(relations.team_mates_q(viewer(cast, "frank"))) == set()  # no team


def test_a_member_is_within_their_team_and_every_team_above_it(cast):
    goals = team_goals(cast)
    alice = viewer(cast, "alice")
    assert teams_where(goals, relations.within_q(alice, "owner_team")) == {
        "Platform",
        "Engineering",
    }
    carol = viewer(cast, "carol")
    assert teams_where(goals, relations.within_q(carol, "owner_team")) == {"Engineering"}


def test_organisation_wide_hr_covers_everyone_and_scoped_hr_its_teams_below(cast):
    erin = viewer(cast, "erin")
    assert people_where(relations.hr_covers_q(erin)) == set(NAMES)
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    erin = viewer(cast, "erin")
    assert people_where(relations.hr_covers_q(erin)) == {"alice", "bob", "carol"}
    goals = team_goals(cast)
    assert teams_where(goals, relations.hr_covers_team_q(erin, "owner_team")) == {
        "Engineering",
        "Platform",
    }


def test_an_administrator_is_covered_by_nothing_of_hr(cast):
    frank = viewer(cast, "frank")
    assert people_where(relations.hr_covers_q(frank)) == set()
    assert not relations.hr_manages_people(frank)


def test_hr_manages_people_only_with_the_right_to(cast):
    assert relations.hr_manages_people(viewer(cast, "erin"))
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    assert not relations.hr_manages_people(viewer(cast, "erin"))


def test_participants_are_the_people_an_object_names(cast):
    goal = make_goal(cast.alice)
    goal.created_by = cast.bob
    goal.save()
    for name, expected in {"alice": True, "bob": True, "carol": False, None: False}.items():
        who = viewer(cast, name)
        in_sql = Objective.objects.filter(
            relations.participant_q(who, "owner_person", "created_by"), pk=goal.pk
        ).exists()
        assert in_sql is expected
        assert relations.is_participant(who, goal, "owner_person", "created_by") is expected


@pytest.mark.parametrize("relation", PERSON_RELATIONS)
def test_nobody_signed_out_is_related_to_anyone(cast, relation):
    q, check = PERSON_RELATIONS[relation]
    nobody = Viewer(person=None)
    assert people_where(q(nobody)) == set()
    assert not any(check(nobody, person) for person in Person.objects.all())
