"""The demo organisation's talent reviews (`people.demo`): last year's review of one part of the
organisation, finalised (managers placed their reports, the meeting adjusted some, HR finalised
it), and this year's review of the same part in draft, about half placed. The part is the
largest team under the top whose subtree holds at most `MOST` people, so that the demo stays
fast at any size; HR for the whole organisation (hr@) leads both."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone

from people.demo import DemoOrg, flush_step, history_builder
from people.models import Person, Team
from talentreview.models import Placement, PlacementChange, Response, Status, TalentReview

MOST = 400
# By performance: low, medium, high.
RATIONALES = {
    1: (
        "New in the role: learning fast, too early to say much more.",
        "Struggled with the move to the new team; we agreed on support.",
    ),
    2: (
        "Delivers what was agreed, reliably; asks for help early.",
        "Strong in their craft; less keen to take on work outside it.",
    ),
    3: (
        "Took the lead on a hard project this year and brought others along.",
        "Consistently raises the bar for the team; ready for a broader scope.",
    ),
}


def _next_id(model: type[Model]) -> int:
    top: int | None = model._default_manager.aggregate(top=Max("pk"))["top"]
    return (top or 0) + 1


def _scope(org: DemoOrg) -> tuple[Team | None, list[Person]]:
    """The largest team (with the teams within it) of at most MOST current people that has
    someone with a manager in it; the whole organisation when it is small."""
    people = [p for p in org.current if p.manager_id is not None]
    if len(org.current) <= MOST:
        return None, people
    sizes: dict[str, int] = defaultdict(int)
    paths = {team.pk: team.path for team in org.teams}
    for person in people:
        path = paths.get(person.team_id or 0, "")
        for depth in range(1, path.count("/")):
            sizes["/".join(path.split("/")[: depth + 1]) + "/"] += 1
    fitting = [team for team in org.teams if 0 < sizes.get(team.path, 0) <= MOST]
    if not fitting:
        return None, people
    scope = max(fitting, key=lambda team: (sizes[team.path], -team.pk))
    return scope, [p for p in people if paths.get(p.team_id or 0, "").startswith(scope.path)]


@history_builder
def talent_review_history(org: DemoOrg) -> None:
    rng = org.random("talentreview")
    scope, people = _scope(org)
    zone = timezone.get_current_timezone()
    finalised_on = org.today - timedelta(days=200)
    finalised_at = datetime.combine(finalised_on, time(15), tzinfo=zone)
    placed_at = finalised_at - timedelta(days=21)
    last_year = TalentReview.objects.create(
        name=f"Talent review {finalised_on:%Y-%m}",
        scope=scope,
        led_by=org.hr,
        status=Status.FINALISED,
        meeting_on=finalised_on,
        created_at=placed_at - timedelta(days=14),
        meeting_opened_at=finalised_at - timedelta(days=1),
        finalised_at=finalised_at,
    )
    this_year = TalentReview.objects.create(
        name=f"Talent review {org.today:%Y-%m}",
        scope=scope,
        led_by=org.hr,
        meeting_on=org.today + timedelta(days=30),
        created_at=timezone.now() - timedelta(days=7),
    )
    placements: list[Placement] = []
    changes: list[PlacementChange] = []
    responses: list[Response] = []
    next_placement = _next_id(Placement)
    for review, share in ((last_year, 1.0), (this_year, 0.5)):
        for person in people:
            if rng.random() >= share:
                continue
            manager_id = person.manager_id
            performance, potential = _box(rng)
            rationale = rng.choice(RATIONALES[performance])
            at = placed_at if review is last_year else timezone.now() - timedelta(days=2)
            placement = Placement(
                pk=next_placement,
                review=review,
                person=person,
                performance=performance,
                potential=potential,
                rationale=rationale,
                placed_by_id=manager_id,
                placed_at=at,
            )
            next_placement += 1
            changes.append(_change(placement, manager_id, at))
            if review is last_year and rng.random() < 0.15:  # moved in the meeting
                before = (placement.performance, placement.potential, placement.rationale)
                placement.potential = max(1, placement.potential - 1)
                placement.rationale = f"{rationale} Agreed in the meeting: not yet."
                placement.placed_by = org.hr
                placement.placed_at = finalised_at - timedelta(hours=3)
                placement.adjusted = True
                changes.append(_change(placement, org.hr.pk, placement.placed_at, before))
            placements.append(placement)
            if review is last_year and rng.random() < 0.05:
                responses.append(
                    Response(
                        placement=placement,
                        text="Thanks for the honesty; I would like to talk about the next step.",
                        written_at=finalised_at + timedelta(days=3),
                        updated_at=finalised_at + timedelta(days=3),
                    )
                )
    Placement.objects.bulk_create(placements, batch_size=1000)
    PlacementChange.objects.bulk_create(changes, batch_size=1000)
    Response.objects.bulk_create(responses, batch_size=1000)
    org.counts["talent placements"] = len(placements)


def _box(rng: Any) -> tuple[int, int]:
    """Most people in the middle, fewer at the edges."""
    weights = (1, 3, 1)
    return rng.choices((1, 2, 3), weights)[0], rng.choices((1, 2, 3), weights)[0]


def _change(
    placement: Placement, by: int | None, at: datetime, before: tuple[Any, ...] | None = None
) -> PlacementChange:
    return PlacementChange(
        placement=placement,
        changed_by_id=by,
        changed_at=at,
        in_meeting=before is not None,
        performance_before=before[0] if before else None,
        potential_before=before[1] if before else None,
        rationale_before=before[2] if before else "",
        performance_after=placement.performance,
        potential_after=placement.potential,
        rationale_after=placement.rationale,
    )


@flush_step
def delete_talent_reviews() -> None:
    """Everything of this app, children first (reviews protect their scope team)."""
    with connection.cursor() as cursor:
        for model in (Response, PlacementChange, Placement, TalentReview):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
