"""Teams' chat channels: public praise is posted as it is given to the channels of the
receiver's team and the teams it is part of, in Slack's Block Kit or a Teams Adaptive Card; a
weekly digest of each team's public activity is posted once per week by the `team-digests`
job, with counts only."""

import dataclasses
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from access.viewer import Viewer
from cadence.jobs import run_jobs
from conftest import make_person
from conversations.tests.factories import add_private_note, held, make_conversation
from feedback import services as feedback_services
from feedback.models import Kind, Visibility
from feedback.tests.factories import give
from goals.models import Status
from goals.tests.factories import make_goal
from organisation import current
from webhooks import chat, digest
from webhooks.models import DIGEST, Delivery, DeliveryStatus, Event
from webhooks.tests.factories import make_channel
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def praise(cast, django_capture_on_commit_callbacks):
    def give_praise(text="Great launch <3 & thanks", visibility=Visibility.ORGANISATION, to=None):
        with django_capture_on_commit_callbacks(execute=True):
            return feedback_services.give_feedback(
                Viewer(cast.dave),
                receiver_id=(to or cast.alice).pk,
                kind=Kind.PRAISE,
                text=text,
                visibility=visibility,
            )

    return give_praise


def test_public_praise_is_posted_to_slack_as_block_kit(cast, praise):
    with Receiver() as receiver:
        make_channel(cast.bob, cast.platform, receiver.url, kind="slack")
        given = praise()
    (got,) = receiver.received
    message = got.json
    assert message["text"].startswith("Dave Peer praised Alice Employee")
    blocks = message["blocks"]
    assert blocks[0] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "*Dave Peer praised Alice Employee*"},
    }
    assert blocks[1]["text"]["text"] == "> Great launch &lt;3 &amp; thanks"
    button = blocks[-1]["elements"][0]
    assert button["type"] == "button" and button["url"].endswith(given.get_absolute_url())
    assert "Cadence-Signature" not in got.headers  # a chat tool's webhook checks nothing


def test_public_praise_is_posted_to_teams_as_an_adaptive_card(cast, praise):
    with Receiver() as receiver:
        make_channel(cast.carol, cast.engineering, receiver.url, kind="teams")
        praise()
    (got,) = receiver.received
    (attachment,) = got.json["attachments"]
    assert got.json["type"] == "message"
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = [block["text"] for block in card["body"]]
    assert texts == ["Dave Peer praised Alice Employee", "Great launch <3 & thanks"]
    assert card["actions"][0]["type"] == "Action.OpenUrl"


def test_praise_goes_to_the_receiver_s_team_and_the_teams_above_only(cast, praise):
    with Receiver() as platform, Receiver() as engineering, Receiver() as sales:
        make_channel(cast.bob, cast.platform, platform.url)
        make_channel(cast.carol, cast.engineering, engineering.url, praise=True)
        make_channel(cast.erin, cast.sales, sales.url)
        praise()
    assert (len(platform.received), len(engineering.received), len(sales.received)) == (1, 1, 0)


def test_praise_not_shown_to_everyone_and_channels_without_praise_get_nothing(cast, praise):
    with Receiver() as receiver, Receiver() as quiet:
        make_channel(cast.bob, cast.platform, receiver.url)
        make_channel(cast.carol, cast.engineering, quiet.url, praise=False)
        praise("Just for you", visibility=Visibility.PRIVATE)
        praise("For the team", visibility=Visibility.TEAM)
        assert receiver.received == [] and Event.objects.count() == 0
        praise("For everyone")
    assert len(receiver.received) == 1 and quiet.received == []


def test_a_test_message_reaches_the_channel(cast, login, django_capture_on_commit_callbacks):
    from django.urls import reverse

    with Receiver() as receiver:
        make_channel(cast.bob, cast.platform, receiver.url, kind="slack")
        with django_capture_on_commit_callbacks(execute=True):
            response = login(cast.bob).post(
                reverse("team_chat:channel_test", args=[cast.platform.pk])
            )
    assert response.status_code == 302
    (got,) = receiver.received
    assert got.json["blocks"][0]["text"]["text"] == "*Cadence is connected*"
    page = login(cast.bob).get(reverse("team_chat:channel", args=[cast.platform.pk])).text
    assert "Delivered" in page and "ping" in page


# --- The weekly digest -------------------------------------------------------------------------


def monday_after(day):
    return day + timedelta(days=7 - day.weekday())


