"""Key positions and succession plans for the generic rules tests
(`access/tests/test_rules_agree.py`, `test_who_agrees.py`): a key position in most teams
(teams with and without a lead, within other teams or at the top), some held, one archived;
candidates of every kind, among them leavers, people without a team or manager, a lead of
the position's own part (who must not see their own candidacy) and HR named as a candidate;
an emergency successor; and the history of changes, one of a candidacy since removed."""

from datetime import timedelta

from django.utils import timezone

from people.models import Role
from succession.models import (
    CandidacyChange,
    ChangeKind,
    KeyPosition,
    Readiness,
    SuccessionCandidate,
)


def populate(org, rng) -> None:
    today = timezone.localdate()
    role = Role.objects.get_or_create(name="Engineering manager")[0]
    positions = []
    for index, team in enumerate(org.teams):
        position = KeyPosition.objects.create(
            team=team,
            role=role,
            level=3,
            title=f"Head of {team.name}",
            incumbent=rng.choice([*org.people, None]),
            why_key="Hard to replace",
        )
        if index == 2:
            position.archived_at = timezone.now()
            position.save()
        positions.append(position)
    # The leads of a team (who must never see their own candidacy), HR (both roles) and others.
    leads = [team.lead for team in org.teams if team.lead is not None]
    for position in positions:
        named = rng.sample(org.people, 4) + rng.sample(leads, 1)
        for rank, person in enumerate(dict.fromkeys(named), start=1):
            candidacy = SuccessionCandidate.objects.create(
                position=position,
                person=person,
                readiness=rng.choice(Readiness.values),
                readiness_on=today - timedelta(days=rng.choice([10, 200, 400])),
                rank=rank,
                emergency=rank == 1,
                notes="Strong",
            )
            CandidacyChange.objects.create(
                position=position,
                person=person,
                candidacy=candidacy,
                kind=ChangeKind.NAMED,
                changes={"readiness": [None, candidacy.readiness]},
            )
    removed = SuccessionCandidate.objects.filter(position=positions[0]).order_by("pk").last()
    assert removed is not None
    CandidacyChange.objects.create(
        position=positions[0], person=removed.person, kind=ChangeKind.REMOVED
    )
    removed.delete()
