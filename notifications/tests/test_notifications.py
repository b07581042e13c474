"""In-app notifications: made where the product e-mails, in the reader's language, listed newest
first with read and unread, opened and marked through the real pages; the bell counts them."""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access.grants import grant_hr
from access.viewer import Viewer
from feedback import services as feedback_services
from feedback.requesting import create_request
from feedback.tests.factories import add_participant, invite, make_cycle
from notifications import kinds
from notifications.models import Notification
from notifications.services import notify
from notifications.views import PAGE_SIZE


def of(person):
    return list(Notification.objects.filter(recipient=person).order_by("-pk"))


def bell(html: str) -> int:
    match = re.search(r'class="bell-count">(\d+)', html)
    return int(match.group(1)) if match else 0


def test_feedback_given_notifies_its_receiver_only(cast):
    feedback = feedback_services.give_feedback(
        Viewer(cast.bob), receiver_id=cast.alice.pk, kind="praise", text="Great demo on Monday."
    )
    (notification,) = of(cast.alice)
    assert notification.kind == kinds.FEEDBACK_RECEIVED
    assert notification.text == "Bob Manager gave you feedback."
    assert notification.link == feedback.get_absolute_url()
    assert "Great demo" not in str(notification.params)  # the text stays behind the policy
    assert of(cast.bob) == [] and of(cast.carol) == []


def test_a_feedback_request_notifies_each_person_asked(cast):
    due = timezone.localdate() + timedelta(days=5)
    request = create_request(cast.alice, [cast.bob, cast.dave], topic="The roadmap", due_date=due)
    for person in (cast.bob, cast.dave):
        (notification,) = of(person)
        assert notification.kind == kinds.REQUEST_RECEIVED
        assert "Alice Employee asked you for feedback on “The roadmap”" in notification.text
        ask = request.asks.get(requestee=person)
        assert notification.link == reverse("feedback:ask_answer", args=[ask.pk])
    assert of(cast.alice) == []


def test_a_review_reminder_and_a_released_report_notify(cast):
    from feedback.tasks_requests import send_review_reminder

    cycle = make_cycle(name="Spring 360")
    invitation = invite(add_participant(cycle, cast.alice), cast.dave)
    send_review_reminder.enqueue(invitation.pk)
    (notification,) = of(cast.dave)
    assert notification.kind == kinds.REVIEW_REMINDER
    assert "360 review of Alice Employee (Spring 360)" in notification.text
    assert notification.link == reverse("feedback:answer", args=[invitation.pk])

    from feedback.tasks_reports import send_report_released

    closed = make_cycle(name="Old 360", status="closed")
    participant = add_participant(closed, cast.alice, released_at=timezone.now())
    send_report_released.enqueue(participant.pk)
    (released,) = of(cast.alice)
    assert released.kind == kinds.REPORT_RELEASED
    assert released.link == reverse("feedback:report", args=[participant.pk])


def test_a_new_manager_and_an_hr_role_notify(cast):
    cast.alice.manager = cast.carol
    cast.alice.save()  # announced whatever path changed it (`people.reporting`)
    (notification,) = of(cast.alice)
    assert notification.text == "Your manager in Cadence is now Carol Leader."
    grant_hr(cast.dave, by=cast.frank)
    assert of(cast.dave)[0].text == "Dave Peer was given an HR role in Cadence."
    assert of(cast.erin)[0].kind == kinds.HR_GRANTED  # organisation-wide HR is told too


def test_a_conversation_reminder_notifies_both(cast):
    from cadence.jobs import run_jobs
    from conversations.tests.factories import make_conversation

    make_conversation(cast.alice, due=timezone.localdate() + timedelta(days=2))
    run_jobs(timezone.now(), ["conversations"])
    assert of(cast.alice)[0].kind == kinds.CONVERSATION_UPCOMING
    assert of(cast.alice)[0].text.startswith("Check-in with Bob Manager is due")
    assert of(cast.bob)[0].text.startswith("Check-in with Alice Employee is due")


