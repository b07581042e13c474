"""Issue 17's walk, in a real browser with two people: Alice opens Growth, sees where she stands
against her role, writes an ambition, aims for the next step, picks two focus competencies and
adds three actions; Bob opens their next development conversation, finds the plan on its
agenda, comments on an action and marks it done, and records the level they agreed for one of
her focus competencies; both then see her readiness for the step go up."""

import re
from datetime import timedelta

from django.utils import timezone

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from conversations.models import Kind
from conversations.tests.factories import make_conversation
from growth import services
from growth.models import Assessment
from growth.tests.helpers import as_
from plans.models import ActionStatus, Plan, PlanAction

READY = re.compile(r"Ready for Senior: (\d+)%")
ACTIONS = [
    ("Course", "Writing for engineers"),
    ("Mentoring", "Monthly hour with a senior engineer"),
    ("Stretch assignment", "Lead the next incident review"),
]


def readiness(page) -> int:
    text = page.locator("body").inner_text()
    found = READY.search(text)
    assert found, "no readiness on the page"
    return int(found.group(1))


def settled(page):
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_alice_plans_her_growth_and_bob_coaches_it_in_their_development_conversation(
    browser_page, live_server, cast, framework
):
    today = timezone.localdate()
    # Where Alice stands: Bob shared his ratings in an open assessment and put down the levels
    # they agreed so far (every competency at 2, Intermediate).
    assessment = services.start_assessment(as_(cast.bob), cast.alice.pk)
    for rated in assessment.version.competencies.all():
        services.rate(as_(cast.bob), assessment, competency_id=rated.pk, level=2)
    services.share(as_(cast.bob), assessment)
    assessment = Assessment.objects.get(pk=assessment.pk)
    for agreed in assessment.version.competencies.all():
        services.agree(as_(cast.bob), assessment, competency_id=agreed.pk, level=2)
    conversation = make_conversation(
        cast.alice, kind=Kind.DEVELOPMENT, due=today + timedelta(days=5)
    )

    alice = browser_page
    sign_in(alice, live_server, cast.alice.email, cast.password)
    alice.get_by_role("navigation", name="Modules").get_by_role("link", name="Growth").click()
    playwright.expect(alice.get_by_role("heading", name="Where I stand")).to_be_visible()
    playwright.expect(alice.locator("body")).to_contain_text("Intermediate")
    snap(alice, "plan-walk-growth")

    alice.get_by_role("link", name="My development plan").first.click()
    alice.get_by_label("My ambition").fill("Grow into a senior engineer who leads incidents.")
    alice.get_by_label("The step I aim for").select_option(
        label="Individual contributor · Senior (3)"
    )
    alice.get_by_label("Communication").check()
    alice.get_by_label("Ownership").check()
    alice.get_by_role("button", name="Save my plan").click()
    playwright.expect(alice.get_by_text("Your plan is saved.")).to_be_visible()
    before = readiness(alice)
    assert 0 < before < 100

    for number, (kind, title) in enumerate(ACTIONS, start=1):
        adding = alice.locator("details.plan-add").first
        adding.locator("summary").click()
        adding.get_by_label("Kind").select_option(label=kind)
        adding.get_by_label("What").fill(title)
        adding.get_by_label("Due").fill((today + timedelta(days=30 * number)).isoformat())
        adding.get_by_role("button", name="Add the action").click()
        playwright.expect(alice.locator(".plan-action", has_text=title)).to_be_visible()
    snap(alice, "plan-walk-plan")
    plan = Plan.objects.get(person=cast.alice)
    assert plan.ambition.startswith("Grow into a senior engineer")
    assert sorted(plan.focus) == ["communication", "ownership"]
    assert plan.actions.count() == 3

    with alice.context.browser.new_context(viewport={"width": 1280, "height": 860}) as other:
        bob = other.new_page()
        sign_in(bob, live_server, cast.bob.email, cast.password)
        bob.goto(f"{live_server.url}{conversation.get_absolute_url()}")
        agenda = bob.locator("#agenda")
        playwright.expect(agenda).to_contain_text("Development plan")
        playwright.expect(agenda).to_contain_text("Communication")
        for _kind, title in ACTIONS:
            playwright.expect(agenda).to_contain_text(title)
        snap(bob, "plan-walk-agenda")

        first = agenda.locator(".plan-action", has_text=ACTIONS[0][1])
        first.locator("summary").click()
        first.get_by_label("Your comment").fill("Bring a draft to our next check-in.")
        first.get_by_role("button", name="Save").click()
        first = agenda.locator(".plan-action", has_text=ACTIONS[0][1])
        playwright.expect(first).to_contain_text("Bring a draft to our next check-in.")
        settled(bob)
        first.locator("select[name=status]").select_option(label="Done")
        first.get_by_role("button", name="Set status").click()
        first = agenda.locator(".plan-action", has_text=ACTIONS[0][1])
        playwright.expect(first.locator(".status")).to_have_text("Done")
        settled(bob)
        done = PlanAction.objects.get(plan=plan, title=ACTIONS[0][1])
        assert done.status == ActionStatus.DONE
        assert done.manager_comment == "Bring a draft to our next check-in."

        # After the conversation: the level they agreed for Communication, recorded.
        bob.goto(f"{live_server.url}/growth/assessments/{assessment.pk}/")
        section = bob.locator("#c-communication")
        section.get_by_label("Agreed level").select_option(label="3 · Proficient")
        section.get_by_role("button", name="Save the agreed level").click()
        settled(bob)
        bob.get_by_role("button", name="Record the agreed levels").click()
        playwright.expect(bob.get_by_text("The agreed levels are recorded.")).to_be_visible()

        bob.goto(f"{live_server.url}/growth/plan/{plan.pk}/")
        after = readiness(bob)
        assert after > before
        snap(bob, "plan-walk-readiness-manager")

    alice.reload()
    assert readiness(alice) == after
    assert alice.problems == []
