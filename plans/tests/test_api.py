"""The plan in the API: what it shows is what the pages and the queries show."""

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from plans.jobs import close_lapsed_periods
from plans.models import Plan, PlanActivePeriod, PlanShare
from trust.models import AccessLogEntry


def _coverage_says_active(client, login, cast) -> bool:
    login(cast.erin)
    page = client.get(reverse("plans:coverage")).content.decode()
    row = page[page.index(cast.alice.name) :].split("</tr>")[0]
    return "yes, since" in row


def _api_says_active(client, login, cast, plan) -> set[bool]:
    login(cast.alice)
    mine = client.get(reverse("api:get_my_plan")).json()["active"]
    login(cast.bob)
    theirs = client.get(reverse("api:get_plan", args=[plan.pk])).json()["active"]
    return {mine, theirs}


def test_active_is_what_the_coverage_says_the_plans_active_periods(client, login, cast):
    """Written 200 days ago, the plan lapsed long since; until the daily job closes its period
    it is active for the coverage page and for the API alike, and inactive for both after."""
    long_ago = timezone.localdate() - timedelta(days=200)
    plan = Plan.objects.create(person=cast.alice, ambition="Lead")
    Plan.objects.filter(pk=plan.pk).update(
        updated_at=datetime.combine(long_ago, datetime.min.time(), tzinfo=UTC)
    )
    PlanActivePeriod.objects.create(plan=plan, start=long_ago)
    assert _coverage_says_active(client, login, cast)
    assert _api_says_active(client, login, cast, plan) == {True}
    close_lapsed_periods(timezone.now())
    assert not _coverage_says_active(client, login, cast)
    assert _api_says_active(client, login, cast, plan) == {False}


def test_a_plan_never_written_through_the_services_is_not_active(client, login, cast):
    plan = Plan.objects.create(person=cast.alice, ambition="Lead")  # no period: never active
    assert not _coverage_says_active(client, login, cast)
    assert _api_says_active(client, login, cast, plan) == {False}


def test_the_manager_reading_whether_it_is_active_is_in_the_owners_access_log(client, login, cast):
    plan = Plan.objects.create(person=cast.alice)
    PlanActivePeriod.objects.create(plan=plan, start=timezone.localdate())
    login(cast.bob)
    assert client.get(reverse("api:get_plan", args=[plan.pk])).json()["active"] is True
    kinds = AccessLogEntry.objects.filter(subject=cast.alice, viewer=cast.bob)
    assert "plans.active_periods" in set(kinds.values_list("kind", flat=True))


def test_shares_are_listed_as_the_page_lists_them(client, login, cast):
    plan = Plan.objects.create(person=cast.alice)
    first = PlanShare.objects.create(plan=plan, person=cast.dave)
    second = PlanShare.objects.create(plan=plan, person=cast.carol)
    login(cast.alice)
    listed = client.get(reverse("api:plan_shares")).json()
    assert [(s["id"], s["person"]["name"]) for s in listed] == [
        (first.pk, cast.dave.name),
        (second.pk, cast.carol.name),
    ]
    left = client.post(reverse("api:revoke_plan_share", args=[first.pk]))
    assert [s["id"] for s in left.json()] == [second.pk]
    login(cast.dave)  # no plan of his own: nobody to list
    assert client.get(reverse("api:plan_shares")).json() == []
