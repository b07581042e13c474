"""One rule of who opens which Insights page (`insights.rules.may_open`), asked alike by the
page, its CSVs and the API: for each role, what each of them answers. Alice is an employee,
Bob manages her and leads Platform, Carol leads Engineering (and manages Bob), Erin is HR for
everyone, Frank an administrator who is not HR, and Dave HR for Sales alone."""

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from insights import compute

pytestmark = pytest.mark.django_db

PAGES = ("team", "organisation", "hr")
# Who opens which page.
OPENS = {
    "alice": set(),
    "bob": {"team", "organisation"},
    "carol": {"team", "organisation"},
    "erin": {"hr"},
    "frank": set(),
    "dave": {"hr"},
}


@pytest.fixture
def roles(cast):
    HRRole.objects.create(person=cast.dave, scope=cast.sales)
    compute.compute(timezone.now(), kinds=["headcount", "retention"])
    return cast


def expected(who, page):
    return 200 if page in OPENS[who] else 403


@pytest.mark.parametrize("who", sorted(OPENS))
@pytest.mark.parametrize("page", PAGES)
def test_the_page_its_csv_and_the_api_answer_alike(client, login, roles, who, page):
    login(getattr(roles, who))
    status = expected(who, page)
    assert client.get(reverse(f"insights:{page}")).status_code == status
    csv = reverse(f"insights:{page}_csv", args=["headcount"])
    assert client.get(csv).status_code == status
    api = client.get("/api/v1/insights/charts", {"audience": page})
    assert api.status_code == status
    retention = client.get("/api/v1/insights/retention", {"audience": page})
    # Retention is computed for teams and the organisation: not on a manager's page.
    assert retention.status_code == (403 if page == "team" else status)


@pytest.mark.parametrize("who", sorted(OPENS))
def test_the_index_and_the_api_offer_the_widest_page_the_role_opens(client, login, roles, who):
    login(getattr(roles, who))
    page = client.get(reverse("insights:index"))
    assert page.status_code == 200
    for name in PAGES:
        assert (reverse(f"insights:{name}") in page.content.decode()) == (name in OPENS[who])
    answer = client.get("/api/v1/insights/charts")
    widest = next((name for name in ("hr", "organisation", "team") if name in OPENS[who]), None)
    assert answer.status_code == (200 if widest else 403)
    if widest:
        assert answer.json()["audience"] == widest
    retention = client.get("/api/v1/insights/retention")
    assert retention.status_code == (200 if widest in ("hr", "organisation") else 403)


def test_hr_for_a_part_reads_no_team_outside_it(client, login, roles):
    login(roles.dave)
    outside = {"audience": "hr", "team": roles.engineering.pk}
    assert client.get(reverse("insights:hr"), {"team": roles.engineering.pk}).status_code == 404
    csv = reverse("insights:hr_csv", args=["headcount"])
    assert client.get(csv, {"team": roles.engineering.pk}).status_code == 404
    assert client.get("/api/v1/insights/charts", outside).status_code == 404
    assert client.get("/api/v1/insights/retention", outside).status_code == 404
    inside = {"audience": "hr", "team": roles.sales.pk}
    assert client.get("/api/v1/insights/charts", inside).status_code == 200
