"""Action plans after a round, through their pages: a team's lead, HR or a leader above makes
one from the team's results, adds actions and shares it; the team reads it once shared, a peer
outside never; later rounds show whether each focus area moved. Replies to comments reach the
comment's readers and the people of its groups, never saying who wrote it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from surveys import rounds
from surveys.models import Comment, Invitation, SurveyAction, SurveyActionPlan, SurveyCommentReply
from surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


def a_round(survey, days_ago, energy):
    found = rounds.open_round(survey, timezone.localdate() - timedelta(days=days_ago))
    by_key = {q.key: q.pk for q in found.questions.all()}
    for invitation in Invitation.objects.filter(round=found).select_related("person"):
        rounds.submit(
            invitation,
            {
                by_key["engagement-energy"]: energy,
                by_key["safety-mistakes"]: 3,
                by_key["enps"]: 8,
                by_key["comment"]: f"Said in {invitation.person.team.name}",
            },
        )
    rounds.close_round(found)
    return found


@pytest.fixture
def engineering(cast):
    """Engineering's pulse: Platform (Bob leads it; Alice and five more) and five people right
    in Engineering (Carol and four): Platform is released on its own."""
    for i in range(5):
        make_person(f"p{i}@example.com", f"P {i}", team=cast.platform)
    for i in range(4):
        make_person(f"e{i}@example.com", f"E {i}", team=cast.engineering)
    survey = make_survey(name="Engineering pulse", team=cast.engineering)
    first = a_round(survey, 40, energy=2)
    assert f"t:{cast.platform.pk}" in first.released
    return survey, first


def plan_for(cast, survey, found, author=None, shared=False):
    plan = SurveyActionPlan.objects.create(
        survey=survey,
        round=found,
        group=f"t:{cast.platform.pk}",
        team=cast.platform,
        created_by=author or cast.bob,
        shared_with_team=shared,
    )
    plan.focus.set(found.questions.filter(key="engagement-energy"))
    return plan


def test_the_lead_makes_a_plan_from_the_team_s_results(login, cast, engineering):
    survey, found = engineering
    bob = login(cast.bob)
    group = f"t:{cast.platform.pk}"
    results = bob.get(reverse("surveys:survey", args=[survey.pk]), {"group": group})
    new = reverse("surveys:plan_new", args=[survey.pk]) + f"?round={found.pk}&group={group}"
    assert "Make an action plan" in results.content.decode()
    energy = found.questions.get(key="engagement-energy")
    made = bob.post(new, {"focus": [str(energy.pk)], "note": "Energy is low"})
    plan = SurveyActionPlan.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("surveys:plan", args=[plan.pk])
    assert plan.team == cast.platform and plan.created_by == cast.bob
    assert list(plan.focus.all()) == [energy]


def test_a_plan_without_focus_re_renders_with_its_error(login, cast, engineering):
    survey, found = engineering
    url = (
        reverse("surveys:plan_new", args=[survey.pk])
        + f"?round={found.pk}&group=t:{cast.platform.pk}"
    )
    page = login(cast.bob).post(url, {"note": "Kept"})
    assert page.status_code == 200
    assert "This field is required." in page.content.decode() and "Kept" in page.content.decode()
    comment = found.questions.get(key="comment")
    page = login(cast.bob).post(url, {"focus": [str(comment.pk)]})
    assert page.status_code == 200 and not SurveyActionPlan.objects.exists()


def test_only_readers_of_the_team_s_figures_make_a_plan(login, cast, engineering):
    survey, found = engineering
    url = reverse("surveys:plan_new", args=[survey.pk])
    query = {"round": found.pk, "group": f"t:{cast.platform.pk}"}
    for person in (cast.alice, cast.dave, cast.frank):
        assert login(person).get(url, query).status_code == 404, person
    for person in (cast.bob, cast.carol, cast.erin):
        assert login(person).get(url, query).status_code == 200, person
    assert login(cast.erin).get(url, {"round": found.pk, "group": "all"}).status_code == 404
    assert login(cast.erin).get(url, {"round": "x", "group": "all"}).status_code == 404


def test_who_reads_a_plan_before_and_after_it_is_shared(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found)
    url = reverse("surveys:plan", args=[plan.pk])
    for person in (cast.bob, cast.carol, cast.erin):
        assert login(person).get(url).status_code == 200, person
    for person in (cast.alice, cast.dave, cast.frank):
        assert login(person).get(url).status_code == 404, person
    assert "plans" not in login(cast.alice).get(reverse("surveys:index")).content.decode()
    shared = login(cast.bob).post(reverse("surveys:plan_share", args=[plan.pk]))
    assert shared.status_code == 302
    assert login(cast.alice).get(url).status_code == 200
    index = login(cast.alice).get(reverse("surveys:index")).content.decode()
    assert url in index
    for person in (cast.dave, cast.frank):
        assert login(person).get(url).status_code == 404, person
        assert url not in login(person).get(reverse("surveys:index")).content.decode()


def test_the_team_reads_a_shared_plan_but_does_not_change_it(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found, shared=True)
    alice = login(cast.alice)
    add = alice.post(
        reverse("surveys:plan_action", args=[plan.pk]),
        {"text": "x", "owner": cast.alice.pk, "due_date": timezone.localdate().isoformat()},
    )
    assert add.status_code == 403
    assert alice.post(reverse("surveys:plan_share", args=[plan.pk])).status_code == 403
    assert (
        "Add an action" not in alice.get(reverse("surveys:plan", args=[plan.pk])).content.decode()
    )


def test_actions_have_an_owner_of_the_team_and_a_due_date(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found, author=cast.erin)
    url = reverse("surveys:plan_action", args=[plan.pk])
    carol = login(cast.carol)
    bad = carol.post(url, {"text": "Talk", "owner": cast.dave.pk, "due_date": "2020-01-01"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    late = carol.post(url, {"text": "Talk", "owner": cast.alice.pk, "due_date": "2020-01-01"})
    assert "Choose today or a later day." in late.content.decode()
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    done = carol.post(url, {"text": "Pair weekly", "owner": cast.alice.pk, "due_date": due})
    assert done.status_code == 302
    action = SurveyAction.objects.get()
    assert action.owner == cast.alice and action.done_at is None
    assert (
        login(cast.dave).post(reverse("surveys:action_done", args=[action.pk])).status_code == 404
    )
    login(cast.bob).post(reverse("surveys:action_done", args=[action.pk]))
    action.refresh_from_db()
    assert action.done_at is not None


def test_the_plan_shows_whether_the_focus_area_moved(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found)
    page = login(cast.bob).get(reverse("surveys:plan", args=[plan.pk])).content.decode()
    assert "not asked or not shown since" in page
    a_round(survey, 20, energy=4)
    page = login(cast.bob).get(reverse("surveys:plan", args=[plan.pk])).content.decode()
    assert "moved from 2.0 to 4.0" in page


def test_the_plan_page_and_index_take_a_fixed_number_of_queries(
    login, cast, engineering, django_assert_max_num_queries
):
    survey, found = engineering
    plan = plan_for(cast, survey, found, shared=True)
    due = timezone.localdate() + timedelta(days=3)
    bob = login(cast.bob)
    url = reverse("surveys:plan", args=[plan.pk])
    bob.get(url)
    with django_assert_max_num_queries(18) as few:
        assert bob.get(url).status_code == 200
    for i in range(6):
        SurveyAction.objects.create(plan=plan, text=f"A {i}", owner=cast.alice, due_date=due)
    a_round(survey, 20, energy=4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert bob.get(url).status_code == 200
    alice = login(cast.alice)
    with django_assert_max_num_queries(16):
        assert alice.get(reverse("surveys:index")).status_code == 200


# --- Replies to comments --------------------------------------------------------------------


def platform_comment(found):
    return next(c for c in Comment.objects.filter(round=found) if "Platform" in c.text)


def test_a_reader_replies_once_and_every_reader_sees_it(login, cast, engineering):
    survey, found = engineering
    comment = platform_comment(found)
    url = reverse("surveys:reply", args=[comment.pk])
    results = reverse("surveys:survey", args=[survey.pk]) + f"?group=t:{cast.platform.pk}"
    erin = login(cast.erin)
    assert erin.post(url, {"text": "Thank you, we hear you", "next": results}).status_code == 302
    assert erin.post(url, {"text": "Again"}).status_code == 302
    assert SurveyCommentReply.objects.filter(comment=comment).count() == 1
    page = login(cast.bob).get(results).content.decode()
    assert "Thank you, we hear you" in page and "Reply from Erin HR" in page


def test_only_readers_of_the_comment_reply(login, cast, engineering):
    _survey, found = engineering
    url = reverse("surveys:reply", args=[platform_comment(found).pk])
    for person in (cast.alice, cast.dave, cast.frank):
        assert login(person).post(url, {"text": "Hi"}).status_code == 404, person
    assert login(cast.erin).post("/surveys/comments/nope/reply/", {}).status_code == 404
    assert not SurveyCommentReply.objects.exists()


def test_the_people_of_the_comment_s_groups_read_the_reply_on_their_page(login, cast, engineering):
    _survey, found = engineering
    comment = platform_comment(found)
    SurveyCommentReply.objects.create(comment=comment, text="We will pair more", author=cast.bob)
    alice_page = login(cast.alice).get(reverse("surveys:index")).content.decode()
    assert "Replies to comments from your groups" in alice_page
    assert "We will pair more" in alice_page and comment.text in alice_page
    for person in (cast.carol, cast.dave, cast.erin):  # not in Platform
        page = login(person).get(reverse("surveys:index")).content.decode()
        assert "We will pair more" not in page, person


def test_the_index_lists_rounds_without_reading_their_results(login, cast, engineering):
    """Surveys names rounds by their dates (a round to answer, a plan's, a reply's): a round's
    group sizes and released groups, JSON of 100 KB and more at 10,000 people, which decoding
    made most of the page's time, are left unread; the page says what it said."""
    survey, found = engineering
    plan = plan_for(cast, survey, found, shared=True)
    comment = platform_comment(found)
    SurveyCommentReply.objects.create(comment=comment, text="We will pair more", author=cast.bob)
    rounds.open_round(survey, timezone.localdate())
    alice = login(cast.alice)
    with CaptureQueriesContext(connection) as read:
        page = alice.get(reverse("surveys:index")).content.decode()
    assert "We will pair more" in page and comment.text in page
    assert reverse("surveys:plan", args=[plan.pk]) in page
    invitation = Invitation.objects.get(person=cast.alice, answered=False)
    assert reverse("surveys:answer", args=[invitation.pk]) in page
    rounds_read = [q["sql"] for q in read.captured_queries if '"surveys_round"' in q["sql"]]
    assert len(rounds_read) >= 3
    for sql in rounds_read:
        for column in ("sizes", "released", "released_comments"):
            assert f'"surveys_round"."{column}"' not in sql


