"""During a pilot the import's preview offers to invite only the people added inside its teams,
as confirming it does (`accounts.invitations.invite`): a team the file creates is inside when
the team it is made under is."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Invitation
from organisation.tests.factories import start_pilot

IMPORT = reverse("people:import")
ROWS = [
    "email,name,job_title,level,team,manager_email",
    "pia@example.com,Pia Platform,,,Platform,bob@example.com",
    "nia@example.com,Nia New Squad,,,Engineering/Platform/New squad,bob@example.com",
    "sam@example.com,Sam Sales,,,Sales,dave@example.com",
    "tom@example.com,Tom Teamless,,,,",
    "uma@example.com,Uma Unknown Top,,,Brand new,",
]


def preview_of(client):
    upload = SimpleUploadedFile("people.csv", "\n".join(ROWS).encode(), "text/csv")
    return client.post(IMPORT, {"file": upload})


def test_the_preview_offers_to_invite_only_those_the_pilot_lets_in(login, cast):
    start_pilot(cast.platform)
    client = login(cast.erin)
    preview = preview_of(client)
    assert "<dt>People to add</dt><dd>5</dd>" in preview.text
    assert "E-mail the 2 people added an invitation" in preview.text
    token = re.search(r'name="confirm" value="([^"]+)"', preview.text).group(1)
    client.post(IMPORT, {"confirm": token, "invite": "1"})
    invited = set(Invitation.objects.values_list("person__email", flat=True))
    assert invited == {"pia@example.com", "nia@example.com"}


def test_without_a_pilot_everyone_added_is_offered_an_invitation(login, cast):
    assert "E-mail the 5 people added an invitation" in preview_of(login(cast.erin)).text
