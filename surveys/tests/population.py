"""Surveys for the generic rules tests: a survey of everyone with an open round (some have
answered) and a closed one, and a team's survey; after the closed round, an action plan for
every team (shared or not, by people chosen at random: leavers, people without a team, teams
without a lead), each with an action."""

from datetime import timedelta

from django.utils import timezone

from surveys import rounds
from surveys.models import Invitation, SurveyAction, SurveyActionPlan
from surveys.tests.factories import make_survey


def populate(org, rng) -> None:
    today = timezone.localdate()
    everyone = make_survey(name="Everyone", starts_on=today - timedelta(days=30))
    closed = rounds.open_round(everyone, today - timedelta(days=30))
    assert closed is not None
    rounds.close_round(closed)
    rounds.open_round(everyone, today)
    for invitation in Invitation.objects.filter(round__survey=everyone, round__status="open"):
        if rng.random() < 0.5:
            invitation.answered = True
            invitation.save()
    team = make_survey(name="Team", team=org.teams[0], starts_on=today)
    rounds.open_round(team, today)
    for team in org.teams:
        plan = SurveyActionPlan.objects.create(
            survey=everyone,
            round=closed,
            group=f"t:{team.pk}",
            team=team,
            created_by=rng.choice([*org.people, None]),
            shared_with_team=rng.random() < 0.5,
        )
        SurveyAction.objects.create(
            plan=plan, text="An action", owner=rng.choice(org.people), due_date=today
        )
