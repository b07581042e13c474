"""Giving feedback: to anyone working here, in under a minute, with the right audience."""

import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import Feedback, Kind, Visibility
from goals.tests.factories import make_goal
from people.tests.factories import add_people

GIVE = reverse("feedback:give")
TEXT = "In the Tuesday demo you answered every question calmly, which meant the client stayed."
HTMX = {"HX-Request": "true"}


def data(**fields):
    return {"to": "dave@example.com", "kind": "praise", "text": TEXT, **fields}


def test_the_form_is_short_and_guides_the_writing(login, cast):
    response = login(cast.alice).get(GIVE)
    assert response.status_code == 200
    html = response.text
    assert 'name="to_q"' in html and 'role="combobox"' in html  # the people picker
    assert 'name="kind"' in html and 'name="visibility"' in html
    assert "Situation" in html and "Behaviour" in html and "Impact" in html
    assert "Constructive feedback is always private" in html


def test_it_never_lists_everyone_to_choose_from(login, cast):
    add_people(60, team=cast.sales)
    html = login(cast.alice).get(GIVE).text
    assert "Person 0001" not in html
    assert "<select" not in html.split('name="to_q"')[1].split("</div>")[0]


def test_giving_praise_stores_it_and_shows_it(login, cast):
    client = login(cast.alice)
    response = client.post(GIVE, data(visibility="organisation"))
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == feedback.get_absolute_url()
    assert (feedback.giver, feedback.receiver) == (cast.alice, cast.dave)
    assert (feedback.kind, feedback.visibility, feedback.text) == ("praise", "organisation", TEXT)
    assert feedback.read_at is None
    page = client.get(response["Location"])
    assert "Your feedback is on its way to Dave Peer." in page.text


def test_the_receiver_is_emailed_once_in_their_language(login, cast):
    cast.dave.language = "nl"
    cast.dave.save()
    login(cast.alice).post(GIVE, data())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dave@example.com"]
    feedback = Feedback.objects.get()
    assert feedback.get_absolute_url() in message.body
    assert TEXT not in message.body  # the text stays behind the policy


def test_the_person_can_be_named_instead_of_the_address(login, cast):
    login(cast.alice).post(GIVE, data(to="dave peer"))
    assert Feedback.objects.get().receiver == cast.dave


def test_a_name_several_people_share_asks_for_the_address(login, cast):
    add_people(2, team=cast.sales, prefix="twin")
    from people.models import Person

    Person.objects.filter(email__startswith="twin").update(name="Sam Same")
    response = login(cast.alice).post(GIVE, data(to="Sam Same"))
    assert response.status_code == 400
    assert "Several people match “Sam Same”: choose one below." in response.text
    assert TEXT in response.text  # nothing lost


@pytest.mark.parametrize(
    "to, message",
    [
        ("", "Choose whom the feedback is for."),
        ("nobody@example.com", "Nobody found for “nobody@example.com”"),
        ("alice@example.com", "Feedback is for someone else"),
        ("x" * 300, "Nobody found for"),
        ("99999999", "Someone chosen cannot be chosen here."),
    ],
)
def test_an_unknown_or_forbidden_receiver_is_a_form_error(login, cast, to, message):
    response = login(cast.alice).post(GIVE, data(to=to))
    assert response.status_code == 400
    assert message in response.text
    assert not Feedback.objects.exists()


def test_people_who_left_cannot_be_given_feedback(login, cast):
    from datetime import timedelta

    from django.utils import timezone

    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    response = login(cast.alice).post(GIVE, data())
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_constructive_feedback_is_always_private(login, cast):
    login(cast.alice).post(GIVE, data(kind="constructive", visibility="organisation"))
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.visibility) == (Kind.CONSTRUCTIVE, Visibility.PRIVATE)


def test_praise_is_private_unless_the_giver_chooses(login, cast):
    login(cast.alice).post(GIVE, data())
    assert Feedback.objects.get().visibility == Visibility.PRIVATE


@pytest.mark.parametrize(
    "field, value", [("kind", "nice"), ("visibility", "world"), ("goal", "99999999999999999999999")]
)
def test_bad_choices_are_form_errors(login, cast, field, value):
    response = login(cast.alice).post(GIVE, data(**{field: value}))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_empty_and_overlong_text_are_form_errors(login, cast):
    client = login(cast.alice)
    assert client.post(GIVE, data(text="")).status_code == 400
    assert client.post(GIVE, data(text="x" * 4001)).status_code == 400
    assert not Feedback.objects.exists()


def test_to_in_the_address_fills_in_the_person(login, cast):
    response = login(cast.alice).get(GIVE, {"to": cast.dave.pk})
    assert f'name="to" value="{cast.dave.pk}" checked' in response.text  # a chip


@pytest.mark.parametrize("to", ["abc", "-1", "0", "99999999999999999999999", "١٢"])
def test_a_bad_to_in_the_address_is_ignored(login, cast, to):
    response = login(cast.alice).get(GIVE, {"to": to, "goal": to})
    assert response.status_code == 200


# --- Goals ------------------------------------------------------------------------------------


