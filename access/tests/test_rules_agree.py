"""Every registered rule agrees with itself: for every protected model, every action it
declares and every viewer of a generated organisation, the SQL filter (`visible`) keeps exactly
the objects the per-object check (`can`) allows, and `who_can` has words and `who` groups for
every object.

New registrations are picked up by themselves; their objects come from the app's
`tests/population.py` (see `access/tests/population.py`).
"""

import pytest

from access import rules
from access.tests.population import build
from access.viewer import Viewer


def disagreements(org) -> list[str]:
    found = []
    for rule in rules.registered():
        model = rule.model
        objects = list(model._default_manager.all())
        assert objects, f"Nothing to check {type(rule).__name__} on: add {model.__name__} objects"
        for obj in objects:
            assert rules.who_can(obj), f"{type(rule).__name__}.who_can({obj.pk}) is empty"
        # And who, as groups of people (`test_who_agrees` checks them against `can`).
        answers = rules.who_of(list(rule.for_who(model._default_manager.all())))
        assert len(answers) == len(objects), type(rule).__name__
        smallest = rules.min_group_size(model)
        assert smallest is None or smallest >= 2, f"{type(rule).__name__}: a group of one?"
        for name, person in org.viewers.items():
            viewer = Viewer(person=person)
            for action in rule.actions:
                in_sql = set(rules.visible(viewer, model, action).values_list("pk", flat=True))
                allowed = {obj.pk for obj in objects if rules.can(viewer, action, obj)}
                if in_sql != allowed:
                    found.append(
                        f"{type(rule).__name__} {action!r} for {name}: only in SQL "
                        f"{sorted(in_sql - allowed)}, only per object {sorted(allowed - in_sql)}"
                    )
    return found


@pytest.mark.django_db
def test_the_sql_filter_and_the_object_check_agree_for_every_rule_action_and_viewer(cast):
    org = build(cast)
    assert disagreements(org) == []


def test_every_protected_goals_model_is_registered():
    from goals.models import Adjustment, GoalTemplate, KeyResult, Objective, ProgressUpdate

    models = {rule.model for rule in rules.registered()}
    assert {Objective, KeyResult, ProgressUpdate, Adjustment, GoalTemplate} <= models


def test_every_protected_people_model_is_registered():
    from people.models import Person, Team

    models = {rule.model for rule in rules.registered()}
    assert {Person, Team} <= models
