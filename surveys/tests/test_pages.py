"""Surveys through their pages: HR makes a survey, people answer it with the privacy preview
in front of them, results are read by HR and by leads for their part only, and nobody learns
who answered."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from surveys import rounds
from surveys.models import Comment, Invitation, Survey
from surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_survey(cast):
    """Platform (Alice's team, led by Bob) with five more people; one closed round everyone
    answered, with a comment each. (Erin is HR for everyone; Carol leads Engineering.)"""
    team = cast.platform  # led by Bob
    people = [make_person(f"p{i}@example.com", f"P {i}", team=team) for i in range(5)]
    survey = make_survey(name="Platform pulse", team=team, starts_on=timezone.localdate())
    found = rounds.open_round(survey, timezone.localdate() - timedelta(days=10))
    for invitation in Invitation.objects.filter(round=found):
        by_key = {q.key: q.pk for q in found.questions.all()}
        rounds.submit(
            invitation,
            {
                by_key["engagement-energy"]: 4,
                by_key["safety-mistakes"]: 2,
                by_key["enps"]: 9,
                by_key["comment"]: "More pairing, please",
            },
        )
    rounds.close_round(found)
    return survey, found, people


def test_hr_creates_a_survey_and_its_first_round_opens(login, cast):
    page = login(cast.erin).post(
        reverse("surveys:new"),
        {
            "name": "Engagement pulse",
            "team": "",
            "questions": ["engagement-energy", "enps"],
            "own_question": "I know what is expected of me this quarter.",
            "rhythm": "28",
            "open_days": "7",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    survey = Survey.objects.get()
    assert page.status_code == 302
    assert survey.team is None and survey.every_days == 28
    assert [q.wording for q in rounds.questions_for(survey, 1)][-1] == (
        "I know what is expected of me this quarter."
    )
    assert Invitation.objects.filter(round__survey=survey, person=cast.alice).exists()


def test_a_bad_survey_form_re_renders_with_its_errors_and_keeps_what_was_typed(login, cast):
    page = login(cast.erin).post(
        reverse("surveys:new"),
        {"name": "Nothing asked", "rhythm": "14", "open_days": "20", "starts_on": "2020-01-01"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Choose at least one question." in html
    assert "A round must close before the next one opens." in html
    assert "Choose today or a later day." in html
    assert 'value="Nothing asked"' in html
    assert not Survey.objects.exists()


def test_only_hr_makes_surveys(login, cast):
    assert login(cast.alice).get(reverse("surveys:new")).status_code == 403


def test_answering_shows_the_privacy_preview_then_stores_the_answers_sealed(login, cast):
    survey = make_survey(team=cast.engineering, starts_on=timezone.localdate())
    found = rounds.open_round(survey, timezone.localdate())
    invitation = Invitation.objects.get(round=found, person=cast.alice)
    alice = login(cast.alice)
    home = alice.get(reverse("surveys:index")).content.decode()
    assert reverse("surveys:answer", args=[invitation.pk]) in home
    page = alice.get(reverse("surveys:answer", args=[invitation.pk])).content.decode()
    assert "Your answers count in" in page
    assert "Platform" in page and "No: too few people were asked" in page
    questions = {q.key: q.pk for q in found.questions.all()}
    missing = alice.post(
        reverse("surveys:answer", args=[invitation.pk]), {f"q{questions['enps']}": "7"}
    )
    assert missing.status_code == 200
    assert "Choose an answer." in missing.content.decode()
    assert not Invitation.objects.get(pk=invitation.pk).answered
    done = alice.post(
        reverse("surveys:answer", args=[invitation.pk]),
        {
            f"q{questions['engagement-energy']}": "5",
            f"q{questions['safety-mistakes']}": "1",
            f"q{questions['enps']}": "7",
            f"q{questions['comment']}": "",
        },
    )
    assert done.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).answered
    again = alice.post(reverse("surveys:answer", args=[invitation.pk]), {})
    assert again.status_code == 403


def test_nobody_else_opens_someone_s_invitation(login, cast):
    found = rounds.open_round(make_survey(team=cast.engineering), timezone.localdate())
    invitation = Invitation.objects.get(round=found, person=cast.alice)
    for person in (cast.bob, cast.carol, cast.erin, cast.frank):
        page = login(person).get(reverse("surveys:answer", args=[invitation.pk]))
        assert page.status_code == 404, person


def test_results_for_hr_and_the_team_lead_never_for_the_team_or_a_peer(
    login, cast, platform_survey
):
    survey, found, _people = platform_survey
    url = reverse("surveys:survey", args=[survey.pk])
    for person in (cast.erin, cast.bob):
        page = login(person).get(url)
        html = page.content.decode()
        assert page.status_code == 200, person
        assert f"{found.invited} / {found.invited}" in html  # everyone answered
        assert "More pairing, please" in html
    for person in (cast.alice, cast.dave, cast.frank):
        assert login(person).get(url).status_code == 404, person


def test_a_lead_reads_only_groups_within_their_part(login, cast, platform_survey):
    """Carol leads Engineering, above Platform: she reads it. A lead of a sibling team reads
    nothing of it."""
    survey, _found, _people = platform_survey
    assert login(cast.carol).get(reverse("surveys:survey", args=[survey.pk])).status_code == 200
    cast.sales.lead = cast.dave
    cast.sales.save()
    assert login(cast.dave).get(reverse("surveys:survey", args=[survey.pk])).status_code == 404


def test_a_group_not_released_cannot_be_asked_for(login, cast, platform_survey):
    survey, _found, _people = platform_survey
    erin = login(cast.erin)
    url = reverse("surveys:survey", args=[survey.pk])
    assert erin.get(url, {"group": f"t:{cast.sales.pk}"}).status_code == 404
    assert erin.get(url, {"group": "b:0-1"}).status_code == 404


def test_the_csv_holds_the_same_figures_as_the_page(login, cast, platform_survey):
    survey, found, _people = platform_survey
    csv = login(cast.erin).get(reverse("surveys:export", args=[survey.pk])).content.decode()
    assert f"Participation,{found.invited},{found.invited}" in csv
    assert "More pairing" not in csv  # comments are not in the figures' export
    assert login(cast.alice).get(reverse("surveys:export", args=[survey.pk])).status_code == 404


def test_comments_are_stored_apart_from_the_scores(platform_survey):
    _survey, found, _people = platform_survey
    assert Comment.objects.filter(round=found).count() == found.invited
    assert all("comment" not in str(r.answers) for r in found.responses.all())


def test_a_round_opens_on_its_day(cast):
    survey = make_survey(team=cast.engineering, starts_on=date(2030, 1, 1))
    assert survey not in rounds.due_rounds(date(2029, 12, 31))
    assert survey in rounds.due_rounds(date(2030, 1, 1))


def test_the_results_page_takes_a_fixed_number_of_queries(
    login, cast, django_assert_max_num_queries
):
    """However many rounds and groups: rounds, teams, figures, comments and the page's own."""
    people = [make_person(f"q{i}@example.com", f"Q {i}", team=cast.platform) for i in range(8)]
    survey = make_survey(name="Counted", team=cast.engineering, starts_on=timezone.localdate())

    def a_round(days_ago):
        found = rounds.open_round(survey, timezone.localdate() - timedelta(days=days_ago))
        by_key = {q.key: q.pk for q in found.questions.all()}
        for invitation in Invitation.objects.filter(round=found):
            rounds.submit(
                invitation,
                {
                    by_key["engagement-energy"]: 3,
                    by_key["safety-mistakes"]: 4,
                    by_key["enps"]: 10,
                    by_key["comment"]: "Ok",
                },
            )
        rounds.close_round(found)

    a_round(60)
    erin = login(cast.erin)
    url = reverse("surveys:survey", args=[survey.pk])
    erin.get(url)
    with django_assert_max_num_queries(12) as few:
        assert erin.get(url).status_code == 200
    for days in (50, 40, 30, 20):
        a_round(days)
    assert len(people) == 8
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = erin.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") > 5  # the trend lists the five rounds


def own_questions_survey(login, cast, **slots):
    data = {
        "name": "Our own",
        "team": "",
        "rhythm": "",
        "open_days": "7",
        "starts_on": timezone.localdate().isoformat(),
        **slots,
    }
    return login(cast.erin).post(reverse("surveys:new"), data)


def test_hr_asks_a_single_choice_and_an_open_question_of_their_own(login, cast):
    page = own_questions_survey(
        login,
        cast,
        own_question="Where do you work best?",
        own_kind="choice",
        own_options="At the office\nAt home\n\nBoth",
        own_question_2="What should we stop doing?",
        own_kind_2="text",
    )
    assert page.status_code == 302
    survey = Survey.objects.get()
    choice, text = rounds.questions_for(survey, 1)
    assert (choice.kind, choice.options, choice.points) == (
        "choice",
        ["At the office", "At home", "Both"],
        None,
    )
    assert (text.kind, text.wording) == ("text", "What should we stop doing?")
    invitation = Invitation.objects.get(round__survey=survey, person=cast.alice)
    form = login(cast.alice).get(reverse("surveys:answer", args=[invitation.pk])).content.decode()
    assert "At home" in form and "What should we stop doing?" in form
    assert "For a question with options to choose from" in form


def test_a_single_choice_needs_two_to_eight_different_options(login, cast):
    few = own_questions_survey(login, cast, own_question="Where?", own_kind="choice")
    assert few.status_code == 200
    assert "Give from 2 to 8 options, one a line." in few.content.decode()
    twice = own_questions_survey(
        login, cast, own_question_3="Where?", own_kind_3="choice", own_options_3="Home\nhome"
    )
    assert "Give each option once." in twice.content.decode()
    stray = own_questions_survey(login, cast, own_question="Fine?", own_options="Yes\nNo")
    assert "Only a single choice has options." in stray.content.decode()
    assert 'value="Fine?"' in stray.content.decode()
    assert not Survey.objects.exists()


def test_a_single_choice_s_split_shows_only_where_every_answer_has_k_on_each_side(login, cast):
    """Platform's ten say "Office" or "Home", five each; the five right in Engineering all say
    "Office". Everyone's split is shown (ten and five); Platform's beside it would tell that
    those five all chose the office, so it is not shown: only how many answered."""
    from surveys.models import Question, SurveyQuestion

    for i in range(8):
        make_person(f"pl{i}@example.com", f"Pl {i}", team=cast.platform)
    for i in range(4):
        make_person(f"en{i}@example.com", f"En {i}", team=cast.engineering)
    survey = make_survey(keys=("comment",), name="Where", team=cast.engineering)
    where = Question.objects.create(
        construct="custom", kind="choice", text="Where?", options=["Office", "Home"]
    )
    said = Question.objects.create(construct="custom", kind="text", text="What else?")
    SurveyQuestion.objects.create(survey=survey, question=where, position=1)
    SurveyQuestion.objects.create(survey=survey, question=said, position=2)
    found = rounds.open_round(survey, timezone.localdate() - timedelta(days=10))
    platform = 0
    for invitation in Invitation.objects.filter(round=found).select_related("person"):
        if invitation.person.team_id == cast.platform.pk:
            value, platform = platform % 2, platform + 1
        else:
            value = 0
        rounds.submit(invitation, {where.pk: value, said.pk: "Quieter rooms"})
    rounds.close_round(found)
    found.refresh_from_db()
    assert platform == 10 and f"t:{cast.platform.pk}" in found.released
    erin = login(cast.erin)
    url = reverse("surveys:survey", args=[survey.pk])
    whole = erin.get(url, {"group": "all"}).content.decode()
    assert "Office: 10" in whole and "Home: 5" in whole
    assert "What else?" in whole and "Quieter rooms" in whole
    team = erin.get(url, {"group": f"t:{cast.platform.pk}"}).content.decode()
    assert "Office: 5" not in team and "Not shown for this group" in team
    api = erin.get(f"/api/v1/surveys/{survey.pk}/results").json()["rounds"][0]["groups"]
    by_key = {g["key"]: g["questions"][0] for g in api}
    assert by_key["all"]["counts"] == {"Office": 10, "Home": 5} and by_key["all"]["split_shown"]
    assert by_key[f"t:{cast.platform.pk}"]["counts"] == {}
    assert not by_key[f"t:{cast.platform.pk}"]["split_shown"]
    assert by_key[f"t:{cast.platform.pk}"]["n"] == 10 and by_key["all"]["mean"] is None
    # Nor does the database keep it: the stored responses hold no single choice.
    from surveys.models import Response

    stored = [r.answers for r in Response.objects.filter(round=found)]
    assert len(stored) == 15 and all(str(where.pk) not in answers for answers in stored)


@pytest.fixture
def lopsided_round(cast):
    """Platform's ten answer the energy statement 4 or 5 and eNPS 9 or 3, five each; the five
    right in Engineering all answer 4 and 3. Everyone's splits may be shown; Platform's beside
    them would tell that those five all answered 4 and 3."""
    for i in range(8):
        make_person(f"pl{i}@example.com", f"Pl {i}", team=cast.platform)
    for i in range(4):
        make_person(f"en{i}@example.com", f"En {i}", team=cast.engineering)
    survey = make_survey(keys=("engagement-energy", "enps"), name="Energy", team=cast.engineering)
    found = rounds.open_round(survey, timezone.localdate() - timedelta(days=10))
    energy, enps = found.asks.order_by("position").values_list("question_id", flat=True)
    platform = 0
    for invitation in Invitation.objects.filter(round=found).select_related("person"):
        if invitation.person.team_id == cast.platform.pk:
            high, platform = platform % 2, platform + 1
        else:
            high = 0
        rounds.submit(invitation, {energy: 5 if high else 4, enps: 9 if high else 3})
    rounds.close_round(found)
    found.refresh_from_db()
    assert platform == 10 and f"t:{cast.platform.pk}" in found.released
    return survey, found


def test_a_scale_s_and_enps_s_split_show_only_where_every_answer_has_k_on_each_side(
    login, cast, lopsided_round
):
    """A count of each value of a scale or of eNPS tells as much as a single choice's count of
    each option: it follows the same rule; the means and eNPS, sums, still show."""
    survey, _found = lopsided_round
    erin = login(cast.erin)
    url = reverse("surveys:survey", args=[survey.pk])
    whole = erin.get(url, {"group": "all"}).content.decode()
    assert 'title="4: 10"' in whole and 'title="3: 10"' in whole
    assert "Not shown for this group" not in whole
    team = erin.get(url, {"group": f"t:{cast.platform.pk}"}).content.decode()
    assert 'title="4: 5"' not in team and 'title="9: 5"' not in team
    assert team.count("Not shown for this group") == 2
    api = erin.get(f"/api/v1/surveys/{survey.pk}/results").json()["rounds"][0]["groups"]
    by_key = {g["key"]: g for g in api}
    everyone, platform = by_key["all"], by_key[f"t:{cast.platform.pk}"]
    assert [q["split_shown"] for q in everyone["questions"]] == [True, True]
    assert everyone["questions"][0]["counts"]["4"] == 10 and everyone["enps"] == -33
    assert [(q["split_shown"], q["counts"]) for q in platform["questions"]] == [(False, {})] * 2
    assert platform["questions"][0]["mean"] == 4.5 and platform["enps"] == 0


def test_closed_rounds_lose_the_splits_the_rule_now_hides(cast, lopsided_round):
    """Rounds closed before the rule covered scales and eNPS kept every released group's split:
    the migration works the rule out again from the stored responses and keeps eNPS's score."""
    import importlib

    from django.apps import apps

    from surveys.models import Figure

    migration = importlib.import_module("surveys.migrations.0003_splits_of_every_closed_question")
    _survey, found = lopsided_round
    platform = Figure.objects.filter(round=found, group=f"t:{cast.platform.pk}")
    platform.filter(question__kind="scale").update(counts={"4": 5, "5": 5})
    platform.filter(question__kind="enps").update(counts={"3": 5, "9": 5}, net=None)
    migration.hide_splits_of_closed_rounds(apps, None)
    asked = platform.filter(question__isnull=False).order_by("question__kind")
    assert [(f.counts, f.net) for f in asked] == [({}, 0), ({}, None)]
    everyone = Figure.objects.get(round=found, group="all", question__kind="enps")
    assert everyone.counts == {"3": 10, "9": 5} and everyone.net == -5
