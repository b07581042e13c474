"""Signing in and out with e-mail and password, throttling, leavers and the demo picker."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginFailure

LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery"  # the cast's, in conftest.py
WRONG = "That e-mail address and password do not match"
THROTTLED = "Too many attempts; try again in"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_it_shows_the_sign_in_form(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="username"' in response.text
    assert 'name="password"' in response.text


def test_it_signs_in_with_email_and_password(client, cast):
    response = sign_in(client, "alice@example.com")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_as(client) == str(cast.alice.pk)


def test_it_ignores_the_case_of_the_email_address(client, cast):
    sign_in(client, "Alice@EXAMPLE.com")
    assert signed_in_as(client) == str(cast.alice.pk)


def test_it_refuses_a_wrong_password_with_a_clear_error(client, cast):
    response = sign_in(client, "alice@example.com", "wrong password")
    assert response.status_code == 200
    assert WRONG in response.text
    assert signed_in_as(client) is None


def test_it_records_a_failed_attempt(client, cast):
    data = {"username": "Alice@example.com", "password": "wrong password"}
    client.post(LOGIN, data, REMOTE_ADDR="203.0.113.7")
    failure = LoginFailure.objects.get()
    assert failure.email == "alice@example.com"
    assert failure.client == "203.0.113.7"


def test_it_records_nothing_when_signing_in_works(client, cast):
    sign_in(client, "alice@example.com")
    assert not LoginFailure.objects.exists()


def test_it_throttles_after_too_many_failures(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "alice@example.com", "wrong password")
    response = sign_in(client, "alice@example.com")
    assert response.status_code == 429
    assert THROTTLED in response.text
    assert signed_in_as(client) is None


def test_it_throttles_whatever_the_case_of_the_address(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "ALICE@example.com", "wrong password")
    response = sign_in(client, "alice@example.com")
    assert THROTTLED in response.text


def test_it_does_not_throttle_below_the_limit(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "alice@example.com", "wrong password")
    sign_in(client, "alice@example.com")
    assert signed_in_as(client) == str(cast.alice.pk)


def test_it_throttles_one_address_only(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "alice@example.com", "wrong password")
    sign_in(client, "bob@example.com")
    assert signed_in_as(client) == str(cast.bob.pk)


def test_it_forgets_failures_after_the_window(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "alice@example.com", "wrong password")
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES, seconds=1)
    LoginFailure.objects.update(at=timezone.now() - window)
    sign_in(client, "alice@example.com")
    assert signed_in_as(client) == str(cast.alice.pk)


@pytest.mark.parametrize("leave_date", [1, 30], ids=["yesterday", "a month ago"])
def test_it_refuses_someone_who_has_left(client, cast, leave_date):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=leave_date)
    cast.alice.save()
    response = sign_in(client, "alice@example.com")
    assert WRONG in response.text
    assert signed_in_as(client) is None


@pytest.mark.parametrize("leave_date", [0, 1], ids=["on the last working day", "before it"])
def test_it_lets_someone_sign_in_until_their_leave_date(client, cast, leave_date):
    cast.alice.leave_date = timezone.localdate() + timedelta(days=leave_date)
    cast.alice.save()
    sign_in(client, "alice@example.com")
    assert signed_in_as(client) == str(cast.alice.pk)


def test_it_ends_the_session_of_someone_who_has_left(client, cast):
    client.force_login(cast.alice)
    assert client.get(reverse("home")).status_code == 200
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_it_refuses_an_inactive_person(client, cast):
    cast.alice.is_active = False
    cast.alice.save()
    response = sign_in(client, "alice@example.com")
    assert WRONG in response.text
    assert signed_in_as(client) is None


def test_it_ends_the_session_of_an_inactive_person(client, cast):
    client.force_login(cast.alice)
    cast.alice.is_active = False
    cast.alice.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_it_refuses_someone_without_a_usable_password(client, cast):
    cast.alice.set_unusable_password()
    cast.alice.save()
    response = sign_in(client, "alice@example.com", "")
    assert response.status_code == 200
    assert signed_in_as(client) is None


def test_it_signs_out_with_a_post(client, cast):
    client.force_login(cast.alice)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == LOGIN
    assert signed_in_as(client) is None


def test_it_does_not_sign_out_with_a_get(client, cast):
    client.force_login(cast.alice)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert signed_in_as(client) == str(cast.alice.pk)


def test_it_sends_anonymous_people_to_sign_in_with_next(client, db):
    response = client.get(reverse("people:directory"))
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/people/"


def test_it_keeps_next_in_the_form(client, db):
    response = client.get(LOGIN, {"next": "/people/"})
    assert 'name="next" value="/people/"' in response.text


def test_it_goes_to_next_after_signing_in(client, cast):
    response = sign_in(client, "alice@example.com", next="/people/")
    assert response.status_code == 302
    assert response.url == "/people/"


def test_it_does_not_go_to_another_site_after_signing_in(client, cast):
    response = sign_in(client, "alice@example.com", next="https://evil.example.com/")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_sends_someone_signed_in_home(client, cast):
    client.force_login(cast.alice)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response.url == reverse("home")


# --- Demo mode ---------------------------------------------------------------------------------


def test_it_hides_the_demo_picker_outside_demo_mode(client, cast, settings):
    settings.DEMO = False
    response = client.get(LOGIN)
    assert "Try the demo organisation" not in response.text
    assert reverse("accounts:demo_login") not in response.text


def test_it_shows_the_demo_picker_in_demo_mode(client, cast, settings):
    settings.DEMO = True
    response = client.get(LOGIN)
    assert "Try the demo organisation" in response.text
    assert "Carol Leader" in response.text
    assert "Erin HR" in response.text
    assert "Frank Admin" in response.text


def test_the_demo_picker_shows_each_persona_s_e_mail_address(client, cast, settings):
    """The address to type with the demo password, beside each persona's name."""
    settings.DEMO = True
    response = client.get(LOGIN)
    page = response.text
    for person in (cast.carol, cast.erin, cast.frank):
        name_at = page.index(person.name)
        email_at = page.index(person.email, name_at)
        assert page.index("</button>", name_at) > email_at  # in the same persona button


