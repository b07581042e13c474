"""The kinds of personal data the trust module holds (`access.catalogue`)."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, register
from trust.models import AccessLogEntry, AuditEntry

register(
    DataKind(
        "trust.audit",
        _("Changes made about you"),
        AuditEntry,
        subject="subject",
        description=_(
            "What HR and administrators changed about you (your details, roles, e-mail "
            "address): who, when, before and after."
        ),
        example=lambda person: AuditEntry(subject=person, action="person.changed"),
        same_audience=True,  # the person, organisation-wide HR and the administrators
    ),
    DataKind(
        "trust.access_log",
        _("Who looked at your data"),
        AccessLogEntry,
        subject="subject",
        description=_(
            "Who was shown your data that not everyone may see: when, what, and on a page, "
            "through the API or in an export."
        ),
        example=lambda person: AccessLogEntry(subject=person, kind="", channel="page"),
        export=Export(
            columns=("at", "viewer__name", "kind", "item", "count", "channel", "path"),
        ),
        same_audience=True,
    ),
)
