"""One-click unsubscribe: every optional e-mail carries `List-Unsubscribe` (its link) and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058). A mail program's POST to the link
turns that kind off without signing in and without a CSRF token; a person opening the link gets
a page with a button (which needs the token, as every form). The link's token is signed: changed,
for an essential kind, or for an address that is no longer the person's, it works for nobody."""

import re

import pytest
from django.core import mail as outbox
from django.core import signing
from django.test import Client
from django.urls import reverse

from cadence.links import site_link
from notifications import mail
from notifications.models import EmailOptOut
from notifications.services import notify

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


def link(person, kind=mail.WEEKLY_DIGEST):
    token = mail.unsubscribe_token(person, kind)
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def signed(payload, salt=mail.SALT):
    return signing.Signer(salt=salt, algorithm="sha256").sign_object(payload)


def off_for(person):
    return set(EmailOptOut.objects.filter(person=person).values_list("kind", flat=True))


def one_click(url):
    """What a mail program sends (RFC 8058): a form POST, no cookies, no CSRF token."""
    return Client(enforce_csrf_checks=True).post(
        url, ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )


def sent(person, kind, body="Hello"):
    assert mail.send_email(person, kind, "A subject", body)
    return outbox.outbox[-1]


# --- The headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", mail.OPTIONAL)
def test_an_optional_email_carries_the_one_click_headers(cast, kind):
    message = sent(cast.alice, kind)
    header = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https?://[^>]+/notifications/unsubscribe/[^/>]+/>", header)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.rsplit("/", 2)[-2]
    assert mail.unsubscribing(token) == (cast.alice, mail.EMAILS[kind])
    # The plain text says which kind it is and links there too, and to the settings.
    assert header[1:-1] in message.body
    assert site_link(reverse("accounts:profile") + "#email") in message.body
    # What went over the wire has them.
    raw = message.message()
    assert raw["List-Unsubscribe"] == header
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("kind", [k for k in mail.EMAILS if k not in mail.OPTIONAL])
def test_an_essential_email_has_no_unsubscribe(cast, kind):
    message = sent(cast.alice, kind)
    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers
    assert "/notifications/unsubscribe/" not in message.body
    with pytest.raises(ValueError):
        mail.unsubscribe_token(cast.alice, kind)


def test_an_essential_email_goes_out_whatever_is_stored(cast):
    EmailOptOut.objects.create(person=cast.alice, kind=mail.PASSWORD_RESET)  # not by a service
    assert mail.send_email(cast.alice, mail.PASSWORD_RESET, "Reset", "…")


def test_an_unknown_kind_is_a_programming_error(cast):
    with pytest.raises(ValueError):
        mail.send_email(cast.alice, "pigeon_post", "Hi", "…")


def test_the_footer_is_in_the_persons_language(cast):
    cast.alice.language = "nl"
    cast.alice.save()
    message = sent(cast.alice, mail.WEEKLY_DIGEST)
    assert mail.unsubscribe_link(cast.alice, mail.WEEKLY_DIGEST) in message.body


# --- One click ----------------------------------------------------------------------------------


def test_a_mail_programs_one_click_post_turns_the_kind_off(cast):
    response = one_click(link(cast.alice, mail.SURVEYS))
    assert response.status_code == 200
    assert off_for(cast.alice) == {mail.SURVEYS}
    assert "csrftoken" not in response.cookies  # it needed none, and got none
    # Twice is as once.
    assert one_click(link(cast.alice, mail.SURVEYS)).status_code == 200
    assert EmailOptOut.objects.filter(person=cast.alice).count() == 1
    # That kind is no longer sent; others are, and Cadence still tells her in-app.
    assert not mail.send_email(cast.alice, mail.SURVEYS, "Survey", "…")
    assert mail.send_email(cast.alice, mail.WEEKLY_DIGEST, "Digest", "…")
    notify(cast.alice, "survey_open", "/surveys/", survey="Pulse", close_date="2026-01-01")
    assert cast.alice.notifications.count() == 1


