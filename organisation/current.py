"""The organisation's settings as every request reads them: kept in each process for
`settings.ORGANISATION_SETTINGS_SECONDS` (a change made in this process at once), so that a page
pays no query for them.

    from organisation import current
    current.settings().is_on("goals")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cadence import modules
from cadence.kept import Kept
from organisation.models import OrgSettings, PilotTeam


@dataclass(frozen=True)
class Current:
    """What requests read of the organisation's settings, loaded once for all of them."""

    name: str
    language: str
    time_zone: str
    modules_off: frozenset[str]
    pilot: bool
    pilot_paths: tuple[str, ...]  # the pilot teams' paths (with the teams within them)
    set_up: bool
    week_start: int = 0  # `OrgSettings.week_start`: as `date.weekday()` numbers days
    currency: str = "EUR"  # `OrgSettings.currency`: the code costs are shown with
    # `OrgSettings.talent_placements_open`: people see their own finalised placement.
    talent_placements_open: bool = False

    @property
    def display_name(self) -> str:
        return self.name or "Cadence"

    def is_on(self, module: str) -> bool:
        """Is the module on (`cadence.modules`; one within a module that is off is off)?"""
        return modules.is_on(module, self.modules_off)

    def week_of(self, day: date) -> date:
        """The first day of the organisation's calendar week that `day` is in: every "this
        week" Cadence shows starts there."""
        return day - timedelta(days=(day.weekday() - self.week_start) % 7)

    def in_pilot(self, team_path: str | None) -> bool:
        """Is someone in this team (None: in none) inside the scope Cadence runs in?"""
        if not self.pilot:
            return True
        return team_path is not None and team_path.startswith(self.pilot_paths)

    @classmethod
    def of(cls, row: OrgSettings, pilot_paths: tuple[str, ...] = ()) -> Current:
        return cls(
            name=row.name,
            language=row.language,
            time_zone=row.time_zone,
            modules_off=frozenset(row.modules_off or ()),
            pilot=row.pilot,
            pilot_paths=pilot_paths,
            set_up=row.set_up_at is not None,
            currency=row.currency,
            week_start=row.week_start,
            talent_placements_open=row.talent_placements_open,
        )


def row() -> OrgSettings:
    """The settings' row, to change (created with the defaults the first time)."""
    return OrgSettings.objects.get_or_create(pk=1)[0]


def _read() -> Current:
    found = OrgSettings.objects.filter(pk=1).first() or OrgSettings(pk=1)
    paths: tuple[str, ...] = ()
    if found.pilot:
        paths = tuple(PilotTeam.objects.order_by("team__path").values_list("team__path", flat=True))
    return Current.of(found, paths)


# Kept in each process (`cadence.kept`); a change to the settings or the pilot teams made in
# this process is seen at once, other processes see it within ORGANISATION_SETTINGS_SECONDS.
_KEPT = Kept(_read, changed_by=(OrgSettings, PilotTeam))


def settings() -> Current:
    return _KEPT.get()


def forget() -> None:
    """Read the settings again on the next request of this process."""
    _KEPT.forget()


def assume(value: Current | None = None) -> None:
    """Keep `value` (by default the defaults) as if read now: for tests, which start from a
    database whose settings row, if any, holds the defaults."""
    _KEPT.assume(value or Current.of(OrgSettings(pk=1)))
