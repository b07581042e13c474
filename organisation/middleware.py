"""Switched-off modules answer 404 on every page and API route (`cadence.modules`), and so do
all modules to people outside the pilot scope (`organisation.scope`)."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from access.viewer import viewer_of
from cadence import modules
from organisation import current, scope


def not_found(request, message: str):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=404)
    raise Http404(message)


class ModuleSwitchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        module = modules.owning(request.path_info)
        if module is not None and not current.settings().is_on(module.key):
            message = _("%(module)s is switched off for this organisation.") % {
                "module": module.label
            }
            return not_found(request, message)
        if module is not None:
            # The signed-in person, read with their team (`accounts.backends`): no query. An
            # API token's person is checked where the token is (`accounts.api`).
            refusal = scope.refusal(request.path_info, viewer_of(request))
            if refusal is not None:
                return not_found(request, refusal)
        return self.get_response(request)
