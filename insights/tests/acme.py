"""A small hand-built organisation for the charts' tests, whose figures are known by hand.

    Acme (Cleo leads; Cleo and Hana, HR for everyone, belong to it)
      Alpha: Max (lead) and his five reports a1…a5          6 people
      Beta:  Bea (lead) and her four reports b1…b4            5 people
      Tiny:  t1, t2, t3, who report to Cleo                   3 people
    Max, Bea and Hana report to Cleo; Flo, in Beta, left last year (not counted).

With the smallest group at 5, the groups released are: everyone (16), Acme (16), Alpha (6)
and Beta (5) — the rest of Acme (Cleo, Hana, t1–t3) is 5 too; Tiny (3) is not. Of the
managers' groups, Max's five reports are (the rest of Alpha is Max alone); Bea's four are not
(too few); Cleo's are not (she would learn about Max and Bea alone from them).

Each chart's data is a fixture of its own (`rhythm`, `goals`, `flow`, `development`, `skills`,
`reviews`, `pulse`) that writes it and computes the chart's snapshots; the tests that read
them say what the figures are and why.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from access.models import HRRole
from conftest import make_person
from conversations.models import Conversation, Kind, Status
from feedback.models import (
    CycleStatus,
    Feedback,
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
)
from feedback.models import Kind as FeedbackKind
from goals.models import Adjustment, Objective
from goals.models import Kind as GoalKind
from goals.models import Status as GoalStatus
from growth.models import Assessment, Competency, FrameworkVersion
from insights import compute
from insights.grouping import month_end_before
from people.models import Team
from plans.models import ActionStatus, Plan, PlanAction, PlanActivePeriod
from surveys import rounds
from surveys.models import Invitation
from surveys.tests.factories import make_survey
from talent.models import SkillCell, SkillGroup, SkillRun


@pytest.fixture(name="acme")
def acme_fixture(db):
    today = timezone.localdate()
    start = today - timedelta(days=800)
    acme = Team.objects.create(name="Acme")
    alpha = Team.objects.create(name="Alpha", parent=acme)
    beta = Team.objects.create(name="Beta", parent=acme)
    tiny = Team.objects.create(name="Tiny", parent=acme)

    def person(key, team, manager=None, **fields):
        fields.setdefault("start_date", start)
        return make_person(
            f"{key}@acme.example", key.capitalize(), team=team, manager=manager, **fields
        )

    cleo = person("cleo", acme)
    hana = person("hana", acme, cleo)
    HRRole.objects.create(person=hana)
    max_ = person("max", alpha, cleo)
    bea = person("bea", beta, cleo)
    a = [person(f"a{i}", alpha, max_) for i in range(1, 6)]
    b = [person(f"b{i}", beta, bea) for i in range(1, 5)]
    t = [person(f"t{i}", tiny, cleo) for i in range(1, 4)]
    flo = person("flo", beta, bea, leave_date=today - timedelta(days=300))
    acme.lead, alpha.lead, beta.lead = cleo, max_, bea
    for team in (acme, alpha, beta):
        team.save()
    return SimpleNamespace(
        today=today,
        acme=acme,
        alpha=alpha,
        beta=beta,
        tiny=tiny,
        cleo=cleo,
        hana=hana,
        max=max_,
        bea=bea,
        a=a,
        b=b,
        t=t,
        flo=flo,
        everyone=[cleo, hana, max_, bea, *a, *b, *t],
    )


def months_back(today, count):
    """The first day of the month `count` months before today's."""
    first = today.replace(day=1)
    for _n in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def at(day, hour=12):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def check_in(employee, manager, due, status=Status.HELD, held_on=None):
    conversation = Conversation(
        employee=employee, manager=manager, kind=Kind.CHECK_IN, due_date=due, status=status
    )
    if status == Status.HELD:
        conversation.mark_held(held_on or due)
    conversation.save()
    return conversation


