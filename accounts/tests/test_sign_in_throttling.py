"""Sign-in throttling through the real sign-in page: an attacker is slowed down, the owner of
the address is not (`accounts/throttle.py`)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import throttle
from accounts.models import ApiToken, LoginFailure
from cadence.tests.client import BrowserClient

LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery"  # the cast's, in conftest.py
ALICE = "alice@example.com"
HOME = "192.0.2.10"  # Alice's own connection
ATTACKER = "198.51.100.66"
REFUSED = "Too many attempts; try again in"


def browser(ip):
    return BrowserClient(REMOTE_ADDR=ip)


def sign_in(client, email=ALICE, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def hammer(email=ALICE, times=30, ips=None):
    """Wrong passwords for `email`, from one address or each from another."""
    for index in range(times):
        ip = ips or f"198.51.100.{index % 250 + 1}"
        sign_in(browser(ip), email, "wrong password")


@pytest.fixture
def alices_browser(cast):
    """The browser Alice signed in with before (and signed out of)."""
    client = browser(HOME)
    assert sign_in(client).status_code == 302
    client.post(reverse("accounts:logout"))
    assert not signed_in(client)
    return client


def age_failures(seconds):
    LoginFailure.objects.update(at=F("at") - timedelta(seconds=seconds))


# --- The owner is never locked out of her own browser -----------------------------------------


@pytest.mark.parametrize("her_ip", [HOME, ATTACKER], ids=["at home", "behind the attacker's NAT"])
def test_alice_signs_in_from_her_browser_while_her_address_is_hammered(alices_browser, her_ip):
    hammer(times=40)  # from 40 places: her address is closed to every unknown browser
    hammer(times=30, ips=ATTACKER)
    alices_browser.defaults["REMOTE_ADDR"] = her_ip
    response = sign_in(alices_browser)
    assert response.status_code == 302
    assert signed_in(alices_browser)


def test_an_unknown_browser_is_refused_while_the_address_is_hammered(alices_browser, settings):
    hammer(times=settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    client = browser("203.0.113.200")
    response = sign_in(client)
    assert response.status_code == 429
    assert REFUSED in response.text
    assert not signed_in(client)


def test_one_attacker_alone_does_not_lock_the_address_for_others(cast):
    hammer(times=50, ips=ATTACKER)
    client = browser("203.0.113.200")
    assert sign_in(client).status_code == 302
    assert signed_in(client)


def test_the_attacker_is_refused_even_the_right_password(cast, settings):
    hammer(times=settings.LOGIN_FAILURE_LIMIT, ips=ATTACKER)
    client = browser(ATTACKER)
    response = sign_in(client)
    assert response.status_code == 429
    assert REFUSED in response.text
    assert not signed_in(client)


def test_a_trusted_browser_has_a_small_budget_of_its_own(alices_browser, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert sign_in(alices_browser, password="typo").status_code == 200
    assert sign_in(alices_browser).status_code == 429
    # Her mistakes at home do not close her address to her other browsers.
    laptop = browser("203.0.113.200")
    assert sign_in(laptop).status_code == 302


def test_a_trusted_browser_forgets_its_mistakes_once_she_is_in(alices_browser, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(alices_browser, password="typo")
    assert sign_in(alices_browser).status_code == 302
    assert not LoginFailure.objects.exists()


def test_a_browser_is_trusted_only_for_whoever_signed_in_with_it(alices_browser, settings):
    hammer("bob@example.com", times=settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    response = sign_in(alices_browser, "bob@example.com")
    assert response.status_code == 429
    assert not signed_in(alices_browser)


def test_a_shared_browser_stays_trusted_for_each_person_who_signed_in(alices_browser, settings):
    assert sign_in(alices_browser, "bob@example.com").status_code == 302
    alices_browser.post(reverse("accounts:logout"))
    hammer(times=settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    hammer("bob@example.com", times=settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    assert sign_in(alices_browser).status_code == 302
    alices_browser.post(reverse("accounts:logout"))
    assert sign_in(alices_browser, "bob@example.com").status_code == 302


@pytest.mark.parametrize("cookie", ["forged", "edited"])
def test_a_forged_device_cookie_earns_no_trust(alices_browser, settings, cookie):
    hammer(times=settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    client = browser("203.0.113.200")
    value = alices_browser.cookies[throttle.DEVICE_COOKIE].value
    client.cookies[throttle.DEVICE_COOKIE] = "x" + value if cookie == "edited" else "forged"
    assert sign_in(client).status_code == 429
    assert not signed_in(client)


def test_signing_in_makes_the_browser_trusted_with_a_private_cookie(cast):
    client = browser(HOME)
    response = sign_in(client)
    cookie = response.cookies[throttle.DEVICE_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] > 30 * 24 * 60 * 60
    assert "alice" not in cookie.value.lower()


# --- Spraying: one client, many addresses --------------------------------------------------------


def test_one_client_trying_many_addresses_is_refused(cast, settings):
    spray = browser(ATTACKER)
    for index in range(settings.LOGIN_CLIENT_FAILURE_LIMIT):
        response = sign_in(spray, f"person{index}@example.com", "Summer2026!")
        assert response.status_code == 200
    response = sign_in(spray, "bob@example.com")  # even the right password, for anyone
    assert response.status_code == 429
    assert not signed_in(spray)
    # Everyone else signs in as usual.
    bobs = browser("203.0.113.200")
    assert sign_in(bobs, "bob@example.com").status_code == 302


# --- Back-off --------------------------------------------------------------------------------


def retry_after(response):
    assert response.status_code == 429, response.status_code
    return int(response["Retry-After"])


def test_the_wait_doubles_with_each_failure_up_to_the_longest_wait(cast, settings):
    attacker = browser(ATTACKER)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(attacker, password="wrong")
    waits = []
    for _ in range(6):
        wait = retry_after(sign_in(attacker, password="wrong"))
        waits.append(wait)
        age_failures(wait + 1)  # time passes: the wait is over
        assert sign_in(attacker, password="wrong").status_code == 200  # one more guess
    assert waits[:4] == [60, 120, 240, 480]
    assert waits[4:] == [900, 900]  # at most LOGIN_BACKOFF_MAX_MINUTES


def test_a_refused_attempt_checks_no_password_and_counts_nothing(cast, settings):
    hammer(times=settings.LOGIN_FAILURE_LIMIT, ips=ATTACKER)
    for _ in range(10):
        sign_in(browser(ATTACKER), password="wrong")
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURE_LIMIT


def test_the_message_says_how_long_to_wait(cast, settings):
    hammer(times=settings.LOGIN_FAILURE_LIMIT, ips=ATTACKER)
    assert "try again in 1 minute." in sign_in(browser(ATTACKER)).text
    for wait in (60, 120, 240):
        age_failures(wait + 1)
        sign_in(browser(ATTACKER), password="wrong")
    assert "try again in 8 minutes." in sign_in(browser(ATTACKER)).text


def test_the_api_token_still_works_while_the_address_is_refused(client, cast, settings):
    hammer(times=settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    _token, raw = ApiToken.issue(cast.alice, "script")
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_the_admin_sign_in_is_throttled_too(cast, settings):
    admin_login = reverse("admin:login")
    attacker = browser(ATTACKER)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attacker.post(admin_login, {"username": "frank@example.com", "password": "wrong"})
    attacker.post(admin_login, {"username": "frank@example.com", "password": PASSWORD})
    assert not signed_in(attacker)


@pytest.mark.parametrize("email", ["not an address", "a" * 300 + "@example.com", ""])
def test_odd_addresses_get_the_forms_answer(cast, email):
    response = sign_in(browser(ATTACKER), email)
    assert response.status_code == 200


# --- Pruning -----------------------------------------------------------------------------------


def test_failures_that_no_longer_count_are_pruned_when_one_is_recorded(cast, settings):
    hammer(times=3, ips=ATTACKER)
    age_failures(settings.LOGIN_FAILURE_WINDOW_MINUTES * 60 + 1)
    sign_in(browser(ATTACKER), password="wrong")
    assert LoginFailure.objects.count() == 1


def test_the_prune_command_forgets_old_failures_and_can_run_again(cast, settings):
    hammer(times=3, ips=ATTACKER)
    age_failures(settings.LOGIN_FAILURE_WINDOW_MINUTES * 60 + 1)
    LoginFailure.objects.create(email=ALICE, client=ATTACKER)  # a recent one stays
    call_command("prune_login_failures")
    call_command("prune_login_failures")
    assert list(LoginFailure.objects.values_list("at", flat=True)) != []
    assert LoginFailure.objects.count() == 1
    assert LoginFailure.objects.get().at > timezone.now() - timedelta(minutes=1)


# --- The client's address ----------------------------------------------------------------------


def request_from(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post(LOGIN, REMOTE_ADDR=remote_addr, **headers)


def test_the_client_is_remote_addr_whatever_the_headers_say(settings):
    settings.TRUST_X_FORWARDED_FOR = 0
    assert throttle.client_of(request_from("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


def test_behind_a_trusted_proxy_the_client_is_what_the_proxy_saw(settings):
    settings.TRUST_X_FORWARDED_FOR = 1
    # The client may send its own X-Forwarded-For: only the proxy's entry (the last) counts.
    request = request_from("10.0.0.5", "1.2.3.4, 203.0.113.9")
    assert throttle.client_of(request) == "203.0.113.9"
    settings.TRUST_X_FORWARDED_FOR = 2
    assert throttle.client_of(request_from("10.0.0.5", "1.2.3.4, 203.0.113.9")) == "1.2.3.4"


def test_an_attacker_cannot_escape_by_varying_the_header(cast, settings):
    settings.TRUST_X_FORWARDED_FOR = 0
    for index in range(settings.LOGIN_FAILURE_LIMIT):
        BrowserClient(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"203.0.113.{index}").post(
            LOGIN, {"username": ALICE, "password": "wrong"}
        )
    client = BrowserClient(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert sign_in(client).status_code == 429


def test_an_ipv6_client_is_counted_by_its_network(settings):
    first = throttle.client_of(request_from("2001:db8:1:2::1"))
    other = throttle.client_of(request_from("2001:db8:1:2:ffff::9"))
    assert first == other == "2001:db8:1:2::/64"
    assert throttle.client_of(request_from("::ffff:192.0.2.1")) == "192.0.2.1"
    assert throttle.client_of(request_from("")) == throttle.UNKNOWN_CLIENT


# --- Attempts at the same moment, and the current password when changing it -------------------


def test_an_attempt_under_way_counts_for_one_sent_at_the_same_moment(cast, monkeypatch, settings):
    # While the first attempt's password is being hashed, a second one arrives: it must see
    # the first as a failure already, or a burst would all pass the limit at once.
    settings.LOGIN_FAILURE_LIMIT = 3
    hammer(times=2, ips=ATTACKER)
    from people.models import Person

    check_password = Person.check_password
    during = []

    def slow_check(person, raw):
        if not during:
            during.append(sign_in(browser(ATTACKER), password="wrong again"))
        return check_password(person, raw)

    monkeypatch.setattr(Person, "check_password", slow_check)
    first = sign_in(browser(ATTACKER), password="wrong password")
    assert first.status_code == 200
    assert during[0].status_code == 429
    assert LoginFailure.objects.filter(client=ATTACKER).count() == 3


def test_a_right_password_leaves_no_failure_behind(cast):
    assert sign_in(browser(ATTACKER)).status_code == 302
    assert not LoginFailure.objects.exists()


PASSWORD_CHANGE = reverse("accounts:password_change")


def change_password(client, old):
    return client.post(
        PASSWORD_CHANGE,
        {
            "old_password": old,
            "new_password1": "a new long passphrase",
            "new_password2": "a new long passphrase",
        },
    )


def test_the_current_password_cannot_be_guessed_without_limit_when_changing_it(cast):
    # Someone holding Alice's open session guesses her password to take the account over.
    client = browser(ATTACKER)
    client.force_login(cast.alice)
    answers = [change_password(client, f"guess {n}").status_code for n in range(6)]
    assert answers[:5] == [200] * 5
    assert answers[5] == 429
    response = change_password(client, PASSWORD)
    assert response.status_code == 429
    assert REFUSED in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)


def test_the_owner_changes_her_password_with_the_right_current_one(cast):
    client = browser(HOME)
    client.force_login(cast.alice)
    wrong = change_password(client, "not it")
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.text
    assert change_password(client, PASSWORD).status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("a new long passphrase")
