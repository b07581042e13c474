"""The profile page: name, time zone and language, and who can see your details."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from access.models import HRRole
from accounts.models import ApiToken
from conftest import make_person

PROFILE = reverse("accounts:profile")


@pytest.fixture(autouse=True)
def _reset_locale():
    """Requests activate the signed-in person's time zone and language on this thread."""
    yield
    timezone.deactivate()
    translation.activate("en")


def test_it_shows_the_profile(login, cast):
    response = login(cast.alice).get(PROFILE)
    assert response.status_code == 200
    assert "Alice Employee" in response.text
    assert "alice@example.com" in response.text


def test_it_saves_name_time_zone_and_language(login, cast):
    data = {"name": "Alice Renamed", "time_zone": "Europe/Amsterdam", "language": "nl"}
    response = login(cast.alice).post(PROFILE, data)
    assert response.status_code == 302
    assert response.url == PROFILE
    cast.alice.refresh_from_db()
    assert cast.alice.name == "Alice Renamed"
    assert cast.alice.time_zone == "Europe/Amsterdam"
    assert cast.alice.language == "nl"
    assert response.cookies["django_language"].value == "nl"


def test_it_confirms_the_save(login, cast):
    data = {"name": "Alice", "time_zone": "UTC", "language": ""}
    response = login(cast.alice).post(PROFILE, data, follow=True)
    assert "Your profile is saved." in response.text


def test_the_confirmation_is_in_the_language_just_chosen(login, cast):
    client = login(cast.alice)
    data = {"name": "Alice", "time_zone": "UTC", "language": "nl"}
    response = client.post(PROFILE, data, follow=True)
    assert "Je profiel is opgeslagen." in response.text
    # Back to following the browser, which asks for English.
    data["language"] = ""
    response = client.post(PROFILE, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Your profile is saved." in response.text


@pytest.mark.parametrize("language", ["en", "nl"])
def test_each_language_is_offered_by_its_own_name(login, cast, language):
    cast.alice.language = language
    cast.alice.save()
    html = login(cast.alice).get(PROFILE).text
    assert re.search(r'<option value="nl"( selected)?>Nederlands</option>', html)
    assert re.search(r'<option value="en"( selected)?>English</option>', html)


def test_it_refuses_an_unknown_time_zone(login, cast):
    data = {"name": "Alice Renamed", "time_zone": "Mars/Olympus_Mons", "language": ""}
    response = login(cast.alice).post(PROFILE, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.name == "Alice Employee"
    assert cast.alice.time_zone == "UTC"


def test_it_needs_a_name(login, cast):
    data = {"name": "", "time_zone": "UTC", "language": ""}
    response = login(cast.alice).post(PROFILE, data)
    assert response.status_code == 200
    assert "This field is required." in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.name == "Alice Employee"


def test_it_does_not_let_people_change_their_email_or_level(login, cast):
    data = {
        "name": "Alice",
        "time_zone": "UTC",
        "language": "",
        "email": "mallory@example.com",
        "level": "9",
    }
    login(cast.alice).post(PROFILE, data)
    cast.alice.refresh_from_db()
    assert cast.alice.email == "alice@example.com"
    assert cast.alice.level == 2


def employment_lines(response):
    who = response.context["who"]["employment"]
    return {line.label: [p.name for p in line.people] for line in who.lines}


def test_it_shows_who_can_see_your_details(login, cast):
    response = login(cast.alice).get(PROFILE)
    assert employment_lines(response) == {
        "you": ["Alice Employee"],
        "your management chain": ["Bob Manager", "Carol Leader"],
        "HR for the whole organisation": ["Erin HR"],
    }
    assert [line.label for line in response.context["who"]["profile"].lines] == [
        "everyone in the organisation"
    ]
    assert "Bob Manager" in response.text
    assert "Carol Leader" in response.text
    assert "Erin HR" in response.text
    assert reverse("trust:my_data") in response.text


def test_it_shows_hr_only_to_someone_without_a_manager(login, cast):
    response = login(cast.dave).get(PROFILE)
    assert employment_lines(response) == {
        "you": ["Dave Peer"],
        "HR for the whole organisation": ["Erin HR"],
    }
    assert "Bob Manager" not in response.text


def test_it_shows_hr_scoped_to_your_team(login, cast):
    gina = make_person("gina@example.com", "Gina Engineering HR")
    HRRole.objects.create(person=gina, scope=cast.engineering)
    alice = employment_lines(login(cast.alice).get(PROFILE))
    assert alice["HR for the whole organisation"] == ["Erin HR"]
    assert alice["HR for Engineering"] == ["Gina Engineering HR"]
    dave = employment_lines(login(cast.dave).get(PROFILE))
    assert "HR for Engineering" not in dave


def test_it_leaves_out_people_who_have_left(login, cast):
    for person in (cast.carol, cast.erin):
        person.leave_date = timezone.localdate() - dt.timedelta(days=1)
        person.save()
    response = login(cast.alice).get(PROFILE)
    assert employment_lines(response) == {
        "you": ["Alice Employee"],
        "your management chain": ["Bob Manager"],
    }


def test_it_links_to_changing_the_password(login, cast):
    client = login(cast.alice)
    assert reverse("accounts:password_change") in client.get(PROFILE).text
    data = {
        "old_password": cast.password,
        "new_password1": "another fine passphrase",
        "new_password2": "another fine passphrase",
    }
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("another fine passphrase")
    assert client.get(PROFILE).status_code == 200  # still signed in


def test_it_sends_anonymous_people_to_sign_in(client, db):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_shows_times_in_your_time_zone(login, cast):
    token, _raw = ApiToken.issue(cast.alice, "script")
    token.last_used_at = dt.datetime(2025, 1, 15, 23, 30, tzinfo=dt.UTC)
    token.save()
    assert "15 Jan 2025, 23:30" in login(cast.alice).get(PROFILE).text
    cast.alice.time_zone = "Asia/Tokyo"
    cast.alice.save()
    assert "16 Jan 2025, 08:30" in login(cast.alice).get(PROFILE).text


def test_it_speaks_your_language(login, cast):
    cast.alice.language = "nl"
    cast.alice.save()
    response = login(cast.alice).get(PROFILE)
    assert response["Content-Language"] == "nl"
