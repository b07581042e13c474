"""Internal mobility for the demo organisation: openings (most open, some closed) in teams that
have a lead, posted by HR or the lead, at the next level of a role the team already has; about
one person in twelve open to a move (most for HR only, some also for their manager), with
interests; and some of them interested in an opening. A few bulk inserts: fast at any size."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from growth import queries as growth_queries
from mobility.models import Audience, Interest, MobilityPreference, Opening, OpeningStatus
from people.demo import DemoOrg, flush_step, history_builder

PEOPLE_PER_OPENING = 60
MAX_OPENINGS = 80
OPEN_SHARE = 12  # one in this many people is open to a move


@flush_step
def delete_mobility() -> None:
    Interest.objects.all().delete()
    Opening.objects.all().delete()
    MobilityPreference.objects.all().delete()


@history_builder
def mobility_history(org: DemoOrg) -> None:
    rng = org.random("mobility")
    today = org.today
    now = timezone.now()
    framework = growth_queries.current()
    tracks = [track.key for track in framework.tracks] if framework else []
    led = {team.pk: team for team in org.teams if team.lead_id is not None}
    by_team: dict[int, list] = {}
    for person in org.current:
        if person.team_id in led and person.role_id is not None and person.level:
            by_team.setdefault(person.team_id, []).append(person)
    if framework is not None:  # openings whose role profile the framework has, where it can
        profiled = {
            team: [p for p in people if framework.step_of(p.role_id, p.level)]
            for team, people in by_team.items()
        }
        if any(profiled.values()):
            by_team = {team: people for team, people in profiled.items() if people}
    teams = sorted(by_team)
    count = min(MAX_OPENINGS, max(6, len(org.current) // PEOPLE_PER_OPENING))
    openings = []
    for number in range(count if teams else 0):
        team = led[rng.choice(teams)]
        model = rng.choice(by_team[team.pk])
        role = next(r for r in org.roles.values() if r.pk == model.role_id)
        # A step up where the framework has a role profile for it, else the same level.
        up = model.level + rng.choice((0, 1))
        level = up if framework is None or framework.step_of(role.pk, up) else model.level
        opened = today - timedelta(days=rng.randint(0, 90))
        lead = team.lead_id
        assert lead is not None  # only teams with a lead
        openings.append(
            Opening(
                title=f"{role.name}, {team.name}",
                role=role,
                level=level,
                team=team,
                description="Join the team: we are growing and would love an internal move.",
                hiring_manager_id=lead,
                posted_by_id=org.hr.pk if number % 3 == 0 else lead,
                status=OpeningStatus.CLOSED if number % 5 == 4 else OpeningStatus.OPEN,
                opened_on=opened,
                closes_on=opened + timedelta(days=rng.choice((30, 60, 90))),
                created_at=now,
                updated_at=now,
            )
        )
    Opening.objects.bulk_create(openings, batch_size=1000)
    open_ones = [opening for opening in openings if opening.is_open]
    role_ids = [role.pk for role in org.roles.values()]
    team_ids = [team.pk for team in org.teams]
    preferences, interests = [], []
    personas = {org.ceo.pk, org.hr.pk, org.admin.pk}
    for person in org.current:
        if person.pk in personas or rng.randrange(OPEN_SHARE):
            continue
        preferences.append(
            MobilityPreference(
                person=person,
                open_to_move=rng.random() < 0.9,
                audience=Audience.HR_AND_MANAGER if rng.random() < 0.35 else Audience.HR,
                tracks=rng.sample(tracks, min(len(tracks), rng.randint(0, 2))),
                roles=rng.sample(role_ids, min(len(role_ids), rng.randint(0, 2))),
                teams=rng.sample(team_ids, min(len(team_ids), rng.randint(0, 2))),
                note=rng.choice(("", "Happy to talk.", "Looking for a new challenge.")),
                updated_at=now - timedelta(days=rng.randint(0, 120)),
            )
        )
        if open_ones and rng.random() < 0.4:
            for opening in rng.sample(open_ones, min(len(open_ones), rng.randint(1, 2))):
                if opening.hiring_manager_id != person.pk:
                    interests.append(
                        Interest(
                            person=person,
                            opening=opening,
                            note=rng.choice(("", "I would love to help.")),
                            created_at=now - timedelta(days=rng.randint(0, 30)),
                        )
                    )
    MobilityPreference.objects.bulk_create(preferences, batch_size=1000)
    Interest.objects.bulk_create(interests, batch_size=1000)
    org.counts["openings"] = len(openings)
    org.counts["open to a move"] = sum(p.open_to_move for p in preferences)
