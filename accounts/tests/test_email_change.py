"""Changing someone's e-mail address cannot take over their account.

HR (or an administrator) only asks: the new address confirms, the old address is told and may
cancel, a change made by someone else waits for the old address's time to object, and when it
takes effect every session and API token of the person ends. A new password ends them too.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.email_change import UnconfirmedEmailChange
from accounts.models import ApiToken, EmailChange
from cadence.tests.client import BrowserClient
from people.models import Person
from people.tests.test_person_edit import edit_url, form_data

NEW = "mallory@evil.example"
ME = "/api/v1/me"
PROFILE = reverse("accounts:profile")


def link(message, kind):
    return re.search(rf"https?://[^/\s]+(/accounts/email/{kind}/\S+/)", message.body).group(1)


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def signed_in(person):
    client = BrowserClient()
    client.force_login(person)
    return client


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def later(hours):
    """Let time pass for the pending changes: their clock is moved back."""
    for change in EmailChange.objects.all():
        change.requested_at -= timedelta(hours=hours)
        change.takes_effect_at -= timedelta(hours=hours)
        change.save()


@pytest.fixture
def hr_changed_alices_email(login, cast):
    response = login(cast.erin).post(edit_url(cast.alice), form_data(cast.alice, email=NEW))
    assert response.status_code == 302
    return cast


def test_hr_changing_an_address_changes_nothing_until_confirmed(hr_changed_alices_email):
    cast = hr_changed_alices_email
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"
    assert not Person.objects.filter(email=NEW).exists()
    assert EmailChange.objects.get().requested_by == cast.erin


def test_the_new_address_gets_a_link_and_the_old_one_is_told(hr_changed_alices_email):
    [confirm] = sent_to(NEW)
    assert confirm.subject == "Confirm your new Cadence sign-in address"
    assert link(confirm, "confirm")
    [notice] = sent_to("alice@example.com")
    assert notice.subject == "Someone asked to change your Cadence sign-in address"
    assert "Erin HR asked to change your address" in notice.body
    assert NEW in notice.body
    assert link(notice, "cancel")


def test_hr_is_told_what_happens(login, cast):
    response = login(cast.erin).post(
        edit_url(cast.alice), form_data(cast.alice, email=NEW), follow=True
    )
    assert "only once confirmed from it" in response.text


def test_a_confirmation_cannot_take_effect_before_the_old_address_could_object(
    hr_changed_alices_email, client
):
    cast = hr_changed_alices_email
    response = client.post(link(sent_to(NEW)[0], "confirm"))
    assert response.status_code == 200
    assert "takes effect on" in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"


def test_after_confirmation_and_notice_the_address_changes_and_everything_ends(
    hr_changed_alices_email, client
):
    cast = hr_changed_alices_email
    other_browser = signed_in(cast.alice)
    _token, raw = ApiToken.issue(cast.alice, "script")
    assert other_browser.get(PROFILE).status_code == 200
    assert BrowserClient().get(ME, headers=bearer(raw)).status_code == 200

    client.post(link(sent_to(NEW)[0], "confirm"))
    later(hours=73)
    out = io.StringIO()
    call_command("run_schedules", stdout=out)
    assert "e-mail addresses changed: 1" in out.getvalue()

    cast.alice.refresh_from_db()
    assert cast.alice.email == NEW
    response = other_browser.get(PROFILE)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert BrowserClient().get(ME, headers=bearer(raw)).status_code == 401


def test_confirming_after_the_notice_time_takes_effect_at_once(hr_changed_alices_email, client):
    cast = hr_changed_alices_email
    later(hours=73)
    response = client.post(link(sent_to(NEW)[0], "confirm"))
    assert "Your address is changed" in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.email == NEW


def test_opening_the_link_changes_nothing(hr_changed_alices_email, client):
    later(hours=73)
    response = client.get(link(sent_to(NEW)[0], "confirm"))
    assert response.status_code == 200
    assert EmailChange.objects.get().confirmed_at is None


def test_the_old_address_cancels_it(hr_changed_alices_email, client):
    cast = hr_changed_alices_email
    response = client.post(link(sent_to("alice@example.com")[0], "cancel"))
    assert "The change is cancelled" in response.text
    later(hours=73)
    assert client.post(link(sent_to(NEW)[0], "confirm")).status_code == 404
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"


def test_the_person_cancels_it_on_their_profile(hr_changed_alices_email):
    cast = hr_changed_alices_email
    alice = signed_in(cast.alice)
    assert NEW in alice.get(PROFILE).text
    response = alice.post(reverse("accounts:cancel_my_email_change"), follow=True)
    assert "your address stays as it is" in response.text
    assert EmailChange.objects.get().cancelled_at is not None


def test_a_link_does_not_work_after_a_week(hr_changed_alices_email, client):
    later(hours=24 * 7 + 1)
    assert client.post(link(sent_to(NEW)[0], "confirm")).status_code == 404


def test_a_forged_or_swapped_link_does_not_work(hr_changed_alices_email, client):
    cancel = link(sent_to("alice@example.com")[0], "cancel")
    assert client.get(cancel.replace("/cancel/", "/confirm/")).status_code == 404
    assert client.get("/accounts/email/confirm/not-a-token/").status_code == 404


def test_an_administrator_changing_an_address_in_the_admin_only_asks(login, cast):
    url = reverse("admin:people_person_change", args=[cast.alice.pk])
    data = {"email": NEW, "name": cast.alice.name, "is_active": "on"}
    response = login(cast.frank).post(url, data)
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"
    assert sent_to(NEW) and sent_to("alice@example.com")
    assert EmailChange.objects.get().takes_effect_at > timezone.now() + timedelta(hours=71)
    history = login(cast.frank).get(reverse("admin:people_person_history", args=[cast.alice.pk]))
    assert f"Asked to change the e-mail address to {NEW}." in history.text


def test_a_change_asked_by_the_person_themselves_takes_effect_once_confirmed(login, cast, client):
    url = reverse("admin:people_person_change", args=[cast.frank.pk])
    data = {"email": "frank@new.example", "name": cast.frank.name, "is_active": "on"}
    data |= {"is_staff": "on", "is_superuser": "on"}
    login(cast.frank).post(url, data)
    client.post(link(sent_to("frank@new.example")[0], "confirm"))
    cast.frank.refresh_from_db()
    assert cast.frank.email == "frank@new.example"


def test_an_address_taken_meanwhile_is_not_applied(hr_changed_alices_email, client):
    cast = hr_changed_alices_email
    Person.objects.create_user(NEW, "x", name="Mallory")
    later(hours=73)
    client.post(link(sent_to(NEW)[0], "confirm"))
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"


def test_no_code_saves_a_new_address_without_confirmation(cast):
    cast.alice.email = NEW
    with pytest.raises(UnconfirmedEmailChange):
        cast.alice.save()


# --- New passwords ------------------------------------------------------------------------------


def test_a_password_reset_ends_sessions_and_api_tokens(cast, client):
    from accounts.tests.test_password_reset import ask_for_a_link, choose_password
    from accounts.tests.test_password_reset import link_in as reset_link

    other_browser = signed_in(cast.alice)
    _token, raw = ApiToken.issue(cast.alice, "script")
    ask_for_a_link(client, "alice@example.com")
    response = choose_password(client, reset_link(mail.outbox[-1]))
    assert "Your password is changed" in response.text
    assert other_browser.get(PROFILE).status_code == 302
    assert BrowserClient().get(ME, headers=bearer(raw)).status_code == 401


def test_a_password_change_ends_other_sessions_and_api_tokens(cast):
    alice, other_browser = signed_in(cast.alice), signed_in(cast.alice)
    _token, raw = ApiToken.issue(cast.alice, "script")
    new = "a brand new passphrase"
    response = alice.post(
        reverse("accounts:password_change"),
        {"old_password": cast.password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert alice.get(PROFILE).status_code == 200  # the session that changed it stays
    assert other_browser.get(PROFILE).status_code == 302
    assert BrowserClient().get(ME, headers=bearer(raw)).status_code == 401


def test_no_bulk_write_changes_an_address(cast):
    people = Person.objects.filter(pk=cast.alice.pk)
    with pytest.raises(ValueError, match=r"accounts\.email_change"):
        people.update(email="mallory@example.com")
    cast.alice.email = "mallory@example.com"
    with pytest.raises(ValueError, match=r"accounts\.email_change"):
        Person.objects.bulk_update([cast.alice], ["email"])
    assert Person.objects.get(pk=cast.alice.pk).email == "alice@example.com"
