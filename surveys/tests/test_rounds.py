"""A round from opening to results: who is asked, what is stored while it is open and after it
closes, and which groups' figures are kept."""

from datetime import date

import pytest
from django.db import connection

from cadence.refusals import Conflict, Refused
from surveys import groups, rounds
from surveys.models import (
    Comment,
    Figure,
    Invitation,
    Response,
    RoundStatus,
    SealedResponse,
    SurveySettings,
)
from surveys.tests.factories import bank_question, make_survey, make_team

pytestmark = pytest.mark.django_db
OPENS = date(2026, 3, 2)


def answers_for(found, energy=4, mistakes=2, enps=9, comment=""):
    by_key = {question.key: question.pk for question in found.questions.all()}
    values = {"engagement-energy": energy, "safety-mistakes": mistakes, "enps": enps}
    answers = {by_key[key]: value for key, value in values.items() if key in by_key}
    if "comment" in by_key:
        answers[by_key["comment"]] = comment
    return answers


@pytest.fixture
def org():
    engineering, leads = make_team("Engineering", 2, start_date=date(2020, 1, 1))
    platform, platform_people = make_team(
        "Platform", 6, parent=engineering, start_date=date(2025, 9, 1)
    )
    data, data_people = make_team("Data", 3, parent=engineering, start_date=date(2019, 1, 1))
    return {
        "engineering": engineering,
        "platform": platform,
        "data": data,
        "people": leads + platform_people + data_people,
    }


def test_a_round_invites_the_audience_with_their_groups_frozen(org):
    survey = make_survey(team=org["engineering"])
    found = rounds.open_round(survey, OPENS)
    assert found.invited == 11
    assert (found.k, found.k_comments) == (5, 5)
    alice = org["people"][2]  # in Platform since 2025-09: less than a year
    invitation = Invitation.objects.get(round=found, person=alice)
    engineering, platform = org["engineering"].pk, org["platform"].pk
    assert invitation.groups == [
        "all",
        f"t:{engineering}",
        f"t:{platform}",
        "b:0-1",
        f"t:{engineering}|b:0-1",
        f"t:{platform}|b:0-1",
    ]
    # A later move between teams changes nothing of the round.
    alice.team = org["data"]
    alice.save()
    assert Invitation.objects.get(pk=invitation.pk).groups == invitation.groups


def test_a_round_keeps_the_thresholds_it_opened_with(org):
    settings = SurveySettings.load()
    settings.anonymity_threshold, settings.comment_threshold = 4, 7
    settings.save()
    found = rounds.open_round(make_survey(team=org["engineering"]), OPENS)
    settings.anonymity_threshold = 10
    settings.save()
    found.refresh_from_db()
    assert (found.k, found.k_comments) == (4, 7)


def test_a_pulse_rotates_its_questions_so_each_is_asked_before_any_repeats(org):
    keys = ("engagement-energy", "engagement-pride", "engagement-future", "enps")
    survey = make_survey(keys=keys, team=org["engineering"], every_days=14, per_round=3)
    asked = [[q.key for q in rounds.questions_for(survey, number)] for number in (1, 2, 3)]
    assert asked[0] == ["engagement-energy", "engagement-pride", "engagement-future"]
    assert asked[1] == ["enps", "engagement-energy", "engagement-pride"]
    assert set(asked[0]) | set(asked[1][:1]) == set(keys)  # all four before the first repeat


def test_answers_are_sealed_while_the_round_is_open(org):
    found = rounds.open_round(make_survey(team=org["engineering"]), OPENS)
    invitation = Invitation.objects.get(round=found, person=org["people"][0])
    rounds.submit(invitation, answers_for(found, comment="The build is slow"))
    assert Invitation.objects.get(pk=invitation.pk).answered
    sealed = SealedResponse.objects.get()
    assert b"build is slow" not in bytes(sealed.sealed)
    assert not Response.objects.exists()
    with pytest.raises(Conflict):
        rounds.submit(invitation, answers_for(found))
    assert SealedResponse.objects.count() == 1


def test_every_closed_question_needs_an_answer_from_those_offered(org):
    found = rounds.open_round(make_survey(team=org["engineering"]), OPENS)
    invitation = Invitation.objects.get(round=found, person=org["people"][0])
    enps = bank_question("enps").pk
    energy = bank_question("engagement-energy").pk
    answers = answers_for(found)
    answers[enps] = 11
    del answers[energy]
    with pytest.raises(Refused) as refused:
        rounds.submit(invitation, answers)
    assert dict(refused.value.errors) == {
        f"answers.{enps}": "Choose one of the answers offered.",
        f"answers.{energy}": "Choose an answer.",
    }
    assert not Invitation.objects.get(pk=invitation.pk).answered


