"""The private calendar feed: made, shown once, reset and turned off on its page; served
without sign-in to whoever has the address, as valid iCalendar (CRLF, folding, escaping, UTC
times or all-day dates), with when and with whom but never what is said."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from conversations import ical
from conversations.models import CalendarFeed, Conversation, Kind, RhythmRule, Status
from conversations.scheduling import follow_rules, schedule
from conversations.tests.factories import (
    add_agenda_item,
    add_note,
    add_private_note,
    held,
    make_conversation,
)
from people.tests.factories import add_people

PAGE = "/conversations/calendar/"
SITE = "https://cadence.example.com"


@pytest.fixture(autouse=True)
def site_url(settings):
    """The site's own address; requests come through the test client's "testserver"."""
    settings.SITE_URL = SITE


def make_address(client) -> str:
    """Create (or reset) the signed-in person's address; the one time it is shown."""
    response = client.post(reverse("conversations:calendar_reset"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    match = re.search(rf"({SITE}/conversations/calendar/cal_[\w-]+\.ics)", page)
    assert match, page
    return match.group(1)


def fetch(client, address, **headers):
    return client.get(address.removeprefix(SITE), **headers)


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def events(body: str) -> list[dict]:
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(body):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None, "END:VEVENT without BEGIN:VEVENT"
            found.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    return found


# --- The page -----------------------------------------------------------------------------------


def test_the_address_is_made_and_shown_once(login, cast):
    client = login(cast.alice)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Create address" in page.content.decode()
    address = make_address(client)
    feed = CalendarFeed.objects.get(person=cast.alice)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert feed.digest == CalendarFeed.digest_of(token)
    again = client.get(PAGE).content.decode()
    assert token not in again  # shown once
    assert "Reset address" in again and "Turn off" in again


def test_a_reset_address_replaces_the_old_one(login, cast, client):
    alice = login(cast.alice)
    old = make_address(alice)
    new = make_address(alice)
    assert old != new
    client.logout()
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200
    assert CalendarFeed.objects.filter(person=cast.alice).count() == 1


def test_turning_it_off_makes_the_address_stop_working(login, cast, client):
    alice = login(cast.alice)
    address = make_address(alice)
    response = alice.post(reverse("conversations:calendar_revoke"))
    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()
    assert "Create address" in alice.get(PAGE).content.decode()
    client.logout()
    assert fetch(client, address).status_code == 404


def test_the_buttons_need_a_post(login, cast):
    client = login(cast.alice)
    assert client.get(reverse("conversations:calendar_reset")).status_code == 405
    assert client.get(reverse("conversations:calendar_revoke")).status_code == 405
    assert not CalendarFeed.objects.exists()


# --- The feed -----------------------------------------------------------------------------------


@pytest.fixture
def alice_feed(login, cast):
    """Alice's calendar address, fetched by an anonymous calendar app."""
    address = make_address(login(cast.alice))
    login(cast.alice).logout()
    return address


def test_the_feed_is_icalendar_for_anyone_with_the_address(client, cast, alice_feed):
    conversation = make_conversation(cast.alice)
    response = fetch(client, alice_feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
    assert "X-WR-CALNAME:Cadence conversations" in unfold(body)
    (event,) = events(body)
    assert event["UID"] == f"conversation-{conversation.pk}@cadence.example.com"
    assert event["SUMMARY"] == "Check-in: Alice Employee and Bob Manager"
    assert event["URL"] == f"{SITE}/conversations/{conversation.pk}/"
    assert event["SEQUENCE"] == "0"
    assert event["STATUS"] == "CONFIRMED"
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    due = conversation.due_date
    assert event["DTSTART;VALUE=DATE"] == due.strftime("%Y%m%d")
    assert event["DTEND;VALUE=DATE"] == (due + timedelta(days=1)).strftime("%Y%m%d")


def test_a_meeting_time_is_in_utc_and_lasts_as_long_as_its_kind(client, cast, alice_feed):
    starts = datetime(2030, 5, 6, 9, 15, tzinfo=UTC)
    make_conversation(cast.alice, kind=Kind.QUARTERLY, starts_at=starts)
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, title="Lunch", starts_at=starts)
    found = {e["SUMMARY"]: e for e in events(fetch(client, alice_feed).content.decode())}
    review = found["Quarterly review: Alice Employee and Bob Manager"]
    assert (review["DTSTART"], review["DTEND"]) == ("20300506T091500Z", "20300506T101500Z")
    lunch = found["Lunch: Alice Employee and Bob Manager"]
    assert (lunch["DTSTART"], lunch["DTEND"]) == ("20300506T091500Z", "20300506T094500Z")


def test_the_feed_has_open_and_recently_held_conversations_only(client, cast, alice_feed):
    today = timezone.localdate()
    mine = make_conversation(cast.alice, title="Open")
    lately = held(
        make_conversation(cast.alice, kind=Kind.QUARTERLY, title="Held lately"),
        on=today - timedelta(days=10),
    )
    held(
        make_conversation(cast.alice, kind=Kind.DEVELOPMENT, title="Held long ago"),
        on=today - timedelta(days=60),
    )
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, title="Called off", status=Status.CANCELLED)
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, title="Skipped", status=Status.SKIPPED)
    make_conversation(cast.bob, title="Bob and Carol")
    make_conversation(cast.dave, manager=cast.erin, title="Not hers")
    found = events(fetch(client, alice_feed).content.decode())
    assert sorted(e["UID"].split("@")[0] for e in found) == sorted(
        [f"conversation-{mine.pk}", f"conversation-{lately.pk}"]
    )
    held_event = next(e for e in found if e["UID"].startswith(f"conversation-{lately.pk}@"))
    assert held_event["DTSTART;VALUE=DATE"] == lately.held_on.strftime("%Y%m%d")


