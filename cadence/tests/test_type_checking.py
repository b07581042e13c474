"""The type check is part of the build: `make test` runs mypy (with django-stubs) before the
tests, and the policy and the service modules are checked strictly."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STRICT_MODULES = {
    "accounts.sso",
    "notifications.mail",
    "notifications.digest",
    "access.*",
    "*.rules",
    "*.services",
    "*.erasure",
    "accounts.email_change",
    "accounts.invitations",
    "accounts.sessions",
    "accounts.throttle",
    "cadence.refusals",
    "conversations.health",
    "conversations.scheduling",
    "conversations.tally",
    "feedback.cycles",
    "feedback.reviewing",
    "feedback.services_cycles",
    "growth.changes",
    "growth.document",
    "growth.queries",
    "people.reporting",
    "plans.activity",
    "plans.readiness",
    "surveys.disclosure",
    "trust.exporting",
    "trust.services_export",
}


def test_make_test_runs_mypy_before_the_tests():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe is not None
    steps = [line.strip() for line in recipe.group(1).splitlines()]
    assert "$(BIN)/mypy" in steps
    pytest_step = next(i for i, step in enumerate(steps) if step.startswith("$(BIN)/pytest"))
    assert steps.index("$(BIN)/mypy") < pytest_step


def test_mypy_uses_django_stubs_and_is_strict_for_the_policy_and_services():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    assert "mypy_django_plugin.main" in config["mypy"]["plugins"]
    assert config["django-stubs"]["django_settings_module"] == "cadence.test_settings"
    strict = [
        override
        for override in config["mypy"]["overrides"]
        if override.get("disallow_untyped_defs") and override.get("disallow_any_generics")
    ]
    assert len(strict) == 1
    assert set(strict[0]["module"]) == STRICT_MODULES
    assert strict[0]["warn_return_any"] and strict[0]["disallow_untyped_calls"]
