"""The skills heatmaps respect the pilot scope: only people inside it are on a manager's
heatmap or counted in the organisation's."""

from django.utils import timezone

from conftest import make_person
from organisation.tests.factories import start_pilot
from talent import skills
from talent.models import SkillGroup


def test_outside_the_pilot_nobody_is_counted(cast, platform):
    start_pilot(cast.sales)
    skills.count(timezone.now(), force=True)
    assert not SkillGroup.objects.exists()


def test_a_manager_sees_only_reports_inside_the_pilot(login, cast, platform):
    outside = make_person("out@example.com", "Out Side", team=cast.sales, manager=cast.bob)
    start_pilot(cast.platform)
    answer = login(cast.bob).get("/api/v1/talent/skills/team").json()
    ids = {row["person"]["id"] for row in answer["people"]}
    assert ids == {p.pk for p in platform.engineers} and outside.pk not in ids
    skills.count(timezone.now(), force=True)
    assert [g.team_id for g in SkillGroup.objects.all()] == [cast.platform.pk]