def test_a_manager_sees_the_conversations_with_their_reports(client, login, cast):
    address = make_address(login(cast.bob))
    client.logout()
    make_conversation(cast.alice, title="With Alice")
    make_conversation(cast.bob, title="With Carol")
    summaries = sorted(e["SUMMARY"] for e in events(fetch(client, address).content.decode()))
    assert summaries == [
        "With Alice: Alice Employee and Bob Manager",
        "With Carol: Bob Manager and Carol Leader",
    ]


def test_nothing_said_in_a_conversation_is_in_the_feed(client, cast, alice_feed):
    conversation = make_conversation(cast.alice)
    add_agenda_item(conversation, cast.bob, text="AGENDA-TEXT-1")
    add_note(conversation, cast.bob, text="SHARED-TEXT-2")
    add_private_note(conversation, cast.alice, text="PRIVATE-TEXT-3")
    add_private_note(conversation, cast.bob, text="PRIVATE-TEXT-4")
    conversation.preparation = [{"prompt": "Went well?", "answer": "PREPARED-TEXT-5"}]
    conversation.save()
    body = fetch(client, alice_feed).content.decode()
    assert "BEGIN:VEVENT" in body
    for n, kind in enumerate(["AGENDA", "SHARED", "PRIVATE", "PRIVATE", "PREPARED"], start=1):
        assert f"{kind}-TEXT-{n}" not in body


def test_text_is_escaped_and_long_lines_are_folded(client, cast, alice_feed):
    title = "Budget, plans; back\\slash — " + "ééé " * 30
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, title=title)
    raw = fetch(client, alice_feed).content
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
    body = raw.decode()
    (event,) = events(body)
    assert event["SUMMARY"].startswith("Budget\\, plans\\; back\\\\slash — ééé")
    assert event["SUMMARY"].endswith(": Alice Employee and Bob Manager")


def test_an_unknown_address_or_a_leavers_is_not_found(client, cast, alice_feed):
    assert client.get("/conversations/calendar/cal_bogus.ics").status_code == 404
    assert client.get("/conversations/calendar/" + "x" * 5000 + ".ics").status_code == 404
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    assert fetch(client, alice_feed).status_code == 404


