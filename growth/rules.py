"""Who may see and do what in Growth.

The competency framework, the career tracks and the role profiles are the organisation's own
documents, not anyone's personal data: everyone signed in who may use the module reads them
(the module's switch and the pilot scope are `organisation.middleware`'s). Only
organisation-wide HR changes them, because a framework applies to everyone: importing a new
version, starting from the starter framework and publishing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from people.rules import is_organisation_wide_hr

if TYPE_CHECKING:
    from access.viewer import Viewer


def reads_framework(viewer: Viewer) -> bool:
    """The framework, the tracks and the career map: anyone signed in."""
    return viewer.is_authenticated and viewer.person is not None


def publishes_framework(viewer: Viewer) -> bool:
    """Import, start from the starter framework and publish a version: organisation-wide HR."""
    return reads_framework(viewer) and is_organisation_wide_hr(viewer)
