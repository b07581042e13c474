"""The demo organisation's competency framework and assessments.

The framework: our starter framework in the organisation's language, published by HR at the
start of the demo's history, its tracks holding the demo's job roles (managers' roles on the
management track, every other role but the executives' on the individual contributor track),
so that everyone below the executives has a role profile. A handful of rows, the same for
every seed and size.

Assessments over the years: each team has its own habit (assessed recently, a year or more
ago, or never), so most people have one or two assessments and some none. A person's true
level of a competency sits near what their role expects; their self-rating and their manager's
differ from it, and from each other, by at most a level, mostly not at all; the agreed level is
mostly the manager's. Past assessments are agreed and closed; recent ones are at every step,
some of them in HR's round for their team. Planned as plain tuples, written with
`insert_rows` (fast at 100,000 people), the same for the same seed.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

from growth import queries, services
from growth.models import Assessment, AssessmentRound, FrameworkVersion, Rating, Side
from organisation import current
from people.demo import DIVISIONS, EXECUTIVE, DemoOrg, flush_step, history_builder, insert_rows

MANAGEMENT = sorted({division.manager_role for division in DIVISIONS})


def framework_text(language: str, roles: list[str]) -> str:
    """The starter framework with the demo's roles on its tracks."""
    managers = [role for role in MANAGEMENT if role in roles]
    contributors = sorted(role for role in roles if role not in managers and role != EXECUTIVE)
    text = services.starter_text(language)
    for track, names in (("individual-contributor", contributors), ("management", managers)):
        head, tail = text.split(f"- key: {track}\n", 1)
        listed = "".join(f"\n  - {name}" for name in names)
        text = f"{head}- key: {track}\n" + tail.replace("  roles: []", f"  roles:{listed}", 1)
    return text


@history_builder
def competency_framework(org: DemoOrg) -> None:
    if FrameworkVersion.objects.exists():  # kept from an earlier run: it is the organisation's
        return
    text = framework_text(current.settings().language, sorted(org.roles))
    at = datetime.combine(org.history_start, time(9), tzinfo=UTC)
    note = "Started from Cadence's starter framework, with our job roles on its tracks."
    version = services.publish_as(org.hr, text, note=note, base=0, at=at, audited=False)
    org.counts["competencies"] = version.competencies.count()


# --- Assessments ------------------------------------------------------------------------------

RATED = 5  # competencies rated per assessment: those the person's role profile expects first
RECENT_DAYS = 60  # assessments younger than this are still under way
EVIDENCE = (
    "Led the design review for the new billing flow.",
    "Colleagues asked me to explain the release process twice this quarter.",
    "Took over the customer escalation and closed it within a week.",
    "Mentored the new joiner through their first project.",
    "",
    "",
    "",
)
NOTES = ("Agreed: next step is to do this without support.", "", "")
ASSESSMENT_FIELDS = (
    "id",
    "subject",
    "version",
    "started_by",
    "round",
    "due_date",
    "created_at",
    "self_shared_at",
    "manager_shared_at",
    "agreed_at",
    "closed_at",
    "hr_shared_at",
)
RATING_FIELDS = (
    "id",
    "assessment",
    "competency",
    "side",
    "level",
    "text",
    "rated_by",
    "updated_at",
)
ROUND_FIELDS = ("id", "name", "scope", "due_date", "started_by", "created_at")


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _near(rng: random.Random, level: int, top: int) -> int:
    """A level at most one from `level`, mostly the same."""
    return min(top, max(1, level + rng.choice((0, 0, 0, 0, 1, -1))))


