"""Who administers what of the organisation's settings. Administrators run the installation
(its name, language, time zone and week start, modules, roles and tokens); organisation-wide HR
runs the roll-out (pilot teams, invitations, privacy settings). Neither gives a read right to
anyone's data: those come from `access.rules` alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from people.rules import is_organisation_wide_hr

if TYPE_CHECKING:
    from access.viewer import Viewer

ADMIN, HR = "admin", "hr"
# The Invitations tab: administrators and organisation-wide HR; the list holds whom each may
# invite (`people.rules.invitable`, the API's list too).
INVITE = "invite"


def may(viewer: Viewer, part: str) -> bool:
    """May the viewer administer this part (`ADMIN` or `HR`) of the settings?"""
    if not viewer.is_authenticated:
        return False
    if part == ADMIN:
        return viewer.is_admin
    if part == INVITE:
        return viewer.is_admin or is_organisation_wide_hr(viewer)
    return is_organisation_wide_hr(viewer)


def sees_settings(viewer: Viewer) -> bool:
    """Has any part of the settings to administer (the navigation's "Administration")."""
    return may(viewer, ADMIN) or may(viewer, HR)
