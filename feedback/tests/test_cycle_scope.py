"""A 360 cycle belongs to a scope (a team or the whole organisation): only HR whose scope covers
it sees, changes, fills or advances it (issue 11, point 8)."""

import importlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from feedback import cycles
from feedback.cycles import CycleError
from feedback.models import CycleStatus, ReviewCycle
from feedback.tests.factories import make_cycle

NEW = reverse("feedback:cycle_create")


def url(name, cycle):
    return reverse(f"feedback:{name}", args=[cycle.pk])


@pytest.fixture
def platform_hr(cast):
    """Erin, HR for Platform only."""
    HRRole.objects.filter(person=cast.erin).update(scope=cast.platform)
    return cast.erin


def test_hr_scoped_to_a_team_cannot_see_or_run_an_organisation_wide_cycle(login, cast, platform_hr):
    cycle = make_cycle("Everyone 360", status="nominating")
    client = login(platform_hr)
    assert client.get(url("cycle", cycle)).status_code == 404
    assert client.get(url("cycle_edit", cycle)).status_code == 404
    assert client.post(url("cycle_edit", cycle), {"name": "Mine now"}).status_code == 404
    assert client.get(url("cycle_participants", cycle)).status_code == 404
    response = client.post(
        url("cycle_participants", cycle), {"action": "add_emails", "emails": "alice@example.com"}
    )
    assert response.status_code == 404
    assert (
        client.post(url("cycle_advance", cycle), {"to": "reviewing", "confirm": "yes"}).status_code
        == 404
    )
    cycle.refresh_from_db()
    assert (cycle.name, cycle.status) == ("Everyone 360", CycleStatus.NOMINATING)
    assert not cycle.participants.exists()


def test_hr_scoped_to_a_team_cannot_run_a_wider_teams_cycle(login, cast, platform_hr):
    cycle = make_cycle("Engineering 360", status="draft", scope=cast.engineering)
    assert login(platform_hr).get(url("cycle", cycle)).status_code == 404


def test_hr_scoped_to_a_team_runs_that_teams_cycles(login, cast, platform_hr):
    cycle = make_cycle("Platform 360", status="draft", scope=cast.platform)
    client = login(platform_hr)
    assert client.get(url("cycle", cycle)).status_code == 200
    assert client.get(url("cycle_edit", cycle)).status_code == 200
    client.post(url("cycle_participants", cycle), {"action": "add_team", "team": cast.platform.pk})
    assert set(cycle.participants.values_list("person", flat=True)) == {cast.alice.pk, cast.bob.pk}
    assert (
        client.post(url("cycle_advance", cycle), {"to": "nominating", "confirm": "yes"}).status_code
        == 302
    )
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.NOMINATING


def test_the_cycles_list_shows_only_the_cycles_in_scope(login, cast, platform_hr):
    make_cycle("Everyone 360", status="draft")
    make_cycle("Engineering 360", status="draft", scope=cast.engineering)
    make_cycle("Platform 360", status="draft", scope=cast.platform)
    response = login(platform_hr).get(reverse("feedback:reviews"))
    assert [c.name for c in response.context["cycles"]] == ["Platform 360"]
    assert login(cast.carol).get(reverse("feedback:reviews")).context["cycles"] is None


def test_organisation_wide_hr_sees_every_cycle(login, cast):
    make_cycle("Everyone 360", status="draft")
    make_cycle("Platform 360", status="draft", scope=cast.platform)
    response = login(cast.erin).get(reverse("feedback:reviews"))
    assert {c.name for c in response.context["cycles"]} == {"Everyone 360", "Platform 360"}


def new_cycle(**changes):
    today = timezone.localdate()
    return {
        "name": "Autumn 360",
        "period_start": (today - timedelta(days=180)).isoformat(),
        "period_end": today.isoformat(),
        "nominations_due": (today + timedelta(days=7)).isoformat(),
        "answers_due": (today + timedelta(days=21)).isoformat(),
        "min_peers": "3",
        "max_peers": "8",
        "include_reports": "on",
        **changes,
    }


