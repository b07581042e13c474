"""The kinds of personal data the trust module holds (`access.catalogue`)."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, register
from trust.models import AuditEntry

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
    ),
)
