"""HR's "Getting started" list on Home: each step checked from the real state, the steps whose
choice leaves no trace ticked by hand by those whose part they are, put away once complete; a
fixed query for HR and administrators, nothing for everyone else."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.viewer import Viewer
from accounts.models import Invitation
from conftest import make_person
from conversations.models import RhythmRule
from firstrun import checklist, codes, services
from firstrun.models import FirstRun
from firstrun.tests.fresh import PASSWORD
from organisation import current
from organisation.models import OrgSettings
from people.tests.factories import add_people

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def confirm_url(key):
    return reverse("setup:confirm", args=[key])


@pytest.fixture
def started():
    """Claimed by Ada, who named Hilde the first HR person and finished the guide."""
    admin = services.claim(codes.make_code(), "Ada Admin", "ada@example.com", PASSWORD)
    hilde = services.name_first_hr(Viewer.of(admin), "Hilde HR", "hilde@example.com")
    services.finish(Viewer.of(admin))
    return SimpleNamespace(admin=admin, hilde=hilde)


def done() -> set[str]:
    state = checklist.load()
    assert state is not None
    return {step.key for step in state.steps() if state.done(step.key)}


def complete_every_step(started):
    row = current.row()
    row.name = "Acme"
    row.pilot = True
    row.modules_off = ["feedback", "reviews"]
    row.save()
    sam = make_person("sam@example.com", "Sam Staff")
    Invitation.objects.create(person=sam, sent_by=started.hilde)
    RhythmRule.objects.create(kind="check_in", interval_months=2)


def test_each_step_is_checked_from_the_real_state(started):
    assert done() == {"hr"}  # her own invitation is not the organisation's
    OrgSettings.objects.filter(pk=1).update(name="Acme")
    assert done() == {"hr", "organisation"}
    sam = make_person("sam@example.com", "Sam Staff")
    assert "people" in done() and "invitations" not in done()
    Invitation.objects.create(person=sam, sent_by=started.hilde)
    assert "invitations" in done()
    RhythmRule.objects.create(kind="check_in", interval_months=2)
    assert "rhythm" in done()
    row = current.row()
    row.pilot = True
    row.modules_off = ["reviews"]
    row.save()
    assert done() == {step.key for step in checklist.STEPS}


def test_hr_sees_the_list_on_home_with_what_is_theirs_to_do(started, login):
    page = login(started.hilde).get(HOME).text
    assert "Getting started" in page
    assert "1 of 7 steps done" in page
    for name in ("people:import", "people:person_create", "conversations:rhythms"):
        assert f'href="{reverse(name)}"' in page, name
    assert "Keep the default rhythm" in page and "Everyone: no pilot" in page
    assert reverse("organisation:general") not in page  # the administrator's
    assert "Keep every module on" not in page


def test_the_administrator_sees_it_too_once_set_up(started, login):
    page = login(started.admin).get(HOME).text
    assert "Getting started" in page
    assert f'href="{reverse("organisation:general")}"' in page
    assert "Keep every module on" in page
    assert "Keep the default rhythm" not in page  # HR's
    assert reverse("people:import") not in page


def test_a_step_is_ticked_by_hand_by_those_whose_part_it_is(started, login):
    response = login(started.hilde).post(confirm_url("rhythm"), {"next": HOME})
    assert response["Location"] == HOME
    assert "rhythm" in done()
    assert login(started.admin).post(confirm_url("pilot")).status_code == 403
    assert login(started.hilde).post(confirm_url("modules")).status_code == 403
    assert login(started.hilde).post(confirm_url("invitations")).status_code == 403  # real state
    assert login(started.hilde).post(confirm_url("nonsense")).status_code == 403
    sam = make_person("sam@example.com", "Sam Staff")
    assert login(sam).post(confirm_url("pilot")).status_code == 403
    assert done() == {"hr", "rhythm", "people"}  # Sam works here
    assert FirstRun.objects.get(pk=1).confirmed == ["rhythm"]


def test_a_tick_sends_back_only_to_this_site(started, login):
    response = login(started.hilde).post(confirm_url("pilot"), {"next": "https://evil.example/"})
    assert response["Location"] == HOME


def test_the_list_is_put_away_once_every_step_is_done(started, login):
    client = login(started.hilde)
    response = client.post(reverse("setup:dismiss"), follow=True)
    assert "once every step is done" in response.text
    assert "Getting started" in client.get(HOME).text
    complete_every_step(started)
    page = client.get(HOME).text
    assert "7 of 7 steps done" in page and "put this list away" in page
    assert client.post(reverse("setup:dismiss"))["Location"] == HOME
    assert FirstRun.objects.get(pk=1).dismissed_at is not None
    assert "Getting started" not in client.get(HOME).text
    assert "Getting started" not in login(started.admin).get(HOME).text


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_nobody_else_sees_the_list_nor_pays_a_query_for_it(started, login):
    sam = make_person("sam@example.com", "Sam Staff")
    client = login(sam)
    client.get(HOME)  # the session's first request notes it (accounts.sessions)
    with_list = queries(client, HOME)
    assert "Getting started" not in client.get(HOME).text
    FirstRun.objects.all().delete()
    assert queries(client, HOME) == with_list


def test_the_list_costs_hr_a_fixed_number_of_queries(started, login, django_assert_max_num_queries):
    """The same queries with every step done and a bigger organisation (the steps whose state
    is the organisation's settings are ticked by hand here: changing those settings changes
    what the rest of Home reads)."""
    client = login(started.hilde)
    client.get(HOME)  # the session's first request notes it (accounts.sessions)
    with django_assert_max_num_queries(7):
        client.get(HOME)
    before = queries(client, HOME)
    OrgSettings.objects.filter(pk=1).update(name="Acme")
    FirstRun.objects.filter(pk=1).update(confirmed=["modules", "pilot", "rhythm"])
    people = add_people(30, prefix="more")
    Invitation.objects.bulk_create(Invitation(person=p, sent_by=started.hilde) for p in people)
    page = client.get(HOME).text
    assert "7 of 7 steps done" in page
    assert queries(client, HOME) == before


def test_each_step_links_where_it_is_done_for_those_whose_part_it_is(started):
    from access.viewer import Viewer
    from firstrun.checklist import _links

    admin, hr = Viewer(started.admin), Viewer(started.hilde)
    assert [link.url for link in _links(admin, "hr")] == [reverse("organisation:roles")]
    assert _links(hr, "hr") == []
    assert [link.url for link in _links(hr, "invitations")] == [reverse("organisation:invitations")]
    assert [link.url for link in _links(hr, "pilot")] == [reverse("organisation:pilot")]
