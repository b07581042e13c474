"""What erasure (`trust.erasure`) does to the organisation's settings: nothing. They hold the
organisation's own words (its name, time zone, the modules switched off), nobody's personal
data."""

from organisation.models import OrgSettings
from trust.erasure import keep

keep(
    OrgSettings, ("name", "time_zone", "modules_off", "currency"), "the organisation's own settings"
)
