"""One feedback's page: read once, never edited after, replies, reactions, sharing."""

import pytest
from django.urls import reverse

from feedback.models import Feedback, Kind, Reaction, Reply, Visibility
from feedback.tests.factories import give
from goals.tests.factories import make_goal

HTMX = {"HX-Request": "true"}


def url(name, feedback):
    return reverse(f"feedback:{name}", args=[feedback.pk])


@pytest.fixture
def constructive(cast):
    """Dave's constructive feedback to Alice (private, unread)."""
    return give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE, text="In the demo you rushed.")


def test_the_receiver_opening_it_marks_it_read_once(login, cast, constructive):
    client = login(cast.alice)
    response = client.get(url("detail", constructive))
    assert response.status_code == 200
    constructive.refresh_from_db()
    first = constructive.read_at
    assert first is not None
    client.get(url("detail", constructive))
    constructive.refresh_from_db()
    assert constructive.read_at == first


def test_the_giver_opening_it_does_not_mark_it_read(login, cast, constructive):
    login(cast.dave).get(url("detail", constructive))
    constructive.refresh_from_db()
    assert constructive.read_at is None


def test_the_page_shows_who_what_and_who_can_see_it(login, cast, constructive):
    html = login(cast.alice).get(url("detail", constructive)).text
    assert "From Dave Peer to Alice Employee" in html
    assert "Constructive" in html
    assert "In the demo you rushed." in html
    assert "<strong>Dave Peer</strong> — who gave it" in html
    assert "<strong>You, who received it</strong>" in html
    assert "Share with my manager" in html


@pytest.mark.parametrize(
    "visibility, words",
    [
        (Visibility.TEAM, "<strong>Your team, Platform</strong>: 2 people"),
        (Visibility.ORGANISATION, "<strong>Everyone in the organisation</strong>"),
    ],
)
def test_the_audience_of_praise_by_name_and_role(login, cast, visibility, words):
    praise = give(cast.bob, cast.alice, visibility=visibility)
    assert words in login(cast.alice).get(url("detail", praise)).text


def test_the_giver_reads_the_roles_as_the_receivers(login, cast, constructive):
    html = login(cast.dave).get(url("detail", constructive)).text
    assert "<strong>You, who gave it</strong>" in html
    assert "<strong>Alice Employee</strong> — who received it" in html


def test_someone_who_may_not_see_it_gets_404(login, cast, constructive):
    for person in (cast.bob, cast.carol, cast.erin, cast.frank):
        assert login(person).get(url("detail", constructive)).status_code == 404


def test_an_id_too_large_for_the_database_is_404(login, cast):
    response = login(cast.alice).get("/feedback/99999999999999999999999/")
    assert response.status_code == 404


def test_the_linked_goal_shows_only_when_the_viewer_may_see_it(login, cast):
    goal = make_goal(cast.alice, title="Ship the importer", visibility="private")
    praise = give(cast.bob, cast.alice, goal=goal, visibility=Visibility.ORGANISATION)
    assert "Ship the importer" in login(cast.bob).get(url("detail", praise)).text
    assert "Ship the importer" not in login(cast.dave).get(url("detail", praise)).text


# --- Correcting before it is read ---------------------------------------------------------------


def test_the_giver_corrects_it_until_it_is_read(login, cast, constructive):
    client = login(cast.dave)
    assert "Correct it" in client.get(url("detail", constructive)).text
    response = client.post(
        url("edit", constructive),
        {"kind": "constructive", "text": "In Monday's demo you rushed the last slides."},
    )
    assert response.status_code == 302
    constructive.refresh_from_db()
    assert constructive.text == "In Monday's demo you rushed the last slides."
    assert constructive.edited_at is not None
    assert constructive.read_at is None


