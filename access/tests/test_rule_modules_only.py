"""The relationship primitives stay inside `access` and the rule modules: in an app whose
rules are registered, no page, form or API module composes visibility itself."""

from pathlib import Path

import pytest
from django.apps import apps

from access import rules

PRIMITIVES = (
    "access.relations",
    "from access import relations",
    "hr_covers_q",
    "chain_q",
    "self_q",
)


def app_modules_outside_rules():
    labels = {
        apps.get_containing_app_config(rule.model.__module__).label for rule in rules.registered()
    }
    for label in sorted(labels):
        root = Path(apps.get_app_config(label).path)
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root).parts
            if parts[0] in ("tests", "migrations") or parts == ("rules.py",):
                continue
            yield path


@pytest.mark.parametrize("path", list(app_modules_outside_rules()), ids=str)
def test_only_rule_modules_use_the_relationship_primitives(path):
    source = path.read_text()
    assert [word for word in PRIMITIVES if word in source] == []


def test_the_goals_modules_are_checked():
    assert any(
        path.parts[-2:] == ("goals", "views_goal.py") for path in app_modules_outside_rules()
    )
