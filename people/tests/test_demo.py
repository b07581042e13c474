"""The demo organisation: the same for the same seed, consistent, realistic, and safe to run.

The tests of its shape (people, teams, managers) build it without the apps' history
(`history=False`), several times faster: no history builder changes a person or a team."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from access.models import HRRole
from accounts.demo import demo_personas
from people import demo as demo_module
from people.demo import DOMAIN, SPAN, build_demo
from people.models import Person, Team, ids_in, path_of

pytestmark = pytest.mark.django_db


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **{"people": 80, "years": 2, **options})
    return out.getvalue()


def fingerprint() -> list[tuple]:
    """Everyone's address, their manager's address and the names along their team's path."""
    team_names = dict(Team.objects.values_list("pk", "name"))
    rows = Person.objects.values_list("email", "manager__email", "team__path")
    return sorted(
        (email, manager or "", " / ".join(team_names[pk] for pk in ids_in(path or "/")))
        for email, manager, path in rows
    )


def test_it_builds_the_same_organisation_for_the_same_seed():
    run_demo(seed=7)
    first = fingerprint()
    run_demo(seed=7, flush=True)
    assert fingerprint() == first
    assert len(first) > 80


def test_another_seed_builds_another_organisation():
    run_demo(seed=1)
    first = fingerprint()
    run_demo(seed=2, flush=True)
    assert fingerprint() != first


def test_the_headcount_today_is_the_number_asked_for_and_leavers_come_on_top():
    org = build_demo(people=120, years=3, seed=1, history=False)
    assert Person.objects.current().count() == 120
    # About 12% a year of history.
    assert 0.10 * 3 * 120 <= org.counts["leavers"] <= 0.15 * 3 * 120
    assert Person.objects.count() == 120 + org.counts["leavers"]


@pytest.mark.parametrize(("people", "seed"), [(30, 1), (61, 2), (137, 3), (200, 4), (420, 5)])
def test_every_current_manager_has_three_to_twelve_current_reports(people, seed):
    build_demo(people=people, years=2, seed=seed, history=False)
    current = list(Person.objects.current().values_list("pk", "manager_id"))
    spans = Counter(manager for _, manager in current if manager)
    assert spans
    assert all(SPAN[0] <= span <= SPAN[1] for span in spans.values()), spans


def test_teams_go_several_levels_deep_below_the_company():
    build_demo(people=420, years=2, seed=1, history=False)
    depths = Counter(team.depth for team in Team.objects.all())
    assert depths[0] == 1  # the company
    assert depths[1] == 8  # the divisions
    assert max(depths) >= 3


def test_chains_follow_the_manager_links():
    build_demo(people=150, years=3, seed=3, history=False)
    people = {p.pk: p for p in Person.objects.all()}
    for person in people.values():
        chain, boss = [], person.manager_id
        while boss is not None:
            chain.insert(0, boss)
            boss = people[boss].manager_id
        assert person.chain == path_of(chain), person


def test_team_paths_follow_the_parent_links():
    build_demo(people=150, years=3, seed=3, history=False)
    teams = {t.pk: t for t in Team.objects.all()}
    for team in teams.values():
        path, here = [], team.pk
        while here is not None:
            path.insert(0, here)
            here = teams[here].parent_id
        assert team.path == path_of(path), team


def test_every_team_is_led_by_a_current_person_in_it():
    build_demo(people=150, years=3, seed=3, history=False)
    current = set(Person.objects.current().values_list("pk", flat=True))
    for team in Team.objects.select_related("lead"):
        assert team.lead_id in current
        assert team.lead.team_id == team.pk


def test_every_current_person_reports_to_a_current_person():
    build_demo(people=150, years=3, seed=4, history=False)
    current = Person.objects.current()
    assert not current.filter(manager__isnull=False).exclude(manager__in=current).exists()
    assert current.filter(manager__isnull=True).count() == 1  # the CEO


def test_leavers_left_during_the_history_after_they_started():
    org = build_demo(people=150, years=3, seed=5, history=False)
    leavers = Person.objects.filter(leave_date__isnull=False)
    assert leavers.count() == len(org.leavers) > 0
    for person in leavers:
        assert person.has_left
        assert person.start_date < person.leave_date < timezone.localdate()
        assert person.leave_date >= org.history_start
    assert not Person.objects.filter(manager__in=leavers).exists()


def test_hiring_speeds_up_over_the_years():
    org = build_demo(people=400, years=3, seed=1, history=False)
    hired = Counter(
        (org.today - p.start_date).days // 365
        for p in org.people
        if p.start_date > org.history_start
    )
    assert hired[0] > hired[1] > hired[2]


def test_people_have_levels_titles_roles_time_zones_and_lower_case_addresses():
    build_demo(people=150, years=3, seed=6, history=False)
    people = list(Person.objects.select_related("role"))
    assert {p.level for p in people} == {1, 2, 3, 4, 5, 6}
    assert all(p.role and p.job_title for p in people)
    assert all(p.email == p.email.lower() and p.email.endswith(f"@{DOMAIN}") for p in people)
    assert len({p.time_zone for p in people}) >= 3
    ceo = Person.objects.get(manager__isnull=True)
    assert (ceo.email, ceo.job_title, ceo.level) == (
        f"ceo@{DOMAIN}",
        "Chief executive officer",
        6,
    )
    assert Person.objects.filter(job_title="Engineering manager").exists()
    assert Person.objects.filter(job_title__icontains="software engineer").exists()


