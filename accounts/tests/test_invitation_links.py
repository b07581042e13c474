"""An invitation link that no longer works says why and what to do: used (sign in, or reset a
forgotten password) or expired (ask HR for a new one, or "Forgot your password?"), both 410
Gone; any other link (forged, for someone who left) only that it does not work (404). Never a
500, whatever the token."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts import invitations
from accounts.models import Invitation
from people.models import Person

PASSWORD = "a long new passphrase 42"
SIGN_IN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")


def new_person(email="nina@example.com"):
    person = Person(email=email, name="Nina New")
    person.set_unusable_password()
    person.save()
    return person


def link_for(person, by):
    invitation = invitations.invite([person], by=by)[0]
    return reverse("accounts:invitation", args=[invitations.token_for(invitation)])


def expire(person, settings):
    sent = timezone.now() - timedelta(days=settings.INVITATION_DAYS, minutes=1)
    Invitation.objects.filter(person=person).update(sent_at=sent)


def choose_password(client, link):
    return client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})


def test_an_expired_link_says_it_expired_and_what_to_do(client, cast, settings):
    nina = new_person()
    link = link_for(nina, cast.erin)
    expire(nina, settings)

    response = client.get(link)

    assert response.status_code == 410
    text = response.text
    assert "This invitation has expired" in text
    assert "works for 14 days" in text
    assert "Ask HR to send you a new invitation" in text
    assert f'href="{RESET}"' in text
    assert 'name="new_password1"' not in text
    assert "nina@example.com" not in text  # nothing about whose link it is


def test_choosing_a_password_on_an_expired_link_is_refused_with_the_same_page(
    client, cast, settings
):
    nina = new_person()
    link = link_for(nina, cast.erin)
    expire(nina, settings)

    response = choose_password(client, link)

    assert response.status_code == 410
    assert "This invitation has expired" in response.text
    assert not Person.objects.get(pk=nina.pk).has_usable_password()


def test_a_used_link_says_so_and_points_to_sign_in_and_reset(client, cast):
    nina = new_person()
    link = link_for(nina, cast.erin)
    choose_password(client, link)
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    text = response.text
    assert "This invitation was used already" in text
    assert f'href="{SIGN_IN}"' in text and f'href="{RESET}"' in text
    assert 'name="new_password1"' not in text


def test_a_used_link_opened_while_signed_in_leads_home(client, cast):
    nina = new_person()
    link = link_for(nina, cast.erin)
    choose_password(client, link)  # signs Nina in

    response = client.get(link)

    assert response.status_code == 410
    assert "You are signed in." in response.text
    assert f'href="{reverse("home")}"' in response.text


def test_a_link_used_from_another_tab_meanwhile_shows_the_used_page(client, cast):
    nina = new_person()
    link = link_for(nina, cast.erin)
    assert client.get(link).status_code == 200  # the form, in one tab
    choose_password(client, link)  # saved from another
    client.logout()

    response = client.post(link, {"new_password1": "x" * 20, "new_password2": "x" * 20})

    assert response.status_code == 410
    assert "This invitation was used already" in response.text
    assert Person.objects.get(pk=nina.pk).check_password(PASSWORD)


def test_an_expired_link_of_someone_who_signed_in_since_says_used(client, cast, settings):
    link = link_for(cast.alice, cast.erin)
    client.force_login(cast.alice)
    client.logout()
    expire(cast.alice, settings)

    response = client.get(link)

    assert response.status_code == 410
    assert "This invitation was used already" in response.text


def test_the_link_of_someone_who_left_only_says_it_does_not_work(client, cast):
    nina = new_person()
    link = link_for(nina, cast.erin)
    Person.objects.filter(pk=nina.pk).update(leave_date=timezone.localdate() - timedelta(days=1))

    response = client.get(link)

    assert response.status_code == 404
    assert "This link no longer works" in response.text


def test_a_link_whose_invitation_is_gone_only_says_it_does_not_work(client, cast):
    nina = new_person()
    link = link_for(nina, cast.erin)
    Invitation.objects.all().delete()

    assert client.get(link).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "a" * 300,
        signing.dumps(["not an id", "x"], salt=invitations.SALT),
        signing.dumps([1], salt=invitations.SALT),
        signing.dumps({"pk": 1}, salt=invitations.SALT),
        signing.dumps([10**30, "x"], salt=invitations.SALT),
        signing.dumps([1, "x"], salt="another salt"),
    ],
    # Named, not by value: a signed token holds the time it was made, and pytest-xdist's
    # workers must collect the same test ids.
    ids=["forged", "too long", "not an id", "no digest", "a dict", "oversize id", "other salt"],
)
def test_no_token_makes_a_server_error(client, cast, token):
    response = client.get(reverse("accounts:invitation", args=[token]))

    assert response.status_code == 404
    assert "This link no longer works" in response.text
