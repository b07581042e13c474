"""Rhythm settings: the organisation's default (HR), a team's (its lead or HR), a pair's (the
manager or HR). Reading is open as the policy says; saving is checked, recorded, and the open
conversations follow the new rhythm at once."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from conversations.models import Conversation, Kind, RhythmRule, Status, add_months
from conversations.scheduling import schedule
from conversations.tests.factories import held, make_conversation
from people.tests.factories import add_people

RHYTHMS = reverse("conversations:rhythms")
FULL = {"check_in": "1", "quarterly": "3", "development": "6"}


def team_url(team):
    return reverse("conversations:team_rhythm", args=[team.pk])


def pair_url(person):
    return reverse("conversations:pair_rhythm", args=[person.pk])


def open_one(person, kind=Kind.CHECK_IN):
    return Conversation.objects.get(employee=person, kind=kind, status=Status.SCHEDULED)


# --- The organisation's default ----------------------------------------------------------------


def test_everyone_reads_the_default_and_only_org_wide_hr_edits_it(login, cast):
    alice = login(cast.alice).get(RHYTHMS)
    assert alice.status_code == 200
    assert not alice.context["can_edit"]
    assert "every month" in alice.content.decode()
    assert 'name="check_in"' not in alice.content.decode()
    erin = login(cast.erin).get(RHYTHMS)
    assert erin.context["can_edit"] and 'name="check_in"' in erin.content.decode()
    for person in (cast.alice, cast.bob, cast.carol, cast.frank):
        response = login(person).post(RHYTHMS, {**FULL, "check_in": "2"})
        assert response.status_code == 403
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    assert login(cast.erin).post(RHYTHMS, {**FULL, "check_in": "2"}).status_code == 403
    assert not RhythmRule.objects.exists()


def test_hr_changes_the_default_and_open_conversations_follow(login, cast):
    schedule()
    before = open_one(cast.alice)
    planned = cast.alice.local_today(before.created_at)
    response = login(cast.erin).post(RHYTHMS, {**FULL, "check_in": "2"})
    assert response.status_code == 302
    rule = RhythmRule.objects.get()
    assert (rule.kind, rule.interval_months, rule.updated_by) == ("check_in", 2, cast.erin)
    after = open_one(cast.alice)
    assert after.pk == before.pk
    assert after.due_date == add_months(planned, 2)
    # Unchanged kinds are not stored: the built-in default keeps applying.
    assert not RhythmRule.objects.filter(kind__in=["quarterly", "development"]).exists()


def test_turning_a_kind_off_cancels_the_open_ones(login, cast):
    schedule()
    login(cast.erin).post(RHYTHMS, {**FULL, "development": "0"})
    assert not Conversation.objects.filter(kind=Kind.DEVELOPMENT, status=Status.SCHEDULED).exists()
    assert Conversation.objects.filter(kind=Kind.DEVELOPMENT, status=Status.CANCELLED).count() == 2


def test_bad_values_re_render_with_errors(login, cast):
    client = login(cast.erin)
    for data in ({**FULL, "check_in": "5"}, {**FULL, "check_in": "inherit"}, {}):
        response = client.post(RHYTHMS, data)
        assert response.status_code == 400, data
    assert not RhythmRule.objects.exists()


def test_the_page_lists_overrides_the_viewer_may_see(login, cast):
    RhythmRule.objects.create(kind=Kind.CHECK_IN, interval_months=2, team=cast.platform)
    RhythmRule.objects.create(kind=Kind.QUARTERLY, interval_months=6, employee=cast.alice)
    bob = login(cast.bob).get(RHYTHMS)
    assert [row["team"] for row in bob.context["team_rows"]] == [cast.platform]
    assert [row["person"] for row in bob.context["page"]] == [cast.alice]
    assert [row["cells"] for row in bob.context["page"]] == [[None, "every six months", None]]
    assert pair_url(cast.alice) in bob.content.decode()
    assert [row["person"] for row in login(cast.carol).get(RHYTHMS).context["page"]] == [cast.alice]
    assert [row["person"] for row in login(cast.erin).get(RHYTHMS).context["page"]] == [cast.alice]
    dave = login(cast.dave).get(RHYTHMS)
    assert list(dave.context["page"]) == []
    assert "Alice Employee" not in dave.content.decode()
    assert [row["team"] for row in dave.context["team_rows"]] == [cast.platform]


def test_choosing_a_team_opens_its_rhythm(login, cast):
    client = login(cast.alice)
    response = client.get(RHYTHMS, {"team": cast.sales.pk})
    assert response.status_code == 302 and response["Location"] == team_url(cast.sales)
    for bad in ("x", str(2**80), "999999"):
        assert client.get(RHYTHMS, {"team": bad}).status_code == 200


# --- A team's rhythm -------------------------------------------------------------------------


def test_a_teams_rhythm_is_readable_by_all_and_says_where_it_comes_from(login, cast):
    RhythmRule.objects.create(kind=Kind.CHECK_IN, interval_months=2, team=cast.engineering)
    response = login(cast.dave).get(team_url(cast.platform))
    assert response.status_code == 200
    assert not response.context["can_edit"]
    html = response.content.decode()
    assert "every two months" in html and "from Engineering" in html
    assert "the organisation&#x27;s default" in html
    assert login(cast.bob).get(team_url(cast.platform)).context["can_edit"]
    assert (
        login(cast.alice).get(reverse("conversations:team_rhythm", args=[2**80])).status_code == 404
    )
    assert (
        login(cast.alice).get(reverse("conversations:team_rhythm", args=[999999])).status_code
        == 404
    )


def test_the_team_lead_or_hr_saves_and_the_teams_open_conversations_follow(login, cast):
    schedule()
    alice_before, bob_before = open_one(cast.alice), open_one(cast.bob)
    data = {"check_in": "3", "quarterly": "inherit", "development": "inherit"}
    response = login(cast.bob).post(team_url(cast.platform), data)
    assert response.status_code == 302 and response["Location"] == team_url(cast.platform)
    rule = RhythmRule.objects.get()
    assert (rule.team, rule.kind, rule.interval_months, rule.updated_by) == (
        cast.platform,
        "check_in",
        3,
        cast.bob,
    )
    for before in (alice_before, bob_before):
        planned = before.employee.local_today(before.created_at)
        assert open_one(before.employee).due_date == add_months(planned, 3)
    # HR may too; "inherit" removes the team's own rule again.
    data = {"check_in": "inherit", "quarterly": "inherit", "development": "inherit"}
    assert login(cast.erin).post(team_url(cast.platform), data).status_code == 302
    assert not RhythmRule.objects.exists()
    assert open_one(cast.alice).due_date == alice_before.due_date


def test_others_may_not_change_a_teams_rhythm(login, cast):
    data = {"check_in": "3", "quarterly": "inherit", "development": "inherit"}
    # Carol leads Engineering, not Platform; HR scoped to Sales does not cover Platform.
    HRRole.objects.create(person=cast.frank, scope=cast.sales, can_manage_people=True)
    for person in (cast.alice, cast.carol, cast.dave, cast.frank):
        assert login(person).post(team_url(cast.platform), data).status_code == 403
    assert login(cast.carol).post(team_url(cast.engineering), data).status_code == 302
    assert RhythmRule.objects.get().team == cast.engineering


def test_a_team_rule_covers_its_sub_teams_only(login, cast):
    seller = add_people(1, manager=cast.dave, team=cast.sales, prefix="seller")[0]
    schedule()
    seller_due = open_one(seller).due_date
    data = {"check_in": "6", "quarterly": "inherit", "development": "inherit"}
    login(cast.carol).post(team_url(cast.engineering), data)
    assert RhythmRule.objects.get().team == cast.engineering
    planned = cast.alice.local_today(open_one(cast.alice).created_at)
    assert open_one(cast.alice).due_date == add_months(planned, 6)  # Platform is below
    assert open_one(seller).due_date == seller_due


# --- A pair's rhythm -------------------------------------------------------------------------


def test_a_pairs_rhythm_is_seen_by_the_person_their_chain_and_hr(login, cast):
    make_conversation(cast.alice, due=cast.alice.local_today() - timedelta(days=3))
    for person in (cast.alice, cast.bob, cast.carol, cast.erin):
        response = login(person).get(pair_url(cast.alice))
        assert response.status_code == 200
        assert "overdue" in response.content.decode()
    for person in (cast.dave, cast.frank):
        assert login(person).get(pair_url(cast.alice)).status_code == 404
    assert (
        login(cast.bob).get(reverse("conversations:pair_rhythm", args=[2**80])).status_code == 404
    )
    # The conversation is linked for the two of them only.
    conversation = open_one(cast.alice)
    assert (
        conversation.get_absolute_url()
        in login(cast.alice).get(pair_url(cast.alice)).content.decode()
    )
    assert (
        conversation.get_absolute_url()
        not in login(cast.carol).get(pair_url(cast.alice)).content.decode()
    )


def test_the_manager_sets_a_pairs_rhythm_and_the_next_due_date_changes(login, cast):
    last = held(make_conversation(cast.alice, due=cast.alice.local_today() - timedelta(days=20)))
    schedule([cast.alice.pk])
    assert open_one(cast.alice).due_date == add_months(last.held_on, 1)
    data = {"check_in": "2", "quarterly": "inherit", "development": "inherit"}
    response = login(cast.bob).post(pair_url(cast.alice), data)
    assert response.status_code == 302
    rule = RhythmRule.objects.get()
    assert (rule.employee, rule.interval_months, rule.updated_by) == (cast.alice, 2, cast.bob)
    assert open_one(cast.alice).due_date == add_months(last.held_on, 2)
    page = login(cast.bob).get(pair_url(cast.alice)).content.decode()
    assert "every two months" in page and "set for this pair" in page
    # Back to inherit: the rule is gone and the date follows again.
    data = {"check_in": "inherit", "quarterly": "inherit", "development": "inherit"}
    login(cast.bob).post(pair_url(cast.alice), data)
    assert not RhythmRule.objects.exists()
    assert open_one(cast.alice).due_date == add_months(last.held_on, 1)


def test_an_agreed_meeting_time_keeps_its_date(login, cast):
    conversation = make_conversation(cast.alice, starts_at=timezone.now() + timedelta(days=5))
    data = {"check_in": "6", "quarterly": "inherit", "development": "inherit"}
    login(cast.bob).post(pair_url(cast.alice), data)
    conversation.refresh_from_db()
    assert conversation.due_date == cast.alice.local_today() + timedelta(days=7)


def test_only_the_manager_or_hr_change_a_pairs_rhythm(login, cast):
    data = {"check_in": "2", "quarterly": "inherit", "development": "inherit"}
    for person in (cast.alice, cast.carol):
        response = login(person).get(pair_url(cast.alice))
        assert not response.context["can_edit"]
        assert login(person).post(pair_url(cast.alice), data).status_code == 403
    for person in (cast.dave, cast.frank):
        assert login(person).post(pair_url(cast.alice), data).status_code == 404
    assert not RhythmRule.objects.exists()
    assert login(cast.erin).post(pair_url(cast.alice), data).status_code == 302
    assert RhythmRule.objects.get().updated_by == cast.erin


def test_a_pair_can_turn_a_kind_off_and_my_team_shows_it(login, cast):
    schedule([cast.alice.pk])
    data = {"check_in": "inherit", "quarterly": "inherit", "development": "0"}
    login(cast.bob).post(pair_url(cast.alice), data)
    development = Conversation.objects.get(employee=cast.alice, kind=Kind.DEVELOPMENT)
    assert development.status == Status.CANCELLED
    page = login(cast.bob).get(reverse("my_team"))
    row = next(r for r in page.context["rows"] if r.person == cast.alice)
    assert next(c for c in row.cells if c.kind == "development").off
    # Turned on again: a new one is planned.
    data["development"] = "6"
    login(cast.bob).post(pair_url(cast.alice), data)
    assert open_one(cast.alice, Kind.DEVELOPMENT).pk != development.pk


def test_a_bad_pair_value_is_a_form_error(login, cast):
    response = login(cast.bob).post(pair_url(cast.alice), {"check_in": "7"})
    assert response.status_code == 400
    assert not RhythmRule.objects.exists()


def test_saving_without_changes_does_nothing(login, cast):
    schedule()
    before = list(Conversation.objects.values_list("pk", "due_date", "status").order_by("pk"))
    data = {"check_in": "inherit", "quarterly": "inherit", "development": "inherit"}
    login(cast.bob).post(pair_url(cast.alice), data)
    login(cast.bob).post(team_url(cast.platform), data)
    login(cast.erin).post(RHYTHMS, FULL)
    assert not RhythmRule.objects.exists()
    after = list(Conversation.objects.values_list("pk", "due_date", "status").order_by("pk"))
    assert after == before


def test_the_settings_pages_cost_the_same_with_many_rules(login, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        result = []
        for person, url in (
            (cast.erin, RHYTHMS),
            (cast.bob, RHYTHMS),
            (cast.dave, team_url(cast.engineering)),
            (cast.bob, pair_url(cast.alice)),
        ):
            client = login(person)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    def add_rules(count, prefix):
        people = add_people(count, manager=cast.bob, team=cast.platform, prefix=prefix)
        RhythmRule.objects.bulk_create(
            RhythmRule(kind=kind, interval_months=2, employee=person)
            for person in people
            for kind in ("check_in", "quarterly")
        )
        return people

    add_rules(2, "few")
    RhythmRule.objects.create(kind=Kind.QUARTERLY, interval_months=6, team=cast.platform)
    schedule()
    few = counts()
    add_rules(80, "many")
    for team in (cast.sales, cast.people_team):
        RhythmRule.objects.create(kind=Kind.CHECK_IN, interval_months=2, team=team)
    held(make_conversation(cast.alice, kind=Kind.ONE_ON_ONE))
    schedule()
    assert counts() == few
    assert len(login(cast.erin).get(RHYTHMS).context["page"].object_list) == 50
