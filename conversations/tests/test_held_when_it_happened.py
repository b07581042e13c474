"""A conversation is held once it has taken place: nobody signs it off before its meeting time
or, without one, before its due window opens; the manager's sign-off marks it held, on the
meeting's date (the employee's calendar) or the day they sign; the employee's alone records
her agreement. Rhythm adherence counts only conversations held within their window."""

import importlib
from datetime import UTC, datetime, time, timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import ApiToken
from conversations.adherence import adherence_of
from conversations.models import Conversation, Kind, Status
from conversations.tests.factories import held, make_conversation

API = "/api/v1"


def bearer(person) -> dict:
    _token, raw = ApiToken.issue(person, "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def sign_off_page(client, person, conversation):
    client.force_login(person)
    return client.post(reverse("conversations:sign_off", args=[conversation.pk]))


def sign_off_api(client, person, conversation):
    url = f"{API}/conversations/{conversation.pk}/sign-off"
    return client.post(url, content_type="application/json", **bearer(person))


@pytest.fixture
def development(cast):
    """Alice's development conversation, due in six weeks: its window opens in three."""
    due = cast.alice.local_today() + timedelta(days=42)
    return make_conversation(cast.alice, kind=Kind.DEVELOPMENT, due=due)


def unchanged(conversation) -> bool:
    conversation.refresh_from_db()
    return (
        conversation.status == Status.SCHEDULED
        and conversation.held_on is None
        and conversation.employee_signed_at is None
        and conversation.manager_signed_at is None
    )


# --- Not before it happened ---------------------------------------------------------------


def test_a_development_conversation_due_next_month_cannot_be_signed_off_now(
    client, cast, development
):
    """The issue's example: due in January, "held today" in December by the employee alone."""
    opens = development.due_date - timedelta(days=21)
    response = sign_off_page(client, cast.alice, development)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Sign off once you have met" in text
    assert date_format(opens, "DATE_FORMAT") in text  # from when it can be signed off
    assert unchanged(development)
    # Nor by the manager, nor through the API.
    assert sign_off_page(client, cast.bob, development).status_code == 400
    for person in (cast.alice, cast.bob):
        answer = sign_off_api(client, person, development)
        assert answer.status_code == 409, answer.content
        assert "Sign off once you have met" in answer.json()["detail"]
    assert unchanged(development)


def test_the_page_says_why_there_is_no_sign_off_button_yet(login, cast, development):
    html = login(cast.alice).get(development.get_absolute_url()).content.decode()
    assert "Sign off once you have met" in html
    assert reverse("conversations:sign_off", args=[development.pk]) not in html
    detail = login(cast.alice).get(f"{API}/conversations/{development.pk}").json()
    assert detail["sign_off_from"] == (development.due_date - timedelta(days=21)).isoformat()


def test_not_before_the_meeting_time_even_within_the_window(client, cast):
    starts = timezone.now() + timedelta(hours=2)
    check_in = make_conversation(cast.alice, due=timezone.localdate(), starts_at=starts)
    assert sign_off_page(client, cast.bob, check_in).status_code == 400
    assert sign_off_api(client, cast.alice, check_in).status_code == 409
    assert unchanged(check_in)
    client.force_login(cast.bob)
    html = client.get(check_in.get_absolute_url()).content.decode()
    assert "the meeting time." in html


# --- Held by the manager's sign-off ---------------------------------------------------------


def test_the_employees_sign_off_alone_does_not_make_it_held(client, cast):
    check_in = make_conversation(cast.alice, due=timezone.localdate())
    response = sign_off_api(client, cast.alice, check_in)
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    assert response.json()["signed_by_employee_at"]
    check_in.refresh_from_db()
    assert check_in.status == Status.SCHEDULED and check_in.held_on is None
    assert check_in.held_in_window is None
    # Still open in the rhythm: no next check-in is scheduled from it.
    assert Conversation.objects.filter(employee=cast.alice, kind=Kind.CHECK_IN).count() == 1
    one_on_one = make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, due=timezone.localdate())
    assert sign_off_page(client, cast.alice, one_on_one).status_code == 302
    one_on_one.refresh_from_db()
    assert one_on_one.status == Status.SCHEDULED


