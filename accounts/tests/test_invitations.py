"""Invitations: the e-mail with a link to choose a password (accounts/invitations.py), sent from
the person page, the import page and `manage.py import_people`; the link, through the views."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from access.models import HRRole
from accounts.models import Invitation
from people.models import Person

NEW_PASSWORD = "a long new passphrase 42"
IMPORT = reverse("people:import")


def invite_url(person):
    return reverse("people:person_invite", args=[person.pk])


def link_in(message):
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def path_of(link):
    return link[link.index("/accounts/") :]


def invite(client, person):
    """Send an invitation from the person page; the e-mail's link (as a path)."""
    mail.outbox.clear()
    response = client.post(invite_url(person))
    assert response.status_code == 302, response.status_code
    assert response.url == person.get_absolute_url()
    (message,) = mail.outbox
    assert message.to == [person.email]
    return path_of(link_in(message))


def choose_password(client, path, password=NEW_PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password})


def new_person(email="nina@example.com", **fields):
    person = Person(email=email, name="Nina New", **fields)
    person.set_unusable_password()
    person.save()
    return person


# --- Sending -------------------------------------------------------------------------------------


def test_hr_sends_an_invitation_from_the_person_page(cast, login):
    nina = new_person(team=cast.sales)
    client = login(cast.erin)
    page = client.get(nina.get_absolute_url()).text
    assert "Send invitation" in page and "Last invited" in page

    invite(client, nina)

    message = mail.outbox[0]
    assert "choose your password" in message.subject
    assert "Erin HR invites you to Cadence" in message.body
    assert "nina@example.com" in message.body
    invitation = Invitation.objects.get(person=nina)
    assert invitation.sent_by == cast.erin
    page = client.get(nina.get_absolute_url()).text
    assert "by Erin HR" in page and "Send the invitation again" in page


def test_an_administrator_may_send_an_invitation(cast, login):
    nina = new_person()
    invite(login(cast.frank), nina)
    assert Invitation.objects.get(person=nina).sent_by == cast.frank


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
def test_nobody_else_may_send_one(cast, login, who):
    nina = new_person(team=cast.platform, manager=cast.bob)
    client = login(getattr(cast, who))

    assert "Send invitation" not in client.get(nina.get_absolute_url()).text
    assert client.post(invite_url(nina)).status_code == 403
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_hr_for_one_team_may_invite_only_people_in_it(cast, login):
    HRRole.objects.create(person=cast.dave, scope=cast.sales, can_manage_people=True)
    in_sales, in_platform = new_person(team=cast.sales), new_person("ola@example.com")
    client = login(cast.dave)

    invite(client, in_sales)
    assert client.post(invite_url(in_platform)).status_code == 403
    assert not Invitation.objects.filter(person=in_platform).exists()


def test_hr_who_may_not_manage_people_may_not_invite(cast, login):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    assert login(cast.erin).post(invite_url(new_person())).status_code == 403


def test_someone_who_left_is_not_invited(cast, login):
    nina = new_person(leave_date=timezone.localdate() - timedelta(days=1))
    assert login(cast.erin).post(invite_url(nina)).status_code == 403
    assert not mail.outbox


def test_sending_needs_a_post(cast, login):
    assert login(cast.erin).get(invite_url(new_person())).status_code == 405


def test_the_e_mail_is_in_the_person_s_language(cast, login):
    nina = new_person(language="nl", time_zone="Europe/Amsterdam")
    invite(login(cast.erin), nina)

    invitation = Invitation.objects.get(person=nina)
    with translation.override("nl"), timezone.override(nina.local_zone):
        dutch = date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
    with translation.override("en"):
        english = date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
    assert dutch != english
    assert dutch in mail.outbox[0].body


# --- The link ------------------------------------------------------------------------------------