def test_the_sentence_is_in_the_readers_language(login, cast):
    """Stored as a kind, worded when read: the same notification reads in English for an
    English reader and in Dutch once they chose Dutch."""
    notify(cast.alice, kinds.MANAGER_REMOVED)
    client = login(cast.alice)
    english = client.get(reverse("notifications:index"))
    assert "You no longer have a manager in Cadence." in english.text
    cast.alice.language = "nl"
    cast.alice.save()
    dutch = client.get(reverse("notifications:index"))
    assert "Je hebt geen leidinggevende meer in Cadence." in dutch.text
    assert "You no longer have a manager" not in dutch.text


def test_the_page_lists_mine_newest_first_and_marks_read_and_unread(login, cast):
    old = notify(cast.alice, kinds.FEEDBACK_RECEIVED, "/feedback/", giver="Bob Manager")
    new = notify(cast.alice, kinds.MANAGER_REMOVED)
    notify(cast.dave, kinds.FEEDBACK_RECEIVED, "/feedback/", giver="Secret Giver")
    client = login(cast.alice)
    page = client.get(reverse("notifications:index")).text
    assert page.index("You no longer have a manager") < page.index("Bob Manager gave you")
    assert "Secret Giver" not in page
    assert bell(page) == 2

    response = client.post(reverse("notifications:open", args=[old.pk]))
    assert response.status_code == 302 and response["Location"] == "/feedback/"
    old.refresh_from_db()
    assert old.is_read
    assert bell(client.get(reverse("notifications:index")).text) == 1

    client.post(reverse("notifications:mark", args=[old.pk]), {"read": "0"})
    old.refresh_from_db()
    assert not old.is_read
    client.post(reverse("notifications:mark", args=[new.pk]), {"read": "1"})
    new.refresh_from_db()
    assert new.is_read
    unread = client.get(reverse("notifications:index") + "?show=unread").text
    assert "Bob Manager gave you" in unread and "no longer have a manager" not in unread

    client.post(reverse("notifications:mark_all"))
    assert Notification.objects.filter(recipient=cast.alice, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=cast.dave, read_at__isnull=True).count() == 1
    assert bell(client.get("/").text) == 0


def test_someone_elses_notification_is_not_found(login, cast):
    theirs = notify(cast.dave, kinds.MANAGER_REMOVED)
    client = login(cast.alice)
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_the_list_pages_with_a_cursor_in_a_fixed_number_of_queries(
    login, cast, django_assert_max_num_queries
):
    for number in range(PAGE_SIZE + 5):
        notify(cast.alice, kinds.REQUEST_RECEIVED, "/", requester=f"P{number}", topic="t")
    client = login(cast.alice)
    with django_assert_max_num_queries(6):
        first = client.get(reverse("notifications:index")).text
    assert first.count('<li class="notification') == PAGE_SIZE
    older = re.search(r'rel="next" href="\?cursor=([^"]+)"', first).group(1)
    with django_assert_max_num_queries(6):
        second = client.get(reverse("notifications:index") + f"?cursor={older}").text
    assert second.count('<li class="notification') == 5
    assert "P0 asked" in second and "P0 asked" not in first
    assert client.get(reverse("notifications:index") + "?cursor=forged").status_code == 400


def test_home_links_to_notifications(login, cast):
    notify(cast.alice, kinds.MANAGER_REMOVED)
    page = login(cast.alice).get("/").text
    assert reverse("notifications:index") in page
    assert "1 unread notification" in page
    assert mail.outbox == []  # notify itself sends nothing


def test_the_api_lists_mine_and_marks_them(login, cast):
    notify(cast.alice, kinds.MANAGER_REMOVED)
    theirs = notify(cast.dave, kinds.MANAGER_REMOVED)
    client = login(cast.alice)
    items = client.get("/api/v1/notifications").json()["items"]
    assert [item["text"] for item in items] == ["You no longer have a manager in Cadence."]
    mine = items[0]["id"]
    url = f"/api/v1/notifications/{mine}/read"
    assert client.post(url, {"read": True}, content_type="application/json").json()["read_at"]
    assert client.get("/api/v1/notifications?unread=true").json()["items"] == []
    other = f"/api/v1/notifications/{theirs.pk}/read"
    assert client.post(other, {"read": True}, content_type="application/json").status_code == 404
    client.post(url, {"read": False}, content_type="application/json")
    answer = client.post("/api/v1/notifications/read", {}, content_type="application/json")
    assert answer.json() == {"marked": 1}
