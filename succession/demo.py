"""The demo organisation's key positions and succession plans (a history builder of
`people.demo`): the heads of the largest teams below the top, each position held by its lead,
with two to four candidates from within its part, at readiness of every kind (some resting on
evidence over a year old: expired), most with an emergency successor, a few without anyone
ready now. A few dozen rows whatever the organisation's size."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from people.demo import DemoOrg, flush_step, history_builder
from people.models import ids_in
from succession.models import (
    CandidacyChange,
    ChangeKind,
    KeyPosition,
    Readiness,
    SuccessionCandidate,
)

POSITIONS = 8
WHY = [
    "Runs the team's on-call and its biggest customer relationships.",
    "Few people know the systems this team owns end to end.",
    "A retirement or move here would stall the year's plans.",
    "Holds the budget and the hiring plan for the whole part.",
]


@flush_step
def delete_succession() -> None:
    """Key positions protect teams and roles: they go first, with their plans."""
    with connection.cursor() as cursor:
        for model in (CandidacyChange, SuccessionCandidate, KeyPosition):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


@history_builder
def succession_plans(org: DemoOrg) -> None:
    rng = org.random("succession")
    by_id = {person.pk: person for person in org.current}
    current_ids = set(by_id)
    teams = [
        team for team in org.teams if team.parent_id is not None and team.lead_id in current_ids
    ]
    # The largest parts first: their people are the bench.
    members: dict[int, list] = {team.pk: [] for team in teams}
    team_path = {team.pk: team.path for team in org.teams}
    for person in org.current:
        if person.team_id is None:
            continue
        # The teams above a person's and theirs: the ids in its path (not every team's path
        # compared with theirs: 14 million comparisons at 10,000 people).
        for team_id in ids_in(team_path[person.team_id]):
            if team_id in members:
                members[team_id].append(person)
    teams.sort(key=lambda team: (-len(members[team.pk]), team.pk))
    now = timezone.now()
    made = 0
    for team in teams[:POSITIONS]:
        assert team.lead_id is not None  # chosen above
        lead = by_id[team.lead_id]
        if lead.role_id is None:
            continue
        position = KeyPosition.objects.create(
            team=team,
            role_id=lead.role_id,
            level=lead.level or 3,
            title=f"Head of {team.name}",
            incumbent=lead,
            why_key=rng.choice(WHY),
            created_by=org.hr,
            created_at=now - timedelta(days=rng.randint(30, 300)),
        )
        pool = [p for p in members[team.pk] if p.pk != lead.pk and p.pk != org.hr.pk]
        named = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
        with_emergency = rng.random() < 0.75
        candidacies = []
        for rank, person in enumerate(named, start=1):
            readiness = rng.choice(Readiness.values)
            if made % 3 == 2 and rank == 1:
                readiness = Readiness.THREE_PLUS  # some plans have nobody ready
            candidacies.append(
                SuccessionCandidate(
                    position=position,
                    person=person,
                    readiness=readiness,
                    readiness_on=org.today - timedelta(days=rng.choice([20, 90, 200, 300, 420])),
                    rank=rank,
                    emergency=with_emergency and rank == 1,
                    notes=rng.choice(["", "Strong with customers.", "Needs budget experience."]),
                    recorded_by=org.hr,
                    recorded_at=now - timedelta(days=rng.randint(1, 30)),
                )
            )
        SuccessionCandidate.objects.bulk_create(candidacies)
        CandidacyChange.objects.bulk_create(
            CandidacyChange(
                position=position,
                person=c.person,
                candidacy=c if c.pk else None,
                kind=ChangeKind.NAMED,
                changes={"readiness": [None, c.readiness], "rank": [None, c.rank]},
                by=org.hr,
                at=c.recorded_at,
            )
            for c in candidacies
        )
        made += 1
    org.counts["key positions"] = made
