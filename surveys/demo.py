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

After the round closest to ten months ago, the leads of a few teams that were slipping or
standing still make an action plan: focus on the engagement statement their team scored
lowest, two or three actions owned by people of the team (done by their due day), shared with
the team; from then on those teams' climate improves, so their later rounds show the focus
area moving up. After the latest closed round a couple more teams have made plans whose
actions are still to do (on their owners' Home).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from people.demo import DemoOrg, flush_step, history_builder, insert_rows
from people.models import Person
from surveys import bank, groups
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
    SurveyAction,
    SurveyActionPlan,
    SurveyCommentReply,
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
ACTIONS = (
    "Keep Tuesday mornings free of meetings for focused work.",
    "Say in the weekly meeting what went well, and who made it happen.",
    "Pair on one piece of work each week, across the team.",
    "Share the quarter's priorities in one page, and keep it up to date.",
    "Hold a retrospective after every release, and act on one thing from it.",
    "Agree with each person one thing to learn this quarter.",
    "Invite a neighbouring team to our demo every month.",
    "Write down how we decide, and who decides what.",
)
PLAN_NOTE = "Our lowest score this round. We talked it through as a team and chose a few steps."
PLANNED_TEAMS, RECENT_TEAMS = 4, 2
PLAN_DAYS_AGO = 300  # the plans follow the round closest to this many days ago
PLAN_LIFT, PLAN_LIFT_MAX = 0.9, 0.6  # a planned team's climate: up this much a year, at most
FOCUS_LIFT = 0.6  # and its focus areas this much more
MODELS = (
    SurveyCommentReply,
    SurveyAction,
    SurveyActionPlan,
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
        # team -> when it made an action plan, and the questions it focuses on
        self.planned: dict[int, tuple[date, set[int]]] = {}

    def level(self, person: Person, day: date) -> float:
        team = person.team_id or 0
        planned, _focus = self.planned.get(team, (None, set()))
        # A team that made a plan stops slipping, and improves.
        trend_until = min(day, planned) if planned is not None else day
        years = (trend_until - self.start).days / 365
        level = self.base.get(team, 0) + self.trend.get(team, 0) * years + self.person[person.pk]
        if planned is not None and day > planned:
            level += min(PLAN_LIFT_MAX, PLAN_LIFT * (day - planned).days / 365)
        return level

    def focus_lift(self, person: Person, question: Question, day: date) -> float:
        """More on the questions a team's plan focuses on, once it is made."""
        planned, focus = self.planned.get(person.team_id or 0, (None, set()))
        return FOCUS_LIFT if planned is not None and day > planned and question.pk in focus else 0


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
    # A person's groups depend on their team and tenure band only: worked out once for each.
    by_place: dict[tuple[int, str | None], list[str]] = {}
    frozen = {}
    for p in asked:
        place = (p.team_id or 0, groups.band_of(p.start_date, opens))
        keys = by_place.get(place)
        if keys is None:
            keys = by_place[place] = groups.groups_of(paths.get(place[0]), p.start_date, opens)
        frozen[p.pk] = list(keys)
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
                lift = climate.focus_lift(person, question, opens)
                answers[str(question.pk)] = _answer(question, level + lift, rng)
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


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def _plans_after(
    org: DemoOrg, found: Round, climate: _Climate, rng: Any, how_many: int, *, lift: bool
) -> int:
    """Action plans after the closed round `found` by the leads of `how_many` teams released
    in it (slipping or steady ones first), each focused on the engagement statement the team
    scored lowest; `lift`: those teams' climate improves from then on. How many were made."""
    by_id = {person.pk: person for person in org.people}
    made_on = found.closes_on + timedelta(days=3)
    members: dict[int, list[Person]] = {}
    for person in org.people:
        if person.team_id and person.is_active and org.employed_on(person, made_on):
            members.setdefault(person.team_id, []).append(person)
    released = {groups.team_of(key) for key in found.released if groups.band_in(key) is None}
    candidates = [
        team
        for team in org.teams
        if team.pk in released
        and team.pk in members
        and team.lead_id in by_id
        and team.pk not in climate.planned
    ]
    candidates.sort(key=lambda team: (climate.trend.get(team.pk, 0) > 0, team.pk))
    chosen = candidates[: how_many * 3]
    rng.shuffle(chosen)
    chosen = sorted(chosen[:how_many], key=lambda team: team.pk)
    if not chosen:
        return 0
    lowest: dict[str, tuple[float, int]] = {}
    figures = Figure.objects.filter(
        round=found,
        group__in=[groups.team_key(team.pk) for team in chosen],
        question__construct=bank.ENGAGEMENT,
        n__gt=0,
    )
    for figure in figures:
        mean = figure.total / figure.n
        if figure.question_id and (figure.group not in lowest or mean < lowest[figure.group][0]):
            lowest[figure.group] = (mean, figure.question_id)
    plans, focus, actions = [], [], []
    for team in chosen:
        key = groups.team_key(team.pk)
        if key not in lowest:
            continue
        plans.append(
            SurveyActionPlan(
                survey_id=found.survey_id,
                round=found,
                group=key,
                team=team,
                note=PLAN_NOTE,
                created_by=by_id[team.lead_id or 0],
                created_at=_at(made_on),
                shared_with_team=True,
            )
        )
    SurveyActionPlan.objects.bulk_create(plans)
    for plan in plans:
        focus.append(
            SurveyActionPlan.focus.through(
                surveyactionplan_id=plan.pk, question_id=lowest[plan.group][1]
            )
        )
        team_members = members[plan.team_id]
        for text in rng.sample(ACTIONS, rng.randint(2, 3)):
            due = made_on + timedelta(days=rng.randint(21, 90))
            done = due < org.today and rng.random() < 0.85
            actions.append(
                SurveyAction(
                    plan=plan,
                    text=text,
                    owner=rng.choice(team_members),
                    due_date=due,
                    done_at=_at(due - timedelta(days=rng.randint(0, 10))) if done else None,
                    created_at=_at(made_on),
                )
            )
        if lift:
            climate.planned[plan.team_id] = (made_on, {lowest[plan.group][1]})
    SurveyActionPlan.focus.through.objects.bulk_create(focus)
    SurveyAction.objects.bulk_create(actions)
    return len(plans)


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
    asked = answered = rounds = plans = 0
    plan_rng = org.random("surveys-plans")  # its own stream: the answers stay as they were
    plan_day = today - timedelta(days=PLAN_DAYS_AGO)
    plan_number = 1 + max(0, round((plan_day - first).days / PULSE_EVERY))
    last_closed = latest - timedelta(days=PULSE_EVERY)
    number, opens = 1, first
    while opens <= latest:
        still_open = opens == latest
        closes = opens + timedelta(days=pulse.open_days - 1)
        counts = _round(
            org, pulse, number, opens, closes, settings, paths, climate, rng, still_open=still_open
        )
        asked, answered, rounds = asked + counts[0], answered + counts[1], rounds + 1
        if not still_open and (number == plan_number or opens == last_closed):
            found = Round.objects.get(survey=pulse, number=number)
            recent = opens == last_closed and number != plan_number
            plans += _plans_after(
                org,
                found,
                climate,
                plan_rng,
                RECENT_TEAMS if recent else PLANNED_TEAMS,
                lift=not recent,
            )
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
    org.counts["survey action plans"] = plans
