"""Assessment pages through the real views: my assessments on Growth, the assessment competency
by competency (each side's own, side by side once shared), its htmx saves and steps, the
competency history, HR's rounds; with their query counts pinned on a filled database."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from growth import services
from growth.models import Assessment, AssessmentRound, Rating
from growth.tests.helpers import as_, competency, rated

INDEX = reverse("growth:index")


def page_of(assessment):
    return reverse("growth:assessment", args=[assessment.pk])


def test_growth_offers_to_start_and_lists_my_assessments(login, cast, framework):
    client = login(cast.alice)
    page = client.get(INDEX).text
    assert "My assessments" in page and "Start a self-assessment" in page
    response = client.post(reverse("growth:assessment_start"))
    assessment = Assessment.objects.get(subject=cast.alice)
    assert response["Location"] == page_of(assessment)
    page = client.get(INDEX).text
    assert "Start a self-assessment" not in page
    assert page_of(assessment) in page


def test_a_manager_starts_one_for_a_report_from_growth(login, cast, framework):
    client = login(cast.bob)
    page = client.get(INDEX).text
    assert "My team&#x27;s assessments" in page or "My team's assessments" in page
    client.post(reverse("growth:assessment_start"), {"person": cast.alice.pk})
    assessment = Assessment.objects.get(subject=cast.alice)
    assert assessment.started_by == cast.bob
    assert "Alice Employee" in client.get(INDEX).text


def test_the_page_shows_the_behaviours_and_my_form(login, cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    page = login(cast.alice).get(page_of(assessment)).text
    assert "What each level looks like" in page
    assert "Keeps their team informed about their own work" in page
    assert 'name="c' in page and "Not assessed" in page
    assert "Share my self-assessment with my manager" in page


def test_a_rating_saved_with_htmx_returns_its_competency(login, cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, "communication")
    url = reverse("growth:assessment_rate", args=[assessment.pk, target.pk])
    data = {f"c{target.pk}-level": "3", f"c{target.pk}-evidence": "Wrote the design doc"}
    response = login(cast.alice).post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card competency assessed"')
    assert 'id="c-communication"' in response.text
    rating = Rating.objects.get(assessment=assessment, side="self")
    assert (rating.level, rating.text) == (3, "Wrote the design doc")


def test_a_refused_rating_shows_on_its_form(login, cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, "communication")
    url = reverse("growth:assessment_rate", args=[assessment.pk, target.pk])
    response = login(cast.alice).post(url, {f"c{target.pk}-level": "9"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Rating.objects.exists()


def test_without_htmx_a_rating_goes_back_to_its_competency(login, cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, "communication")
    url = reverse("growth:assessment_rate", args=[assessment.pk, target.pk])
    response = login(cast.alice).post(url, {f"c{target.pk}-level": "2"})
    assert response["Location"] == page_of(assessment) + "#c-communication"


def test_the_manager_sees_her_shared_ratings_beside_his_own(login, cast, framework):
    assessment = rated(cast, mine=3, theirs=2)
    page = login(cast.bob).get(page_of(assessment)).text
    section = page.split('id="c-communication"')[1].split("</section>")[0]
    assert "3 · Proficient" in section and "Me" in section  # hers, with her evidence
    assert "2 · Practising" in section  # his


def test_her_draft_is_not_on_the_managers_page(login, cast, framework):
    assessment = rated(cast, mine=3, share=False)
    page = login(cast.bob).get(page_of(assessment)).text
    section = page.split('id="c-communication"')[1].split("</section>")[0]
    assert "<strong>3 · Proficient</strong>" not in section
    assert "Not shared yet." in section


def test_hr_sees_the_status_and_no_rating(login, cast, framework):
    assessment = rated(cast, mine=3, theirs=2)
    page = login(cast.erin).get(page_of(assessment)).text
    assert "Both shared" in page
    assert "<strong>3 · Proficient</strong>" not in page and ">Me</p>" not in page
    assert "its ratings are for the person and their manager" in page


def test_the_chain_above_and_peers_do_not_find_it(login, cast, framework, client):
    assessment = rated(cast, mine=3, theirs=2)
    for person in (cast.carol, cast.dave, cast.frank):
        client.logout()
        assert login(person).get(page_of(assessment)).status_code == 404


def test_attachable_feedback_is_what_she_received_about_the_competency(login, cast, framework):
    Feedback.objects.create(
        giver=cast.dave,
        receiver=cast.alice,
        text="Your notes were clear",
        competency="communication",
    )
    Feedback.objects.create(giver=cast.dave, receiver=cast.alice, text="Unrelated praise")
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    page = login(cast.alice).get(page_of(assessment)).text
    section = page.split('id="c-communication"')[1].split("</section>")[0]
    assert "Your notes were clear" in section
    assert "Unrelated praise" not in page


def test_the_steps_share_agree_record_and_close(login, cast, framework, client):
    assessment = rated(cast, mine=3, theirs=2, share=False)
    login(cast.alice).post(reverse("growth:assessment_share", args=[assessment.pk]))
    client.logout()
    bob = login(cast.bob)
    bob.post(reverse("growth:assessment_share", args=[assessment.pk]))
    target = competency(assessment, "communication")
    bob.post(
        reverse("growth:assessment_agree", args=[assessment.pk, target.pk]),
        {f"a{target.pk}-level": "2", f"a{target.pk}-note": "Next: lead the retro"},
    )
    bob.post(reverse("growth:assessment_agreement", args=[assessment.pk]))
    bob.post(reverse("growth:assessment_close", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == "closed"
    page = bob.get(page_of(assessment)).text
    assert "Next: lead the retro" in page


def test_a_step_refused_is_said_on_the_page(login, cast, framework):
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    client = login(cast.alice)
    response = client.post(reverse("growth:assessment_share", args=[assessment.pk]))
    assert response.status_code == 400
    assert "Rate at least one competency before you share." in response.text


def test_where_i_stand_shows_my_agreed_level_against_the_expectation(login, cast, framework):
    assessment = rated(cast, mine=3, theirs=2)
    target = competency(assessment, "communication").pk
    assessment = Assessment.objects.get(pk=assessment.pk)
    services.agree(as_(cast.bob), assessment, competency_id=target, level=3)
    page = login(cast.alice).get(INDEX).text
    row = page.split('href="/growth/framework/#c-communication"')[1].split("</tr>")[0]
    assert "2 · Practising" in row  # expected
    assert "3 · Proficient" in row and "agreed" in row


def history_of(person, key="communication"):
    return reverse("growth:competency_history", args=[person.pk, key])


def test_the_history_lists_each_sides_dated_levels(login, cast, framework):
    rated(cast, mine=3, theirs=2)
    page = login(cast.alice).get(history_of(cast.alice)).text
    assert "Self-assessment" in page and "Manager's assessment" in page
    assert "3 · Proficient" in page and "2 · Practising" in page


def test_the_history_is_not_found_for_whoever_may_not_see_assessments(
    login, cast, framework, client
):
    for person in (cast.carol, cast.dave):
        client.logout()
        assert login(person).get(history_of(cast.alice)).status_code == 404
    assert login(cast.alice).get(history_of(cast.alice, "nothing")).status_code == 404


def test_hr_starts_a_round_and_sees_counts_only(login, cast, framework):
    client = login(cast.erin)
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = client.post(
        reverse("growth:rounds"), {"name": "Spring", "team": cast.engineering.pk, "due_date": due}
    )
    started = AssessmentRound.objects.get()
    assert response["Location"] == reverse("growth:round", args=[started.pk])
    alice = started.assessments.get(subject=cast.alice)
    services.rate(
        as_(cast.alice),
        alice,
        competency_id=competency(alice, "communication").pk,
        level=3,
        evidence="Secret evidence",
    )
    services.share(as_(cast.alice), alice)
    page = client.get(reverse("growth:round", args=[started.pk])).text
    counts = dict(re.findall(r"<li>([^<:]+): <strong>(\d+)</strong></li>", page))
    assert counts["Assessments started"] == "3"
    assert counts["Self-assessments shared"] == "1"
    assert "Secret evidence" not in page and "Alice" not in page


def test_a_round_outside_my_scope_is_refused(login, cast, framework):
    response = login(cast.bob).get(reverse("growth:rounds"))
    assert response.status_code == 403


def test_self_and_manager_are_never_combined_into_one_figure(login, cast, framework, client):
    """Alice 1, Bob 4: no page or API answer shows 2.5 (or 2,5) or any figure with decimals;
    the API's ratings are whole levels, each of one side."""
    assessment = rated(cast, mine=1, theirs=4)
    target = competency(assessment, "communication").pk
    assessment = Assessment.objects.get(pk=assessment.pk)
    services.agree(as_(cast.bob), assessment, competency_id=target, level=3)
    pages = [INDEX, page_of(assessment), history_of(cast.alice)]
    api = ["/api/v1/growth/assessments", f"/api/v1/growth/assessments/{assessment.pk}"]
    for person in (cast.alice, cast.bob, cast.erin):
        client.logout()
        signed = login(person)
        for url in pages:
            main = signed.get(url).text.split("<main")[1].split("</main>")[0]
            assert not re.search(r"\d[.,]\d", main), (person, url)
        for url in api:
            assert not list(floats(signed.get(url).json())), (person, url)


