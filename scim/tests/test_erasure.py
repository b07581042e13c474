"""Erasing a person who left deletes what the identity provider calls them (their user name and
external id); an erased person is no longer served by SCIM."""

from datetime import timedelta

from django.utils import timezone

from scim.models import ScimUser
from scim.tests.helpers import new_scim, user
from trust.erasure import erase


def test_an_erased_person_s_provider_names_go_and_scim_no_longer_serves_them(client, cast):
    scim = new_scim(client)
    scim.post("Users", user("dave@example.com", "Dave Peer", userName="dave.p@corp.example"))
    assert ScimUser.objects.filter(person=cast.dave).exists()
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    erase(cast.dave, by=cast.erin)
    assert not ScimUser.objects.filter(person=cast.dave).exists()
    assert scim.get(f"Users/{cast.dave.pk}").status_code == 404
    assert scim.get("Users", filter='userName eq "dave.p@corp.example"').json()["totalResults"] == 0
