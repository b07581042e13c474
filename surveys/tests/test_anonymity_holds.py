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


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(organisations(), st.integers(min_value=0, max_value=3))
def test_nobody_s_single_choice_can_be_told_from_what_any_reader_reads(db, organisation, skew):
    """A single choice, answered with a bias (`skew`: the more, the more give the first
    option, so that unanimous groups come up): for every reader, every group whose split they
    read, every set of people those groups delimit holds every answer given there by at
    least k, with at least k giving another; no reader reads a mean of it."""
    from surveys.disclosure import atoms
    from surveys.models import Question, SurveyQuestion
    from surveys.tests.test_disclosure import unions_of

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
        survey = make_survey(keys=(), name="Choice")
        choice = Question.objects.create(
            construct="custom", kind="choice", text="Where?", options=["Office", "Home", "Both"]
        )
        SurveyQuestion.objects.create(survey=survey, question=choice, position=0)
        opened = rounds.open_round(survey, timezone.localdate() - timezone.timedelta(days=10))
        answers, respondents = {}, {}
        for invitation in Invitation.objects.filter(round=opened, person__in=people):
            if rng.random() < 0.85:
                value = 0 if rng.random() < skew / 4 else rng.randint(0, 2)
                rounds.submit(invitation, {choice.pk: value})
                answers[invitation.person_id] = value
                respondents[invitation.person_id] = set(invitation.groups)
        rounds.close_round(opened)
        opened.refresh_from_db()
        for reader in readers:
            viewer = Viewer(person=reader)
            read = results.load(viewer, survey, round_id=opened.pk, every_group=True)
            split_groups = []
            for key, figure in read.by_round.get(opened.pk, {}).items():
                assert key in opened.released
                for row in figure.questions:
                    assert row.mean is None
                    if not row.split_hidden:
                        members = frozenset(p for p, keys in respondents.items() if key in keys)
                        assert dict(row.counts) == {
                            label: sum(1 for p in members if answers[p] == i)
                            for i, label in enumerate(choice.options)
                        }
                        split_groups.append(members)
            for people_set in unions_of([a for a in atoms(split_groups) if a]):
                for value in {answers[p] for p in people_set}:
                    gave = sum(1 for p in people_set if answers[p] == value)
                    assert gave >= opened.k and len(people_set) - gave >= opened.k
        transaction.set_rollback(True)
