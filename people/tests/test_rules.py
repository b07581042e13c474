"""The people rules: registered with `access`, read in the direction access → people models
(people.models never imports access), and the organisation-level permissions."""

import ast
from pathlib import Path

import pytest

from access import rules
from access.models import HRRole
from access.viewer import Viewer
from people.models import Person, Team
from people.rules import (
    CHANGE,
    VIEW_EMPLOYMENT,
    can_add_team,
    can_edit_team,
    can_import_people,
    can_manage_people,
)


def test_people_and_teams_are_registered_with_their_actions():
    registered = {rule.model: rule for rule in rules.registered()}
    assert registered[Person].actions == ("view", VIEW_EMPLOYMENT, CHANGE)
    assert registered[Team].actions == ("view", CHANGE)


def test_the_people_models_do_not_import_access():
    source = Path(__file__).resolve().parents[1] / "models.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    assert "access" not in imported


@pytest.mark.django_db
def test_employment_details_are_for_the_person_their_chain_and_hr_in_scope(cast):
    alice = cast.alice
    allowed = {
        person.email
        for person in Person.objects.all()
        if rules.can(Viewer(person=person), VIEW_EMPLOYMENT, alice)
    }
    groups = rules.who(alice, VIEW_EMPLOYMENT)
    named = {person.email for group in groups for person in group.people}
    assert allowed == named == {p.email for p in (alice, cast.bob, cast.carol, cast.erin)}
    words = rules.who_can(alice, VIEW_EMPLOYMENT)
    assert all(p.name in words for p in (alice, cast.bob, cast.carol, cast.erin))


@pytest.mark.django_db
def test_organisation_wide_work_needs_organisation_wide_hr_who_may_manage_people(cast):
    erin = Viewer(person=cast.erin)
    assert can_manage_people(erin) and can_import_people(erin) and can_add_team(erin)
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    scoped = Viewer(person=Person.objects.get(pk=cast.erin.pk))
    assert can_manage_people(scoped)
    assert not can_import_people(scoped) and not can_add_team(scoped)
    assert not can_edit_team(scoped, None)
    assert can_edit_team(scoped, cast.platform) and not can_edit_team(scoped, cast.sales)
    for nobody in (cast.alice, cast.bob, cast.frank):
        viewer = Viewer(person=nobody)
        assert not (can_manage_people(viewer) or can_import_people(viewer))
