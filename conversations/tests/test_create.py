"""Starting a one-on-one: with my manager or one of my reports, now or on a date."""

import zoneinfo
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation, ConversationTemplate, Kind, Status
from people.tests.factories import add_people

CREATE = reverse("conversations:create")


def post(client, **data):
    return client.post(CREATE, data)


def test_the_form_offers_my_manager_and_my_reports_only(login, cast):
    response = login(cast.bob).get(CREATE)
    assert response.status_code == 200
    choices = dict(response.context["form"].fields["partner"].choices)
    assert set(choices) - {""} == {cast.alice.pk, cast.carol.pk}
    assert "Carol Leader (my manager)" in response.content.decode()
    alice = login(cast.alice).get(CREATE)
    assert set(dict(alice.context["form"].fields["partner"].choices)) - {""} == {cast.bob.pk}
    # Her only partner is chosen already, and the date is today.
    assert alice.context["form"].initial["partner"] == cast.bob.pk
    assert alice.context["form"]["day"].value() == timezone.localdate()


def test_with_preselects_a_partner_and_ignores_anything_else(login, cast):
    client = login(cast.bob)
    assert client.get(CREATE, {"with": cast.alice.pk}).context["form"].initial == {
        "partner": cast.alice.pk
    }
    for value in ("abc", "-1", "0", str(2**80), str(cast.dave.pk), "१२"):
        response = client.get(CREATE, {"with": value})
        assert response.status_code == 200
        assert response.context["form"].initial == {}


def test_an_employee_starts_one_with_their_manager(login, cast):
    day = timezone.localdate() + timedelta(days=3)
    response = post(login(cast.alice), partner=cast.bob.pk, day=day.isoformat(), topic="Handover")
    conversation = Conversation.objects.get(kind=Kind.ONE_ON_ONE)
    assert response.status_code == 302
    assert response["Location"] == reverse("conversations:detail", args=[conversation.pk])
    assert (conversation.employee, conversation.manager) == (cast.alice, cast.bob)
    assert conversation.title == "Handover"
    assert conversation.due_date == day
    assert conversation.starts_at is None
    assert conversation.created_by == cast.alice
    assert conversation.status == Status.SCHEDULED


def test_a_manager_starts_one_with_a_report_or_their_own_manager(login, cast):
    client = login(cast.bob)
    today = timezone.localdate().isoformat()
    assert post(client, partner=cast.alice.pk, day=today).status_code == 302
    assert post(client, partner=cast.carol.pk, day=today).status_code == 302
    pairs = set(
        Conversation.objects.filter(kind=Kind.ONE_ON_ONE).values_list("employee", "manager")
    )
    assert pairs == {(cast.alice.pk, cast.bob.pk), (cast.bob.pk, cast.carol.pk)}


def test_a_time_is_in_the_viewers_own_time_zone(login, cast):
    cast.bob.time_zone = "Europe/Amsterdam"
    cast.bob.save()
    response = post(login(cast.bob), partner=cast.alice.pk, day="2026-07-01", time="14:30")
    assert response.status_code == 302
    conversation = Conversation.objects.get(kind=Kind.ONE_ON_ONE)
    expected = datetime(2026, 7, 1, 14, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
    assert conversation.starts_at == expected


def test_someone_who_is_not_a_partner_is_a_form_error(login, cast):
    client = login(cast.alice)
    today = timezone.localdate().isoformat()
    for partner in (cast.dave.pk, cast.carol.pk, cast.alice.pk, 2**80, "x", ""):
        response = post(client, partner=partner, day=today)
        assert response.status_code == 400
        assert response.context["form"].errors["partner"]
    assert not Conversation.objects.exists()


def test_bad_dates_are_form_errors_and_nothing_is_lost(login, cast):
    client = login(cast.alice)
    today = timezone.localdate()
    for day in ("", "not a date", "2026-02-30", "0001-01-01", "99999-01-01"):
        response = post(client, partner=cast.bob.pk, day=day, topic="Keep me")
        assert response.status_code == 400, day
        assert response.context["form"].errors["day"]
        assert 'value="Keep me"' in response.content.decode()
    # One window for every date in conversations (`services.within_reach`): five years ahead.
    far = (today + timedelta(days=6 * 366)).isoformat()
    assert post(client, partner=cast.bob.pk, day=far).status_code == 400
    old = (today - timedelta(days=400)).isoformat()
    assert post(client, partner=cast.bob.pk, day=old).status_code == 400
    assert post(client, partner=cast.bob.pk, day=today.isoformat(), time="25:00").status_code == 400
    assert (
        post(client, partner=cast.bob.pk, day=today.isoformat(), topic="x" * 201).status_code == 400
    )
    assert not Conversation.objects.exists()


def test_without_a_manager_or_reports_the_page_says_so(login, cast):
    response = login(cast.dave).get(CREATE)
    assert response.status_code == 200
    assert "You have no manager or reports" in response.content.decode()
    assert post(login(cast.dave), partner=cast.carol.pk, day="2026-01-01").status_code == 400


def test_leavers_are_not_offered(login, cast):
    cast.alice.leave_date = timezone.localdate() - timedelta(days=1)
    cast.alice.save()
    response = login(cast.bob).get(CREATE)
    assert cast.alice.pk not in dict(response.context["form"].fields["partner"].choices)
    today = timezone.localdate().isoformat()
    assert post(login(cast.bob), partner=cast.alice.pk, day=today).status_code == 400


def test_hrs_one_on_one_prompts_are_frozen_into_the_new_conversation(login, cast):
    ConversationTemplate.objects.create(kind=Kind.ONE_ON_ONE, text="Agenda\n- What is up?")
    post(login(cast.alice), partner=cast.bob.pk, day=timezone.localdate().isoformat())
    conversation = Conversation.objects.get(kind=Kind.ONE_ON_ONE)
    assert conversation.prompts == [{"title": "Agenda", "prompts": ["What is up?"]}]


def test_the_form_costs_the_same_with_many_reports(login, cast, django_assert_max_num_queries):
    add_people(12, manager=cast.bob, team=cast.platform)
    client = login(cast.bob)
    with django_assert_max_num_queries(7):
        response = client.get(CREATE)
    assert len(response.context["partners"]) == 14
