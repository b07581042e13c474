"""The tabs of the settings pages, in order: (URL name, label, part). A viewer sees the tabs of
the parts they administer (`organisation.rules`); each part of the roll-out adds its own."""

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from organisation.rules import ADMIN, HR, INVITE

TABS = [
    ("organisation:general", _("Organisation"), ADMIN),
    ("organisation:modules", _("Modules"), ADMIN),
    ("organisation:privacy", _("Privacy and retention"), HR),
    ("organisation:roles", _("HR roles"), ADMIN),
    ("organisation:tokens", _("API tokens"), ADMIN),
    ("webhooks:endpoints", _("Webhooks"), ADMIN),
    ("organisation:pilot", _("Pilot"), HR),
    ("organisation:invitations", _("Invitations"), INVITE),
    ("organisation:sso", _("Single sign-on"), ADMIN),
    ("scim_admin:settings", _("SCIM provisioning"), ADMIN),
]


def tabs_for(viewer) -> list[tuple[str, StrOrPromise]]:
    from organisation.rules import may

    return [(url_name, label) for url_name, label, part in TABS if may(viewer, part)]
