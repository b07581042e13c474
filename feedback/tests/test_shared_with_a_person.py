"""Feedback shared with a manager is shared with that person, not with whoever manages the
receiver later: a new manager does not inherit it, the one it was shared with keeps it until
the receiver takes it back (issue 11, point 6)."""

from django.urls import reverse

from feedback.models import Kind
from feedback.tests.factories import give
from feedback.tests.test_feedback_api import API, bearer
from people.tests.test_person_edit import edit_url, form_data


def url(name, feedback):
    return reverse(f"feedback:{name}", args=[feedback.pk])


def shared_with_bob_then_moved_to_carol(login, cast):
    """Alice shares Dave's feedback with Bob; then HR gives Alice a new manager, Carol."""
    feedback = give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE, text="Shared with Bob")
    assert login(cast.alice).post(url("share", feedback), {"shared": "1"}).status_code == 302
    response = login(cast.erin).post(
        edit_url(cast.alice), form_data(cast.alice, manager=cast.carol.email)
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.carol
    return feedback


def test_a_new_manager_does_not_read_what_was_shared_with_the_old_one(login, cast, client):
    feedback = shared_with_bob_then_moved_to_carol(login, cast)
    carol = login(cast.carol)
    assert carol.get(url("detail", feedback)).status_code == 404
    assert carol.get(reverse("feedback:inbox"), {"tab": "shared"}).context["rows"] == []
    api = client.get(f"{API}/feedback", **bearer(cast.carol)).json()
    assert feedback.pk not in {item["id"] for item in api["items"]}
    assert client.get(f"{API}/feedback/{feedback.pk}", **bearer(cast.carol)).status_code == 404


def test_the_manager_it_was_shared_with_keeps_it_until_it_is_taken_back(login, cast, client):
    feedback = shared_with_bob_then_moved_to_carol(login, cast)
    bob = login(cast.bob)
    assert bob.get(url("detail", feedback)).status_code == 200
    response = bob.get(reverse("feedback:inbox"), {"tab": "shared"})
    assert [item.pk for item in response.context["rows"]] == [feedback.pk]
    assert client.get(f"{API}/feedback/{feedback.pk}", **bearer(cast.bob)).status_code == 200
    alice = login(cast.alice)
    page = alice.get(url("detail", feedback)).text
    assert "Alice Employee shared it with Bob Manager, their manager at the time." in page
    assert "Stop sharing with Bob Manager" in page
    assert alice.post(url("share", feedback), {"shared": "0"}).status_code == 302
    assert login(cast.bob).get(url("detail", feedback)).status_code == 404
    assert client.get(f"{API}/feedback/{feedback.pk}", **bearer(cast.bob)).status_code == 404


def test_sharing_again_after_taking_back_goes_to_the_manager_of_now(login, cast):
    feedback = shared_with_bob_then_moved_to_carol(login, cast)
    alice = login(cast.alice)
    alice.post(url("share", feedback), {"shared": "0"})
    alice.post(url("share", feedback), {"shared": "1"})
    feedback.refresh_from_db()
    assert feedback.shared_with == cast.carol
    assert login(cast.carol).get(url("detail", feedback)).status_code == 200
    assert login(cast.bob).get(url("detail", feedback)).status_code == 404


def test_sharing_twice_does_not_move_it_to_a_new_manager(login, cast):
    feedback = shared_with_bob_then_moved_to_carol(login, cast)
    login(cast.alice).post(url("share", feedback), {"shared": "1"})
    feedback.refresh_from_db()
    assert feedback.shared_with == cast.bob