@pytest.fixture(name="rhythm")
def rhythm_fixture(acme):
    last = months_back(acme.today, 1).replace(day=15)
    before = months_back(acme.today, 2).replace(day=15)
    for person in acme.a[:4]:
        check_in(person, acme.max, last)  # held on the day
    check_in(acme.a[4], acme.max, last, held_on=last - timedelta(days=10))  # too early
    check_in(acme.a[0], acme.max, before, status=Status.SKIPPED)
    check_in(acme.b[0], acme.bea, last)
    check_in(acme.b[1], acme.bea, last, status=Status.SCHEDULED)  # missed: past its window
    check_in(acme.b[2], acme.bea, last, status=Status.SKIPPED)
    check_in(acme.b[3], acme.bea, last)
    check_in(acme.bea, acme.cleo, last)
    compute.compute(timezone.now(), kinds=["rhythm"])
    return last.strftime("%Y-%m"), before.strftime("%Y-%m")


@pytest.fixture(name="goals")
def goals_fixture(acme):
    """Goals whose period holds the end of last month (the day the chart is of) halfway."""
    now, reference = timezone.now(), month_end_before(acme.today)
    start, end = reference - timedelta(days=50), reference + timedelta(days=50)

    def goal(owner, progress, kind=GoalKind.RESULT, status=GoalStatus.ON_TRACK, **fields):
        fields.setdefault("last_activity_at", now)
        return Objective.objects.create(
            title="A goal",
            owner_person=owner,
            kind=kind,
            status=status,
            start_date=fields.pop("start_date", start),
            end_date=fields.pop("end_date", end),
            manual_progress=Decimal(progress),
            created_at=at(start),
            **fields,
        )

    a1, a2, a3, a4, a5 = acme.a
    goal(a1, 60)
    adjusted = goal(a2, 50)
    Adjustment.objects.create(
        objective=adjusted, reason="The target moved", created_at=at(reference - timedelta(days=9))
    )
    goal(a3, 45)
    goal(a4, 20, last_activity_at=at(reference) - timedelta(weeks=5))  # stale then
    goal(a5, 80, kind=GoalKind.LEARNING, status=GoalStatus.DONE)  # done counts as 100 %
    goal(a3, 10, status=GoalStatus.DROPPED)  # left out
    goal(
        a1,
        10,
        start_date=reference - timedelta(days=400),
        end_date=reference - timedelta(days=300),
    )
    goal(acme.b[0], 30, visibility="private")
    for owner in [*acme.b[1:], acme.bea]:
        goal(owner, 50)
    Objective.objects.create(
        title="A team's", owner_team=acme.alpha, start_date=start, end_date=end
    )
    compute.compute(now, kinds=["goals"])


@pytest.fixture(name="flow")
def flow_fixture(acme):
    last = months_back(acme.today, 1).replace(day=10)
    a1, a2, a3 = acme.a[:3]
    b1 = acme.b[0]
    for giver, receiver, kind, day in (
        (a1, b1, FeedbackKind.PRAISE, last),
        (a2, b1, FeedbackKind.CONSTRUCTIVE, last),
        (b1, a1, FeedbackKind.PRAISE, last),
        (acme.cleo, a3, FeedbackKind.PRAISE, last),
        (a1, a2, FeedbackKind.PRAISE, acme.today),
    ):
        Feedback.objects.create(
            giver=giver, receiver=receiver, kind=kind, text="Thanks", created_at=at(day, 9)
        )
    compute.compute(timezone.now(), kinds=["feedback"])
    return last.strftime("%Y-%m"), acme.today.strftime("%Y-%m")


@pytest.fixture(name="development")
def development_fixture(acme):
    today, now = acme.today, timezone.now()
    last = months_back(today, 1)
    a1, a2 = acme.a[:2]
    one, two = Plan.objects.create(person=a1), Plan.objects.create(person=a2)
    PlanActivePeriod.objects.create(plan=one, start=today - timedelta(days=100))
    PlanActivePeriod.objects.create(plan=two, start=today - timedelta(days=200), end=last)
    done = at(last.replace(day=10))
    PlanAction.objects.create(
        plan=one, kind="training", title="A course", status=ActionStatus.DONE, updated_at=done
    )
    PlanAction.objects.create(plan=one, kind="reading", title="A book", updated_at=now)
    version = FrameworkVersion.objects.get_or_create(number=1, defaults={"published_at": now})[0]
    Assessment.objects.create(
        subject=a1, version=version, agreed_at=now - timedelta(days=60), closed_at=now
    )
    Assessment.objects.create(
        subject=a2, version=version, manager_shared_at=now - timedelta(days=400)
    )
    compute.compute(now, kinds=["development"])
    return months_back(today, 2).strftime("%Y-%m"), last.strftime("%Y-%m")