def test_one_click_with_the_body_as_multipart_works_too(cast):
    response = Client(enforce_csrf_checks=True).post(
        link(cast.alice), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert off_for(cast.alice) == {mail.WEEKLY_DIGEST}


def test_one_click_while_signed_in_as_someone_else_turns_off_the_links_person(login, cast):
    # The link, not the session, says whose e-mail it is.
    client = login(cast.bob)
    client.post(link(cast.alice), ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert off_for(cast.alice) == {mail.WEEKLY_DIGEST}
    assert off_for(cast.bob) == set()


# --- The page with a button ---------------------------------------------------------------------


def test_opening_the_link_shows_a_button_and_changes_nothing(client, cast):
    response = client.get(link(cast.alice))
    assert response.status_code == 200
    assert "A weekly digest: what waits for you, what happened" in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert off_for(cast.alice) == set()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_button_turns_the_kind_off(client, cast):
    url = link(cast.alice)
    page = client.get(url)
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "You will no longer get these e-mails" in response.text
    assert off_for(cast.alice) == {mail.WEEKLY_DIGEST}


def test_the_page_does_not_tell_whether_the_kind_is_off_already(client, cast):
    """Whoever holds the link (a forwarded e-mail, a scanner) learns nothing of the person's
    preferences: the page with its button is the same, on or off."""
    url = link(cast.alice)
    on = client.get(url).text
    EmailOptOut.objects.create(person=cast.alice, kind=mail.WEEKLY_DIGEST)
    off = client.get(url).text

    def without_token(page):
        return page.split('name="csrfmiddlewaretoken" value="', 1)[0]

    assert "Stop these e-mails</button>" in off and "off already" not in off
    assert without_token(on) == without_token(off)


def test_a_post_that_is_not_one_click_needs_the_csrf_token(cast):
    response = Client(enforce_csrf_checks=True).post(link(cast.alice), {"anything": "else"})
    assert response.status_code == 403
    assert off_for(cast.alice) == set()


# --- Tokens that do not work --------------------------------------------------------------------


def tampered(person, kind=mail.WEEKLY_DIGEST):
    token = mail.unsubscribe_token(person, kind)
    value, signature = token.rsplit(":", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    yield f"{value}:{flipped}"  # the signature changed
    payload = mail._signer().unsign_object(token)
    yield signed(payload, salt="another.salt")  # signed for something else
    yield signing.dumps(payload, salt=mail.SALT)  # another kind of signature
    yield "nonsense"


@pytest.mark.parametrize("number", range(4))
def test_a_tampered_link_works_for_nobody(client, cast, number):
    token = list(tampered(cast.alice))[number]
    url = reverse("notifications:unsubscribe", kwargs={"token": token})
    assert client.get(url).status_code == 404
    assert one_click(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert not EmailOptOut.objects.exists()


def test_a_link_for_another_person_id_with_the_same_signature_fails(cast):
    token = mail.unsubscribe_token(cast.alice, mail.WEEKLY_DIGEST)
    _pk, kind, mark = mail._signer().unsign_object(token)
    # Re-signed by someone who knows the key: the address mark still binds it to Alice.
    forged = signed([cast.bob.pk, kind, mark])
    assert mail.unsubscribing(forged) is None


def test_a_link_for_an_essential_kind_works_for_nobody(client, cast):
    token = signed([cast.alice.pk, mail.PASSWORD_RESET, mail._address_mark(cast.alice.email)])
    url = reverse("notifications:unsubscribe", kwargs={"token": token})
    assert client.get(url).status_code == 404
    assert one_click(url).status_code == 404
    assert not EmailOptOut.objects.exists()


def test_a_link_stops_working_when_the_address_changes(client, cast):
    url = link(cast.alice)
    cast.alice.email = "alice@elsewhere.example"
    cast.alice._email_change_confirmed = True  # as accounts.email_change applies one
    cast.alice.save()
    assert client.get(url).status_code == 404
    assert one_click(url).status_code == 404
    assert not EmailOptOut.objects.exists()


def test_the_page_needs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    url = link(cast.alice)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(6):
        assert one_click(url).status_code == 200