def test_the_managers_sign_off_after_the_meeting_holds_it_on_the_meeting_date(client, cast):
    """Held on the meeting's day in the employee's calendar, not the day anyone signed."""
    cast.alice.time_zone = "Asia/Tokyo"
    cast.alice.save()
    utc_day = timezone.now().astimezone(UTC).date() - timedelta(days=3)
    starts = datetime.combine(utc_day, time(22, 30), tzinfo=UTC)  # 07:30 the next day in Tokyo
    quarterly = make_conversation(
        cast.alice, kind=Kind.QUARTERLY, due=utc_day + timedelta(days=1), starts_at=starts
    )
    assert sign_off_page(client, cast.alice, quarterly).status_code == 302
    quarterly.refresh_from_db()
    assert quarterly.status == Status.SCHEDULED
    response = sign_off_page(client, cast.bob, quarterly)
    assert response.status_code == 302
    quarterly.refresh_from_db()
    assert quarterly.status == Status.HELD and quarterly.is_locked
    assert quarterly.held_on == utc_day + timedelta(days=1)
    assert quarterly.held_in_window is True


def test_the_managers_sign_off_alone_holds_it_on_the_day_they_sign(client, cast):
    check_in = make_conversation(cast.alice, due=timezone.localdate() + timedelta(days=3))
    response = sign_off_api(client, cast.bob, check_in)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held"
    assert response.json()["held_on"] == cast.alice.local_today().isoformat()
    assert response.json()["locked"] is False
    # The next check-in is scheduled from it.
    assert Conversation.objects.filter(
        employee=cast.alice, kind=Kind.CHECK_IN, status=Status.SCHEDULED
    ).exists()


def test_a_meeting_before_the_window_is_real_but_not_the_rhythm(client, cast, development):
    """They met early (the meeting time says so): it can be signed off, and is held, but it
    was not held within its due window."""
    development.starts_at = timezone.now() - timedelta(hours=1)
    development.save()
    assert sign_off_page(client, cast.bob, development).status_code == 302
    development.refresh_from_db()
    assert development.status == Status.HELD
    assert development.held_in_window is False


# --- Rhythm health -----------------------------------------------------------------------------


def test_adherence_does_not_count_a_conversation_held_before_its_window_as_on_time(cast):
    """A development conversation due 20 January "held" on 5 December (as an early sign-off
    could make it before) is not on time; one held on 10 January is."""
    early = held(
        make_conversation(cast.alice, kind=Kind.DEVELOPMENT, due=datetime(2027, 1, 20).date()),
        on=datetime(2026, 12, 5).date(),
    )
    real = held(
        make_conversation(cast.bob, kind=Kind.DEVELOPMENT, due=datetime(2027, 1, 20).date()),
        on=datetime(2027, 1, 10).date(),
    )
    assert early.held_in_window is False and real.held_in_window is True
    today = datetime(2027, 3, 1).date()
    assert adherence_of(Conversation.objects.filter(pk=early.pk), today).on_time == 0
    assert adherence_of(Conversation.objects.filter(pk=early.pk), today).counted == 1
    assert adherence_of(Conversation.objects.filter(pk=real.pk), today).on_time == 1


def test_the_migration_stops_counting_early_sign_offs_as_on_time(cast):
    migration = importlib.import_module(
        "conversations.migrations.0003_held_only_within_the_due_window"
    )
    early = held(
        make_conversation(cast.alice, kind=Kind.DEVELOPMENT, due=datetime(2027, 1, 20).date()),
        on=datetime(2026, 12, 5).date(),
    )
    real = held(
        make_conversation(cast.bob, kind=Kind.DEVELOPMENT, due=datetime(2027, 1, 20).date()),
        on=datetime(2027, 1, 10).date(),
    )
    # As the rows were before: held on or before the window's end was on time.
    Conversation.objects.filter(pk__in=[early.pk, real.pk]).update(held_in_window=True)
    migration.held_before_the_window_is_not_on_time(apps, None)
    assert Conversation.objects.get(pk=early.pk).held_in_window is False
    assert Conversation.objects.get(pk=real.pk).held_in_window is True
    migration.early_holding_was_on_time(apps, None)
    assert Conversation.objects.get(pk=early.pk).held_in_window is True