def _next_id(model: type[Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


@history_builder
def assessments(org: DemoOrg) -> None:
    if Assessment.objects.exists():  # kept from an earlier run
        return
    framework = queries.current()
    if framework is None:
        return
    rng = org.random("assessments")
    top = max(level.number for level in framework.levels)
    by_key = {c.key: c.pk for c in framework.competencies}
    first = [c.key for c in framework.competencies[:RATED]]
    # Each team's habit: when it last assessed, in days before today (None: never).
    habits: dict[int | None, int | None] = {}
    for team in org.teams:
        habits[team.pk] = rng.choice((20, 45, 75, 200, 380, 400, 760, 1100, None))
    assessment_id, rating_id, round_id = (
        _next_id(Assessment),
        _next_id(Rating),
        _next_id(AssessmentRound),
    )
    plan: list[tuple] = []
    ratings: list[tuple] = []
    rounds: list[tuple] = []
    team_rounds: dict[int, int] = {}
    for person in org.people:
        if person.manager_id is None:
            continue
        days = habits.get(person.team_id)
        if days is None:
            continue
        when = [days] + ([days + 365] if rng.random() < 0.45 else [])
        step = framework.step_of(person.role_id, person.level)
        keys = list(step.expected)[:RATED] if step else first
        for ago in when:
            day = org.today - timedelta(days=ago + rng.randint(0, 20))
            if day < org.history_start or not org.employed_on(person, day):
                continue
            recent = (org.today - day).days < RECENT_DAYS
            stage = rng.choice((0, 1, 1, 2, 3, 3)) if recent else 4
            round_pk = None
            if recent and person.team_id is not None and rng.random() < 0.7:
                round_pk = team_rounds.get(person.team_id)
                if round_pk is None:
                    round_pk = team_rounds[person.team_id] = round_id
                    rounds.append(
                        (
                            round_id,
                            "Assessments before the development conversations",
                            person.team_id,
                            org.today + timedelta(days=21),
                            org.hr.pk,
                            _at(org.today - timedelta(days=days)),
                        )
                    )
                    round_id += 1
            created = _at(day)
            self_shared = _at(day + timedelta(days=5)) if stage >= 1 else None
            manager_shared = _at(day + timedelta(days=9)) if stage >= 2 else None
            agreed = _at(day + timedelta(days=14)) if stage >= 3 else None
            closed = _at(day + timedelta(days=21)) if stage >= 4 else None
            started_by = org.hr.pk if round_pk else rng.choice((person.pk, person.manager_id))
            plan.append(
                (
                    assessment_id,
                    person.pk,
                    framework.version.pk,
                    started_by,
                    round_pk,
                    (day + timedelta(days=21)) if round_pk else None,
                    created,
                    self_shared,
                    manager_shared,
                    agreed,
                    closed,
                    None,
                )
            )
            for key in keys:
                expected = step.expected.get(key, 2) if step else 2
                true = _near(rng, expected, top)
                mine, theirs = _near(rng, true, top), _near(rng, true, top)
                sides = [(Side.SELF, mine, rng.choice(EVIDENCE), person.pk, self_shared)]
                if stage >= 1 or rng.random() < 0.5:
                    sides.append((Side.MANAGER, theirs, "", person.manager_id, manager_shared))
                if stage >= 3:
                    level = theirs if rng.random() < 0.8 else mine
                    sides.append((Side.AGREED, level, rng.choice(NOTES), person.manager_id, agreed))
                for side, level, text, by, at in sides:
                    ratings.append(
                        (
                            rating_id,
                            assessment_id,
                            by_key[key],
                            side,
                            level,
                            text,
                            by,
                            at or created + timedelta(days=2),
                        )
                    )
                    rating_id += 1
            assessment_id += 1
    insert_rows(AssessmentRound, ROUND_FIELDS, rounds)
    insert_rows(Assessment, ASSESSMENT_FIELDS, plan)
    insert_rows(Rating, RATING_FIELDS, ratings)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [AssessmentRound, Assessment, Rating]
        ):
            cursor.execute(sql)
    org.counts["assessments"] = len(plan)
    org.counts["ratings"] = len(ratings)


@flush_step
def delete_assessments() -> None:
    """Assessments hold on to their framework version (flushed next) and its competencies."""
    Rating.objects.all().delete()
    Assessment.objects.all().delete()
    AssessmentRound.objects.all().delete()


@flush_step
def delete_framework() -> None:
    """Versions name who published them (people, flushed next)."""
    FrameworkVersion.objects.all().delete()
