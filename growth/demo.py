"""The demo organisation's competency framework: our starter framework in the organisation's
language, published by HR at the start of the demo's history, its tracks holding the demo's
job roles (managers' roles on the management track, every other role but the executives' on
the individual contributor track), so that everyone below the executives has a role profile.
A handful of rows, the same for every seed and size."""

from __future__ import annotations

from datetime import UTC, datetime, time

from growth import services
from growth.models import FrameworkVersion
from organisation import current
from people.demo import DIVISIONS, EXECUTIVE, DemoOrg, flush_step, history_builder

MANAGEMENT = sorted({division.manager_role for division in DIVISIONS})


def framework_text(language: str, roles: list[str]) -> str:
    """The starter framework with the demo's roles on its tracks."""
    managers = [role for role in MANAGEMENT if role in roles]
    contributors = sorted(role for role in roles if role not in managers and role != EXECUTIVE)
    text = services.starter_text(language)
    for track, names in (("individual-contributor", contributors), ("management", managers)):
        head, tail = text.split(f"- key: {track}\n", 1)
        listed = "".join(f"\n  - {name}" for name in names)
        text = f"{head}- key: {track}\n" + tail.replace("  roles: []", f"  roles:{listed}", 1)
    return text


@history_builder
def competency_framework(org: DemoOrg) -> None:
    if FrameworkVersion.objects.exists():  # kept from an earlier run: it is the organisation's
        return
    text = framework_text(current.settings().language, sorted(org.roles))
    at = datetime.combine(org.history_start, time(9), tzinfo=UTC)
    note = "Started from Cadence's starter framework, with our job roles on its tracks."
    version = services.publish_as(org.hr, text, note=note, base=0, at=at, audited=False)
    org.counts["competencies"] = version.competencies.count()


@flush_step
def delete_framework() -> None:
    """Versions name who published them (people, flushed next)."""
    FrameworkVersion.objects.all().delete()
