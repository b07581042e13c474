"""The promise, stated directly: for generated organisations and answers, across two rounds
with people moving between teams in between, whatever any reader may read — every group of
every round through the results, the API's rounds, the CSV — no sum over fewer than k
respondents of a round can be worked out from it (exact linear algebra over the figures'
groups), and every figure read is of a group the round released."""

import random
from itertools import combinations

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access.models import HRRole
from access.viewer import Viewer
from conftest import make_person
from people.models import Team
from surveys import results, rounds
from surveys.models import Invitation, SurveySettings
from surveys.tests.factories import make_survey
from surveys.tests.test_disclosure import derivable

pytestmark = pytest.mark.django_db


@st.composite
def organisations(draw):
    teams = draw(st.integers(min_value=1, max_value=5))
    parents = [draw(st.integers(min_value=-1, max_value=i - 1)) for i in range(teams)]
    people = draw(st.integers(min_value=3, max_value=14))
    homes = [draw(st.integers(min_value=0, max_value=teams - 1)) for _ in range(people)]
    seed = draw(st.integers(min_value=0, max_value=10_000))
    return parents, homes, seed


def _readers(teams):
    """Organisation-wide HR, and the lead of every team."""
    hr = make_person("hr-reader@example.com", "HR Reader")
    HRRole.objects.create(person=hr, scope=None)
    readers = [hr]
    for index, team in enumerate(teams):
        lead = make_person(f"lead{index}@example.com", f"Lead {index}")
        team.lead = lead
        team.save()
        readers.append(lead)
    return readers


def _round(survey, people, rng, days_ago):
    found = rounds.open_round(survey, timezone.localdate() - timezone.timedelta(days=days_ago))
    if found is None:
        return None, {}
    questions = {q.key: q.pk for q in found.questions.all()}
    respondents = {}
    for invitation in Invitation.objects.filter(round=found, person__in=people):
        if rng.random() < 0.8:
            rounds.submit(
                invitation,
                {
                    questions["engagement-energy"]: rng.randint(1, 5),
                    questions["enps"]: rng.randint(0, 10),
                },
            )
            respondents[invitation.person_id] = set(invitation.groups)
    rounds.close_round(found)
    return found, respondents


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(organisations())
def test_no_reader_can_work_out_fewer_than_k(db, organisation):
    parents, homes, seed = organisation
    rng = random.Random(seed)
    with transaction.atomic():
        found = SurveySettings.load()
        found.anonymity_threshold, found.comment_threshold = 3, 5
        found.save()
        teams = []
        for index, parent in enumerate(parents):
            teams.append(
                Team.objects.create(name=f"T{index}", parent=teams[parent] if parent >= 0 else None)
            )
        people = [
            make_person(f"p{i}@example.com", f"P {i}", team=teams[home])
            for i, home in enumerate(homes)
        ]
        readers = _readers(teams)
        survey = make_survey(keys=("engagement-energy", "enps"), name="Pulse")
        first, asked_first = _round(survey, people, rng, 40)
        for person in people:  # some move between teams before the next round
            if rng.random() < 0.3:
                person.team = rng.choice(teams)
                person.save()
        second, asked_second = _round(survey, people, rng, 10)
        for found_round, respondents in ((first, asked_first), (second, asked_second)):
            if found_round is None:
                continue
            ids = sorted(respondents)
            index = {pk: i for i, pk in enumerate(ids)}
            seen = set()
            for reader in readers:
                viewer = Viewer(person=reader)
                loaded = results.load(viewer, survey, round_id=found_round.pk, every_group=True)
                exported = results.load(viewer, survey, everything=True)
                for source in (loaded, exported):
                    for key, figure in source.by_round.get(found_round.pk, {}).items():
                        assert key in found_round.released
                        members = {pk for pk, keys in respondents.items() if key in keys}
                        assert figure.respondents == len(members)
                        seen.add(frozenset(index[pk] for pk in members))
            shown = [_group(members) for members in seen]
            for size in range(1, found_round.k):
                for small in combinations(range(len(ids)), size):
                    assert not derivable(shown, set(small), len(ids)), (small, seen)
        transaction.set_rollback(True)


def _group(members):
    from surveys.disclosure import Candidate

    return Candidate(None, members)