def test_the_receivers_goals_the_giver_can_see_are_offered(login, cast):
    shared = make_goal(cast.alice, title="Ship the importer", visibility="team")
    private = make_goal(cast.alice, title="My secret plan", visibility="private")
    make_goal(cast.bob, title="Bob's own goal")
    html = login(cast.dave).get(GIVE, {"to": cast.alice.pk}).text
    assert "Ship the importer" not in html  # team goal: Dave is in another team
    assert "My secret plan" not in html
    html = login(cast.carol).get(GIVE, {"to": cast.alice.pk}).text
    assert "Ship the importer" in html  # Carol is in Alice's chain
    assert "My secret plan" not in html
    assert "Bob's own goal" not in html
    html = login(cast.bob).get(GIVE, {"to": cast.alice.pk, "goal": private.pk}).text
    assert "My secret plan" in html  # her manager sees even private goals
    assert f'<option value="{private.pk}" selected>' in html
    assert shared.pk


def test_feedback_can_be_about_a_goal(login, cast):
    goal = make_goal(cast.dave, title="Win the Acme deal")
    response = login(cast.alice).post(GIVE, data(goal=goal.pk))
    assert response.status_code == 302
    assert Feedback.objects.get().goal == goal


def test_a_goal_the_giver_cannot_see_or_of_someone_else_is_refused(login, cast):
    hidden = make_goal(cast.dave, title="Dave's private goal", visibility="private")
    other = make_goal(cast.bob, title="Bob's goal")
    client = login(cast.alice)
    for goal in (hidden, other):
        response = client.post(GIVE, data(goal=goal.pk))
        assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_goal_in_the_address_fills_in_its_owner(login, cast):
    goal = make_goal(cast.dave, title="Win the Acme deal")
    html = login(cast.alice).get(GIVE, {"goal": goal.pk}).text
    assert f'name="to" value="{cast.dave.pk}" checked' in html
    assert f'<option value="{goal.pk}" selected>' in html


def test_htmx_offers_the_chosen_persons_goals(login, cast):
    make_goal(cast.dave, title="Win the Acme deal")
    response = login(cast.alice).get(
        GIVE, {"to": cast.dave.pk}, headers={**HTMX, "HX-Target": "goal-field"}
    )
    assert response.status_code == 200
    assert response.text.strip().startswith('<div id="goal-field"')
    assert "Win the Acme deal" in response.text


# --- Finding the person ---------------------------------------------------------------------


def test_the_person_is_chosen_by_id_and_a_leavers_id_is_refused(login, cast):
    from datetime import timedelta

    from django.utils import timezone

    client = login(cast.alice)
    response = client.post(GIVE, data(to=cast.dave.pk))
    assert response.status_code == 302
    assert Feedback.objects.get().receiver == cast.dave
    cast.carol.leave_date = timezone.localdate() - timedelta(days=1)
    cast.carol.save()
    response = client.post(GIVE, data(to=cast.carol.pk))
    assert response.status_code == 400
    assert "Someone chosen cannot be chosen here." in response.text
    assert "Carol Leader" not in response.text
    assert Feedback.objects.count() == 1


def test_searching_without_javascript_keeps_the_draft(login, cast):
    goal = make_goal(cast.dave, title="Win the Acme deal")
    response = login(cast.alice).post(
        GIVE, data(to="", to_q="peer", to_search="1", kind="constructive", goal=goal.pk)
    )
    assert response.status_code == 200  # looking someone up is not an error
    assert not Feedback.objects.exists()
    html = response.text
    assert TEXT in html and 'value="peer"' in html
    form = response.context["form"]
    assert (form["kind"].value(), form["goal"].value()) == ("constructive", str(goal.pk))
    assert f'name="to" value="{cast.dave.pk}">' in html  # Dave, to tick
    assert "Choose whom the feedback is for." not in html  # no error while searching


def test_giving_needs_sign_in(client, db):
    response = client.post(GIVE, {"to": "dave@example.com", "kind": "praise", "text": TEXT})
    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_a_persons_page_links_to_giving_them_feedback(login, cast):
    page = reverse("people:person", args=[cast.dave.pk])
    link = f"{GIVE}?to={cast.dave.pk}"
    assert link in login(cast.alice).get(page).text
    assert link not in login(cast.dave).get(page).text  # not to oneself


def test_no_email_to_someone_inactive_or_about_feedback_already_read(cast):
    from django.utils import timezone

    from feedback.tasks import deliver

    feedback = Feedback.objects.create(giver=cast.alice, receiver=cast.dave, text=TEXT)
    feedback.read_at = timezone.now()
    feedback.save()
    assert deliver(feedback.pk) is False
    assert deliver(10**12) is False
    fresh = Feedback.objects.create(giver=cast.alice, receiver=cast.dave, text=TEXT)
    cast.dave.is_active = False
    cast.dave.save()
    assert deliver(fresh.pk) is False
    assert mail.outbox == []
    cast.dave.is_active = True
    cast.dave.save()
    assert deliver(fresh.pk) is True
    assert "Alice Employee gave you praise" in mail.outbox[0].subject