def floats(value):
    """Every number with a fraction in a JSON answer."""
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from floats(item)
    elif isinstance(value, list):
        for item in value:
            yield from floats(item)


@pytest.fixture
def filled(cast, framework):
    """A database with assessments, ratings with goals and feedback attached, rounds."""
    from goals.tests.factories import make_goal

    assessment = rated(cast, mine=3, theirs=2)
    goal = make_goal(cast.alice, visibility="private")
    feedback = Feedback.objects.create(
        giver=cast.dave, receiver=cast.alice, text="Clear", competency="collaboration"
    )
    for key in ("collaboration", "customer-focus", "ownership"):
        target = competency(assessment, key).pk
        services.agree(as_(cast.bob), assessment, competency_id=target, level=2, note="Note")
    assessment = services.close(as_(cast.alice), assessment)
    second = services.start_assessment(as_(cast.bob), cast.alice.pk)
    for key in ("collaboration", "communication"):
        target = competency(second, key).pk
        services.rate(
            as_(cast.alice),
            second,
            competency_id=target,
            level=2,
            goal_ids=[goal.pk],
            feedback_ids=[feedback.pk],
        )
        services.rate(as_(cast.bob), second, competency_id=target, level=3, goal_ids=[goal.pk])
    services.share(as_(cast.alice), second)
    services.start_assessment(as_(cast.dave), cast.dave.pk)
    due = timezone.localdate() + timedelta(days=7)
    started = services.start_round(as_(cast.erin), name="R", team_id=cast.sales.pk, due_date=due)
    return {"assessment": second, "round": started}


