"""What erasure (`trust.erasure`) does to the people module's data: the person's own row (last,
so that every other step still reads their name and address), and the admin's history of their
account, which names them."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from accounts.email_change import save_erased_address
from people.models import ImportMapping, Person, Role, Team
from trust.erasure import Changed, Erasing, Step, changes, erased_address, keep, register


class AnonymisePerson(Step):
    """Name, address, job title and everything personal on the row; they can no longer sign
    in. Team, manager and dates stay: rhythm tallies and the organisation's history count by
    them."""

    order = 90

    def covers(self) -> Iterable[str]:
        fields = ("name", "email", "job_title", "password", "time_zone", "search_text")
        return (f"people.Person.{name}" for name in (*fields, "legal_hold_reason"))

    def run(self, erasing: Erasing) -> Changed:
        person = erasing.person
        person.name = erasing.erased_name
        person.job_title = ""
        person.role = None
        person.level = None
        person.language = ""
        person.time_zone = "UTC"
        person.last_login = None
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.legal_hold_reason = ""
        person.legal_hold_since = None
        person.anonymised_at = timezone.now()
        person.set_unusable_password()
        person.groups.clear()
        person.user_permissions.clear()
        save_erased_address(person, erased_address(person.pk))  # the search text follows
        return changes(Person, [person.pk])


class AdminHistory(Step):
    """The admin's history names the person: their account's entries (and those of their HR
    roles, shown by their name) say "A former employee" and lose the names and addresses they
    mention. Only those: a namesake's account and roles keep their history."""

    order = 80

    def covers(self) -> Iterable[str]:
        return ("admin.LogEntry.object_repr", "admin.LogEntry.change_message")

    def run(self, erasing: Erasing) -> Changed:
        person_type = ContentType.objects.get_for_model(Person)
        role_type = ContentType.objects.get_by_natural_key("access", "hrrole")
        mine, theirs = _roles(erasing.person.pk)
        # A role recorded before the audit log named roles by id: by a name they had (shown
        # when it was granted), unless the log says the role was someone else's.
        unrecorded = Q(content_type=role_type, object_repr__in=erasing.names) & ~Q(
            object_id__in=theirs
        )
        entries = LogEntry.objects.filter(
            Q(content_type=person_type, object_id=str(erasing.person.pk))
            | Q(content_type=role_type, object_id__in=mine)
            | unrecorded
        )
        changed = []
        for entry in entries:
            entry.object_repr = erasing.erased_name
            entry.change_message = _without(
                entry.change_message,
                [*_longest_first(erasing.names), *erasing.addresses],
                erasing.removed,
            )
            changed.append(entry)
        LogEntry.objects.bulk_update(changed, ["object_repr", "change_message"], batch_size=500)
        return changes(LogEntry, (entry.pk for entry in changed))


def _roles(person_id: int) -> tuple[list[str], list[str]]:
    """The ids of the HR roles the audit log says were the person's (granted, changed or
    revoked: gone by now), and of those it says were someone else's, as the admin's history
    stores them (text)."""
    from trust.models import AuditEntry

    prefix = "access.hrrole:"
    recorded = AuditEntry.objects.filter(action__startswith="hr_role.", target__startswith=prefix)
    mine: set[str] = set()
    theirs: set[str] = set()
    for subject_id, target in recorded.values_list("subject_id", "target"):
        (mine if subject_id == person_id else theirs).add(target.removeprefix(prefix))
    return sorted(mine), sorted(theirs - mine)


def _longest_first(names: Iterable[str]) -> list[str]:
    """A name inside another ("Zelda M." in "Zelda M. Rossi") is replaced after it."""
    return sorted(names, key=len, reverse=True)


def _without(text: str, words: Iterable[str], placeholder: str) -> str:
    for word in words:
        if word:
            text = text.replace(word, placeholder)
    return text


register(AnonymisePerson(), AdminHistory())
keep(Person, ("chain",), "the ids of the management chain, kept with the manager")
keep(Team, ("name", "path"), "the organisation's teams")
keep(Role, ("name",), "the organisation's job roles")
keep(
    ImportMapping,
    ("name", "columns", "date_format", "inactive_statuses", "leaver_statuses"),
    "the organisation's import settings: column names and status values, about no one",
)
keep(LogEntry, ("object_id",), "an id")