def test_closing_releases_only_groups_that_hide_nobody(org):
    """Everyone in Engineering (11) answers: Platform (6) is released, the rest of Engineering
    being 5; Data (3) is not, nor anything that would single out its 3 or the 2 leads."""
    found = rounds.open_round(make_survey(team=org["engineering"]), OPENS)
    for invitation in Invitation.objects.filter(round=found):
        rounds.submit(invitation, answers_for(found, comment="Fine"))
    rounds.close_round(found)
    assert found.status == RoundStatus.CLOSED
    assert found.respondents == 11
    engineering, platform = f"t:{org['engineering'].pk}", f"t:{org['platform'].pk}"
    data = f"t:{org['data'].pk}"
    assert "all" in found.released
    assert platform in found.released  # 6, and the rest of Engineering is 5
    assert data not in found.released  # 3
    assert engineering in found.released or "all" in found.released
    figures = {
        (figure.group, figure.question_id): figure for figure in Figure.objects.filter(round=found)
    }
    enps = bank_question("enps").pk
    assert figures[("all", enps)].n == 11
    # All eleven gave 9: a split that says so of each is not kept; eNPS, a sum, is.
    assert figures[("all", enps)].counts == {} and figures[("all", enps)].net == 11
    mistakes = bank_question("safety-mistakes").pk
    assert figures[(platform, mistakes)].total == 6 * (8 - 2)  # reverse-scored
    assert figures[("all", None)].invited == 11
    assert not any(group == data for group, _q in figures)
    assert not SealedResponse.objects.exists()


def test_after_closing_no_row_names_a_person_a_time_or_a_small_group(org):
    found = rounds.open_round(make_survey(team=org["engineering"]), OPENS)
    for i, invitation in enumerate(Invitation.objects.filter(round=found).order_by("pk")):
        rounds.submit(invitation, answers_for(found, energy=1 + i % 5, comment=f"note {i}"))
    rounds.close_round(found)
    released = set(found.released)
    for response in Response.objects.all():
        assert set(response.groups) <= released
    for comment in Comment.objects.all():
        assert set(comment.groups) <= set(found.released_comments)
    names = {field.name for field in Response._meta.get_fields()}
    assert names == {"id", "round", "groups", "answers"}
    # (a comment's replies point at it; the comment's own row names nobody)
    assert {field.name for field in Comment._meta.concrete_fields} == {
        "id",
        "round",
        "question",
        "groups",
        "text",
    }
    # Every combination of groups a stored row carries is shared by at least k respondents.
    signatures = {}
    for response in Response.objects.all():
        signatures.setdefault(tuple(sorted(response.groups)), 0)
        signatures[tuple(sorted(response.groups))] += 1
    assert all(count >= found.k for count in signatures.values())


def test_the_stored_order_is_not_the_order_of_answering(org):
    """Answers written in one shuffled batch: on SQLite the hidden rowid order, on PostgreSQL
    the physical order, is not the order people answered in (checked over several closes)."""
    enps = str(bank_question("enps").pk)
    orders = []
    for attempt in range(4):
        found = rounds.open_round(make_survey(name=f"P{attempt}", team=org["engineering"]), OPENS)
        for i, invitation in enumerate(Invitation.objects.filter(round=found).order_by("pk")):
            rounds.submit(invitation, answers_for(found, energy=1 + i % 5, enps=i % 11))
        rounds.close_round(found)
        table = Response._meta.db_table
        column = "rowid" if connection.vendor == "sqlite" else "ctid"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} WHERE round_id = %s ORDER BY {column}",  # noqa: S608
                [found.pk],
            )
            ids = [row[0] for row in cursor.fetchall()]
        by_id = {str(r.pk).replace("-", ""): r for r in Response.objects.filter(round=found)}
        orders.append([by_id[str(pk).replace("-", "")].answers[enps] for pk in ids])
    assert any(order != list(range(11)) for order in orders)


def test_a_closed_round_takes_no_answers(org):
    found = rounds.open_round(make_survey(team=org["engineering"]), OPENS)
    invitation = Invitation.objects.filter(round=found).first()
    rounds.close_round(found)
    with pytest.raises(Conflict):
        rounds.submit(invitation, answers_for(found))


def test_groups_of_a_person_without_a_start_date_have_no_band():
    assert groups.groups_of("/1/4/", None, OPENS) == ["all", "t:1", "t:4"]
    assert groups.band_of(date(2021, 3, 2), OPENS) == "5+"
    assert groups.band_of(date(2021, 3, 3), OPENS) == "3-5"
