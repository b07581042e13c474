"""The organisation skills heatmap and skill concentration: counted by the job, read by leads
for their part and HR for their scope, through the page and the API; never a figure of fewer
than five people (or the organisation's anonymity threshold)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from cadence.jobs import run_jobs
from conftest import make_person
from feedback.models import FeedbackSettings
from people.models import Team
from talent import skills
from talent.models import SkillCell, SkillGroup, SkillRun

PAGE = reverse("talent:skills_organisation")
API = "/api/v1/talent/skills/organisation"


def counted():
    return skills.count(timezone.now(), force=True)


def group_named(answer, name):
    return next(g for g in answer["groups"] if g["team"] and g["team"]["name"] == name)


def cell_of(group, key):
    return next(cell for cell in group["cells"] if cell["competency"] == key)


def test_hr_sees_the_share_at_or_above_expectation_with_n(login, cast, platform):
    counted()
    answer = login(cast.erin).get(API).json()
    # Platform: Alice, five engineers and Bob (seven); every other team has fewer than five.
    assert [g["team"]["name"] for g in answer["groups"]] == ["Platform"]
    platform_row = group_named(answer, "Platform")
    assert cell_of(platform_row, "communication") == {
        "competency": "communication",
        "n": 6,
        "at_or_above": 1,
        "share": 17,
    }
    # Ownership: two people rated, fewer than five: no figure at all.
    assert cell_of(platform_row, "ownership") == {
        "competency": "ownership",
        "n": None,
        "at_or_above": None,
        "share": None,
    }
    assert answer["min_group"] == 5
    assert "at or above what their role profile expects" in answer["how"]


def test_the_page_says_how_fresh_and_how_counted_and_hides_small_cells(login, cast, platform):
    counted()
    text = login(cast.erin).get(PAGE).content.decode()
    assert "Figures as of" in text
    assert "agreed (else manager's) level is at or above" in text
    assert "17&nbsp;%" in text and "n = 6" in text
    assert "fewer than 5" in text


def test_before_the_first_count_it_says_so(login, cast, platform):
    text = login(cast.erin).get(PAGE).content.decode()
    assert "have not been counted yet" in text
    assert login(cast.erin).get(API).json()["groups"] == []


def test_skill_concentration_names_the_competency_never_the_person(login, cast, platform):
    counted()
    answer = login(cast.carol).get(API).json()
    assert group_named(answer, "Platform")["concentrated"] == ["communication"]
    text = login(cast.carol).get(PAGE).content.decode()
    concentration = text.split('id="concentration-h"')[1]
    assert "Platform</strong>: Communication" in concentration
    assert "Alice" not in concentration


def test_small_teams_are_counted_with_the_team_above(login, cast, platform):
    web = Team.objects.create(name="Web", parent=cast.engineering)
    web_lead = make_person("web@example.com", "Wendy Web", team=web, manager=cast.carol)
    web.lead = web_lead
    web.save()
    make_person("web2@example.com", "Will Web", team=web, manager=web_lead)
    for number in range(2):
        make_person(f"eng{number}@example.com", f"Eng {number}", team=cast.engineering)
    counted()
    answer = login(cast.carol).get(API).json()
    names = {(g["team"]["name"], g["smaller_teams"]) for g in answer["groups"]}
    assert names == {("Platform", 0), ("Engineering", 1)}
    assert "Engineering and 1 smaller team" in login(cast.carol).get(PAGE).content.decode()
    # Web's lead sees nothing of Web: it is counted only with Engineering.
    assert login(web_lead).get(API).json()["groups"] == []
    # Bob leads Platform: he sees Platform's group, not Engineering's.
    assert [g["team"]["name"] for g in login(cast.bob).get(API).json()["groups"]] == ["Platform"]


def test_hr_sees_only_the_groups_their_scope_covers(login, cast, platform):
    counted()
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    assert login(cast.erin).get(API).json()["groups"] == []
    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    assert [g["team"]["name"] for g in login(cast.erin).get(API).json()["groups"]] == ["Platform"]


def test_a_larger_anonymity_threshold_counts(login, cast, platform):
    FeedbackSettings.objects.update_or_create(pk=1, defaults={"anonymity_threshold": 7})
    run = counted()
    assert run.min_group == 7
    answer = login(cast.erin).get(API).json()
    assert answer["min_group"] == 7
    # Platform's seven people make a group; no competency has seven with a level.
    assert all(cell["n"] is None for cell in group_named(answer, "Platform")["cells"])
    assert "fewer than 7" in login(cast.erin).get(PAGE).content.decode()


def test_nothing_kept_stands_for_fewer_than_the_smallest_group(cast, platform):
    run = counted()
    assert all(group.people >= run.min_group for group in SkillGroup.objects.all())
    assert all(cell.n >= run.min_group for cell in SkillCell.objects.all())


def test_the_job_counts_again_after_an_hour_and_keeps_only_the_newest(cast, platform):
    now = timezone.now()
    assert run_jobs(now, ["skills-heatmap"]) == ["skills heatmap: 1 groups counted"]
    first = SkillRun.objects.get()
    assert run_jobs(now + timedelta(minutes=5), ["skills-heatmap"]) == []
    assert SkillRun.objects.get() == first
    run_jobs(now + timedelta(hours=1, minutes=1), ["skills-heatmap"])
    assert SkillRun.objects.get() != first
    assert SkillGroup.objects.filter(run=first).count() == 0


def test_nobody_else_sees_it(login, cast, platform):
    counted()
    for who in (cast.alice, cast.dave, cast.frank):
        client = login(who)
        assert client.get(PAGE).status_code == 403
        assert client.get(API).status_code == 403


def test_newly_shared_levels_are_counted_at_the_next_run(cast, platform):
    from growth.models import Assessment

    now = timezone.now()
    run_jobs(now, ["skills-heatmap"])
    first = SkillRun.objects.get()
    Assessment.objects.filter(subject=cast.alice).update(agreed_at=now + timedelta(minutes=1))
    run_jobs(now + timedelta(minutes=5), ["skills-heatmap"])
    assert SkillRun.objects.get() != first
