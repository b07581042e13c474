"""What every page's shell needs: the navigation for this viewer, with how many things wait
for them in each module, and their unread notifications."""

from typing import Any

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from access.viewer import Viewer
from cadence.modules import MODULES
from cadence.waiting import counts, module_counts
from organisation import current, scope
from organisation.rules import sees_settings


def waiting_counts(request) -> dict[str, int]:
    """Every source's count and the unread notifications, read once per request, in one query
    (`cadence.waiting.counts`, which also answers whether the viewer manages anyone); Home
    reads the same."""
    found = getattr(request, "_cadence_waiting", None)
    if found is None:
        from notifications.queries import unread

        viewer = Viewer.of(request.user)
        if viewer.person is None:
            return {}

        def extra() -> dict[str, Any]:
            return {"unread": unread(viewer)}

        if scope.sees_modules(viewer):
            found = counts(viewer, viewer.person.local_today(), extra)
        else:  # outside the pilot scope nothing of the modules waits for them
            found = {"unread": unread(viewer).count()}
        request._cadence_waiting = found
    return found


def shell(request):
    viewer = Viewer.of(request.user)
    if not viewer.is_authenticated:
        return {"viewer": viewer, "nav": []}

    org = current.settings()

    def shown(module, uses_modules: bool):
        if not module.nav or not org.is_on(module.key):
            return False
        # Outside the pilot scope the modules are not theirs (`organisation.scope`).
        if not uses_modules and scope.scoped(module):
            return False
        if module.audience == "settings":
            return sees_settings(viewer)
        if module.audience == "managers":
            return viewer.is_manager
        if module.audience == "hr":
            return viewer.is_hr
        if module.audience == "admin":
            return viewer.is_admin
        return True

    def nav():
        # Read when the page shows the navigation: an htmx fragment does not pay for it.
        waiting = module_counts(waiting_counts(request))  # before `shown`: is_manager too
        uses_modules = scope.sees_modules(viewer)
        items = []
        for module in MODULES:
            if shown(module, uses_modules):
                url = reverse(module.url_name)
                active = request.path == url or (url != "/" and request.path.startswith(url))
                items.append(
                    {
                        "module": module,
                        "url": url,
                        "active": active,
                        "waiting": waiting.get(module.key, 0),
                    }
                )
        return items

    return {
        "viewer": viewer,
        "nav": SimpleLazyObject(nav),
        "unread_notifications": SimpleLazyObject(lambda: waiting_counts(request).get("unread", 0)),
    }
