"""Nobody outside the pilot scope is invited: the person page says why, the import skips them
and says how many."""

import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Invitation
from conftest import make_person
from organisation.tests.factories import start_pilot

IMPORT = reverse("people:import")


def test_hr_cannot_invite_someone_outside_and_is_told_why(login, cast):
    start_pilot(cast.platform)
    newcomer = make_person("nina@example.com", "Nina New", team=cast.sales)
    client = login(cast.erin)
    response = client.post(reverse("people:person_invite", args=[newcomer.pk]), follow=True)
    assert response.status_code == 200
    assert "outside the pilot teams" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_hr_invites_someone_inside(login, cast):
    start_pilot(cast.platform)
    newcomer = make_person("pia@example.com", "Pia Platform", team=cast.platform)
    response = login(cast.erin).post(reverse("people:person_invite", args=[newcomer.pk]))
    assert response.status_code == 302
    assert Invitation.objects.filter(person=newcomer).exists()


def test_the_import_invites_the_people_inside_and_says_how_many_it_skipped(login, cast):
    start_pilot(cast.platform)
    client = login(cast.erin)
    rows = [
        "email,name,job_title,level,team,manager_email",
        "pia@example.com,Pia Platform,,,Platform,bob@example.com",
        "sam@example.com,Sam Sales,,,Sales,dave@example.com",
        "tom@example.com,Tom Teamless,,,,",
    ]
    upload = SimpleUploadedFile("people.csv", "\n".join(rows).encode(), "text/csv")
    preview = client.post(IMPORT, {"file": upload})
    token = re.search(r'name="confirm" value="([^"]+)"', preview.text).group(1)
    response = client.post(IMPORT, {"confirm": token, "invite": "1"}, follow=True)
    assert "The import is done: 3 added" in response.text
    invited = set(Invitation.objects.values_list("person__email", flat=True))
    assert invited == {"pia@example.com"}
    assert "2 people added are outside the pilot teams and were not invited" in response.text