def test_a_cycle_created_by_scoped_hr_belongs_to_their_scope(login, cast, platform_hr):
    client = login(platform_hr)
    assert client.post(NEW, new_cycle(scope=cast.platform.pk)).status_code == 302
    assert ReviewCycle.objects.get().scope == cast.platform
    # Neither another team nor the whole organisation.
    assert client.post(NEW, new_cycle(scope=cast.sales.pk)).status_code == 400
    assert client.post(NEW, new_cycle(scope="")).status_code == 400
    assert ReviewCycle.objects.count() == 1


def test_organisation_wide_hr_chooses_a_team_or_everyone(login, cast):
    client = login(cast.erin)
    client.post(NEW, new_cycle(name="Everyone", scope=""))
    client.post(NEW, new_cycle(name="Sales", scope=cast.sales.pk))
    assert dict(ReviewCycle.objects.values_list("name", "scope")) == {
        "Everyone": None,
        "Sales": cast.sales.pk,
    }


def test_a_cycle_keeps_its_scope_when_edited(login, cast):
    cycle = make_cycle(status="draft", scope=cast.platform)
    data = new_cycle(scope=cast.sales.pk)
    assert login(cast.erin).post(url("cycle_edit", cycle), data).status_code == 302
    cycle.refresh_from_db()
    assert cycle.scope == cast.platform


def test_nobody_outside_the_scope_is_added_by_any_path(cast):
    cycle = make_cycle(status="draft", scope=cast.platform)
    with pytest.raises(CycleError):
        cycles.add_participants(cycle, [cast.alice, cast.dave])
    assert not cycle.participants.exists()
    assert cycles.add_participants(cycle, [cast.alice]) == 1


def test_existing_cycles_get_the_narrowest_team_that_holds_their_participants():
    migration = importlib.import_module("feedback.migrations.0007_reviewcycle_scope")
    assert migration.common_team(["/1/4/9/", "/1/4/"]) == 4
    assert migration.common_team(["/1/4/9/", "/1/4/9/"]) == 9
    assert migration.common_team(["/1/4/", "/2/"]) is None  # across the organisation
    assert migration.common_team(["/1/4/", None]) is None  # someone without a team


def test_hr_approves_nominations_only_in_the_cycles_it_runs(login, cast, platform_hr):
    from feedback.tests.factories import add_participant

    everyone = add_participant(make_cycle("Everyone 360", status="nominating"), cast.alice)
    platform = add_participant(
        make_cycle("Platform 360", status="nominating", scope=cast.platform), cast.alice
    )
    client = login(platform_hr)
    assert client.get(reverse("feedback:approve", args=[everyone.pk])).status_code == 404
    assert client.get(reverse("feedback:approve", args=[platform.pk])).status_code == 200
    # Alice's manager approves in any cycle.
    assert login(cast.bob).get(reverse("feedback:approve", args=[everyone.pk])).status_code == 200


def test_hr_no_longer_changes_a_cycle_once_a_participant_moved_out_of_its_scope(login, cast):
    """The cycle stays in Engineering, but Bob, reviewed in it, moved to Sales: HR for
    Engineering does not cover all its participants any more, so it neither changes nor closes
    it; organisation-wide HR still does."""
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    cycle = make_cycle("Engineering 360", status="nominating", scope=cast.engineering)
    cycles.add_participants(cycle, [cast.alice, cast.bob])
    cast.bob.team = cast.sales
    cast.bob.save()
    client = login(cast.erin)
    assert client.get(url("cycle_edit", cycle)).status_code in (403, 404)
    assert client.post(url("cycle_edit", cycle), {"name": "Changed"}).status_code in (403, 404)
    response = client.post(url("cycle_advance", cycle), {"to": "reviewing", "confirm": "yes"})
    assert response.status_code in (403, 404)
    cycle.refresh_from_db()
    assert (cycle.name, cycle.status) == ("Engineering 360", CycleStatus.NOMINATING)
    HRRole.objects.filter(person=cast.erin).update(scope=None)
    client = login(cast.erin)
    assert client.get(url("cycle_edit", cycle)).status_code == 200
