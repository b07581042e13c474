"""Surveys for the demo organisation: two years of an engagement pulse for everyone (a round
every eight weeks, the latest one open now), and a one-off team psychological safety survey
four months ago.

Teams differ, and change: each team has its own climate, some improve over the two years (as
if what they decided after a round helped), some slip, most hold steady; people differ around
their team. Participation differs by team too (55–90 %). Small teams are there as in any
organisation, and their results stay hidden: the release (`surveys.disclosure`) decides, as it
does for real rounds. Closed rounds are settled exactly as `surveys.rounds.close_round`
settles them; the open round's answers so far are sealed. The personas (ceo@, hr@, admin@)
have not answered the open round yet, so Home shows it waiting.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

from django.db import connection

from people.demo import DemoOrg, flush_step, history_builder, insert_rows
from people.models import Person
from surveys import groups
from surveys.models import (
    Comment,
    Figure,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Round,
    RoundQuestion,
    SealedResponse,
    Survey,
    SurveyQuestion,
    SurveySettings,
)
from surveys.rounds import SEALER, questions_for, settle
from surveys.services import bank_question

PULSE_EVERY = 56
PULSE_KEYS = (
    "engagement-energy",
    "engagement-pride",
    "engagement-future",
    "engagement-growth",
    "engagement-noticed",
    "enps",
    "comment",
)
SAFETY_KEYS = (
    "safety-mistakes",
    "safety-problems",
    "safety-different",
    "safety-risk",
    "safety-help",
    "safety-trust",
    "safety-strengths",
    "comment",
)
COMMENTS = (
    "More focus time would help: too many meetings on Tuesdays.",
    "I like that my manager asks what I need instead of telling me.",
    "The reorganisation was explained late; I heard about it from a colleague.",
    "Great team, but we are stretched thin since two people left.",
    "Please keep the learning budget; the course I took changed how I work.",
    "Decisions get made in rooms I am not in, and I only hear the outcome.",
    "Onboarding was excellent. I felt at home within a month.",
    "We celebrate launches but not the maintenance work that keeps things running.",
    "I would like clearer priorities: everything is urgent.",
    "Working from home two days a week makes a real difference to me.",
    "Feedback here is honest and kind. That is rare.",
    "Career paths are unclear beyond the next level.",
    "The tools are slow and it wastes a lot of our time.",
    "Our retrospectives actually lead to changes now.",
    "I miss seeing people from other teams.",
)
MODELS = (
    Figure,
    Comment,
    Response,
    SealedResponse,
    Invitation,
    RoundQuestion,
    Round,
    SurveyQuestion,
    Survey,
    Question,
)


@flush_step
def delete_surveys() -> None:
    for model in MODELS:
        model.objects.all().delete()


def _uuid(value: uuid.UUID) -> Any:
    return value if connection.vendor == "postgresql" else value.hex


class _Climate:
    """Each team's climate (a shift on the answers) and how it moves over the two years."""

    def __init__(self, org: DemoOrg, rng: Any, start: date) -> None:
        self.start = start
        self.base = {team.pk: rng.gauss(0, 0.45) for team in org.teams}
        trends = (0.45, -0.35, 0.0, 0.0, 0.0)  # per year: improving, slipping, steady
        self.trend = {team.pk: rng.choice(trends) for team in org.teams}
        self.turnout = {team.pk: rng.uniform(0.55, 0.9) for team in org.teams}
        self.person = {person.pk: rng.gauss(0, 0.5) for person in org.people}

    def level(self, person: Person, day: date) -> float:
        team = person.team_id or 0
        years = (day - self.start).days / 365
        return self.base.get(team, 0) + self.trend.get(team, 0) * years + self.person[person.pk]


def _answer(question: Question, level: float, rng: Any) -> int:
    if question.kind == QuestionKind.ENPS:
        return max(0, min(10, round(rng.gauss(7.2 + 1.6 * level, 1.6))))
    top = question.points or 5
    centre = (top + 1) / 2 + (top - 1) * 0.22 + level * (top - 1) / 4
    value = max(1, min(top, round(rng.gauss(centre, 0.8))))
    return top + 1 - value if question.reverse else value


def _comment(rng: Any) -> str | None:
    return rng.choice(COMMENTS) if rng.random() < 0.18 else None


