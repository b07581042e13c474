"""The tabs of My data, in order: (URL name, label). Each part of the trust module adds its own."""

from django.utils.translation import gettext_lazy as _

TABS = [
    ("trust:my_data", _("Who can see what")),
    ("trust:access_log", _("Who looked")),
    ("trust:changes", _("Changes about me")),
    ("trust:export", _("Export")),
    ("trust:sessions", _("Sessions and tokens")),
]
