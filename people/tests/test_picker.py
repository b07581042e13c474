"""The people picker (people/picker.py) through the real pages: its suggestions endpoint shows
only people the viewer may see, with name, job title and initials, in a fixed number of queries;
a form takes person ids, refuses hidden or unknown ones without naming anyone, and without
JavaScript its Search button brings the form back with every typed value kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import FeedbackRequest
from people.tests.factories import add_people

PICKER = reverse("people:picker")
ASK = reverse("feedback:request_create")


def in_days(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def a_leaver(cast):
    cast.carol.leave_date = timezone.localdate() - timedelta(days=1)
    cast.carol.save()
    return cast.carol


# --- The suggestions ----------------------------------------------------------------------------


def test_suggestions_show_name_job_title_and_initials(login, cast):
    response = login(cast.alice).get(PICKER, {"q": "dave"})
    assert response.status_code == 200
    html = response.text
    assert f'data-id="{cast.dave.pk}"' in html and 'role="option"' in html
    assert "Dave Peer" in html and cast.dave.job_title in html
    assert ">DP</span>" in html  # the initials badge (cadence/avatar.html)
    assert "dave@example.com" not in html  # names, not addresses
    assert response["Cache-Control"].startswith("max-age=0")


def test_suggestions_leave_out_the_viewer_leavers_and_the_chosen(login, cast):
    leaver = a_leaver(cast)
    client = login(cast.alice)
    html = client.get(PICKER, {"q": "example.com"}).text
    assert "Bob Manager" in html and "Dave Peer" in html
    assert "Alice Employee" not in html  # oneself, unless asked for
    assert leaver.name not in html
    assert "Alice Employee" in client.get(PICKER, {"q": "alice", "self": "1"}).text
    html = client.get(PICKER, {"q": "example.com", "exclude": [cast.bob.pk, "x"]}).text
    assert "Bob Manager" not in html and "Dave Peer" in html


def test_even_hr_is_offered_only_people_working_here(login, cast):
    leaver = a_leaver(cast)
    html = login(cast.erin).get(PICKER, {"q": "carol"}).text  # HR sees the leaver elsewhere
    assert leaver.name not in html and "Nobody found." in html


@pytest.mark.parametrize("q", ["", "a", " b ", "a\x00", "x" * 500])
def test_short_or_odd_text_suggests_nobody(login, cast, q):
    response = login(cast.alice).get(PICKER, {"q": q})
    assert response.status_code == 200
    assert "data-id=" not in response.text


def test_suggestions_are_few_and_cost_a_fixed_number_of_queries(
    login, cast, django_assert_max_num_queries
):
    add_people(120, team=cast.sales, prefix="sales")
    client = login(cast.alice)
    with django_assert_max_num_queries(5):
        response = client.get(PICKER, {"q": "sales", "exclude": [cast.bob.pk, cast.dave.pk]})
    assert response.text.count('role="option"') == 8


def test_suggestions_need_sign_in_and_a_safe_method(client, login, cast):
    assert client.get(PICKER, {"q": "dave"}).status_code == 302
    assert login(cast.alice).post(PICKER, {"q": "dave"}).status_code == 405


# --- A form with the picker: Ask for feedback ---------------------------------------------------


def ask(client, **fields):
    data = {"topic": "My demo", "due_date": in_days(3), **fields}
    return client.post(ASK, data)


def test_people_are_chosen_by_id(login, cast):
    response = ask(login(cast.alice), people=[cast.bob.pk, cast.dave.pk, cast.bob.pk])
    assert response.status_code == 302
    request = FeedbackRequest.objects.get()
    assert {a.requestee for a in request.asks.all()} == {cast.bob, cast.dave}


@pytest.mark.parametrize("who", ["leaver", "unknown", "oneself", "not a number"])
def test_hidden_unknown_or_own_ids_are_refused_without_naming_anyone(login, cast, who):
    leaver = a_leaver(cast)
    value = {
        "leaver": leaver.pk,
        "unknown": 99_999_999,
        "oneself": cast.alice.pk,
        "not a number": "١٢",
    }[who]
    response = ask(login(cast.alice), people=[cast.dave.pk, value])
    assert response.status_code == 400
    assert not FeedbackRequest.objects.exists()
    errors = " ".join(response.context["form"].errors["people"])
    assert errors
    assert leaver.name not in response.text
    assert 'value="My demo"' in response.text  # nothing typed is lost
    assert f'name="people" value="{cast.dave.pk}" checked' in response.text  # nor chosen


def test_a_flood_of_ids_is_refused_without_asking_the_database_for_all(login, cast):
    response = ask(login(cast.alice), people=list(range(1, 500)))
    assert response.status_code == 400
    assert "Someone chosen cannot be chosen here." in response.text


def test_at_most_ten_people_and_at_least_one(login, cast):
    many = add_people(11, prefix="colleague")
    client = login(cast.alice)
    response = ask(client, people=[p.pk for p in many])
    assert response.status_code == 400
    assert "Choose at most 10 people." in response.text
    response = ask(client)
    assert response.status_code == 400
    assert "Name at least one colleague." in response.text


def test_a_typed_name_is_resolved_and_several_matches_are_offered(login, cast):
    twins = add_people(2, team=cast.sales, prefix="twin", name="Sam Same")
    client = login(cast.alice)
    response = ask(client, people=cast.bob.pk, people_q="dave peer")
    assert response.status_code == 302
    asked = {a.requestee for a in FeedbackRequest.objects.get().asks.all()}
    assert asked == {cast.bob, cast.dave}
    response = ask(client, people=cast.bob.pk, people_q="Sam Same")
    assert response.status_code == 400
    assert "Several people match “Sam Same”: choose one below." in response.text
    for twin in twins:
        assert f'name="people" value="{twin.pk}">' in response.text  # to tick
    assert f'name="people" value="{cast.bob.pk}" checked' in response.text
    response = ask(client, people=[cast.bob.pk, twins[1].pk], people_q="")
    assert response.status_code == 302


def test_a_search_text_left_in_the_box_is_answered_by_the_match_ticked(login, cast):
    client = login(cast.alice)
    response = ask(client, people=[cast.dave.pk], people_q="peer")
    assert response.status_code == 302
    response = ask(client, people=[cast.bob.pk], people_q="peer")
    assert response.status_code == 400  # Bob is no answer to "peer": Dave is offered
    assert "Choose whom you mean by “peer” below." in response.text
    assert f'name="people" value="{cast.dave.pk}">' in response.text


def test_the_form_shows_the_picker_not_a_list_of_everyone(login, cast):
    add_people(60, team=cast.sales)
    html = login(cast.alice).get(ASK).text
    assert 'role="combobox"' in html and 'name="people_q"' in html
    assert 'name="people_search"' in html  # the search without JavaScript
    assert "people/picker.js" in html
    assert "Person 0001" not in html


def test_the_form_with_ten_people_chosen_costs_a_fixed_number_of_queries(
    login, cast, django_assert_max_num_queries
):
    many = add_people(40, team=cast.sales, prefix="colleague")
    client = login(cast.alice)
    chosen = [p.pk for p in many[:10]]
    with django_assert_max_num_queries(8):
        page = ask(client, people=chosen, people_q="colleague", people_search="1")
    assert page.status_code == 200
    assert page.text.count('class="picker-chip"') == 10
    with django_assert_max_num_queries(8):
        page = ask(client, people=chosen, people_q="colleague 0011, colleague0012@example.com")
    assert page.status_code == 400  # eleven and twelve: too many
    assert "Choose at most 10 people." in page.text