def test_it_signs_in_as_a_persona_in_demo_mode(client, cast, settings):
    settings.DEMO = True
    response = client.post(reverse("accounts:demo_login"), {"person": cast.erin.pk})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_as(client) == str(cast.erin.pk)


def test_it_refuses_someone_not_listed_in_demo_mode(client, cast, settings):
    settings.DEMO = True
    response = client.post(reverse("accounts:demo_login"), {"person": cast.alice.pk}, follow=True)
    assert "Choose one of the people listed." in response.text
    assert signed_in_as(client) is None


def test_it_refuses_nonsense_in_demo_mode(client, cast, settings):
    settings.DEMO = True
    response = client.post(reverse("accounts:demo_login"), {"person": "x"})
    assert response.status_code == 302
    assert response.url == LOGIN
    assert signed_in_as(client) is None


def test_demo_login_is_not_found_outside_demo_mode(client, cast, settings):
    settings.DEMO = False
    response = client.post(reverse("accounts:demo_login"), {"person": cast.erin.pk})
    assert response.status_code == 404
    assert signed_in_as(client) is None


def test_demo_login_needs_a_post(client, cast, settings):
    settings.DEMO = True
    response = client.get(reverse("accounts:demo_login"), {"person": cast.erin.pk})
    assert response.status_code == 405
    assert signed_in_as(client) is None


def test_the_signed_in_person_comes_with_their_team_and_hr_role(cast, django_assert_num_queries):
    """One query for the person, their team and their HR role with its scope, which the
    rules read on nearly every page (`access.viewer.Viewer`)."""
    from access.viewer import Viewer
    from accounts.backends import EmailBackend

    for person, is_hr in ((cast.erin, True), (cast.alice, False)):
        with django_assert_num_queries(1):
            user = EmailBackend().get_user(person.pk)
            viewer = Viewer(person=user)
            assert viewer.is_hr is is_hr
            assert viewer.hr_scope_path == ("" if is_hr else None)
            assert user.team_id is None or user.team.pk == person.team_id
