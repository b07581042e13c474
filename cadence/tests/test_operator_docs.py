"""The README is what an operator follows: it must keep up with the code it describes.

Every environment variable the settings read is in its table, every app is in the layout
table, the import columns are the importer's, no link leads outside the repository, and the
`make` targets it names exist and take the variables it shows. Production installs only the
runtime packages: the code it runs imports nothing from the development and test tools.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from django.conf import settings

from people import importing

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
MAKE = shutil.which("make")
MAKE_VARIABLES = {
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
    "MAKEOVERRIDES",
    "MAKE_TERMOUT",
    "MAKE_TERMERR",
}
ENV_READERS = {"envbool", "envint", "envlist", "envstr"}


def section(title):
    """The README's text from a heading to the next heading of the same or a higher level
    (lines starting with "#" inside code blocks are not headings)."""
    lines, found, level, fenced = [], False, 0, False
    for line in README.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else re.match(r"(#+) (.*)", line)
        if heading and found and len(heading.group(1)) <= level:
            break
        if heading and heading.group(2) == title:
            found, level = True, len(heading.group(1))
        elif found:
            lines.append(line)
    assert found, f"the README has no section {title!r}"
    return "\n".join(lines)


def first_cells(text):
    """The backticked names in the first cell of each table row."""
    names = set()
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            names.update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return names


def variables_the_settings_read():
    tree = ast.parse((ROOT / "cadence" / "settings.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ENV_READERS
        and isinstance(node.args[0], ast.Constant)
    }


def test_the_readme_lists_every_environment_variable_the_settings_read():
    read = variables_the_settings_read()
    assert {"SECRET_KEY", "DATABASE_URL", "HTTPS", "LOG_LEVEL"} <= read  # the parse works
    listed = first_cells(section("2. Configure"))
    assert not read - listed, f"add to the README's table: {sorted(read - listed)}"
    assert not listed - read, f"the settings read no {sorted(listed - read)}"


def test_the_layout_table_lists_every_app():
    apps = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
    assert "people" in apps and "feedback" in apps
    listed = first_cells(section("Contributing"))
    missing = [app for app in apps if f"{app}/" not in listed]
    assert not missing, f"add to the README's layout table: {missing}"


def test_the_import_columns_are_the_importer_s():
    listed = first_cells(section("5. Importing people"))
    assert listed == set(importing.COLUMN_NAMES)


def test_no_link_leads_outside_the_repository():
    prose = re.sub(r"^```.*?^```", "", README, flags=re.MULTILINE | re.DOTALL)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    outside = re.findall(r"(?:https?://|www\.|mailto:)\S*", prose)
    assert not outside, f"links out of the repository: {outside}"
    targets = re.findall(r"\]\(([^)]+)\)", prose)
    assert "LICENSE" in targets
    for target in targets:
        path = target.split("#")[0]
        assert path, target
        assert not path.startswith(("/", "..")), target
        assert (ROOT / path).exists(), f"the README links to {target}, which does not exist"
    assert not re.search(r"`\.\./", README), "a path outside the repository"


def test_the_licence_is_the_agpl_and_the_readme_says_so():
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007")
    assert "13. Remote Network Interaction" in licence
    assert "END OF TERMS AND CONDITIONS" in licence
    assert "AGPL-3.0-or-later" in README
    assert 'license = "AGPL-3.0-or-later"' in (ROOT / "pyproject.toml").read_text()
    assert '"license": "AGPL-3.0-or-later"' in (ROOT / "package.json").read_text()


# --- make -----------------------------------------------------------------------------------------


def make(*args):
    """What `make` prints; with -n, the commands it would run (running none of them)."""
    # Under `make test` this is a sub-make: without make's own variables and with
    # --no-print-directory it prints what a person typing `make` sees ("make[1]: Entering
    # directory…" is not that).
    env = {key: value for key, value in os.environ.items() if key not in MAKE_VARIABLES}
    result = subprocess.run(
        [MAKE, "--no-print-directory", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def phony_targets():
    text = (ROOT / "Makefile").read_text()
    return re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE).group(1).split()


needs_make = pytest.mark.skipif(MAKE is None, reason="make is not installed")


@needs_make
def test_make_help_lists_every_target():
    listed = re.findall(r"^  make (\S+)", make("help"), re.MULTILINE)
    assert {"run", "test", "install", "install-prod", "demo", "bench"} <= set(listed)
    assert sorted(listed) == sorted(phony_targets())


@needs_make
def test_make_alone_lists_the_targets_and_runs_nothing_else():
    assert make() == make("help")
    assert all(line.startswith(("echo", "awk")) for line in make("-n").splitlines())


@needs_make
def test_every_target_the_readme_names_exists():
    named = set(re.findall(r"`make ([a-z-]+)", README))
    assert {"run", "test", "install", "install-prod", "demo", "bench"} <= named
    assert not named - set(phony_targets()), named - set(phony_targets())


@needs_make
def test_make_demo_takes_the_variables_the_readme_shows():
    example = re.search(r"`make demo ((?:[A-Z_]+=\d+ ?)+)`", README)
    assert example, "the README shows `make demo` with its variables"
    values = dict(pair.split("=") for pair in example.group(1).split())
    assert set(values) == {"DEMO_PEOPLE", "DEMO_YEARS", "DEMO_SEED"}
    changed = {name: str(int(value) + 7) for name, value in values.items()}

    commands = make("-n", "-B", "demo", *(f"{k}={v}" for k, v in changed.items()))

    demo = next(line for line in commands.splitlines() if "manage.py demo" in line)
    for name, option in [("DEMO_PEOPLE", "--people"), ("DEMO_YEARS", "--years")]:
        assert f"{option} {changed[name]}" in demo
    assert f"--seed {changed['DEMO_SEED']}" in demo and "--flush" in demo


@needs_make
def test_make_install_prod_installs_the_runtime_packages_only():
    commands = make("-n", "-B", "install-prod")
    assert "pip install --quiet -r requirements.txt" in commands
    assert "requirements-dev.txt" not in commands
    assert "npm ci" in commands  # the front-end files the pages load


# --- Runtime dependencies -------------------------------------------------------------------------


def requirement_names(path):
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[=<>\[ ;]", line)[0].lower().replace("_", "-"))
    return names


def runtime_modules():
    """The project's modules that a production installation runs: not tests, the benchmark,
    nor the test settings."""
    skip = {".venv", "node_modules", "build", "bench", "tests", "migrations", "staticfiles"}
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & skip or path.name in {"conftest.py", "test_settings.py"}:
            continue
        yield path


def test_production_code_imports_only_runtime_packages():
    runtime = requirement_names(ROOT / "requirements.txt")
    development = requirement_names(ROOT / "requirements-dev.txt") - runtime
    assert {"django", "gunicorn"} <= runtime and {"pytest", "ruff"} <= development
    distributions = packages_distributions()
    local = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}
    wrong = []
    for path in runtime_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in local:
                    continue
                names = {d.lower().replace("_", "-") for d in distributions.get(top, [])}
                if not names & runtime:
                    wrong.append(f"{path.relative_to(ROOT)}: {module}")
    assert not wrong, f"imports of packages not in requirements.txt: {wrong}"
