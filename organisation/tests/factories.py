"""The pilot scope for tests: `start_pilot(cast.platform)` runs Cadence in Platform only."""

from datetime import date

from django.utils import timezone

from organisation import current
from organisation.models import PilotTeam


def start_pilot(*teams, since: date | None = None) -> None:
    """A pilot in these teams (with the teams within them), each since `since` (today)."""
    row = current.row()
    row.pilot = True
    row.save()
    PilotTeam.objects.all().delete()
    for team in teams:
        PilotTeam.objects.create(team=team, since=since or timezone.localdate())


def end_pilot() -> None:
    row = current.row()
    row.pilot = False
    row.save()
