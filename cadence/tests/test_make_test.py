"""`make test` is the one command a contributor and CI run: it must check the formatting too,
not only the lint rules, so that an unformatted change fails there rather than in review."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")


def planned_commands(target):
    """The commands `make <target>` would run (make -n runs none of them)."""
    result = subprocess.run(
        [MAKE, "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [line.strip() for line in result.stdout.splitlines()]


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
@pytest.mark.parametrize("target", ["test", "lint"])
def test_make_checks_the_lint_rules_and_the_formatting_of_the_whole_tree(target):
    commands = planned_commands(target)
    assert ".venv/bin/ruff check ." in commands
    assert ".venv/bin/ruff format --check ." in commands


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_test_checks_before_it_runs_the_suite():
    commands = planned_commands("test")
    suite = next(i for i, command in enumerate(commands) if command.startswith(".venv/bin/pytest"))
    assert commands.index(".venv/bin/ruff format --check .") < suite
