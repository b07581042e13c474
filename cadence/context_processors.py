"""What every page's shell needs: the navigation for this viewer."""

from django.urls import reverse

from access.viewer import Viewer
from cadence.modules import MODULES


def shell(request):
    viewer = Viewer.of(request.user)
    if not viewer.is_authenticated:
        return {"viewer": viewer, "nav": []}

    def shown(module):
        if module.audience == "managers":
            return viewer.is_manager
        if module.audience == "hr":
            return viewer.is_hr
        if module.audience == "admin":
            return viewer.is_admin
        return True

    nav = []
    for module in MODULES:
        if shown(module):
            url = reverse(module.url_name)
            active = request.path == url or (url != "/" and request.path.startswith(url))
            nav.append({"module": module, "url": url, "active": active})
    return {"viewer": viewer, "nav": nav}
