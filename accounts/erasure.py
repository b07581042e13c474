"""What erasure (`trust.erasure`) does to the accounts module's data: everything that served
the person's sign-in goes (API tokens, sessions, invitations, address changes, failed sign-ins
with their addresses, the link of their account at the identity provider)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q

from accounts import sessions
from accounts.models import (
    ApiToken,
    EmailChange,
    Invitation,
    LoginFailure,
    SignedInSession,
    SsoLink,
    SsoSettings,
)
from trust.erasure import Changed, Delete, Erasing, Step, changes, keep, register


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
    """Their sessions, out of the session store and out of the list of signed-in sessions
    (`accounts.sessions`). They are signed out already: the session hash reads the password
    and the address, both replaced."""

    def covers(self) -> Iterable[str]:
        return ("accounts.SignedInSession.*", "sessions.Session.*")

    def run(self, erasing: Erasing) -> Changed:
        rows = list(SignedInSession.objects.filter(person=erasing.person))
        keys = [key for row in rows if (key := sessions.unseal(row))]
        stored = list(Session.objects.filter(session_key__in=keys).values_list("pk", flat=True))
        sessions.end_all(erasing.person)
        return changes(Session, stored) | changes(SignedInSession, (row.pk for row in rows))


register(
    ApiTokens(),
    LoginFailures(),
    Sessions(),
    Delete(EmailChange, lambda pk: Q(person=pk)),
    Delete(Invitation, lambda pk: Q(person=pk)),
    # The link of their account at the identity provider: it would let them in again.
    Delete(SsoLink, lambda pk: Q(person=pk)),
)
keep(
    SsoSettings,
    ("provider_name", "issuer", "client_id", "client_secret_sealed", "scopes"),
    "the organisation's own identity provider, about nobody",
)
