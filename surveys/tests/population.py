"""Surveys for the generic rules tests: a survey of everyone with an open round (some have
answered) and a closed one, and a team's survey."""

from datetime import timedelta

from django.utils import timezone

from surveys import rounds
from surveys.models import Invitation
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
