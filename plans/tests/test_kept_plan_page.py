"""My plan and Growth's page read their lists with SQL kept per viewer state and day
(`cadence.waiting.kept_rows`, `growth.queries.assessed_levels` with a day): only the SQL is
kept, never the rows, so what was written since the last visit shows on the next, and what one
person's page kept serves no one else's."""

from django.urls import reverse
from django.utils.html import escape

from growth.tests.helpers import as_, rated
from plans import services
from plans.models import ActionStatus, Plan

MINE = reverse("plans:mine")
GROWTH = reverse("growth:index")


def test_what_is_written_since_the_last_visit_shows_on_the_next(client, login, cast, framework):
    login(cast.alice)
    first = client.get(MINE).content.decode()
    assert "No actions yet." in first and "No learning goals linked to this plan." in first
    client.get(GROWTH)  # the card's SQL kept too, before there is a plan

    services.save_plan(as_(cast.alice), ambition="Lead <the> platform", target="", focus=[])
    services.add_action(
        as_(cast.alice), kind="reading", title="Read <b>this</b>", status=ActionStatus.PLANNED
    )
    services.add_learning_goal(as_(cast.alice), title="Learn to coach", period="this_quarter")
    services.share_plan(as_(cast.alice), cast.dave)

    page = client.get(MINE).content.decode()
    assert escape("Lead <the> platform") in page
    assert escape("Read <b>this</b>") in page and "No actions yet." not in page
    assert "Learn to coach" in page
    assert "Stop sharing" in page and cast.dave.name in page
    growth = client.get(GROWTH).content.decode()
    assert "Open my plan" in growth and "1 open action" in growth


def test_levels_agreed_since_the_last_visit_show_on_the_next(client, login, cast, framework):
    login(cast.alice)
    assert "(manager's rating," not in client.get(GROWTH).content.decode()
    rated(cast, mine=3, theirs=2)
    growth = client.get(GROWTH).content.decode()
    assert "(manager's rating," in growth


def test_one_viewer_s_kept_sql_is_not_another_s(client, login, cast, framework):
    """Alice's page kept its SQL first; Bob's own page, then Alice's plan as her manager,
    show theirs."""
    services.save_plan(as_(cast.alice), ambition="Alice's ambition", target="", focus=[])
    services.save_plan(as_(cast.bob), ambition="Bob's ambition", target="", focus=[])
    login(cast.alice)
    assert escape("Alice's ambition") in client.get(MINE).content.decode()
    login(cast.bob)
    page = client.get(MINE).content.decode()
    assert escape("Bob's ambition") in page and escape("Alice's ambition") not in page
    alice_plan = Plan.objects.get(person=cast.alice).pk
    page = client.get(reverse("plans:plan", args=[alice_plan])).content.decode()
    assert escape("Alice's ambition") in page
    login(cast.carol)
    assert client.get(reverse("plans:plan", args=[alice_plan])).status_code == 404
    page = client.get(MINE).content.decode()
    assert "Alice" not in page.split('id="ambition-h"')[1].split("</section>")[0]