def test_after_it_is_read_it_cannot_be_edited(login, cast, constructive):
    login(cast.alice).get(url("detail", constructive))
    client = login(cast.dave)
    assert client.get(url("edit", constructive)).status_code == 403
    response = client.post(url("edit", constructive), {"kind": "constructive", "text": "Changed"})
    assert response.status_code == 403
    constructive.refresh_from_db()
    assert constructive.text == "In the demo you rushed."
    html = client.get(url("detail", constructive)).text
    assert "Correct it" not in html
    assert "It can no longer be changed: add a reply instead." in html


def test_only_the_giver_may_edit(login, cast, constructive):
    assert login(cast.alice).get(url("edit", constructive)).status_code == 403
    assert login(cast.bob).get(url("edit", constructive)).status_code == 404


def test_editing_keeps_constructive_feedback_private(login, cast, constructive):
    login(cast.dave).post(
        url("edit", constructive),
        {"kind": "constructive", "text": "In the demo you rushed.", "visibility": "organisation"},
    )
    constructive.refresh_from_db()
    assert constructive.visibility == Visibility.PRIVATE


def test_a_bad_edit_is_shown_again_with_its_errors(login, cast, constructive):
    response = login(cast.dave).post(url("edit", constructive), {"kind": "x", "text": ""})
    assert response.status_code == 400


# --- Replies ---------------------------------------------------------------------------------


def test_giver_and_receiver_reply(login, cast, constructive):
    response = login(cast.alice).post(url("reply", constructive), {"text": "Thanks, noted."})
    assert response.status_code == 302
    assert response["Location"].endswith("#replies")
    login(cast.dave).post(url("reply", constructive), {"text": "Glad it helps."})
    assert [r.text for r in Reply.objects.order_by("created_at", "pk")] == [
        "Thanks, noted.",
        "Glad it helps.",
    ]
    html = login(cast.alice).get(url("detail", constructive)).text
    assert "Thanks, noted." in html and "Glad it helps." in html


def test_a_receivers_reply_counts_as_reading_it(login, cast, constructive):
    login(cast.alice).post(url("reply", constructive), {"text": "Thanks, noted."})
    constructive.refresh_from_db()
    assert constructive.read_at is not None


def test_replying_with_htmx_answers_the_replies_section(login, cast, constructive):
    client = login(cast.alice)
    response = client.post(url("reply", constructive), {"text": "Thanks."}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.strip().startswith('<section id="replies"')
    response = client.post(url("reply", constructive), {"text": ""}, headers=HTMX)
    assert response.status_code == 400
    assert "This field is required." in response.text


def test_others_who_see_it_may_react_but_not_reply(login, cast):
    praise = give(cast.dave, cast.alice, visibility=Visibility.ORGANISATION)
    client = login(cast.carol)
    assert client.post(url("reply", praise), {"text": "Me too"}).status_code == 403
    assert client.post(url("react", praise), {"emoji": "clap"}).status_code == 302
    assert not Reply.objects.exists()


def test_a_manager_it_was_shared_with_reads_and_reacts_but_does_not_reply(login, cast):
    feedback = give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE)
    login(cast.alice).post(url("share", feedback), {"shared": "1"})
    client = login(cast.bob)
    assert client.get(url("detail", feedback)).status_code == 200
    assert client.post(url("react", feedback), {"emoji": "idea"}).status_code == 302
    assert client.post(url("reply", feedback), {"text": "Hm"}).status_code == 403


# --- Reactions -------------------------------------------------------------------------------


def test_a_reaction_toggles(login, cast, constructive):
    client = login(cast.alice)
    client.post(url("react", constructive), {"emoji": "thanks"})
    assert Reaction.objects.filter(person=cast.alice, emoji="thanks").count() == 1
    client.post(url("react", constructive), {"emoji": "thanks"})
    assert not Reaction.objects.exists()


def test_reactions_are_counted_per_emoji(login, cast):
    praise = give(cast.bob, cast.alice, visibility=Visibility.ORGANISATION)
    for person in (cast.carol, cast.dave, cast.erin):
        login(person).post(url("react", praise), {"emoji": "clap"})
    login(cast.alice).post(url("react", praise), {"emoji": "heart"})
    response = login(cast.alice).get(url("detail", praise))
    counts = {r.emoji: (r.count, r.mine) for r in response.context["feedback"].reaction_list}
    assert counts == {
        "thanks": (0, False),
        "clap": (3, False),
        "idea": (0, False),
        "heart": (1, True),
    }


