"""CONTRIBUTING.md is the developers' guide: it stays in step with the code it describes."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GUIDE = (ROOT / "CONTRIBUTING.md").read_text()


def test_the_readme_sends_developers_to_the_guide():
    assert "`CONTRIBUTING.md`" in (ROOT / "README.md").read_text()


def test_the_layout_lists_every_app_of_the_product():
    ours = [config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT]
    assert {"people", "access", "goals"} <= set(ours)
    missing = [name for name in ours if f"| `{name}/` |" not in GUIDE]
    assert not missing, f"add to CONTRIBUTING.md's layout table: {missing}"


def test_every_file_it_names_exists():
    """Paths written as `dir/file.ext` (not placeholders like `<app>/rules.py` or the example
    module `growth/`) must exist, so the guide cannot point at code that moved."""
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.(?:py|md))`", GUIDE))
    assert "access/rules.py" in named and "goals/rules.py" in named
    # "tests/population.py" and the like are a module's own files, named for every module.
    own = ("growth/", "tests/")
    gone = sorted(path for path in named if not path.startswith(own) and not (ROOT / path).exists())
    assert not gone, f"CONTRIBUTING.md names files that do not exist: {gone}"


def test_every_module_it_teaches_from_has_its_rules_and_services():
    for app in ("goals", "conversations", "feedback", "people"):
        assert (ROOT / app / "rules.py").exists(), app
    for app in ("goals", "conversations", "feedback"):
        assert (ROOT / app / "services.py").exists(), app
