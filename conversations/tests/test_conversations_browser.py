"""In a real browser, with two people: the manager walks from My team into an overdue check-in
whose agenda already lists the employee's stale goal and last open action, adds a talking
point, a shared and a private note and an action item, and signs off; the employee sees the
shared note, never the private one, and signs off too, which closes the record."""

from datetime import timedelta

from django.utils import timezone

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from conversations.models import ActionItem, Conversation, Kind, Note, PrivateNote, Status
from conversations.tests.factories import add_action, held, make_conversation
from goals.models import Objective
from goals.tests.factories import days_ago, make_goal


def settled(page):
    """Wait until htmx has finished swapping and settling (the swapped form takes the focus)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_a_manager_and_an_employee_hold_a_check_in_from_my_team_to_sign_off(
    browser_page, live_server, cast
):
    today = timezone.localdate()
    stale = make_goal(cast.alice, title="Migrate billing to the new platform")
    Objective.objects.filter(pk=stale.pk).update(last_activity_at=days_ago(40))
    earlier = held(make_conversation(cast.alice, due=today - timedelta(days=40)))
    add_action(earlier, cast.alice, "Shadow the on-call rotation")
    check_in = make_conversation(cast.alice, due=today - timedelta(days=4))
    for kind, days in ((Kind.QUARTERLY, 50), (Kind.DEVELOPMENT, 120)):
        make_conversation(cast.alice, kind=kind, due=today + timedelta(days=days))

    bob = browser_page
    sign_in(bob, live_server, cast.bob.email, cast.password)
    bob.get_by_role("link", name="My team").click()
    row = bob.locator("tr", has_text="Alice Employee")
    playwright.expect(row).to_contain_text("overdue by 4 days")
    snap(bob, "conversations-my-team")
    row.get_by_role("link", name="Check-in").first.click()
    bob.wait_for_url(f"**/conversations/{check_in.pk}/")

    agenda = bob.locator("#agenda")
    playwright.expect(agenda).to_contain_text("Migrate billing to the new platform")
    playwright.expect(agenda).to_contain_text("not updated for 5 weeks")
    playwright.expect(agenda).to_contain_text("Shadow the on-call rotation")

    bob.get_by_placeholder("Add a talking point").fill("Ownership of the roadmap")
    agenda.get_by_role("button", name="Add").click()
    playwright.expect(bob.locator("#talking-points")).to_contain_text("Ownership of the roadmap")
    settled(bob)

    notes = bob.locator("#notes")
    notes.locator("textarea").fill("Alice leads the billing migration from next sprint.")
    notes.get_by_role("button", name="Add note").click()
    playwright.expect(notes).to_contain_text("Alice leads the billing migration")
    settled(bob)

    private = bob.locator("#private-notes")
    private.locator("textarea").fill("Seems tired; ask about workload next time.")
    private.get_by_role("button", name="Keep note").click()
    playwright.expect(private).to_contain_text("Seems tired")
    settled(bob)

    actions = bob.locator("#actions")
    actions.locator('input[name="text"]').fill("Write the migration plan")
    actions.get_by_label("Who").select_option(label="Alice Employee")
    actions.get_by_role("button", name="Add").click()
    playwright.expect(actions).to_contain_text("Write the migration plan")
    settled(bob)
    snap(bob, "conversations-manager-filled")

    bob.once("dialog", lambda dialog: dialog.accept())
    bob.locator("#sign-off").get_by_role("button", name="Sign off").click()
    playwright.expect(bob.locator("#sign-off")).to_contain_text("signed")

    # The employee, in a browser of her own.
    alice = bob.context.browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    alice_problems = []
    alice.on("pageerror", lambda error: alice_problems.append(str(error)))
    sign_in(alice, live_server, cast.alice.email, cast.password)
    alice.goto(f"{live_server.url}/conversations/{check_in.pk}/")
    playwright.expect(alice.locator("#notes")).to_contain_text("Alice leads the billing migration")
    playwright.expect(alice.locator("#talking-points")).to_contain_text("Ownership of the roadmap")
    playwright.expect(alice.locator("#actions")).to_contain_text("Write the migration plan")
    assert "Seems tired" not in alice.content()
    assert "Coaching questions" not in alice.content()
    snap(alice, "conversations-employee-view")
    alice.once("dialog", lambda dialog: dialog.accept())
    alice.locator("#sign-off").get_by_role("button", name="Sign off").click()
    playwright.expect(alice.locator("#sign-off")).to_contain_text("The record is closed")
    snap(alice, "conversations-locked")

    check_in.refresh_from_db()
    assert check_in.status == Status.HELD and check_in.is_locked
    assert Note.objects.filter(conversation=check_in).count() == 1
    assert PrivateNote.objects.filter(conversation=check_in, author=cast.bob).count() == 1
    assert ActionItem.objects.filter(conversation=check_in, owner=cast.alice).exists()
    # The next check-in is scheduled, and the open actions will carry over to it.
    assert Conversation.objects.filter(
        employee=cast.alice, kind=Kind.CHECK_IN, status=Status.SCHEDULED
    ).exists()
    assert bob.problems == [] and alice_problems == [], (bob.problems, alice_problems)
