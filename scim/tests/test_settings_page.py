"""Administration › SCIM provisioning: only administrators make and revoke tokens; a token is
shown once and kept as a digest; a SCIM token opens /scim/v2/ and nothing else."""

import pytest

from scim.models import ScimToken, hash_token
from scim.tests.helpers import new_scim
from trust.models import AuditEntry

URL = "/settings/scim/"


@pytest.fixture
def frank_hr(cast):
    """Frank, administrator, also organisation-wide HR who manages people: he may make one."""
    from access.models import HRRole

    HRRole.objects.create(person=cast.frank, can_manage_people=True)
    return cast.frank


def test_an_administrator_makes_a_token_shown_once_and_stored_as_a_digest(login, cast, frank_hr):
    client = login(cast.frank)
    response = client.post(URL, {"name": "Entra ID"})
    assert response.status_code == 200
    token = ScimToken.objects.get()
    secret = response.context["secret"]
    assert secret.startswith("scim_") and secret in response.text
    assert token.digest == hash_token(secret) and secret not in token.digest
    assert "/scim/v2/" in response.text
    assert secret not in client.get(URL).text
    assert AuditEntry.objects.filter(action="scim.token_issued", actor=cast.frank).exists()


def test_administering_alone_makes_no_token(login, cast):
    """A token rewires reporting lines, and a reporting line is a read right: an administrator
    without the import's right (organisation-wide HR managing people) may revoke, not make."""
    client = login(cast.frank)
    page = client.get(URL)
    assert page.status_code == 200 and "Make a token" not in page.text
    assert "takes organisation-wide HR that manages people" in page.text
    assert client.post(URL, {"name": "Entra ID"}).status_code == 403
    assert not ScimToken.objects.exists()


@pytest.mark.parametrize("who", ["alice", "erin", "carol"])
def test_no_one_else_sees_the_page_or_makes_a_token(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "Entra ID"}).status_code == 403
    assert not ScimToken.objects.exists()


def test_a_revoked_token_answers_401(client, login, cast):
    scim = new_scim(client)
    assert scim.get("Users").status_code == 200
    token = ScimToken.objects.get()
    login(cast.frank).post(URL, {"part": "revoke", "token": token.pk})
    response = scim.get("Users")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/scim+json"
    assert response.json()["status"] == "401"
    assert AuditEntry.objects.filter(action="scim.token_revoked").exists()


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer scim_wrong", "Basic Zm9vOmJhcg=="])
def test_a_wrong_token_answers_401(client, cast, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get("/scim/v2/Users", **extra).status_code == 401


def test_a_personal_api_token_does_not_open_scim(client, cast):
    from accounts.models import ApiToken

    _token, raw = ApiToken.issue(cast.frank, "script")
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_scim_token_opens_nothing_outside_scim(client, cast):
    scim = new_scim(client)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {scim.raw}"}
    assert client.get("/api/v1/people", **auth).status_code == 401
    assert client.get("/people/", **auth).status_code == 302  # to the sign-in page
    assert client.get(URL, **auth).status_code == 302


def test_a_signed_in_session_does_not_open_scim(login, cast):
    assert login(cast.frank).get("/scim/v2/Users").status_code == 401


def test_the_page_takes_a_fixed_number_of_queries(login, cast, django_assert_num_queries):
    from scim.models import ScimToken as Token

    for number in range(5):
        Token.issue(f"token {number}", cast.frank)
    client = login(cast.frank)
    client.get(URL)  # the session and the organisation's settings, read once per process; the
    # person comes with their HR role (`accounts.backends.EmailBackend.get_user`)
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert response.text.count("token ") >= 5


def test_a_demo_shows_an_example_token_and_makes_none(login, cast, settings, frank_hr):
    settings.DEMO = True
    client = login(cast.frank)
    assert "scim_Xq3v9T" in client.get(URL).text
    client.post(URL, {"name": "Entra ID"})
    assert not ScimToken.objects.exists()


def test_scim_answers_are_never_stored(client, cast):
    response = new_scim(client).get("Users")
    assert "no-store" in response["Cache-Control"]
