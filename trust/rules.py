"""Who may read the audit log: its rules, registered with `access`.

- Organisation-wide HR and the installation's administrators read every entry (the audit
  pages, their CSV and the API). An administrator without an HR role sees that a person's
  employment details changed, not their values (`sees_employment_values`): being an
  administrator grants no read right on them.
- Everyone reads the entries about themselves (My data, "Changes about me").
- Nobody changes or deletes an entry: `trust.audit` only appends (and blanks the values of the
  entries about a person being erased).
- An export of a person's data is theirs alone: only they see it, follow it and download it.
  Nobody else, HR and administrators included, may know it exists.
- The access log about a person (who looked at their data) is theirs alone: nobody else, HR and
  administrators included, reads who looked at whom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from access import relations, who
from access.models import HRRole
from access.rules import QuerySetT, Rules, register
from access.who import Group
from people.models import Person
from people.rules import can_edit_person
from trust.models import AccessLogEntry, AuditEntry, DataExport

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW = "view"


def reads_audit_log(viewer: Viewer) -> bool:
    """The whole log: organisation-wide HR and administrators."""
    return viewer.is_authenticated and (viewer.hr_scope_path == "" or viewer.is_admin)


def sees_employment_values(viewer: Viewer) -> bool:
    """Employment details in the log (role, level, start and leave dates): organisation-wide
    HR; an administrator sees only that they changed."""
    return viewer.hr_scope_path == ""


@register
class AuditEntryRules(Rules[AuditEntry]):
    model = AuditEntry
    actions = (VIEW,)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if reads_audit_log(viewer):
            return queryset
        return queryset.filter(relations.self_q(viewer, "subject"))

    def can(self, viewer: Viewer, action: str, obj: AuditEntry) -> bool:
        return reads_audit_log(viewer) or relations.is_self(viewer, obj.subject_id)

    def who(self, obj: AuditEntry, action: str = VIEW) -> list[Group]:
        """The person it is about, organisation-wide HR and the administrators."""
        readers = [
            *relations.hr_with_scope(("",)),
            Group(who.ADMINISTRATORS, where=Q(is_staff=True)),
        ]
        return relations.participants(obj, {"subject": who.SELF}) + readers

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("subject")

    def who_can(self, obj: AuditEntry, action: str = VIEW) -> str:
        readers = audit_log_readers()
        everyone = ", ".join(person.name for person in readers) or _("nobody")
        if obj.subject_id is None:
            return _("Organisation-wide HR and the administrators: %(names)s") % {"names": everyone}
        return _("%(name)s, and organisation-wide HR and the administrators: %(names)s") % {
            "name": obj.subject.name if obj.subject else _("the person"),
            "names": everyone,
        }


def audit_log_readers() -> list[Person]:
    """Who reads the whole log today, by name: organisation-wide HR and administrators who can
    sign in (those `who` lists: someone who has left, or whose account is off, opens nothing)."""
    hr = HRRole.objects.filter(scope__isnull=True).values("person")
    readers = Person.objects.current().filter(Q(pk__in=hr) | Q(is_staff=True), is_active=True)
    return list(readers.order_by("name"))


@register
class DataExportRules(Rules[DataExport]):
    model = DataExport
    actions = (VIEW,)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(relations.self_q(viewer, "person"))

    def can(self, viewer: Viewer, action: str, obj: DataExport) -> bool:
        return relations.is_self(viewer, obj.person_id)

    def who(self, obj: DataExport, action: str = VIEW) -> list[Group]:
        return relations.participants(obj, {"person": who.SELF})

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("person")

    def who_can(self, obj: DataExport, action: str = VIEW) -> str:
        return _("Only %(name)s, whose data it holds") % {"name": obj.person.name}


@register
class AccessLogEntryRules(Rules[AccessLogEntry]):
    model = AccessLogEntry
    actions = (VIEW,)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(relations.self_q(viewer, "subject"))

    def can(self, viewer: Viewer, action: str, obj: AccessLogEntry) -> bool:
        return relations.is_self(viewer, obj.subject_id)

    def who(self, obj: AccessLogEntry, action: str = VIEW) -> list[Group]:
        return relations.participants(obj, {"subject": who.SELF})

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("subject")

    def who_can(self, obj: AccessLogEntry, action: str = VIEW) -> str:
        return _("Only %(name)s, whose data was looked at") % {"name": obj.subject.name}


# --- Erasure: the legal hold and anonymising on request ---------------------------------------


def can_hold(viewer: Viewer, person: Person) -> bool:
    """Place or lift a legal hold on `person`: HR who may manage people, in scope (the rule
    for changing a person, `people.rules`)."""
    return can_edit_person(viewer, person)


def can_erase(viewer: Viewer, person: Person) -> bool:
    """Anonymise `person` now, on request (a legal hold still stops it: `trust.erasure`): the
    same HR, for a person who has left and is not anonymised yet."""
    return person.has_left and person.anonymised_at is None and can_edit_person(viewer, person)
