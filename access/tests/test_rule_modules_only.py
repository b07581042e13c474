"""The relationship primitives stay inside `access` and the rule modules: no page, form, API,
service or task module of any app composes visibility itself; it asks `access.rules`."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from access import rules

PRIMITIVES = (
    "access.relations",
    "from access import relations",
    "hr_covers_q",
    "chain_q",
    "self_q",
)


def app_modules_outside_rules():
    """Every module of the product's own apps (those in this repository) but `access` itself,
    their rule modules, tests and migrations."""
    base = Path(settings.BASE_DIR)
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        root = Path(config.path)
        if root.parent != base or config.name == "access":
            continue
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root).parts
            if parts[0] in ("tests", "migrations") or parts == ("rules.py",):
                continue
            yield path


@pytest.mark.parametrize("path", list(app_modules_outside_rules()), ids=str)
def test_only_rule_modules_use_the_relationship_primitives(path):
    source = path.read_text()
    assert [word for word in PRIMITIVES if word in source] == []


def test_every_domain_with_rules_is_checked():
    checked = {path.parts[-2] for path in app_modules_outside_rules()}
    with_rules = {
        apps.get_containing_app_config(rule.model.__module__).name for rule in rules.registered()
    }
    assert with_rules == {
        "goals",
        "conversations",
        "feedback",
        "growth",
        "people",
        "notifications",
        "trust",
        "plans",
        "succession",
        "surveys",
        "mobility",
        "talentreview",
        "webhooks",
    }
    assert with_rules | {"cadence", "accounts"} <= checked
