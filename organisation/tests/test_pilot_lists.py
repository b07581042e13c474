"""Outside the pilot scope one appears in no module's list or picker: whom to give feedback or
ask, 360 participants and peers, My team's rows, whom to meet one-on-one, the goal lists and the
alignment tree, rhythm health. Inside, the lists are as before."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from conversations.tests.factories import held, make_conversation
from feedback.models import Feedback, FeedbackAsk
from feedback.tests.factories import make_cycle
from goals.tests.factories import make_goal
from organisation.tests.factories import start_pilot

TEXT = "In the Tuesday demo you answered every question calmly, which meant the client stayed."


@pytest.fixture
def pilot(cast):
    """Engineering (Carol; Bob and Alice in Platform within it) is the pilot; Sales (Dave and
    Sid) and People (Erin) are outside."""
    sid = make_person("sid@example.com", "Sid Sales", team=cast.sales, job_title="Sales lead")
    cast.dave.manager = sid
    cast.dave.save()
    start_pilot(cast.engineering)
    return sid


def suggested(client, text):
    page = client.get(reverse("people:picker"), {"q": text, "scope": "pilot"})
    return page.content.decode()


def test_the_feedback_pickers_suggest_nobody_outside(login, cast, pilot):
    client = login(cast.alice)
    assert "Bob Manager" in suggested(client, "manager")
    assert "Dave Peer" not in suggested(client, "dave")
    # The directory's own picker (a manager on the person form) still finds everyone.
    assert "Dave Peer" in client.get(reverse("people:picker"), {"q": "dave"}).content.decode()
    page = client.get(reverse("feedback:give")).content.decode()
    assert 'data-scope="pilot"' in page


def test_feedback_cannot_be_given_to_or_asked_of_someone_outside(login, cast, pilot):
    client = login(cast.alice)
    response = client.post(
        reverse("feedback:give"), {"to": "dave@example.com", "kind": "praise", "text": TEXT}
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["to"]
    assert not Feedback.objects.exists()
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post(
        reverse("feedback:request_create"),
        {"people": "dave@example.com", "topic": "My demo", "due_date": due},
    )
    assert response.status_code == 400
    assert not FeedbackAsk.objects.exists()
    response = client.post(
        reverse("feedback:give"), {"to": "bob@example.com", "kind": "praise", "text": TEXT}
    )
    assert response.status_code == 302


def test_360_participants_and_peers_are_inside(login, cast, pilot):
    cycle = make_cycle("Everyone 360", status="draft")
    client = login(cast.erin)
    url = reverse("feedback:cycle_participants", args=[cycle.pk])
    client.post(url, {"action": "add_team", "team": cast.sales.pk})
    assert not cycle.participants.exists()
    response = client.post(url, {"action": "add_emails", "emails": "dave@example.com"})
    assert response.status_code == 400
    client.post(url, {"action": "add_team", "team": cast.engineering.pk})
    people = set(cycle.participants.values_list("person__name", flat=True))
    assert people == {"Alice Employee", "Bob Manager", "Carol Leader"}

    from feedback import cycles

    alice = cycle.participants.get(person=cast.alice)
    candidates = set(cycles.nominee_candidates(alice).values_list("name", flat=True))
    assert candidates == {"Carol Leader"}  # not herself, not Bob (her manager), nobody outside


def test_my_team_has_no_row_for_a_report_outside(login, cast, pilot):
    make_person("olly@example.com", "Olly Outside", team=cast.sales, manager=cast.bob)
    page = login(cast.bob).get(reverse("my_team"))
    assert [row.person.name for row in page.context["rows"]] == ["Alice Employee"]
    assert "Olly Outside" not in page.content.decode()


def test_one_on_ones_are_offered_with_people_inside(login, cast, pilot):
    make_person("olly@example.com", "Olly Outside", team=cast.sales, manager=cast.bob)
    page = login(cast.bob).get(reverse("conversations:create"))
    names = {person.name for person in page.context["partners"]}
    assert names == {"Alice Employee", "Carol Leader"}


def test_the_goal_lists_and_tree_leave_out_goals_outside(login, cast, pilot):
    make_goal(title="Company: grow")
    platform = make_goal(team=cast.platform, title="Platform: ship it")
    make_goal(team=cast.sales, title="Sales: close deals")
    make_goal(cast.dave, title="Dave: learn the product", visibility="public")
    client = login(cast.alice)
    company = client.get(reverse("goals:company")).content.decode()
    assert "Company: grow" in company and "Platform: ship it" in company
    assert "Sales: close deals" not in company
    tree = client.get(reverse("goals:tree")).content.decode()
    assert "Sales: close deals" not in tree
    api = client.get("/api/v1/goals").json()
    titles = {goal["title"] for goal in api["items"]}
    assert "Sales: close deals" not in titles and "Dave: learn the product" not in titles
    assert "Platform: ship it" in titles
    # A goal outside is kept, on its own page for whoever may see it.
    assert client.get(reverse("goals:goal", args=[platform.pk])).status_code == 200


def test_rhythm_health_counts_no_one_outside(login, cast, pilot):
    today = timezone.localdate()
    held(make_conversation(cast.alice, due=today - timedelta(days=20)))
    held(make_conversation(cast.dave, due=today - timedelta(days=20)))
    page = login(cast.erin).get(reverse("conversations:adherence"))
    assert page.context["overall"].counted == 1  # Alice's, not Dave's
    teams = {row["team"].name for row in page.context["team_rows"] if row["team"]}
    assert "Sales" not in teams


def test_rhythm_health_counts_no_pair_with_a_manager_outside(login, cast, pilot):
    today = timezone.localdate()
    ian = make_person("ian@example.com", "Ian Inside", team=cast.platform, manager=cast.dave)
    held(make_conversation(ian, due=today - timedelta(days=20)))
    held(make_conversation(cast.alice, due=today - timedelta(days=20)))
    page = login(cast.erin).get(reverse("conversations:adherence"))
    assert page.context["overall"].counted == 1  # Alice's with Bob, not Ian's with Dave
    assert [row["name"] for row in page.context["managers_page"]] == ["Bob Manager"]
    assert "Dave Peer" not in page.content.decode()


def test_without_a_pilot_everyone_is_offered(login, cast):
    client = login(cast.alice)
    assert "Dave Peer" in suggested(client, "dave")