def test_reacting_with_htmx_answers_the_reactions(login, cast, constructive):
    response = login(cast.alice).post(url("react", constructive), {"emoji": "clap"}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.strip().startswith('<form class="reactions"')
    assert 'aria-pressed="true"' in response.text


@pytest.mark.parametrize("emoji", ["", "poo", "x" * 100])
def test_an_unknown_reaction_is_400(login, cast, constructive, emoji):
    assert login(cast.alice).post(url("react", constructive), {"emoji": emoji}).status_code == 400


def test_after_reacting_a_plain_form_goes_back_to_a_safe_next(login, cast, constructive):
    client = login(cast.alice)
    response = client.post(url("react", constructive), {"emoji": "clap", "next": "/feedback/wall/"})
    assert response["Location"] == "/feedback/wall/"
    response = client.post(
        url("react", constructive), {"emoji": "clap", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"{constructive.get_absolute_url()}#reactions"


# --- Sharing with one's manager ------------------------------------------------------------------


def test_the_receiver_shares_it_with_their_manager_and_takes_it_back(login, cast, constructive):
    client = login(cast.alice)
    response = client.post(url("share", constructive), {"shared": "1"})
    assert response.status_code == 302
    constructive.refresh_from_db()
    assert constructive.shared_with_manager_at is not None
    assert constructive.shared_with == cast.bob
    html = client.get(url("detail", constructive)).text
    assert "Alice Employee shared it with their manager, Bob Manager." in html
    assert "Stop sharing with Bob Manager" in html
    assert login(cast.bob).get(url("detail", constructive)).status_code == 200
    login(cast.alice).post(url("share", constructive), {"shared": "0"})
    constructive.refresh_from_db()
    assert constructive.shared_with_manager_at is None
    assert constructive.shared_with is None
    assert login(cast.bob).get(url("detail", constructive)).status_code == 404


def test_only_the_receiver_shares(login, cast, constructive):
    assert login(cast.dave).post(url("share", constructive), {"shared": "1"}).status_code == 403
    assert login(cast.bob).post(url("share", constructive), {"shared": "1"}).status_code == 404
    constructive.refresh_from_db()
    assert constructive.shared_with_manager_at is None


def test_someone_without_a_manager_cannot_share(login, cast):
    feedback = give(cast.dave, cast.carol, kind=Kind.CONSTRUCTIVE)
    client = login(cast.carol)
    assert "Share with my manager" not in client.get(url("detail", feedback)).text
    assert client.post(url("share", feedback), {"shared": "1"}).status_code == 403


def test_sharing_is_still_with_the_current_manager_only(login, cast):
    feedback = give(cast.dave, cast.alice, kind=Kind.CONSTRUCTIVE)
    login(cast.alice).post(url("share", feedback), {"shared": "1"})
    assert login(cast.carol).get(url("detail", feedback)).status_code == 404  # not the chain
    assert login(cast.erin).get(url("detail", feedback)).status_code == 404  # not HR


def test_feedback_answering_a_request_names_the_request(login, cast):
    from feedback.tests.factories import make_request

    request = make_request(cast.alice, [cast.dave], topic="My talk at the meetup")
    feedback = give(cast.dave, cast.alice, request=request)
    assert "My talk at the meetup" in login(cast.alice).get(url("detail", feedback)).text


def test_the_page_needs_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    praise = give(cast.bob, cast.alice, visibility=Visibility.ORGANISATION)
    for i in range(20):
        Reply.objects.create(feedback=praise, author=cast.alice, text=f"Reply {i}")
    client = login(cast.alice)
    client.get(url("detail", praise))
    with django_assert_max_num_queries(10):
        assert client.get(url("detail", praise)).status_code == 200
    assert Feedback.objects.get().read_at is not None
