"""Invitations in the API: `POST /api/v1/people/{id}/invitation` sends one as the person page
does (201; 404 for someone the caller may not see, 403 for someone they may not invite, 409 for
someone outside the pilot, each `{"detail": …}`), and `GET /api/v1/invitations` lists who has
not accepted as the Invitations tab does, keyset paged, for whoever may invite anyone. Both
answer the same whatever modules are on, and during a pilot."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from accounts import invitations
from accounts.models import ApiToken, Invitation
from cadence import modules
from cadence.tests import test_authorization_matrix as matrix
from cadence.tests.matrix import ROLES
from conftest import make_person
from organisation import current
from organisation.tests.factories import start_pilot
from people.models import Person, Team
from trust.models import AuditEntry

LIST = "/api/v1/invitations"


def send_url(person_or_id):
    return f"/api/v1/people/{getattr(person_or_id, 'pk', person_or_id)}/invitation"


def invited(person, by, days_ago=0):
    invitations.invite([person], by=by)
    sent = timezone.now() - timedelta(days=days_ago)
    Invitation.objects.filter(person=person).update(sent_at=sent)


def signed_in(*people):
    Person.objects.filter(pk__in=[p.pk for p in people]).update(last_login=timezone.now())


@pytest.fixture
def hr(login, cast):
    signed_in(cast.erin, cast.frank)
    return login(cast.erin)


# --- Sending -------------------------------------------------------------------------------------


def test_hr_sends_an_invitation(hr, cast):
    response = hr.post(send_url(cast.alice))

    assert response.status_code == 201
    invitation = Invitation.objects.get(person=cast.alice)
    body = response.json()
    assert body["id"] == invitation.pk
    assert body["person"] == {"id": cast.alice.pk, "name": "Alice Employee"}
    assert body["expires_at"] > body["sent_at"]
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "Erin HR invites you to Cadence" in message.body
    entry = AuditEntry.objects.filter(action="person.invited").latest("pk")
    assert (entry.actor_id, entry.subject_id) == (cast.erin.pk, cast.alice.pk)


def test_sending_again_sends_a_new_link(hr, cast):
    assert hr.post(send_url(cast.alice)).status_code == 201
    assert hr.post(send_url(cast.alice)).status_code == 201
    assert Invitation.objects.filter(person=cast.alice).count() == 2
    assert len(mail.outbox) == 2


def test_an_administrator_sends_one(login, cast):
    assert login(cast.frank).post(send_url(cast.alice)).status_code == 201


def test_a_personal_token_sends_one_as_its_owner(client, cast):
    _token, raw = ApiToken.issue(cast.erin, "roll-out script")
    response = client.post(send_url(cast.alice), headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 201
    assert Invitation.objects.get().sent_by == cast.erin


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
def test_nobody_else_may_send_one(login, cast, who):
    response = login(getattr(cast, who)).post(send_url(cast.bob))

    assert response.status_code == 403
    assert response.json() == {"detail": "You may not do this."}
    assert not Invitation.objects.exists() and mail.outbox == []


def test_signing_in_is_needed(client, cast):
    assert client.post(send_url(cast.alice)).status_code == 401
    assert client.get(LIST).status_code == 401


def test_someone_unknown_is_not_found(hr):
    response = hr.post(send_url(999_999))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_hr_for_one_team_invites_only_there(login, cast):
    HRRole.objects.create(person=cast.dave, scope=cast.sales, can_manage_people=True)
    sam = make_person("sam@example.com", "Sam Sales", team=cast.sales)
    client = login(cast.dave)

    assert client.post(send_url(sam)).status_code == 201
    assert client.post(send_url(cast.alice)).status_code == 403  # seen in the directory
    gone = make_person("gus@example.com", "Gus Gone", team=cast.platform)
    Person.objects.filter(pk=gone.pk).update(leave_date=timezone.localdate() - timedelta(days=1))
    assert client.post(send_url(gone)).status_code == 404  # someone who left, not theirs
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]


def test_someone_who_left_is_not_invited(hr, cast):
    Person.objects.filter(pk=cast.alice.pk).update(
        leave_date=timezone.localdate() - timedelta(days=1)
    )
    assert hr.post(send_url(cast.alice)).status_code == 403  # HR sees them; nobody invites
    assert mail.outbox == []


def test_someone_outside_the_pilot_is_a_conflict(hr, cast):
    start_pilot(cast.sales)

    response = hr.post(send_url(cast.alice))

    assert response.status_code == 409
    assert "outside the pilot teams" in response.json()["detail"]
    assert not Invitation.objects.exists() and mail.outbox == []


def test_the_e_mail_is_in_the_person_s_language(hr, cast):
    Person.objects.filter(pk=cast.alice.pk).update(language="nl")
    hr.post(send_url(cast.alice))
    (message,) = mail.outbox
    assert message.subject == "Je bent uitgenodigd voor Cadence: kies je wachtwoord"


# --- The list -----------------------------------------------------------------------------------


def listed(response):
    assert response.status_code == 200, response.content
    return [(item["name"], item["state"]) for item in response.json()["items"]]


@pytest.fixture
def mixed(cast, settings):
    invited(cast.alice, cast.erin)
    invited(cast.bob, cast.erin, days_ago=settings.INVITATION_DAYS + 1)
    mail.outbox.clear()


def test_hr_lists_who_has_not_accepted(hr, cast, mixed):
    response = hr.get(LIST)

    assert listed(response) == [
        ("Alice Employee", "waiting"),
        ("Bob Manager", "expired"),
        ("Carol Leader", "not_invited"),
        ("Dave Peer", "not_invited"),
    ]
    alice = response.json()["items"][0]
    assert alice["email"] == "alice@example.com"
    assert alice["team"] == {"id": cast.platform.pk, "name": "Platform"}
    assert alice["last_invited_at"] is not None and alice["in_pilot"] is True
    assert response.json()["next_cursor"] is None


def test_the_list_is_the_tab_s(hr, mixed):
    tab = hr.get(reverse("organisation:invitations"))
    api = hr.get(LIST)
    assert [(r.person.name, r.state) for r in tab.context["rows"]] == listed(api)


def test_the_list_is_filtered_and_searched(hr, mixed):
    assert listed(hr.get(LIST, {"state": "expired"})) == [("Bob Manager", "expired")]
    assert listed(hr.get(LIST, {"state": "not_invited", "q": "dav"})) == [
        ("Dave Peer", "not_invited")
    ]


def test_a_bad_filter_is_invalid(hr):
    response = hr.get(LIST, {"state": "accepted"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "state"]


def test_the_list_pages_with_a_cursor(hr, mixed):
    first = hr.get(LIST, {"limit": 3}).json()
    assert [item["name"] for item in first["items"]] == [
        "Alice Employee",
        "Bob Manager",
        "Carol Leader",
    ]
    second = hr.get(first["next"]).json()
    assert [item["name"] for item in second["items"]] == ["Dave Peer"]
    assert second["next"] is None


def test_the_list_needs_a_fixed_number_of_queries(hr, cast, django_assert_max_num_queries):
    hr.get(LIST)  # warm
    with django_assert_max_num_queries(6) as few:
        hr.get(LIST, {"limit": 5})
    pinned = len(few.captured_queries)
    for i in range(30):
        person = make_person(f"p{i:02}@example.com", f"Person {i:02}", team=cast.sales)
        if i % 2:
            invited(person, cast.erin)
    start_pilot(cast.sales)
    hr.get(LIST)  # warm again: the pilot's teams
    with django_assert_max_num_queries(pinned):
        page = hr.get(LIST, {"limit": 5}).json()
    with django_assert_max_num_queries(pinned):
        hr.get(page["next"])


def test_hr_for_one_team_lists_the_people_they_may_invite(login, cast, mixed):
    HRRole.objects.create(person=cast.dave, scope=cast.sales, can_manage_people=True)
    make_person("sam@example.com", "Sam Sales", team=cast.sales)
    signed_in(cast.dave)
    assert listed(login(cast.dave).get(LIST)) == [("Sam Sales", "not_invited")]


def test_an_administrator_lists_everyone(login, cast, mixed):
    signed_in(cast.erin)
    names = [name for name, _state in listed(login(cast.frank).get(LIST))]
    assert names == ["Alice Employee", "Bob Manager", "Carol Leader", "Dave Peer"]


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
def test_nobody_else_lists(login, cast, who):
    response = login(getattr(cast, who)).get(LIST)
    assert response.status_code == 403
    assert "detail" in response.json()


def test_hr_who_may_not_manage_people_does_not_list(hr, cast):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    assert hr.get(LIST).status_code == 403
    assert hr.post(send_url(cast.alice)).status_code == 403


def test_people_outside_the_pilot_are_listed_as_such(hr, cast, mixed):
    start_pilot(cast.platform)
    in_pilot = {item["name"]: item["in_pilot"] for item in hr.get(LIST).json()["items"]}
    assert in_pilot == {
        "Alice Employee": True,
        "Bob Manager": True,
        "Carol Leader": False,
        "Dave Peer": False,
    }


# --- The matrix's other columns -----------------------------------------------------------------

ROUTES = ["api:send_invitation", "api:list_invitations"]
PAGES = ["organisation:invitations", "organisation:invitations_send"]


def answer(client, cast, name, role):
    route = matrix.MATRIX[name]
    url = reverse(name, kwargs={key: make(cast) for key, make in route.kwargs.items()})
    matrix.sign_in(client, cast, role)
    return getattr(client, route.method)(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ROUTES + PAGES)
def test_with_every_module_off_the_routes_answer_as_with_them_on(client, cast, name, role):
    row = current.row()
    row.modules_off = [module.key for module in modules.SWITCHABLE]
    row.save()
    response = answer(client, cast, name, role)
    matrix.check(response, matrix.MATRIX[name].outcome(role), is_api=name.startswith("api:"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["api:list_invitations", *PAGES])
def test_outside_the_pilot_the_routes_answer_as_without_it(client, cast, name, role):
    """Inviting is the roll-out's own work: HR and administrators outside the pilot still list
    and invite; only whom they invite must be inside (below)."""
    start_pilot(Team.objects.create(name="The pilot"))  # a team nobody of the cast is in
    response = answer(client, cast, name, role)
    matrix.check(response, matrix.MATRIX[name].outcome(role), is_api=name.startswith("api:"))


@pytest.mark.parametrize("role", ROLES)
def test_outside_the_pilot_nobody_invites_someone_outside(client, cast, role):
    start_pilot(Team.objects.create(name="The pilot"))
    response = answer(client, cast, "api:send_invitation", role)
    expected = {"anonymous": 401, "hr": 409, "admin": 409}.get(role, 403)
    assert response.status_code == expected
    assert json.loads(response.content)["detail"]
    assert not Invitation.objects.exists()
