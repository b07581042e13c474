"""Forgot your password: the e-mail, the link and the new password."""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from people.models import Person

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "a brand new passphrase"


def ask_for_a_link(client, email):
    return client.post(RESET, {"email": email}, follow=True)


def link_in(message):
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def choose_password(client, link, password=NEW_PASSWORD):
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.text
    form_url = response.redirect_chain[-1][0]
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_it_shows_the_form(client, db):
    response = client.get(RESET)
    assert response.status_code == 200
    assert 'name="email"' in response.text


def test_it_sends_a_link(client, cast):
    response = ask_for_a_link(client, "alice@example.com")
    assert "Check your e-mail" in response.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your Cadence password"
    assert "Hello Alice Employee" in message.body
    assert link_in(message)


def test_it_finds_the_address_whatever_its_case(client, cast):
    ask_for_a_link(client, "ALICE@example.com")
    assert len(mail.outbox) == 1


def test_the_link_lets_them_choose_a_new_password(client, cast):
    ask_for_a_link(client, "alice@example.com")
    response = choose_password(client, link_in(mail.outbox[0]))
    assert "Your password is changed" in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(NEW_PASSWORD)


def test_they_sign_in_with_the_new_password(client, cast):
    ask_for_a_link(client, "alice@example.com")
    choose_password(client, link_in(mail.outbox[0]))
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.alice.pk)


def test_the_link_works_once(client, cast):
    ask_for_a_link(client, "alice@example.com")
    link = link_in(mail.outbox[0])
    choose_password(client, link)
    response = client.get(link, follow=True)
    assert "This link no longer works" in response.text


def test_it_refuses_a_tampered_link(client, cast):
    ask_for_a_link(client, "alice@example.com")
    link = link_in(mail.outbox[0])
    response = client.get(link[:-4] + "xxx/", follow=True)
    assert "This link no longer works" in response.text


def test_it_refuses_a_weak_password(client, cast):
    ask_for_a_link(client, "alice@example.com")
    response = choose_password(client, link_in(mail.outbox[0]), "password")
    assert "This password is too common" in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("correct horse battery")


def test_it_says_the_same_for_an_unknown_address(client, cast):
    response = ask_for_a_link(client, "nobody@example.com")
    assert response.status_code == 200
    assert "Check your e-mail" in response.text
    assert mail.outbox == []


def test_it_sends_a_link_to_someone_added_without_a_password(client, cast):
    # HR adds people with an unusable password; "Forgot your password?" is how they start.
    Person.objects.create_user("gina@example.com", None, name="Gina New")
    ask_for_a_link(client, "gina@example.com")
    assert len(mail.outbox) == 1
    choose_password(client, link_in(mail.outbox[0]))
    assert Person.objects.get(email="gina@example.com").check_password(NEW_PASSWORD)


def test_it_sends_nothing_to_someone_who_has_left(client, cast):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    response = ask_for_a_link(client, "alice@example.com")
    assert "Check your e-mail" in response.text
    assert mail.outbox == []


def test_it_sends_nothing_to_an_inactive_person(client, cast):
    cast.alice.is_active = False
    cast.alice.save()
    ask_for_a_link(client, "alice@example.com")
    assert mail.outbox == []
