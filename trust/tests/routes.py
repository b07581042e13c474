"""Authorization-matrix entries for the trust pages: merged into
`cadence/tests/test_authorization_matrix.py`, which fails while a route has no entry.

My data is always the signed-in person's own: every page shows the viewer their own data.
The audit log (pages, CSV and API) is for organisation-wide HR and administrators: 403 for
everyone else signed in.
An export is its person's alone: anyone else, HR and administrators included, gets 404.
The legal hold and anonymising on request are for HR who may manage the person: others get
403 for someone they may see (a colleague) and 404 for someone they may not (a leaver).
"""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.models import SignedInSession
from cadence.tests.matrix import (
    API,
    BAD,
    CREATED,
    DENIED,
    HIDDEN,
    HR_ONLY,
    LOGIN,
    OK,
    PAGE,
    REDIRECT,
    Route,
)
from conftest import make_person
from trust import exporting
from trust.models import DataExport, ExportStatus

AUDIT_READERS = {"anonymous": LOGIN, "signed_in": DENIED, "hr": OK, "admin": OK}
ALICE_ONLY = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK}


def alice_export_id(cast):
    """Alice's export, ready to download."""
    now = timezone.now()
    return DataExport.objects.create(
        person=cast.alice,
        language="en",
        status=ExportStatus.READY,
        requested_at=now,
        finished_at=now,
        expires_at=now + timedelta(days=7),
        content=exporting.archive(cast.alice, "en"),
    ).pk


def alices_other_session(cast):
    """A session Alice signed in with elsewhere."""
    Client().force_login(cast.alice)
    return SignedInSession.objects.filter(person=cast.alice).latest("pk").pk


def alice_id(cast):
    return cast.alice.pk


def leaver_id(cast):
    leaver = make_person("leaver@example.com", "Lee Leaver", team=cast.platform, manager=cast.bob)
    leaver.leave_date = timezone.localdate() - timedelta(days=30)
    leaver.save(update_fields=["leave_date"])
    return leaver.pk


ROUTES = {
    "trust:my_data": Route(PAGE),
    "trust:changes": Route(PAGE),
    "trust:access_log": Route(PAGE),
    "api:list_access_log": Route(API),
    "audit:log": Route(AUDIT_READERS),
    "audit:csv": Route(AUDIT_READERS),
    "api:list_audit_entries": Route(AUDIT_READERS),
    "trust:export": Route(PAGE),
    "trust:export_download": Route(ALICE_ONLY, kwargs={"export_id": alice_export_id}),
    # Everyone signed in exports their own data.
    "api:create_export": Route({"anonymous": LOGIN, "signed_in": CREATED}, method="post", body={}),
    "api:get_export": Route(ALICE_ONLY, kwargs={"export_id": alice_export_id}),
    "api:download_export": Route(ALICE_ONLY, kwargs={"export_id": alice_export_id}),
    "trust:sessions": Route(PAGE),
    "trust:end_session": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": REDIRECT},
        method="post",
        kwargs={"session_id": alices_other_session},
    ),
    # Sent without the confirmation: refused, the form shown again.
    "trust:end_everywhere_else": Route({"anonymous": LOGIN, "signed_in": BAD}, method="post"),
    "api:list_my_sessions": Route(API),
    "api:end_all_sessions": Route(API, method="post", body={"revoke_tokens": False}),
    "trust:legal_hold": Route(HR_ONLY, kwargs={"person_id": alice_id}),
    "trust:erase_person": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "hr": OK}, kwargs={"person_id": leaver_id}
    ),
    "api:my_data": Route(API),
}
