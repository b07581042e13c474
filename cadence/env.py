"""Tiny helpers that read settings from the environment.

A value the helper cannot read stops start-up with ImproperlyConfigured naming the variable and
the value, rather than falling back silently: `HTTPS=ture` must not turn HTTPS off. A flag or
number that is unset or blank takes the default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def _read(name: str) -> str | None:
    """The variable's value without surrounding spaces, or None when it is unset or blank."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def envbool(name: str, default: bool = False) -> bool:
    value = _read(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} is {value!r}, which is neither true nor false: "
        f"use one of {', '.join(sorted(TRUE))} for true or {', '.join(sorted(FALSE))} for "
        "false (any case), or leave it unset or blank for the default."
    )


def envint(name: str, default: int) -> int:
    value = _read(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} is {value!r}, which is not a whole number: "
            "write it in digits (for example 60), or leave it unset or blank for the default."
        ) from None


def envlist(name: str, default: str = "") -> list[str]:
    """Comma-separated items, spaces around each and empty items dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envstr(name: str, default: str = "") -> str:
    """The value as written (any text is a valid string); unset takes the default."""
    return os.environ.get(name, default)