def test_an_inactive_account_has_no_feed(client, cast, alice_feed):
    cast.alice.is_active = False
    cast.alice.save()
    assert fetch(client, alice_feed).status_code == 404


def test_last_use_is_written_at_most_once_an_hour(client, cast, alice_feed):
    fetch(client, alice_feed)
    first = CalendarFeed.objects.get().last_used_at
    assert first is not None
    fetch(client, alice_feed)
    assert CalendarFeed.objects.get().last_used_at == first
    CalendarFeed.objects.update(last_used_at=first - timedelta(hours=2))
    fetch(client, alice_feed)
    assert CalendarFeed.objects.get().last_used_at > first


def test_the_feed_query_count_does_not_grow(client, cast, login, django_assert_num_queries):
    address = make_address(login(cast.bob))
    client.logout()

    def add(count, prefix):
        for person in add_people(count, manager=cast.bob, prefix=prefix):
            make_conversation(person, manager=cast.bob)
            held(make_conversation(person, manager=cast.bob, kind=Kind.QUARTERLY))

    add(2, "few")
    fetch(client, address)  # the first fetch writes its last use and version
    with django_assert_num_queries(2):
        assert len(events(fetch(client, address).content.decode())) == 4
    add(20, "many")
    with django_assert_num_queries(3):  # a new version: written once
        assert len(events(fetch(client, address).content.decode())) == 44
    with django_assert_num_queries(2):
        assert len(events(fetch(client, address).content.decode())) == 44


# --- Versions, addresses and caching ------------------------------------------------------------


def sequence_in_feed(client, address, conversation) -> int:
    uid = f"conversation-{conversation.pk}@cadence.example.com"
    (event,) = [e for e in events(fetch(client, address).content.decode()) if e["UID"] == uid]
    return int(event["SEQUENCE"])


def test_the_sequence_rises_when_the_time_or_status_changes(client, login, cast, alice_feed):
    """So that a calendar replaces the event it kept, rather than keeping the old time."""
    check_in = make_conversation(cast.alice)
    assert sequence_in_feed(client, alice_feed, check_in) == 0
    # The meeting time, set on the page.
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    reschedule = reverse("conversations:reschedule", args=[check_in.pk])
    assert login(cast.bob).post(reschedule, {"day": day, "time": "10:00"}).status_code == 302
    client.logout()
    assert sequence_in_feed(client, alice_feed, check_in) == 1
    # Saving what a calendar does not show is not a new version.
    check_in.refresh_from_db()
    check_in.title = "Roadmap"
    check_in.preparation = [{"prompt": "Went well?", "answer": "Shipping"}]
    check_in.save()
    assert sequence_in_feed(client, alice_feed, check_in) == 1
    # Moved again, then held by the manager's sign-off: two more versions.
    login(cast.alice).post(reschedule, {"day": day, "time": "11:00"})
    check_in.refresh_from_db()
    Conversation.objects.filter(pk=check_in.pk).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    login(cast.bob).post(reverse("conversations:sign_off", args=[check_in.pk]))
    client.logout()
    check_in.refresh_from_db()
    assert check_in.status == Status.HELD
    assert sequence_in_feed(client, alice_feed, check_in) == check_in.sequence == 4


def test_bulk_changes_in_scheduling_raise_the_sequence_too(cast):
    """A new rhythm moves due dates, a new manager cancels: both in bulk updates."""
    check_in = make_conversation(cast.alice, due=timezone.localdate() + timedelta(days=20))
    review = make_conversation(cast.alice, kind=Kind.QUARTERLY)
    RhythmRule.objects.create(kind=Kind.CHECK_IN, employee=cast.alice, interval_months=2)
    follow_rules([cast.alice.pk], Q(employee=cast.alice), [Kind.CHECK_IN])
    check_in.refresh_from_db()
    assert check_in.due_date != timezone.localdate() + timedelta(days=20)
    assert check_in.sequence == 1
    cast.alice.manager = cast.carol
    cast.alice.save()
    schedule([cast.alice.pk])
    review.refresh_from_db()
    assert review.status == Status.CANCELLED and review.sequence == 1
    check_in.refresh_from_db()
    assert check_in.status == Status.CANCELLED and check_in.sequence == 2


