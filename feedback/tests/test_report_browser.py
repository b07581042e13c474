"""In a real browser: Alice's 360 cycle is over. Three peers answered, so their figures and
comments are shown; only two of her direct reports did, so theirs are withheld and the report
says why. Bob, her manager, reads the report and releases it (ticking the confirmation);
Alice then reads it herself. Bob was reviewed too, by only two peers: his manager Carol sees
that peer group withheld."""

from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from feedback.models import RaterGroup
from feedback.tests.factories import add_participant, answered_by, close, make_review_cycle
from people.tests.factories import add_people


def test_a_manager_releases_a_report_where_a_group_of_two_is_withheld_and_three_are_shown(
    browser_page, live_server, cast
):
    cycle = make_review_cycle("Autumn 360")
    clearly, keep = cycle.questions.order_by("position")
    participant = add_participant(cycle, cast.alice)
    peers = add_people(3, team=cast.platform, manager=cast.bob, prefix="peer")
    reports = add_people(2, team=cast.platform, manager=cast.alice, prefix="report")
    answered_by(
        participant,
        [
            (cast.alice, RaterGroup.SELF, 4, "I try to write things down."),
            (cast.bob, RaterGroup.MANAGER, 3, "Her design notes are a model."),
            (peers[0], RaterGroup.PEER, 5, "Her demos are easy to follow."),
            (peers[1], RaterGroup.PEER, 4, "Always shares the why."),
            (peers[2], RaterGroup.PEER, 4, "Clear written updates."),
            (reports[0], RaterGroup.REPORT, 2, "Unfiltered remark one."),
            (reports[1], RaterGroup.REPORT, 3, "Unfiltered remark two."),
        ],
    )
    bobs = add_participant(cycle, cast.bob)  # his manager: Carol
    colleagues = add_people(2, team=cast.engineering, manager=cast.carol, prefix="colleague")
    answered_by(
        bobs,
        [
            (cast.carol, RaterGroup.MANAGER, 4, "Steady and kind."),
            (colleagues[0], RaterGroup.PEER, 5, "Peer remark one."),
            (colleagues[1], RaterGroup.PEER, 2, "Peer remark two."),
        ],
    )
    close(cycle)  # the sealed answers become readable
    report_url = f"{live_server.url}/feedback/reviews/participants/{participant.pk}/report/"

    bob = browser_page
    sign_in(bob, live_server, cast.bob.email, cast.password)
    bob.goto(report_url)
    question = bob.locator(f"#question-{clearly.pk}")
    playwright.expect(question.locator("tr.figure-peer")).to_contain_text("4.3")
    playwright.expect(question.locator("tr.figure-peer")).to_contain_text("3 ratings")
    playwright.expect(question).to_contain_text(
        "Direct reports: fewer than 3 people answered this question, so their answers are not "
        "shown."
    )
    playwright.expect(question.locator("tr.figure-report")).to_have_count(0)
    # All raters: manager and peers (3, 5, 4, 4), not the two direct reports (2, 3).
    playwright.expect(question.locator("tr.figure-all")).to_contain_text("4.0")
    playwright.expect(question.locator("tr.figure-all")).to_contain_text("4 ratings")
    comments = bob.locator(f"#question-{keep.pk}")
    playwright.expect(comments).to_contain_text("Her demos are easy to follow.")
    playwright.expect(comments).to_contain_text("3 people answered")
    assert "Unfiltered remark" not in bob.content()
    snap(bob, "feedback-report-manager")

    bob.get_by_role("checkbox").check()
    bob.get_by_role("button", name="Release to Alice Employee").click()
    playwright.expect(bob.locator("#release")).to_contain_text("by Bob Manager")
    snap(bob, "feedback-report-released")

    alice = bob.context.browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    alice_problems = []
    alice.on("pageerror", lambda error: alice_problems.append(str(error)))
    sign_in(alice, live_server, cast.alice.email, cast.password)
    alice.goto(report_url)
    playwright.expect(alice.locator("h1")).to_contain_text("Your 360 report")
    playwright.expect(alice.locator(f"#question-{clearly.pk} tr.figure-peer")).to_contain_text(
        "4.3"
    )
    playwright.expect(alice.locator("#release")).to_contain_text("Released on")
    assert "Unfiltered remark" not in alice.content()
    assert alice.get_by_role("button", name="Release to Alice Employee").count() == 0
    snap(alice, "feedback-report-participant")

    carol = bob.context.browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    sign_in(carol, live_server, cast.carol.email, cast.password)
    carol.goto(f"{live_server.url}/feedback/reviews/participants/{bobs.pk}/report/")
    two_peers = carol.locator(f"#question-{clearly.pk}")
    playwright.expect(two_peers).to_contain_text(
        "Peers: fewer than 3 people answered this question, so their answers are not shown."
    )
    playwright.expect(two_peers.locator("tr.figure-peer")).to_have_count(0)
    playwright.expect(two_peers.locator("tr.figure-manager")).to_contain_text("4.0")
    assert "Peer remark" not in carol.content()
    snap(carol, "feedback-report-two-peers")
    assert bob.problems == [] and alice_problems == [], (bob.problems, alice_problems)