def test_the_link_opens_a_form_and_signs_the_person_in_with_the_password_chosen(cast, login):
    nina = new_person()
    path = invite(login(cast.erin), nina)
    client = login(cast.erin)
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    assert "Welcome, Nina New" in page.text and 'name="new_password1"' in page.text
    assert not Person.objects.get(pk=nina.pk).has_usable_password()  # opening changes nothing

    response = choose_password(client, path)

    assert response.status_code == 302 and response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(nina.pk)
    assert Person.objects.get(pk=nina.pk).check_password(NEW_PASSWORD)
    assert Invitation.objects.get(person=nina).used_at is not None
    client.logout()
    signed_in = client.post(
        reverse("accounts:login"), {"username": nina.email, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_the_link_works_once(cast, login, client):
    nina = new_person()
    path = invite(login(cast.erin), nina)
    client.logout()
    choose_password(client, path)
    client.logout()

    assert client.get(path).status_code == 410
    response = choose_password(client, path, "another passphrase 43")
    assert response.status_code == 410
    assert "This invitation was used already" in response.text
    assert Person.objects.get(pk=nina.pk).check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session


def test_an_expired_link_is_refused(cast, login, settings):
    nina = new_person()
    client = login(cast.erin)
    path = invite(client, nina)
    client.logout()
    Invitation.objects.filter(person=nina).update(
        sent_at=timezone.now() - timedelta(days=settings.INVITATION_DAYS, minutes=1)
    )

    assert client.get(path).status_code == 410
    assert choose_password(client, path).status_code == 410
    assert not Person.objects.get(pk=nina.pk).has_usable_password()


def test_the_link_stops_working_once_the_person_chose_a_password_otherwise(cast, login):
    nina = new_person()
    client = login(cast.erin)
    path = invite(client, nina)
    nina.set_password("chosen through forgot your password")
    nina.save()

    assert client.get(path).status_code == 410


def test_the_link_stops_working_once_the_person_signed_in(cast, login):
    """Someone invited again who still knew their password and signed in with it."""
    path = invite(login(cast.erin), cast.alice)
    login(cast.alice).logout()

    assert login(cast.erin).get(path).status_code == 410


def test_a_second_invitation_does_not_reopen_a_used_link(cast, login):
    nina = new_person()
    client = login(cast.erin)
    first = invite(client, nina)
    second = invite(client, nina)
    choose_password(login(cast.erin), second)

    assert client.get(first).status_code == 410


def test_the_link_is_refused_after_the_person_left(cast, login):
    nina = new_person()
    client = login(cast.erin)
    path = invite(client, nina)
    Person.objects.filter(pk=nina.pk).update(leave_date=timezone.localdate() - timedelta(days=1))

    assert client.get(path).status_code == 404


def test_a_forged_link_says_only_that_it_does_not_work(client, cast):
    response = client.get(reverse("accounts:invitation", args=["forged"]))

    assert response.status_code == 404
    assert "This link no longer works" in response.text


def test_a_weak_password_is_refused_and_the_link_still_works(cast, login, client):
    nina = new_person()
    path = invite(login(cast.erin), nina)
    client.logout()

    response = choose_password(client, path, "123")

    assert response.status_code == 400
    assert not Person.objects.get(pk=nina.pk).has_usable_password()
    assert client.get(path).status_code == 200


# --- On import ----------------------------------------------------------------------------------


def preview(client, *rows):
    content = "\n".join(["email,name,team", *rows]).encode()
    response = client.post(IMPORT, {"file": SimpleUploadedFile("p.csv", content, "text/csv")})
    assert response.status_code == 200
    return response


def confirm_token(response):
    return re.search(r'name="confirm" value="([^"]+)"', response.text).group(1)


def test_the_import_invites_the_people_added_when_ticked(cast, login, client):
    hr = login(cast.erin)
    page = preview(hr, "ann@example.com,Ann,Sales", "alice@example.com,Alice Employee,Platform")
    assert re.search(
        r'<input type="checkbox" name="invite" value="1" id="id_invite" checked', page.text
    )

    response = hr.post(IMPORT, {"confirm": confirm_token(page), "invite": "1"}, follow=True)

    assert "An invitation to choose a password is on its way" in response.text
    (message,) = mail.outbox  # Alice was updated, not added: she is not invited
    assert message.to == ["ann@example.com"]
    assert Invitation.objects.get().sent_by == cast.erin
    client.logout()
    assert choose_password(client, path_of(link_in(message))).status_code == 302
    assert Person.objects.get(email="ann@example.com").check_password(NEW_PASSWORD)


def test_the_import_invites_nobody_when_unticked(cast, login):
    hr = login(cast.erin)
    page = preview(hr, "ann@example.com,Ann,Sales")

    hr.post(IMPORT, {"confirm": confirm_token(page)})

    assert Person.objects.filter(email="ann@example.com").exists()
    assert not mail.outbox
    assert not Invitation.objects.exists()


def run_import(tmp_path, *args):
    path = tmp_path / "people.csv"
    path.write_text("email,name,team\nann@example.com,Ann,Sales\nben@example.com,Ben,Sales\n")
    out = StringIO()
    call_command("import_people", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_import_command_invites_the_people_added(cast, tmp_path):
    out = run_import(tmp_path)

    assert "Invitations queued for 2 people added" in out
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "ben@example.com"]
    assert all(i.sent_by is None for i in Invitation.objects.all())
    assert "You are invited to Cadence" in mail.outbox[0].body


def test_the_import_command_invites_nobody_with_no_invite(cast, tmp_path):
    out = run_import(tmp_path, "--no-invite")

    assert "Invitations" not in out
    assert Person.objects.filter(email="ben@example.com").exists()
    assert not mail.outbox


def test_a_dry_run_invites_nobody(cast, tmp_path):
    run_import(tmp_path, "--dry-run")
    assert not mail.outbox