def test_uids_and_links_come_from_the_site_address_not_the_request(
    client, cast, alice_feed, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "cadence.internal"]
    conversation = make_conversation(cast.alice)
    one = events(fetch(client, alice_feed).content.decode())
    other = events(fetch(client, alice_feed, HTTP_HOST="cadence.internal").content.decode())
    assert one == other
    (event,) = other
    assert event["UID"] == f"conversation-{conversation.pk}@cadence.example.com"
    assert event["URL"] == f"{SITE}/conversations/{conversation.pk}/"


def test_the_address_is_on_the_site_whichever_host_made_it(login, cast, settings):
    settings.ALLOWED_HOSTS = ["testserver", "cadence.internal"]
    client = login(cast.alice)
    client.post(reverse("conversations:calendar_reset"), HTTP_HOST="cadence.internal")
    page = client.get(PAGE).content.decode()
    assert f"{SITE}/conversations/calendar/cal_" in page
    assert "cadence.internal" not in page


def test_a_calendar_that_has_the_feed_gets_304(client, cast, alice_feed):
    conversation = make_conversation(cast.alice)
    first = fetch(client, alice_feed)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first["Cache-Control"] == "private, no-cache"
    (event,) = events(first.content.decode())
    # The events are stamped with the version's time, so the same content is the same body.
    stamp = datetime.fromtimestamp(parse_http_date(modified), UTC)
    assert event["DTSTAMP"] == stamp.strftime("%Y%m%dT%H%M%SZ")
    assert fetch(client, alice_feed).content == first.content
    again = fetch(client, alice_feed, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert fetch(client, alice_feed, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert fetch(client, alice_feed, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # A change is a new version: a new ETag, and a later Last-Modified.
    feed = CalendarFeed.objects.get()
    CalendarFeed.objects.update(changed_at=feed.changed_at - timedelta(minutes=5))
    Conversation.objects.filter(pk=conversation.pk).update(starts_at=timezone.now())
    changed = fetch(client, alice_feed, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert parse_http_date(changed["Last-Modified"]) >= parse_http_date(modified)
    assert CalendarFeed.objects.get().etag == changed["ETag"].strip('"')
    newer = fetch(client, alice_feed, HTTP_IF_MODIFIED_SINCE=http_date(time.time() - 3600))
    assert newer.status_code == 200
    assert newer["Last-Modified"] == changed["Last-Modified"]


def test_a_feed_without_events_is_still_a_calendar(client, cast, alice_feed):
    """RFC 5545 asks for at least one component: the UTC time zone the feed writes in."""
    response = fetch(client, alice_feed)
    assert response.status_code == 200
    lines = unfold(response.content.decode())
    assert "BEGIN:VEVENT" not in lines
    assert lines == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Cadence//Conversations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Cadence conversations",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "BEGIN:VTIMEZONE",
        "TZID:UTC",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0000",
        "TZNAME:UTC",
        "END:STANDARD",
        "END:VTIMEZONE",
        "END:VCALENDAR",
        "",
    ]


# --- iCalendar details --------------------------------------------------------------------------


def test_escaping_follows_rfc_5545():
    assert ical.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_folding_keeps_lines_within_75_octets_and_characters_whole():
    line = "SUMMARY:" + "€" * 100  # three octets each
    folded = ical.fold(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert folded.replace("\r\n ", "") == line
    assert ical.fold("SHORT:x") == "SHORT:x"
    exact = "X:" + "a" * 73
    assert ical.fold(exact) == exact
    assert ical.fold(exact + "b") == exact + "\r\n b"
