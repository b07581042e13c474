"""What erasure (`trust.erasure`) does to the accounts module's data: everything that served
the person's sign-in goes (API tokens, sessions, invitations, address changes, failed sign-ins
with their addresses)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q

from accounts.models import ApiToken, EmailChange, Invitation, LoginFailure
from trust.erasure import Changed, Delete, Erasing, Step, changes, register


class ApiTokens(Step):
    """Their tokens go, and the admin's history of them no longer shows the names they gave."""

    def covers(self) -> Iterable[str]:
        return ("accounts.ApiToken.*",)

    def run(self, erasing: Erasing) -> Changed:
        tokens = ApiToken.objects.filter(person=erasing.person)
        ids = list(tokens.values_list("pk", flat=True))
        if not ids:
            return {}
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ApiToken),
            object_id__in=[str(pk) for pk in ids],
        ).update(object_repr=erasing.removed)
        tokens.delete()
        return changes(ApiToken, ids)


class LoginFailures(Step):
    """Failed sign-ins with any address they had."""

    def covers(self) -> Iterable[str]:
        return ("accounts.LoginFailure.*",)

    def run(self, erasing: Erasing) -> Changed:
        failures = LoginFailure.objects.filter(email__in=erasing.addresses)
        ids = list(failures.values_list("pk", flat=True))
        failures.delete()
        return changes(LoginFailure, ids)


class Sessions(Step):
    """Their sessions (signed out already: the session hash reads the password and the
    address, both replaced). The session table does not say whose a session is without
    opening it."""

    def covers(self) -> Iterable[str]:
        return ("sessions.Session.*",)

    def run(self, erasing: Erasing) -> Changed:
        mine = str(erasing.person.pk)
        keys = [
            session.pk
            for session in Session.objects.iterator(chunk_size=2000)
            if str(session.get_decoded().get(SESSION_KEY)) == mine
        ]
        Session.objects.filter(pk__in=keys).delete()
        return changes(Session, keys)


register(
    ApiTokens(),
    LoginFailures(),
    Sessions(),
    Delete(EmailChange, lambda pk: Q(person=pk)),
    Delete(Invitation, lambda pk: Q(person=pk)),
)
