"""Small helpers for views."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Refuse (403) unless the policy allowed it: `require(can_edit_goal(viewer, goal))`."""
    if not allowed:
        raise PermissionDenied