# --- Actions I own --------------------------------------------------------------------------


def test_an_action_s_owner_reads_the_plan_and_marks_only_their_own_done(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found)
    due = timezone.localdate() + timedelta(days=5)
    mine = SurveyAction.objects.create(
        plan=plan, text="Pair weekly", owner=cast.alice, due_date=due
    )
    other = SurveyAction.objects.create(plan=plan, text="Retro", owner=cast.bob, due_date=due)
    alice = login(cast.alice)
    page = alice.get(reverse("surveys:plan", args=[plan.pk])).content.decode()
    assert "Pair weekly" in page and "Add an action" not in page and "Share with" not in page
    assert reverse("surveys:action_done", args=[mine.pk]) in page
    assert reverse("surveys:action_done", args=[other.pk]) not in page
    assert alice.post(reverse("surveys:action_done", args=[other.pk])).status_code == 403
    assert alice.post(reverse("surveys:action_done", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.done_at is not None
    assert login(cast.dave).get(reverse("surveys:plan", args=[plan.pk])).status_code == 404


def test_home_lists_the_actions_i_own_until_done_or_past(login, cast, engineering):
    survey, found = engineering
    plan = plan_for(cast, survey, found)
    today = timezone.localdate()
    soon = SurveyAction.objects.create(
        plan=plan, text="Pair weekly", owner=cast.alice, due_date=today + timedelta(days=5)
    )
    SurveyAction.objects.create(
        plan=plan, text="Was due", owner=cast.alice, due_date=today - timedelta(days=1)
    )
    SurveyAction.objects.create(
        plan=plan, text="Bob's own", owner=cast.bob, due_date=today + timedelta(days=5)
    )
    alice = login(cast.alice)
    home = alice.get(reverse("home")).content.decode()
    assert "Pair weekly" in home and reverse("surveys:plan", args=[plan.pk]) in home
    assert "Was due" not in home and "Bob&#x27;s own" not in home and "Bob's own" not in home
    assert "Pair weekly" not in login(cast.bob).get(reverse("home")).content.decode()
    alice = login(cast.alice)  # the same client, signed in again
    from organisation.tests.factories import start_pilot

    start_pilot(cast.sales)  # Alice is outside the pilot: nothing of hers waits
    assert "Pair weekly" not in alice.get(reverse("home")).content.decode()
    start_pilot(cast.engineering)
    assert "Pair weekly" in alice.get(reverse("home")).content.decode()
    soon.done_at = timezone.now()
    soon.save()
    assert "Pair weekly" not in alice.get(reverse("home")).content.decode()