def _round(
    org: DemoOrg,
    survey: Survey,
    number: int,
    opens: date,
    closes: date,
    settings: SurveySettings,
    paths: dict[int, str],
    climate: _Climate,
    rng: Any,
    *,
    still_open: bool,
) -> tuple[int, int]:
    """One round, its invitations and answers; (people asked, people who answered)."""
    asked = [
        person
        for person in org.people
        if org.employed_on(person, opens) and person.is_active and person.team_id
    ]
    frozen = {p.pk: groups.groups_of(paths.get(p.team_id or 0), p.start_date, opens) for p in asked}
    sizes: dict[str, int] = {}
    for keys in frozen.values():
        for key in keys:
            sizes[key] = sizes.get(key, 0) + 1
    found = Round.objects.create(
        survey=survey,
        number=number,
        opens_on=opens,
        closes_on=closes,
        k=settings.anonymity_threshold,
        k_comments=max(settings.comment_threshold, settings.anonymity_threshold),
        invited=len(asked),
        sizes=sizes,
    )
    questions = questions_for(survey, number)
    RoundQuestion.objects.bulk_create(
        RoundQuestion(round=found, question=question, position=i)
        for i, question in enumerate(questions)
    )
    personas = {org.ceo.pk, org.hr.pk, org.admin.pk}
    invitations, opened = [], []
    for person in asked:
        answered = rng.random() < climate.turnout.get(person.team_id or 0, 0.7)
        if still_open:
            answered = answered and rng.random() < 0.5 and person.pk not in personas
        invitations.append((found.pk, person.pk, answered, json.dumps(frozen[person.pk])))
        if not answered:
            continue
        level = climate.level(person, opens)
        answers: dict[str, Any] = {}
        for question in questions:
            if question.kind == QuestionKind.TEXT:
                text = _comment(rng)
                if text:
                    answers[str(question.pk)] = text
            else:
                answers[str(question.pk)] = _answer(question, level, rng)
        opened.append({"groups": frozen[person.pk], "answers": answers})
    insert_rows(Invitation, ("round", "person", "answered", "groups"), invitations)
    if still_open:
        sealed = []
        for content in opened:
            row_id = uuid.uuid4()
            sealed.append((_uuid(row_id), found.pk, SEALER.seal(found.pk, row_id, content)))
        insert_rows(SealedResponse, ("id", "round", "sealed"), sealed)
        return len(asked), len(opened)
    responses, comments = settle(found, opened)
    insert_rows(
        Response,
        ("id", "round", "groups", "answers"),
        [(_uuid(r.id), found.pk, json.dumps(r.groups), json.dumps(r.answers)) for r in responses],
    )
    insert_rows(
        Comment,
        ("id", "round", "question", "groups", "text"),
        [(_uuid(c.id), found.pk, c.question_id, json.dumps(c.groups), c.text) for c in comments],
    )
    found.save(
        update_fields=["status", "respondents", "released", "released_comments", "closed_at"]
    )
    return len(asked), len(opened)


@history_builder
def survey_history(org: DemoOrg) -> None:
    rng = org.random("surveys")
    settings = SurveySettings.load()
    paths = {team.pk: team.path for team in org.teams}
    today = org.today
    start = max(org.history_start, today - timedelta(days=730))
    # The latest pulse round opened two days ago and is open; the others, every eight weeks
    # before it, back to the start.
    latest = today - timedelta(days=2)
    first = latest - timedelta(days=PULSE_EVERY * ((latest - start).days // PULSE_EVERY))
    climate = _Climate(org, rng, first)
    pulse = Survey.objects.create(
        name="Engagement pulse",
        every_days=PULSE_EVERY,
        per_round=5,
        open_days=7,
        starts_on=first,
        created_by=org.hr,
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=pulse, question=bank_question(key), position=i)
        for i, key in enumerate(PULSE_KEYS)
    )
    asked = answered = rounds = 0
    number, opens = 1, first
    while opens <= latest:
        still_open = opens == latest
        closes = opens + timedelta(days=pulse.open_days - 1)
        counts = _round(
            org, pulse, number, opens, closes, settings, paths, climate, rng, still_open=still_open
        )
        asked, answered, rounds = asked + counts[0], answered + counts[1], rounds + 1
        number, opens = number + 1, opens + timedelta(days=PULSE_EVERY)
    safety_day = today - timedelta(days=120)
    if safety_day >= start:
        safety = Survey.objects.create(
            name="Team psychological safety",
            per_round=5,
            open_days=10,
            starts_on=safety_day,
            created_by=org.hr,
        )
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(survey=safety, question=bank_question(key), position=i)
            for i, key in enumerate(SAFETY_KEYS)
        )
        counts = _round(
            org,
            safety,
            1,
            safety_day,
            safety_day + timedelta(days=9),
            settings,
            paths,
            climate,
            rng,
            still_open=False,
        )
        asked, answered, rounds = asked + counts[0], answered + counts[1], rounds + 1
    org.counts["survey rounds"] = rounds
    org.counts["survey answers"] = answered
