"""Apps talk through models, services, queries and the documented extension points, never
through each other's views, API or periodic work: no module of one app imports another app's
`views*`, `api` or `reminders` module. Only the project's assembly may: the URL map
(`cadence/urls.py`) mounts pages and the API (`cadence/api.py`) mounts each app's router. Tests
may: a test drives the real path (every e-mail by the reminder that sends it, say)."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ASSEMBLY = {"cadence/urls.py", "cadence/api.py"}


def local_apps() -> dict[str, Path]:
    """The product's own apps (those in this repository), by package name."""
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.parent == ROOT:
            found[config.name] = path
    return found


def imported_modules(tree: ast.AST):
    """(line, dotted name) of every module an import names, inside functions too."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # `from goals import views_lists`
                yield node.lineno, f"{node.module}.{alias.name}"


def is_private_surface(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 1 and (parts[1].startswith("views") or parts[1] in {"api", "reminders"})


def crossings() -> list[str]:
    own = local_apps()
    found = []
    for app, path in own.items():
        for source in sorted(path.rglob("*.py")):
            relative = source.relative_to(ROOT).as_posix()
            if relative in ASSEMBLY or "/tests/" in relative:
                continue
            tree = ast.parse(source.read_text(encoding="utf-8"), filename=relative)
            for line, module in imported_modules(tree):
                other = module.split(".")[0]
                if other in own and other != app and is_private_surface(module):
                    found.append(f"{relative}:{line} imports {module}")
    return sorted(set(found))


def test_the_walk_sees_every_app():
    assert {"people", "access", "accounts", "goals", "conversations", "feedback"} <= set(
        local_apps()
    )


def test_no_app_imports_another_apps_views_api_or_reminders():
    assert crossings() == []


def test_the_check_would_catch_one():
    source = "def f():\n    from goals import views_lists\nimport feedback.api\n"
    modules = {m for _line, m in imported_modules(ast.parse(source)) if is_private_surface(m)}
    assert modules == {"goals.views_lists", "feedback.api"}