def test_demo_personas_finds_all_five():
    build_demo(people=60, years=2, seed=1)
    labels = [str(persona.label) for persona in demo_personas()]
    assert labels == ["Leader", "Manager", "Employee", "HR", "Administrator"]


def test_hr_is_a_people_partner_for_the_whole_organisation():
    build_demo(people=150, years=2, seed=1, history=False)
    hr = Person.objects.select_related("team", "hr_role").get(email=f"hr@{DOMAIN}")
    assert hr.team.name == "People"
    assert hr.hr_role.scope is None
    assert hr.hr_role.can_manage_people
    assert HRRole.objects.order_by("pk").first() == hr.hr_role


def test_the_administrator_is_from_it_and_not_hr():
    build_demo(people=150, years=2, seed=1, history=False)
    admin = Person.objects.get(email=f"admin@{DOMAIN}")
    assert admin.is_staff and admin.is_superuser
    assert admin.job_title == "IT administrator"
    assert not HRRole.objects.filter(person=admin).exists()
    assert Person.objects.filter(is_staff=True).count() == 1


def test_the_demo_password_signs_a_demo_person_in():
    run_demo()
    person = Person.objects.current().exclude(email__in=[f"hr@{DOMAIN}"]).last()
    assert authenticate(email=person.email, password="demo") == person
    assert authenticate(email=f"hr@{DOMAIN}", password="demo").email == f"hr@{DOMAIN}"
    assert authenticate(email=person.email, password="not demo") is None


def test_if_empty_leaves_an_existing_database_alone(cast):
    before = fingerprint()
    out = run_demo(if_empty=True)
    assert "no demo built" in out
    assert fingerprint() == before


def test_if_empty_builds_on_an_empty_database():
    out = run_demo(if_empty=True)
    assert "Demo organisation built" in out
    assert Person.objects.current().count() == 80


def test_if_demo_builds_nothing_while_demo_mode_is_off(settings):
    """`make run DEMO=0`: an empty database stays empty, for the first-run guide."""
    settings.DEMO = False
    out = run_demo(if_empty=True, if_demo=True)
    assert "no demo built" in out
    assert not Person.objects.exists()


def test_it_refuses_a_database_with_people_without_flush(cast):
    with pytest.raises(CommandError, match="--flush"):
        run_demo()
    assert Person.objects.filter(email="alice@example.com").exists()


def test_flush_replaces_the_existing_organisation(cast):
    run_demo(flush=True)
    assert not Person.objects.filter(email__endswith="@example.com").exists()
    assert not Team.objects.filter(name="Platform", parent__isnull=True).exists()
    assert Person.objects.current().count() == 80
    assert not HRRole.objects.filter(person__email="erin@example.com").exists()


def test_it_refuses_too_small_an_organisation():
    with pytest.raises(CommandError, match="at least"):
        run_demo(people=5)


def test_it_prints_a_summary_with_the_time_it_took():
    out = run_demo()
    assert "people (80 current" in out
    assert " teams, " in out and " managers" in out and " s: " in out


def test_history_builders_add_to_the_same_run(monkeypatch):
    seen = []

    def builder(org):
        seen.append(org)
        org.counts["widgets"] = len(org.current)

    monkeypatch.setattr(demo_module, "HISTORY_BUILDERS", [builder])
    out = run_demo()
    (org,) = seen
    assert "80 widgets" in out
    assert org.hr.email == f"hr@{DOMAIN}" and org.admin.is_staff
    assert all(SPAN[0] <= len(reports) <= SPAN[1] for reports in org.reports.values())
    assert org.random("goals").random() == org.random("goals").random()


@pytest.mark.django_db
def test_the_command_refuses_at_once_without_a_secret_key(settings):
    settings.SECRET_KEY = ""
    with pytest.raises(CommandError, match="SECRET_KEY"):
        call_command("demo", people=80, years=1)
    assert not Person.objects.exists()


def foreign_keys() -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
        )
        return cursor.fetchall()


def test_on_postgresql_the_foreign_keys_come_back_the_same_and_checked():
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the keys are taken off on PostgreSQL only")
    before = foreign_keys()
    run_demo()
    assert foreign_keys() == before
    # A row that breaks a key fails the whole write when the keys come back.
    broken = Person.objects.values_list("pk", flat=True).first()
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        demo_module.foreign_keys_checked_at_end(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE people_person SET manager_id = %s WHERE id = %s", [10**9, broken])
    assert foreign_keys() == before


def test_history_builders_run_in_the_order_of_their_apps():
    def later(org):
        pass

    def earlier(org):
        pass

    later.__module__, earlier.__module__ = "plans.demo", "goals.demo"
    assert demo_module.in_app_order([later, earlier]) == [earlier, later]


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_keys_are_off_while_writing_and_checked_at_the_end():
    from django.db import IntegrityError, connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite turns its keys off outside a transaction only")

    def keys_on() -> bool:
        with connection.cursor() as cursor:
            return bool(cursor.execute("PRAGMA foreign_keys").fetchone()[0])

    team = Team.objects.create(name="Team")
    with demo_module.written_at_once():
        assert not keys_on()
        Person.objects.create(email="a@example.com", name="A", team=team)
    assert keys_on()
    # A row that breaks a key fails the whole write at the end, and the keys come back.
    with pytest.raises(IntegrityError), demo_module.written_at_once():
        Person.objects.create(email="b@example.com", name="B", team=team)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE people_person SET manager_id = %s", [10**9])
    assert keys_on()
    assert list(Person.objects.values_list("email", "manager_id")) == [("a@example.com", None)]
