"""The pilot scope: while the organisation pilots Cadence (`OrgSettings.pilot`), it runs only in
the pilot teams (`PilotTeam`) and the teams within them. Without a pilot, everyone is in scope.

People outside the scope (their team is in no pilot team, or they have no team) see the
directory, their own profile and My data, but no module: the modules' pages and API answer 404
(`organisation.middleware`), the navigation leaves them out, and they receive nothing (no
reminder, notification or invitation), are not scheduled for conversations, and appear in no
module's lists or pickers. Every such list filters with one condition, `in_scope_q`:

    Person.objects.current().filter(in_scope_q())
    Conversation.objects.filter(everyone_in_scope_q("employee__", "manager__"))  # .in_scope()

The pilot paths come from `organisation.current` (kept per process): the condition costs no
query of its own, and `in_scope(person)` none for a person loaded with their team (the
signed-in person is).

Organisation-wide HR and HR for a part of the organisation run the roll-out: outside the scope
they still reach the modules' pages (to set rhythms, templates and 360 cycles for the pilot),
but they too are never scheduled, reminded or offered in a list while outside.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadence import modules
from organisation import current

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person


def _outermost(paths: Iterable[str]) -> list[str]:
    """The paths without those within another (a pilot team inside a pilot team adds nobody)."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return sorted(kept)


def paths_q(field: str, paths: Iterable[str]) -> Q:
    """SQL condition: the team path `field` lies within one of `paths` (none: nothing does)."""
    outer = _outermost(paths)
    if not outer:
        return Q(**{f"{field}__in": []})
    condition = Q()
    for path in outer:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def in_scope_q(prefix: str = "") -> Q:
    """SQL condition: the person at `prefix` ("" for a Person query, "employee__" for a
    conversation's employee) is inside the pilot scope; no condition without a pilot."""
    org = current.settings()
    if not org.pilot:
        return Q()
    return paths_q(f"{prefix}team__path", org.pilot_paths)


def everyone_in_scope_q(*prefixes: str) -> Q:
    """SQL condition: each person at `prefixes` is inside the pilot scope, as for what two
    people share (a conversation's employee and manager, a feedback's giver and receiver): what
    involves someone outside is in nobody's list. No condition without a pilot."""
    condition = Q()
    for prefix in prefixes:
        condition &= in_scope_q(prefix)
    return condition


def team_in_scope_q(prefix: str = "") -> Q:
    """SQL condition: the team at `prefix` ("" for a Team query) is inside the pilot scope."""
    org = current.settings()
    if not org.pilot:
        return Q()
    return paths_q(f"{prefix}path", org.pilot_paths)


def in_scope(person: Person) -> bool:
    """Is the person inside the pilot scope? No query without a pilot, nor for a person loaded
    with their team."""
    org = current.settings()
    if not org.pilot:
        return True
    team = person.team if person.team_id is not None else None
    return org.in_pilot(team.path if team is not None else None)


def sees_modules(viewer: Viewer) -> bool:
    """May the viewer use the modules' pages: inside the scope, or HR running the roll-out."""
    person = viewer.person
    if person is None or not current.settings().pilot:
        return True
    return in_scope(person) or viewer.is_hr


def refusal(path: str, viewer: Viewer) -> str | None:
    """Why the module page or API route at `path` answers 404 to the viewer outside the pilot
    scope; None when it does not."""
    module = modules.owning(path)
    if module is None or sees_modules(viewer):
        return None
    message = _("%(module)s is not used in your team yet: Cadence runs in some teams for now.")
    return message % {"module": module.label}


# What the navigation keeps for people outside the pilot scope: every other module (those
# registered later too) is gone from it for them.
OUTSIDE_KEEPS = frozenset({"home", "organisation", "administration"})


def scoped(module: modules.Module) -> bool:
    """Is the module one that people outside the pilot scope do not use?"""
    return module.key not in OUTSIDE_KEEPS


def inside(people: Iterable[Person]) -> tuple[list[Person], list[Person]]:
    """`people` split into those inside the pilot scope and those outside, in one query (none
    without a pilot)."""
    people = list(people)
    if not current.settings().pilot or not people:
        return people, []
    from people.models import Person

    ids = set(
        Person.objects.filter(pk__in=[p.pk for p in people])
        .filter(in_scope_q())
        .values_list("pk", flat=True)
    )
    return [p for p in people if p.pk in ids], [p for p in people if p.pk not in ids]


def since_by_path() -> dict[str, date]:
    """{pilot team path: the day it joined the pilot}; empty without a pilot (one query)."""
    if not current.settings().pilot:
        return {}
    from organisation.models import PilotTeam

    return dict(PilotTeam.objects.order_by().values_list("team__path", "since"))


def joined_on(team_path: str | None, since: dict[str, date]) -> date | None:
    """The day someone in the team at `team_path` joined the scope: the earliest of the pilot
    teams around it (`since`, from `since_by_path`); None without a pilot or outside it."""
    if not team_path:
        return None
    days = [day for path, day in since.items() if team_path.startswith(path)]
    return min(days) if days else None


def arrivals(person_ids: Iterable[int]) -> dict[int, date]:
    """{person id: the day they last moved into the scope (`PilotArrival`)}, for those of
    `person_ids` who did; empty without a pilot (one query)."""
    if not current.settings().pilot:
        return {}
    from organisation.models import PilotArrival

    found = PilotArrival.objects.filter(person_id__in=list(person_ids)).order_by()
    return dict(found.values_list("person_id", "since"))


def organisation_today() -> date:
    """Today in the organisation's calendar (its time zone): a pilot team's first day."""
    try:
        zone = zoneinfo.ZoneInfo(current.settings().time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


@dataclass(frozen=True)
class Headcount:
    """How many people work here today, by the path of their team (one query): the pilot page's
    figures."""

    by_path: dict[str, int]
    without_team: int

    @property
    def total(self) -> int:
        return sum(self.by_path.values()) + self.without_team

    def within(self, paths: Iterable[str]) -> int:
        """The people in the teams at `paths` and the teams within them, each counted once."""
        outer = tuple(_outermost(paths))
        if not outer:
            return 0
        return sum(n for path, n in self.by_path.items() if path.startswith(outer))


def headcount() -> Headcount:
    from django.db.models import Count

    from people.models import Person

    rows = Person.objects.current().order_by().values("team__path").annotate(n=Count("pk"))
    counted: dict[str | None, int] = {row["team__path"]: row["n"] for row in rows}
    without_team = counted.pop(None, 0)
    return Headcount({path: n for path, n in counted.items() if path is not None}, without_team)
