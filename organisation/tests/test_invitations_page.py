"""Administration › Invitations: organisation-wide HR sees who can sign in but never has, with
when each was last invited and whether the link still works; finds them by name and state, a
page at a time; invites one again, the people ticked, or everyone not invited yet. Each send
goes through the one sending path (audited, e-mailed), skips people outside the pilot and says
how many. Nobody else reaches the tab."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from accounts import invitations
from accounts.models import Invitation
from conftest import make_person
from organisation.tests.factories import start_pilot
from people.models import Person
from trust.models import AuditEntry

TAB = reverse("organisation:invitations")
SEND = reverse("organisation:invitations_send")
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def names(page):
    return [row.person.name for row in page.context["rows"]]


def states(page):
    return {row.person.name: row.state for row in page.context["rows"]}


def invited(person, by, days_ago=0):
    invitations.invite([person], by=by)
    sent = timezone.now() - timedelta(days=days_ago)
    Invitation.objects.filter(person=person).update(sent_at=sent)


def signed_in(person):
    Person.objects.filter(pk=person.pk).update(last_login=timezone.now())


@pytest.fixture
def hr(login, cast):
    """Erin (organisation-wide HR), signed in; Frank (the administrator) signed in before."""
    signed_in(cast.frank)
    signed_in(cast.erin)
    return login(cast.erin)


@pytest.fixture
def mixed(cast, settings):
    """Alice invited today, Bob invited long ago (expired), Carol and Dave never invited."""
    invited(cast.alice, cast.erin)
    invited(cast.bob, cast.erin, days_ago=settings.INVITATION_DAYS + 1)
    mail.outbox.clear()


# --- The list -----------------------------------------------------------------------------------


def test_hr_finds_the_invitations_tab(hr):
    page = hr.get(reverse("organisation:pilot"))
    assert "organisation:invitations" in [url for url, _label in page.context["tabs"]]
    assert f'href="{TAB}"' in page.text


def test_the_list_shows_who_can_sign_in_but_never_has_with_their_state(hr, cast, mixed):
    left = make_person("lea@example.com", "Lea Left", team=cast.sales)
    Person.objects.filter(pk=left.pk).update(leave_date=timezone.localdate() - timedelta(days=1))
    make_person("ina@example.com", "Ina Inactive", team=cast.sales, is_active=False)

    page = hr.get(TAB)

    assert page.status_code == 200
    assert states(page) == {
        "Alice Employee": "waiting",
        "Bob Manager": "expired",
        "Carol Leader": "not_invited",
        "Dave Peer": "not_invited",
    }  # Erin and Frank signed in; Lea left; Ina may not sign in
    assert page.context["counts"] == {"not_invited": 2, "waiting": 1, "expired": 1}
    text = page.text
    assert "2 not invited · 1 waiting · 1 expired" in text
    assert "Invited" in text and "Expired" in text and "Not invited" in text
    assert "alice@example.com" in text


def test_the_last_invited_date_is_shown(hr, cast, mixed):
    row = next(r for r in hr.get(TAB).context["rows"] if r.person == cast.alice)
    assert row.last_invited_at == Invitation.objects.get(person=cast.alice).sent_at


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("not_invited", ["Carol Leader", "Dave Peer"]),
        ("waiting", ["Alice Employee"]),
        ("expired", ["Bob Manager"]),
        ("", ["Alice Employee", "Bob Manager", "Carol Leader", "Dave Peer"]),
    ],
)
def test_the_list_is_filtered_by_state(hr, mixed, state, expected):
    assert names(hr.get(TAB, {"state": state})) == expected


def test_the_list_is_searched_by_name(hr, mixed):
    assert names(hr.get(TAB, {"q": "caro"})) == ["Carol Leader"]
    assert names(hr.get(TAB, {"q": "bob", "state": "not_invited"})) == []


def test_an_unknown_state_shows_everyone(hr, mixed):
    page = hr.get(TAB, {"state": "nonsense"})
    assert page.status_code == 200
    assert len(names(page)) == 4


def test_htmx_gets_only_the_results(hr, mixed):
    response = hr.get(TAB, {"q": "dave"}, headers=HTMX)
    assert response.text.lstrip().startswith('<div id="results"')
    assert "Dave Peer" in response.text and "Administration" not in response.text


def test_the_list_pages(hr, mixed, monkeypatch):
    from organisation import views_invitations

    monkeypatch.setattr(views_invitations, "PAGE_SIZE", 3)
    first = hr.get(TAB)
    assert names(first) == ["Alice Employee", "Bob Manager", "Carol Leader"]
    second = hr.get(TAB, {"after": first.context["page"].next})
    assert names(second) == ["Dave Peer"]
    back = hr.get(TAB, {"before": second.context["page"].previous})
    assert names(back) == names(first)


def test_people_outside_the_pilot_are_marked_and_have_no_button(hr, cast, mixed):
    start_pilot(cast.platform)
    page = hr.get(TAB)
    inside = {row.person.name: row.inside for row in page.context["rows"]}
    assert inside == {
        "Alice Employee": True,
        "Bob Manager": True,
        "Carol Leader": False,
        "Dave Peer": False,
    }
    assert "outside the pilot" in page.text
    assert f'name="one" value="{cast.dave.pk}"' not in page.text
    assert f'name="one" value="{cast.alice.pk}"' in page.text


def many_people(cast, count):
    for i in range(count):
        person = make_person(f"p{i:03}@example.com", f"Person {i:03}", team=cast.sales)
        if i % 3 == 1:
            invited(person, cast.erin)
        elif i % 3 == 2:
            invited(person, cast.erin, days_ago=30)


def test_the_list_needs_a_fixed_number_of_queries(hr, cast, django_assert_max_num_queries):
    many_people(cast, 5)
    hr.get(TAB)  # warm: the session, the organisation's settings
    with django_assert_max_num_queries(9) as few:
        hr.get(TAB)
    pinned = len(few.captured_queries)  # read now: the next request empties Django's log
    for i in range(70):
        make_person(f"q{i:03}@example.com", f"Quentin {i:03}", team=cast.platform)
    start_pilot(cast.platform)
    hr.get(TAB)  # warm again: the pilot's teams
    for params in ({}, {"state": "not_invited"}, {"q": "quentin"}):
        with django_assert_max_num_queries(pinned):
            page = hr.get(TAB, params)
        assert len(page.context["rows"]) == 50
    with django_assert_max_num_queries(pinned):
        hr.get(TAB, {"after": page.context["page"].next, "q": "quentin"})
    with django_assert_max_num_queries(pinned):
        hr.get(TAB, {"q": "quentin"}, headers=HTMX)


# --- Sending ------------------------------------------------------------------------------------


def test_hr_sends_one_invitation_again(hr, cast, mixed):
    response = hr.post(SEND, {"one": cast.bob.pk, "back": "state=expired"}, follow=True)

    assert response.redirect_chain == [(f"{TAB}?state=expired", 302)]
    assert "An invitation is on its way to bob@example.com" in response.text
    (message,) = mail.outbox
    assert message.to == ["bob@example.com"]
    assert Invitation.objects.filter(person=cast.bob).count() == 2
    assert names(response) == []  # no longer expired: waiting


def test_hr_invites_everyone_not_invited_yet(hr, cast, mixed):
    response = hr.post(SEND, {"everyone": "not_invited"}, follow=True)

    assert "2 invitations are on their way." in response.text
    assert sorted(m.to[0] for m in mail.outbox) == ["carol@example.com", "dave@example.com"]
    assert Invitation.objects.filter(person=cast.alice).count() == 1  # waiting: not again
    assert Invitation.objects.filter(person=cast.bob).count() == 1  # expired: not by this
    assert response.context["counts"]["not_invited"] == 0


def test_hr_invites_again_everyone_whose_link_expired(hr, cast, mixed):
    response = hr.post(SEND, {"everyone": "expired"}, follow=True)
    assert "An invitation is on its way to bob@example.com" in response.text
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]


def test_hr_invites_the_people_ticked(hr, cast, mixed):
    response = hr.post(SEND, {"person": [cast.carol.pk, cast.bob.pk]}, follow=True)

    assert "2 invitations are on their way." in response.text
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.com", "carol@example.com"]
    assert not Invitation.objects.filter(person=cast.dave).exists()


def test_everyone_outside_the_pilot_is_skipped_and_counted(hr, cast, mixed):
    start_pilot(cast.engineering)  # Carol (and Platform within it), not Dave in Sales
    response = hr.post(SEND, {"everyone": "not_invited"}, follow=True)

    assert "1 invitation is on its way." in response.text
    assert "1 person is outside the pilot teams and was not invited" in response.text
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]
    assert not Invitation.objects.filter(person=cast.dave).exists()


def test_people_ticked_outside_the_pilot_are_skipped_and_counted(hr, cast, mixed):
    start_pilot(cast.platform)
    response = hr.post(SEND, {"person": [cast.dave.pk, cast.carol.pk, cast.bob.pk]}, follow=True)

    assert "2 people are outside the pilot teams and were not invited" in response.text
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]


def test_one_person_outside_the_pilot_is_not_invited(hr, cast, mixed):
    start_pilot(cast.platform)
    response = hr.post(SEND, {"one": cast.dave.pk}, follow=True)
    assert "1 person is outside the pilot teams" in response.text
    assert mail.outbox == []


def test_people_no_longer_waiting_are_skipped_and_counted(hr, cast, mixed):
    signed_in(cast.carol)  # accepted meanwhile
    response = hr.post(SEND, {"person": [cast.carol.pk, cast.dave.pk, cast.erin.pk]}, follow=True)

    assert "An invitation is on its way to dave@example.com" not in response.text
    assert "1 invitation is on its way." in response.text
    assert "2 people were not invited: they signed in meanwhile" in response.text
    assert [m.to for m in mail.outbox] == [["dave@example.com"]]


def test_every_send_is_in_the_audit_log(hr, cast, mixed):
    start = AuditEntry.objects.latest("pk").pk
    hr.post(SEND, {"everyone": "not_invited"})
    hr.post(SEND, {"one": cast.bob.pk})

    entries = AuditEntry.objects.filter(action="person.invited", pk__gt=start).order_by("pk")
    assert [(e.actor_id, e.subject_id) for e in entries] == [
        (cast.erin.pk, cast.carol.pk),
        (cast.erin.pk, cast.dave.pk),
        (cast.erin.pk, cast.bob.pk),
    ]
    assert entries[2].changes == {"email": [None, "bob@example.com"]}
    assert entries[2].target == f"accounts.invitation:{Invitation.objects.latest('pk').pk}"


def test_nothing_ticked_says_so(hr, mixed):
    response = hr.post(SEND, {}, follow=True)
    assert "Tick the people to invite first." in response.text
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"person": ["x"]},
        {"person": ["0"]},
        {"one": "-1"},
        {"everyone": "waiting"},
        {"one": "9" * 30},
    ],
)
def test_what_is_not_from_the_list_is_refused_without_an_error(hr, mixed, data):
    response = hr.post(SEND, data, follow=True)
    assert response.status_code == 200
    assert "Choose people from the list." in response.text
    assert mail.outbox == []


def test_nobody_waiting_says_so(hr, cast, mixed):
    response = hr.post(SEND, {"everyone": "not_invited"}, follow=True)
    mail.outbox.clear()
    response = hr.post(SEND, {"everyone": "not_invited"}, follow=True)
    assert "Nobody was invited" in response.text
    assert mail.outbox == []


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "next=/admin/"])
def test_the_send_comes_back_to_the_list_only(hr, mixed, back):
    response = hr.post(SEND, {"everyone": "not_invited", "back": back})
    assert response.status_code == 302 and response.url == TAB


def test_the_send_keeps_the_search_and_the_page(hr, mixed):
    response = hr.post(SEND, {"everyone": "not_invited", "back": "q=bo&state=waiting&x=1"})
    assert response.url == f"{TAB}?q=bo&state=waiting"


def test_sending_needs_a_post(hr):
    assert hr.get(SEND).status_code == 405


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
def test_nobody_but_organisation_wide_hr_and_administrators_reach_the_tab(login, cast, who, mixed):
    client = login(getattr(cast, who))
    assert client.get(TAB).status_code == 403
    assert client.post(SEND, {"everyone": "not_invited"}).status_code == 403
    assert mail.outbox == []


def test_hr_for_one_team_does_not_reach_the_tab(login, cast, mixed):
    HRRole.objects.create(person=cast.dave, scope=cast.sales, can_manage_people=True)
    client = login(cast.dave)
    assert client.get(TAB).status_code == 403
    assert client.post(SEND, {"one": cast.carol.pk}).status_code == 403
    assert mail.outbox == []


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(TAB)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_administrator_invites_from_the_tab_as_through_the_api(login, cast, mixed):
    admin = login(cast.frank)
    page = admin.get(TAB)
    assert page.status_code == 200
    listed = {row.person.pk for row in page.context["rows"]}
    api = admin.get("/api/v1/invitations?limit=500").json()
    assert listed == {item["id"] for item in api["items"]}
    assert "organisation:invitations" in [url for url, _label in page.context["tabs"]]
    response = admin.post(SEND, {"everyone": "not_invited"})
    assert response.status_code == 302
    assert mail.outbox


def test_hr_who_may_not_manage_people_sees_nobody_to_invite(hr, cast, mixed):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    page = hr.get(TAB)
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert "Your HR role may not manage people" in page.text
    assert 'name="everyone"' not in page.text
    assert hr.post(SEND, {"everyone": "not_invited"}).status_code == 403
    assert mail.outbox == []
