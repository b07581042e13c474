"""The invitation e-mail is written in the language of the person invited
(`Person.effective_language`: their own, else the organisation's), whoever sends it and in
whatever language they use Cadence: from the person page, the Invitations tab and the API."""

from django.core import mail
from django.urls import reverse

from organisation import current
from people.models import Person

DUTCH_SUBJECT = "Je bent uitgenodigd voor Cadence: kies je wachtwoord"
ENGLISH_SUBJECT = "You are invited to Cadence: choose your password"
DUTCH = {"Accept-Language": "nl"}


def speaks(person, language):
    Person.objects.filter(pk=person.pk).update(language=language)


def organisation_speaks(language):
    row = current.row()
    row.language = language
    row.save()


def the_e_mail_to(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def test_a_dutch_speaker_gets_it_in_dutch_from_hr_in_english(login, cast):
    speaks(cast.alice, "nl")
    login(cast.erin).post(reverse("people:person_invite", args=[cast.alice.pk]))

    message = the_e_mail_to("alice@example.com")
    assert message.subject == DUTCH_SUBJECT
    assert "Hallo Alice Employee," in message.body
    assert "Erin HR nodigt je uit voor Cadence" in message.body
    assert "De link werkt één keer, tot" in message.body
    assert "/accounts/invitation/" in message.body


def test_without_a_language_of_their_own_it_is_in_the_organisation_s(login, cast):
    speaks(cast.alice, "")
    organisation_speaks("nl")
    login(cast.erin).post(reverse("people:person_invite", args=[cast.alice.pk]))

    assert the_e_mail_to("alice@example.com").subject == DUTCH_SUBJECT


def test_an_english_speaker_gets_it_in_english_from_hr_in_dutch(login, cast):
    speaks(cast.alice, "en")
    organisation_speaks("nl")
    client = login(cast.erin)
    client.post(reverse("people:person_invite", args=[cast.alice.pk]), headers=DUTCH)

    message = the_e_mail_to("alice@example.com")
    assert message.subject == ENGLISH_SUBJECT
    assert "Hello Alice Employee," in message.body


def test_a_send_to_many_writes_to_each_in_their_own_language(login, cast):
    speaks(cast.alice, "nl")
    speaks(cast.bob, "en")
    client = login(cast.erin)
    client.post(
        reverse("organisation:invitations_send"),
        {"person": [cast.alice.pk, cast.bob.pk]},
        headers=DUTCH,
    )

    assert the_e_mail_to("alice@example.com").subject == DUTCH_SUBJECT
    assert the_e_mail_to("bob@example.com").subject == ENGLISH_SUBJECT


def test_the_api_writes_in_the_person_s_language(login, cast):
    organisation_speaks("nl")
    login(cast.frank).post(f"/api/v1/people/{cast.dave.pk}/invitation")

    assert the_e_mail_to("dave@example.com").subject == DUTCH_SUBJECT