@pytest.fixture(name="skills")
def skills_fixture(acme):
    now = timezone.now()
    version = FrameworkVersion.objects.get_or_create(number=1, defaults={"published_at": now})[0]
    Competency.objects.create(version=version, key="python", name="Python", category="craft")
    Competency.objects.create(version=version, key="care", name="Care", category="core")
    run = SkillRun.objects.create(computed_at=now, version=version, min_group=5)
    alpha = SkillGroup.objects.create(run=run, team=acme.alpha, people=6)
    SkillCell.objects.create(group=alpha, competency_key="python", n=5, at_or_above=3)
    rest = SkillGroup.objects.create(run=run, team=acme.acme, smaller_teams=2, people=10)
    SkillCell.objects.create(group=rest, competency_key="python", n=8, at_or_above=2)
    SkillCell.objects.create(group=rest, competency_key="care", n=6, at_or_above=6)
    compute.compute(now, kinds=["skills"])


@pytest.fixture(name="reviews")
def reviews_fixture(acme):
    today = acme.today
    cycle = ReviewCycle.objects.create(
        name="Spring 360",
        period_start=today - timedelta(days=120),
        period_end=today - timedelta(days=30),
        nominations_due=today - timedelta(days=60),
        answers_due=today - timedelta(days=40),
        status=CycleStatus.CLOSED,
    )
    peers = acme.b[:2]
    for number, person in enumerate(acme.a):
        participant = ReviewParticipant.objects.create(
            cycle=cycle,
            person=person,
            manager=acme.max,
            released_at=timezone.now() if number < 2 else None,
        )
        for reviewer, group, answered, declined in (
            (person, RaterGroup.SELF, True, False),
            (acme.max, RaterGroup.MANAGER, True, False),
            (peers[0], RaterGroup.PEER, True, False),
            (peers[1], RaterGroup.PEER, number < 4, number < 4),
        ):
            ReviewInvitation.objects.create(
                participant=participant,
                reviewer=reviewer,
                group=group,
                answered=answered and not declined,
                declined=declined,
            )
    small = ReviewCycle.objects.create(
        name="Beta 360",
        period_start=today - timedelta(days=90),
        period_end=today - timedelta(days=10),
        nominations_due=today - timedelta(days=40),
        answers_due=today - timedelta(days=20),
        status=CycleStatus.CLOSED,
    )
    for person in acme.b[:2]:
        ReviewParticipant.objects.create(cycle=small, person=person, manager=acme.bea)
    compute.compute(timezone.now(), kinds=["reviews"])


# (engagement 1–5, safety answer 1–7 to a reverse-worded statement, eNPS 0–10)
ANSWERS = {"alpha": (4, 2, 10), "beta": (2, 2, 0), "rest": (3, 2, 8)}


def answer(found, everyone, answers_of):
    by_key = {q.key: q.pk for q in found.questions.all()}
    for invitation in Invitation.objects.filter(round=found).select_related("person"):
        values = answers_of(invitation.person)
        if values is None:
            continue
        energy, safety, enps = values
        rounds.submit(
            invitation,
            {
                by_key["engagement-energy"]: energy,
                by_key["safety-mistakes"]: safety,
                by_key["enps"]: enps,
            },
        )
    rounds.close_round(found)


@pytest.fixture(name="pulse")
def pulse_fixture(acme):
    survey = make_survey(
        keys=("engagement-energy", "safety-mistakes", "enps"),
        name="Acme pulse",
        starts_on=acme.today - timedelta(days=10),
    )
    found = rounds.open_round(survey, acme.today - timedelta(days=10))
    alpha = {acme.max.pk, *(p.pk for p in acme.a)}
    beta = {acme.bea.pk, *(p.pk for p in acme.b)}

    def answers_of(person):
        if person.pk in alpha:
            return ANSWERS["alpha"]
        return ANSWERS["beta"] if person.pk in beta else ANSWERS["rest"]

    answer(found, acme.everyone, answers_of)
    compute.compute(timezone.now(), kinds=["engagement"])
    return survey, found
