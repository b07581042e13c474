"""Production settings come from the environment and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# What the tests set for themselves; each subprocess starts without them.
OWN = {
    "DEBUG",
    "DEMO",
    "DEMO_IN_PRODUCTION",
    "SECRET_KEY",
    "HTTPS",
    "SECURE_HSTS_PRELOAD",
    "DJANGO_SETTINGS_MODULE",
}


def run_python(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in OWN}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cadence.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args, **env):
    return run_python("manage.py", *args, **env)


def start_app(**env):
    """Import the WSGI application, as gunicorn does when it starts."""
    return run_python("-c", "import cadence.wsgi", **env)


def a_key():
    return secrets.token_urlsafe(50)


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=a_key(),
        ALLOWED_HOSTS="cadence.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_app_refuses_to_start_in_production_without_a_secret_key():
    result = start_app()
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_the_app_starts_in_production_with_a_secret_key():
    result = start_app(SECRET_KEY=a_key())
    assert result.returncode == 0, result.stderr


def test_demo_mode_starts_without_a_secret_key_in_development():
    result = run_manage("check", DEMO="1", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_demo_mode_refuses_to_start_outside_debug():
    result = start_app(DEMO="1", SECRET_KEY=a_key())
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEMO_IN_PRODUCTION" in result.stderr


def test_demo_mode_refuses_even_commands_outside_debug():
    result = run_manage("check", DEMO="1", SECRET_KEY=a_key())
    assert result.returncode != 0
    assert "DEMO_IN_PRODUCTION" in result.stderr


def test_demo_mode_starts_outside_debug_when_forced_with_a_key_of_its_own():
    result = start_app(DEMO="1", DEMO_IN_PRODUCTION="1", SECRET_KEY=a_key())
    assert result.returncode == 0, result.stderr


def test_forced_demo_mode_never_falls_back_to_the_development_key():
    result = start_app(DEMO="1", DEMO_IN_PRODUCTION="1")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_the_development_key_is_refused_outside_debug():
    result = start_app(SECRET_KEY="django-insecure-local-development-only")
    assert result.returncode != 0
    assert "SECRET_KEY is the published development key" in result.stderr


def read_setting(name, **env):
    """A setting as the settings module computes it from `env` (the apps need not load)."""
    code = f"from django.conf import settings; print(settings.{name})"
    result = run_python("-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_preload_is_off_by_default_in_production():
    assert read_setting("SECURE_HSTS_PRELOAD", SECRET_KEY=a_key()) == "False"
    assert read_setting("SECURE_HSTS_SECONDS", SECRET_KEY=a_key()) == "31536000"


def test_hsts_preload_is_opt_in():
    assert (
        read_setting("SECURE_HSTS_PRELOAD", SECRET_KEY=a_key(), SECURE_HSTS_PRELOAD="1") == "True"
    )
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=a_key(),
        ALLOWED_HOSTS="cadence.example.com",
        SECURE_HSTS_PRELOAD="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_mistyped_flag_stops_start_up_naming_the_variable_and_the_value():
    result = start_app(SECRET_KEY=a_key(), HTTPS="ture")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "HTTPS is 'ture'" in result.stderr


def test_a_mistyped_flag_stops_commands_too():
    result = run_manage("check", SECRET_KEY=a_key(), DEBUG="yes please")
    assert result.returncode != 0
    assert "DEBUG is 'yes please'" in result.stderr


def test_a_number_that_is_not_one_stops_start_up_naming_the_variable_and_the_value():
    result = start_app(SECRET_KEY=a_key(), LOGIN_FAILURE_LIMIT="five")
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT is 'five'" in result.stderr
    assert "whole number" in result.stderr


def test_flags_read_every_known_spelling():
    assert read_setting("SECURE_SSL_REDIRECT", SECRET_KEY=a_key(), HTTPS="Off") == "False"
    assert read_setting("SECURE_SSL_REDIRECT", SECRET_KEY=a_key(), HTTPS="YES") == "True"
    assert read_setting("SECURE_SSL_REDIRECT", SECRET_KEY=a_key(), HTTPS="") == "True"