@pytest.mark.parametrize(
    ("name", "who", "most"),
    [
        ("index", "alice", 8),
        ("index", "bob", 11),
        ("assessment", "alice", 9),
        ("assessment", "bob", 11),
        ("assessment", "erin", 8),
        ("history", "alice", 8),
        ("history", "bob", 9),
        ("rounds", "erin", 12),
        ("round", "erin", 12),
    ],
)
def test_each_page_costs_a_fixed_number_of_queries(
    login, cast, filled, django_assert_max_num_queries, name, who, most
):
    urls = {
        "index": INDEX,
        "assessment": page_of(filled["assessment"]),
        "history": history_of(cast.alice),
        "rounds": reverse("growth:rounds"),
        "round": reverse("growth:round", args=[filled["round"].pk]),
    }
    client = login(getattr(cast, who))
    client.get(urls[name])
    with django_assert_max_num_queries(most):
        assert client.get(urls[name]).status_code == 200


def test_a_rating_offers_the_goals_of_the_year_before_named_with_their_period(
    login, cast, framework
):
    """A goal set again each quarter is told apart by its period; goals that ended more than a
    year before the assessment are not offered, unless one is attached already."""
    from goals.tests.factories import make_goal

    today = timezone.localdate()
    this_quarter = make_goal(cast.alice, title="Sign contracts faster")
    long_ago = make_goal(
        cast.alice,
        title="Old habit",
        start_date=today - timedelta(days=800),
        end_date=today - timedelta(days=700),
    )
    attached_long_ago = make_goal(
        cast.alice,
        title="Kept as evidence",
        start_date=today - timedelta(days=900),
        end_date=today - timedelta(days=850),
    )
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, "communication")
    services.rate(
        as_(cast.alice),
        assessment,
        competency_id=target.pk,
        level=2,
        goal_ids=[attached_long_ago.pk],
    )

    page = login(cast.alice).get(page_of(assessment)).text

    assert f"Sign contracts faster · {this_quarter.period_label}" in page
    assert "Kept as evidence · " in page
    assert "Goals as evidence · 1 chosen</summary>" in page  # folded, open with what is chosen
    assert "Old habit" not in page
    assert long_ago.pk not in [int(v) for v in re.findall(r'name="c\d+-goals" value="(\d+)"', page)]
