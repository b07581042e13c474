"""Surveys for tests: a pulse over a team, its bank questions, people in teams."""

from datetime import date

from conftest import make_person
from people.models import Team
from surveys.models import Survey, SurveyQuestion
from surveys.services import bank_question


def make_survey(keys=("engagement-energy", "safety-mistakes", "enps", "comment"), **fields):
    fields.setdefault("name", "Pulse")
    fields.setdefault("starts_on", date(2026, 1, 5))
    survey = Survey.objects.create(**fields)
    for position, key in enumerate(keys):
        SurveyQuestion.objects.create(survey=survey, question=bank_question(key), position=position)
    return survey


def make_team(name, size, parent=None, start_date=None):
    team = Team.objects.create(name=name, parent=parent)
    people = [
        make_person(
            f"{name.lower().replace(' ', '-')}-{i}@example.com",
            f"{name} {i}",
            team=team,
            start_date=start_date,
        )
        for i in range(size)
    ]
    return team, people
