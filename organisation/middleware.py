"""Switched-off modules answer 404 on every page and API route (`cadence.modules`)."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from cadence import modules
from organisation import current


class ModuleSwitchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        module = modules.owning(request.path_info)
        if module is not None and not current.settings().is_on(module.key):
            message = _("%(module)s is switched off for this organisation.") % {
                "module": module.label
            }
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=404)
            raise Http404(message)
        return self.get_response(request)
