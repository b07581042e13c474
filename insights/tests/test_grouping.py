"""Which groups the per-group charts show: the organisation and its teams released together
with Surveys' rule (none below the smallest group, none that could be subtracted from another
to reveal fewer), each manager's reports beside them for that manager alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights import grouping
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope
from insights.tests.acme import acme_fixture  # noqa: F401 - the fixture `acme`

pytestmark = pytest.mark.django_db


def run_now():
    return Run(now=timezone.now(), min_group=5)


def keys(found):
    return set(found.released)


def test_the_teams_and_the_managers_that_may_be_shown(acme):
    found = grouping.organisation(run_now())
    alpha, beta, tiny = acme.alpha.pk, acme.beta.pk, acme.tiny.pk
    assert keys(found) == {
        "all",
        f"t:{acme.acme.pk}",
        f"t:{alpha}",
        f"t:{beta}",
        f"m:{acme.max.pk}",
    }
    assert f"t:{tiny}" not in found.released  # three people
    assert f"m:{acme.bea.pk}" not in found.released  # four reports
    # Cleo's reports (Max, Bea, Hana, t1–t3) would tell her about Max and Bea alone.
    assert f"m:{acme.cleo.pk}" not in found.released
    assert found.released[f"m:{acme.max.pk}"] == frozenset(p.pk for p in acme.a)
    assert acme.flo.pk not in found.released["all"]  # left: not counted


def test_a_team_that_could_be_subtracted_to_reveal_fewer_is_hidden(acme):
    # With t3 gone, Acme minus Alpha minus Beta is four people (Cleo, Hana, t1, t2): Beta,
    # released after Alpha, would reveal them; it is hidden instead.
    acme.t[2].leave_date = timezone.localdate() - timedelta(days=1)
    acme.t[2].save()
    found = grouping.organisation(run_now())
    assert f"t:{acme.alpha.pk}" in found.released
    assert f"t:{acme.beta.pk}" not in found.released


def test_a_manager_outside_their_team_sees_their_reports_only_when_no_one_else_is_cut_off(acme):
    # Max moves to Acme itself: Alpha is his five reports alone, and his group the same.
    acme.max.team = acme.acme
    acme.max.save()
    found = grouping.organisation(run_now())
    assert f"m:{acme.max.pk}" in found.released
    # a1 moves to Beta: Max's reports cut Beta (now six) into a1 and five others, and a1
    # alone would be worked out from Max's figures beside Beta's.
    acme.a[0].team = acme.beta
    acme.a[0].save()
    assert f"m:{acme.max.pk}" not in grouping.organisation(run_now()).released


def test_the_manager_rule_on_its_own():
    atom_of = {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 1, 8: 1}
    sizes = {0: 6, 1: 2}
    reports = frozenset({1, 2, 3, 4, 5})
    assert grouping.manager_fits(reports, 6, atom_of, sizes, 5)  # the rest is the manager
    assert not grouping.manager_fits(reports, 9, atom_of, sizes, 5)  # someone else
    assert not grouping.manager_fits(frozenset({1, 2, 3, 4}), 6, atom_of, sizes, 5)


def test_each_scope_shows_its_own_group_and_the_teams_below_it(acme):
    run = run_now()
    org = grouping.shown(Scope(ORG, ORG, run))
    assert [(g.key, g.own) for g in org] == [
        ("all", True),  # Acme, the only top-level team, is the same people: not twice
        (f"t:{acme.alpha.pk}", False),
        (f"t:{acme.beta.pk}", False),
    ]
    team = grouping.shown(Scope(f"team:{acme.acme.pk}", TEAM, run, team=acme.acme))
    assert [g.name for g in team] == ["Acme", "Alpha", "Beta"]
    assert grouping.shown(Scope(f"team:{acme.tiny.pk}", TEAM, run, team=acme.tiny)) == []
    mine = grouping.shown(Scope(f"manager:{acme.max.pk}", MANAGER, run, manager_id=acme.max.pk))
    assert [g.key for g in mine] == [f"m:{acme.max.pk}"]
    bea = Scope(f"manager:{acme.bea.pk}", MANAGER, run, manager_id=acme.bea.pk)
    assert grouping.shown(bea) == []


def test_a_restricted_release_holds_the_same_rule(acme):
    run = run_now()
    reviewed = [p.pk for p in acme.a] + [acme.b[0].pk]
    found = grouping.released_among(run, "test", reviewed)
    # Six reviewed in all; Alpha's five would leave b1 alone beside them, and so would Max's.
    assert set(found) == {"all", f"t:{acme.acme.pk}"}
    only_alpha = grouping.released_among(run, "alpha", [p.pk for p in acme.a])
    assert set(only_alpha) == {"all", f"t:{acme.acme.pk}", f"t:{acme.alpha.pk}", f"m:{acme.max.pk}"}
