"""Feedback requests on the pages: asking colleagues (with the people picker, or by name or
e-mail address), answering and declining from the list, what the requester and the people
asked each see, the answers in the goal's context, and a fixed number of queries on the list."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import AskStatus, Feedback, FeedbackAsk, FeedbackRequest, Kind, Visibility
from feedback.tests.factories import make_request
from goals.tests.factories import make_goal
from people.tests.factories import add_people

CREATE = reverse("feedback:request_create")
LIST = reverse("feedback:requests")


def answer_url(ask):
    return reverse("feedback:ask_answer", args=[ask.pk])


def decline_url(ask):
    return reverse("feedback:ask_decline", args=[ask.pk])


def ask_of(request, person):
    return request.asks.get(requestee=person)


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


# --- Asking -------------------------------------------------------------------------------------


def test_the_form_suggests_a_due_date_a_week_ahead(login, cast):
    response = login(cast.alice).get(CREATE)
    assert response.status_code == 200
    assert response.context["form"]["due_date"].value() == in_days(7)
    # No menu of everyone: the people are typed or searched.
    assert b'<select name="people"' not in response.content


def test_asking_colleagues_creates_one_ask_each_and_mails_them(login, cast):
    goal = make_goal(cast.alice, title="Present at the all-hands")
    client = login(cast.alice)
    response = client.post(
        f"{CREATE}?goal={goal.pk}",
        {
            "people": "Bob@example.com, dave@example.com\n bob@example.com",
            "topic": "My presentation today",
            "goal": goal.pk,
            "due_date": in_days(3).isoformat(),
        },
    )
    request = FeedbackRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    assert request.requester == cast.alice
    assert request.topic == "My presentation today"
    assert request.goal == goal
    assert request.due_date == in_days(3)
    assert {a.requestee for a in request.asks.all()} == {cast.bob, cast.dave}
    assert set(request.asks.values_list("status", flat=True)) == {AskStatus.PENDING}
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.com", "dave@example.com"]
    message = next(m for m in mail.outbox if m.to == ["dave@example.com"])
    assert "Alice Employee" in message.subject
    assert "My presentation today" in message.body
    assert reverse("feedback:ask_answer", args=[ask_of(request, cast.dave).pk]) in message.body


def test_a_goal_in_the_address_is_chosen_when_it_is_ones_own(login, cast):
    mine = make_goal(cast.alice, title="Mine")
    theirs = make_goal(cast.bob, title="Bob's")
    client = login(cast.alice)
    assert client.get(f"{CREATE}?goal={mine.pk}").context["form"]["goal"].value() == mine.pk
    form = client.get(f"{CREATE}?goal={theirs.pk}").context["form"]
    assert form["goal"].value() in (None, "")
    assert theirs.pk not in dict(form.fields["goal"].choices)
    assert client.get(f"{CREATE}?goal=99999999999999999999999").status_code == 200


@pytest.mark.parametrize(
    ("people", "due", "field"),
    [
        ("", 3, "people"),
        ("alice@example.com", 3, "people"),  # oneself
        ("nobody@example.com", 3, "people"),
        ("bob@example.com", -1, "due_date"),  # in the past
        ("bob@example.com", 400, "due_date"),
    ],
)
def test_bad_requests_are_refused_and_keep_the_input(login, cast, people, due, field):
    response = login(cast.alice).post(
        CREATE, {"people": people, "topic": "Kept topic", "due_date": in_days(due).isoformat()}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert b"Kept topic" in response.content
    assert not FeedbackRequest.objects.exists()
    assert not mail.outbox


def test_leavers_and_more_than_ten_people_cannot_be_asked(login, cast):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    client = login(cast.alice)
    data = {"topic": "x", "due_date": in_days(3).isoformat()}
    response = client.post(CREATE, {**data, "people": "dave@example.com"})
    assert response.status_code == 400
    assert "dave@example.com" in str(response.context["form"].errors["people"])
    many = add_people(11, prefix="colleague")
    response = client.post(CREATE, {**data, "people": " ".join(p.email for p in many)})
    assert response.status_code == 400
    response = client.post(CREATE, {**data, "people": " ".join(p.email for p in many[:10])})
    assert response.status_code == 302
    assert FeedbackAsk.objects.count() == 10


def test_someone_elses_goal_cannot_be_linked(login, cast):
    theirs = make_goal(cast.bob)
    response = login(cast.alice).post(
        CREATE,
        {
            "people": "dave@example.com",
            "topic": "x",
            "goal": theirs.pk,
            "due_date": in_days(3).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "goal" in response.context["form"].errors


def test_searching_without_javascript_keeps_what_was_typed(login, cast):
    cast.carol.leave_date = timezone.localdate() - timedelta(days=1)
    cast.carol.save()
    client = login(cast.alice)
    typed = {"topic": "Kept topic", "due_date": in_days(5).isoformat(), "people": cast.bob.pk}
    page = client.post(CREATE, {**typed, "people_q": "example.com", "people_search": "1"})
    assert page.status_code == 200  # looking someone up is not an error
    assert not page.context["form"].errors
    assert not FeedbackRequest.objects.exists()
    body = page.content.decode()
    assert 'value="Kept topic"' in body and f'value="{in_days(5).isoformat()}"' in body
    assert 'value="example.com"' in body  # the search text stays in the box
    assert f'name="people" value="{cast.bob.pk}" checked' in body  # Bob stays chosen
    assert "Dave Peer" in body  # a match to tick
    assert "Alice Employee" not in body and "Carol Leader" not in body
    nul = {**typed, "people_q": "a\x00b", "people_search": "1"}
    assert client.post(CREATE, nul).status_code == 200


# --- Answering and declining --------------------------------------------------------------------


def test_answering_gives_private_feedback_about_the_goal(login, cast):
    goal = make_goal(cast.alice, title="Present at the all-hands")
    request = make_request(cast.alice, [cast.bob, cast.dave], goal=goal)
    ask = ask_of(request, cast.bob)
    client = login(cast.bob)
    assert client.get(answer_url(ask)).status_code == 200
    response = client.post(
        answer_url(ask),
        {"kind": Kind.PRAISE, "text": "In today's demo you paused for questions: it helped."},
    )
    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    feedback = Feedback.objects.get()
    assert (feedback.giver, feedback.receiver) == (cast.bob, cast.alice)
    assert feedback.request == request
    assert feedback.goal == goal  # so it shows in the goal's context
    assert feedback.visibility == Visibility.PRIVATE
    ask.refresh_from_db()
    assert ask.status == AskStatus.ANSWERED
    assert ask.answer == feedback
    assert ask.answered_at is not None
    assert list(goal.feedback.all()) == [feedback]
    # The requester hears of it.
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_constructive_answer_stays_private(login, cast):
    request = make_request(cast.alice, [cast.bob])
    login(cast.bob).post(
        answer_url(ask_of(request, cast.bob)),
        {"kind": Kind.CONSTRUCTIVE, "text": "The slides were hard to read from the back."},
    )
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.visibility) == (Kind.CONSTRUCTIVE, Visibility.PRIVATE)


def test_an_empty_answer_is_refused(login, cast):
    request = make_request(cast.alice, [cast.bob])
    response = login(cast.bob).post(answer_url(ask_of(request, cast.bob)), {"kind": "praise"})
    assert response.status_code == 400
    response = login(cast.bob).post(
        answer_url(ask_of(request, cast.bob)), {"kind": "bogus", "text": "Fine"}
    )
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    assert ask_of(request, cast.bob).status == AskStatus.PENDING


def test_only_the_person_asked_answers_and_only_once(login, cast, client):
    request = make_request(cast.alice, [cast.bob, cast.dave])
    ask = ask_of(request, cast.bob)
    data = {"kind": "praise", "text": "Clear and calm."}
    assert login(cast.alice).post(answer_url(ask), data).status_code == 403  # the requester
    assert login(cast.dave).post(answer_url(ask), data).status_code == 403  # asked too
    for outsider in (cast.carol, cast.erin, cast.frank):
        assert login(outsider).post(answer_url(ask), data).status_code == 404
        assert login(outsider).post(decline_url(ask), {}).status_code == 404
    assert not Feedback.objects.exists()
    login(cast.bob)
    assert client.post(answer_url(ask), data).status_code == 302
    again = client.post(answer_url(ask), data)
    assert again.status_code == 302  # back to the request, with a message
    assert Feedback.objects.count() == 1
    assert client.get(answer_url(ask)).status_code == 302
    assert client.post(decline_url(ask), {}).status_code == 302
    assert ask_of(request, cast.bob).status == AskStatus.ANSWERED
    assert client.get(reverse("feedback:ask_answer", args=[2**63])).status_code == 404
    assert client.get(reverse("feedback:ask_answer", args=[10**30])).status_code == 404


def test_declining_with_a_reason(login, cast):
    request = make_request(cast.alice, [cast.bob])
    ask = ask_of(request, cast.bob)
    client = login(cast.bob)
    assert client.get(decline_url(ask)).status_code == 200
    response = client.post(decline_url(ask), {"reason": "I was not at the presentation."})
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.status == AskStatus.DECLINED
    assert ask.declined_reason == "I was not at the presentation."
    assert client.post(answer_url(ask), {"kind": "praise", "text": "x"}).status_code == 302
    assert not Feedback.objects.exists()
    too_long = make_request(cast.alice, [cast.bob], topic="Another")
    response = client.post(decline_url(ask_of(too_long, cast.bob)), {"reason": "x" * 301})
    assert response.status_code == 400


# --- One request --------------------------------------------------------------------------------


@pytest.fixture
def answered(cast):
    """Alice asked Bob, Dave and Carol: Bob answered, Dave declined, Carol has not answered."""
    request = make_request(cast.alice, [cast.bob, cast.dave, cast.carol])
    bob, dave = ask_of(request, cast.bob), ask_of(request, cast.dave)
    from feedback.requesting import answer_ask, decline_ask

    answer_ask(bob, kind=Kind.CONSTRUCTIVE, text="SECRET-ANSWER: slow down on slide 3.")
    decline_ask(dave, reason="Was on holiday")
    return request


def test_the_requester_sees_every_ask_and_the_answers(login, cast, answered):
    body = login(cast.alice).get(answered.get_absolute_url()).content.decode()
    assert "SECRET-ANSWER" in body
    assert "Was on holiday" in body
    assert "1 of 3 answered" in body
    for person in (cast.bob, cast.dave, cast.carol):
        assert person.name in body
    assert Feedback.objects.get().get_absolute_url() in body


def test_a_person_asked_sees_the_request_and_their_own_ask_only(login, cast, answered):
    response = login(cast.carol).get(answered.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "SECRET-ANSWER" not in body
    assert "Was on holiday" not in body
    assert reverse("feedback:ask_answer", args=[ask_of(answered, cast.carol).pk]) in body
    assert "Bob Manager" in body  # who else was asked is no secret
    own = login(cast.bob).get(answered.get_absolute_url()).content.decode()
    assert "SECRET-ANSWER" in own  # their own answer


@pytest.mark.parametrize("who", ["erin", "frank"])
def test_nobody_else_learns_the_request_exists(login, cast, answered, who):
    client = login(getattr(cast, who))
    assert client.get(answered.get_absolute_url()).status_code == 404
    assert b"SECRET-ANSWER" not in client.get(LIST).content


def test_a_private_goal_is_not_shown_to_those_who_may_not_see_it(login, cast):
    goal = make_goal(cast.alice, title="SECRET-GOAL", visibility="private")
    request = make_request(cast.alice, [cast.bob, cast.dave], goal=goal)
    assert b"SECRET-GOAL" not in login(cast.dave).get(request.get_absolute_url()).content
    assert b"SECRET-GOAL" not in login(cast.dave).get(LIST).content
    ask = ask_of(request, cast.dave)
    assert b"SECRET-GOAL" not in login(cast.dave).get(answer_url(ask)).content
    assert b"SECRET-GOAL" in login(cast.bob).get(request.get_absolute_url()).content  # manager
    assert b"SECRET-GOAL" in login(cast.alice).get(LIST).content


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_pending_asks_first_with_overdue_marked(login, cast, answered):
    late = make_request(cast.dave, [cast.carol], topic="Late one", due=in_days(-2))
    make_request(cast.bob, [cast.carol], topic="Soon one", due=in_days(2))
    body = login(cast.carol).get(LIST).content.decode()
    assert body.index("Late one") < body.index("Soon one")
    assert "overdue" in body
    assert reverse("feedback:ask_answer", args=[ask_of(late, cast.carol).pk]) in body
    assert reverse("feedback:ask_decline", args=[ask_of(late, cast.carol).pk]) in body
    mine = login(cast.alice).get(LIST).content.decode()
    assert "1 of 3 answered" in mine and "1 declined" in mine


def fill(cast, count):
    people = add_people(3, prefix=f"asked{count}")
    for number in range(count):
        make_request(cast.alice, people, topic=f"Mine {count} {number}", goal=make_goal(cast.alice))
        make_request(people[number % 3], [cast.alice], topic=f"Theirs {count} {number}")
    for ask in FeedbackAsk.objects.filter(requestee=cast.alice)[: count // 2]:
        ask.status = AskStatus.DECLINED
        ask.save()


def test_the_list_does_a_fixed_number_of_queries(login, cast, django_assert_num_queries):
    client = login(cast.alice)
    fill(cast, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    fill(cast, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(few.captured_queries) <= 12
