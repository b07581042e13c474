"""Talent reviews for the generic rules tests (`access/tests/test_rules_agree.py`,
`test_who_agrees.py`): a finalised review of the whole organisation, one of a team in its
meeting and one of a team in draft; placements of most people (leavers and people without a
manager among them), with their history and some responses. The organisation lets people see
their own placements here, so that the rules' every branch is checked."""

from organisation import current
from talentreview.models import Placement, PlacementChange, Response, Status, TalentReview


def populate(org, rng) -> None:
    row = current.row()
    row.talent_placements_open = True
    row.save()
    people = org.people
    hr = people[4]  # erin, HR for the whole organisation
    teams = [team for team in org.teams if team.parent_id is not None] or org.teams
    reviews = [
        TalentReview.objects.create(name="Annual", led_by=hr, status=Status.FINALISED),
        TalentReview.objects.create(
            name="Spring", scope=rng.choice(teams), led_by=hr, status=Status.MEETING
        ),
        TalentReview.objects.create(name="Draft", scope=org.teams[0], led_by=hr),
    ]
    for index, person in enumerate(people):
        for review in reviews:
            if (index + review.pk) % 3 == 0:
                continue
            placement = Placement.objects.create(
                review=review,
                person=person,
                performance=rng.randint(1, 3),
                potential=rng.randint(1, 3),
                rationale="Steady",
                placed_by=person.manager,
                adjusted=index % 4 == 0,
            )
            PlacementChange.objects.create(
                placement=placement,
                changed_by=person.manager,
                performance_after=placement.performance,
                potential_after=placement.potential,
                rationale_after="Steady",
            )
            if index % 2 == 0:
                Response.objects.create(placement=placement, text="Fair")