@pytest.fixture
def last_week(cast):
    """A week of activity in Platform, with private content around it; the Monday after."""
    today = timezone.localdate()
    start = current.settings().week_of(today) - timedelta(days=7)
    during = datetime.combine(start + timedelta(days=2), datetime.min.time()).replace(
        hour=12, tzinfo=timezone.get_current_timezone()
    )
    for visibility in (Visibility.ORGANISATION, Visibility.ORGANISATION, Visibility.PRIVATE):
        give(cast.dave, cast.alice, "Private words", visibility=visibility, created_at=during)
    give(cast.dave, cast.alice, "SECRET constructive", kind=Kind.CONSTRUCTIVE, created_at=during)
    give(cast.dave, cast.dave.manager or cast.erin, "Elsewhere", visibility="organisation")
    make_goal(cast.alice, status=Status.DONE, last_activity_at=during)
    make_goal(cast.alice, status=Status.DONE, visibility="private", last_activity_at=during)
    make_goal(cast.alice, status=Status.ON_TRACK, last_activity_at=during)
    talk = held(make_conversation(cast.alice, due=start + timedelta(days=1)))
    add_private_note(talk, cast.bob, "SECRET private note")
    make_conversation(cast.alice, due=start + timedelta(days=3))  # scheduled, not held
    return start, datetime.combine(start + timedelta(days=7), datetime.min.time()).replace(
        hour=9, tzinfo=timezone.get_current_timezone()
    )


def test_the_digest_counts_the_team_s_public_activity_of_the_week(cast, last_week):
    start, _monday = last_week
    for number in range(3):  # Engineering: five people at least, whose count tells no one's
        make_person(f"eng{number}@example.com", f"Eng {number}", team=cast.engineering)
    channel = make_channel(cast.carol, cast.engineering, "https://hooks.slack.example/x")
    counts = digest.counts(channel, start)
    assert counts["praise"] == 2
    assert counts["goals_completed"] == 1
    assert counts["conversations_held"] == 1
    assert counts["week_start"] == start.isoformat()
    assert counts["team"]["name"] == "Engineering"


def test_a_small_team_s_digest_counts_no_conversations(cast, last_week):
    """In a team of fewer than the smallest group, a count of held conversations would tell
    whose was held: the digest leaves it out."""
    start, _monday = last_week
    channel = make_channel(cast.carol, cast.engineering, "https://hooks.slack.example/x")
    counts = digest.counts(channel, start)
    assert "conversations_held" not in counts and counts["praise"] == 2


def test_the_digest_is_posted_once_a_week_whoever_runs_the_job(
    cast, last_week, django_capture_on_commit_callbacks
):
    start, monday = last_week
    for number in range(3):  # Platform: five people at least, whose count tells no one's
        make_person(f"eng{number}@example.com", f"Eng {number}", team=cast.platform)
    with Receiver() as slack, Receiver() as teams:
        make_channel(cast.bob, cast.platform, slack.url, kind="slack")
        make_channel(cast.carol, cast.engineering, teams.url, kind="teams")
        from webhooks.models import TeamChannel

        TeamChannel.objects.update(digest_week=start - timedelta(days=7))
        with django_capture_on_commit_callbacks(execute=True):
            assert run_jobs(monday, ["team-digests"]) == ["team digests: 2 posted"]
            assert run_jobs(monday + timedelta(hours=1), ["team-digests"]) == []
            assert digest.post_digests(monday) == 0
    (slack_got,) = slack.received
    (teams_got,) = teams.received
    fields = slack_got.json["blocks"][2]["fields"]
    assert [field["text"] for field in fields] == [
        "*Praise given publicly*\n2",
        "*Goals completed*\n1",
        "*Conversations held*\n1",
    ]
    facts = teams_got.json["attachments"][0]["content"]["body"][2]["facts"]
    assert facts == [
        {"title": "Praise given publicly", "value": "2"},
        {"title": "Goals completed", "value": "1"},
        {"title": "Conversations held", "value": "1"},
    ]
    for got in (slack_got, teams_got):
        assert "SECRET" not in got.body.decode() and "Private words" not in got.body.decode()
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 2


def test_a_new_channel_gets_its_first_digest_after_its_first_week(cast, last_week):
    make_channel(cast.bob, cast.platform, "https://hooks.slack.example/x")
    # Set up this week: last week's digest is not its own.
    assert digest.post_digests(timezone.now()) == 0
    next_monday = monday_after(timezone.localdate())
    at = datetime.combine(next_monday, datetime.min.time()).replace(
        hour=9, tzinfo=timezone.get_current_timezone()
    )
    assert digest.post_digests(at) == 1


def test_a_module_switched_off_is_left_out_of_the_digest(cast, last_week):
    start, _monday = last_week
    current.assume(dataclasses.replace(current.settings(), modules_off=frozenset({"goals"})))
    channel = make_channel(cast.bob, cast.platform, "https://hooks.slack.example/x")
    counts = digest.counts(channel, start)
    assert "goals_completed" not in counts and counts["praise"] == 2
    message = chat.slack(chat.message(DIGEST, counts))
    assert "Goals completed" not in str(message)
