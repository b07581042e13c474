"""Private stays private: a table over the whole cast, every kind, audience and sharing state,
checked on every page that shows feedback (its page, the inbox, the praise wall, the export)
against the policy, whose per-item and queryset rules must agree.

The rule, written out once more here: giver and receiver see their feedback; the receiver's
manager sees what the receiver shared with them; praise shared with the team is seen by the
receiver's team-mates, praise for everyone by everyone (while the receiver works here). Nobody
else: not the chain above, not HR, not administrators.
"""

import itertools
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.rules import can, visible
from access.viewer import Viewer
from feedback.models import Feedback, Kind, Visibility
from feedback.tests.factories import give

CAST = ["alice", "bob", "carol", "dave", "erin", "frank"]
PAIRS = [("dave", "alice"), ("alice", "bob"), ("erin", "dave"), ("bob", "alice")]
STATES = [
    (Kind.PRAISE, Visibility.PRIVATE),
    (Kind.PRAISE, Visibility.TEAM),
    (Kind.PRAISE, Visibility.ORGANISATION),
    (Kind.CONSTRUCTIVE, Visibility.PRIVATE),
]


def expected(person, feedback) -> bool:
    receiver = feedback.receiver
    if person.pk in (feedback.giver_id, feedback.receiver_id):
        return True
    if feedback.shared_with_id == person.pk:
        return True
    if feedback.kind != Kind.PRAISE:
        return False
    if feedback.visibility == Visibility.ORGANISATION:
        return not receiver.has_left
    return feedback.visibility == Visibility.TEAM and (
        person.team_id is not None and person.team_id == receiver.team_id
    )


def on_the_wall(person, feedback) -> bool:
    if feedback.kind != Kind.PRAISE or feedback.receiver.has_left:
        return False
    if feedback.visibility == Visibility.ORGANISATION:
        return True
    return feedback.visibility == Visibility.TEAM and (
        person.team_id is not None and person.team_id == feedback.receiver.team_id
    )


def in_inbox(person, feedback) -> bool:
    return person.pk in (feedback.giver_id, feedback.receiver_id, feedback.shared_with_id)


@pytest.fixture
def everything(cast):
    now = timezone.now()
    items = []
    for (giver, receiver), (kind, visibility), shared in itertools.product(
        PAIRS, STATES, (False, True)
    ):
        items.append(
            give(
                getattr(cast, giver),
                getattr(cast, receiver),
                text=f"{giver}>{receiver} {kind} {visibility} {'shared' if shared else 'kept'}",
                kind=kind,
                visibility=visibility,
                shared_with_manager_at=now if shared else None,
                shared_with=getattr(cast, receiver).manager if shared else None,
            )
        )
    return items


def listed(client, url, params_list, key="rows"):
    ids = set()
    for params in params_list:
        response = client.get(url, params)
        assert response.status_code == 200
        ids |= {item.pk for item in response.context[key]}
    return ids


def seen_everywhere(client):
    inbox = listed(client, reverse("feedback:inbox"), [{}, {"tab": "given"}, {"tab": "shared"}])
    wall = listed(client, reverse("feedback:wall"), [{}, {"tab": "team"}])
    response = client.get(reverse("feedback:export"), {"format": "json"})
    export = {row["id"] for row in json.loads(response.content)["feedback"]}
    return inbox, wall, export


@pytest.mark.parametrize("name", CAST)
def test_every_page_shows_exactly_what_the_policy_allows(login, cast, everything, name):
    person = getattr(cast, name)
    viewer = Viewer.of(person)
    seen = set(visible(viewer, Feedback).values_list("pk", flat=True))
    client = login(person)
    for feedback in Feedback.objects.select_related("receiver"):
        allowed = expected(person, feedback)
        assert can(viewer, "view", feedback) is allowed, feedback.text
        assert (feedback.pk in seen) is allowed, feedback.text
        status = client.get(reverse("feedback:detail", args=[feedback.pk])).status_code
        assert status == (200 if allowed else 404), feedback.text
    inbox, wall, export = seen_everywhere(client)
    feedback = list(Feedback.objects.select_related("receiver"))
    assert inbox == {f.pk for f in feedback if in_inbox(person, f)}
    assert wall == {f.pk for f in feedback if on_the_wall(person, f)}
    assert export == {f.pk for f in feedback if person.pk in (f.giver_id, f.receiver_id)}
    assert inbox | wall | export <= seen


def test_private_feedback_reaches_only_giver_receiver_and_the_manager_it_was_shared_with(
    login, cast, everything
):
    for feedback in Feedback.objects.select_related("receiver").filter(
        visibility=Visibility.PRIVATE
    ):
        readers = {
            name for name in CAST if can(Viewer(person=getattr(cast, name)), "view", feedback)
        }
        allowed = {feedback.giver.email.split("@")[0], feedback.receiver.email.split("@")[0]}
        if feedback.shared_with_id:
            allowed.add(feedback.shared_with.email.split("@")[0])
        assert readers == allowed, feedback.text
        assert not readers & ({"erin", "frank", "carol"} - allowed), feedback.text


def test_constructive_feedback_is_never_on_a_wall(login, cast, everything):
    for name in CAST:
        _inbox, wall, _export = seen_everywhere(login(getattr(cast, name)))
        assert not Feedback.objects.filter(pk__in=wall, kind=Kind.CONSTRUCTIVE).exists()


def test_praise_for_someone_who_left_leaves_the_walls_but_not_its_givers_inbox(login, cast):
    praise = give(cast.alice, cast.dave, text="For Dave", visibility=Visibility.ORGANISATION)
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    for name in ("bob", "carol", "erin", "frank"):
        client = login(getattr(cast, name))
        assert client.get(praise.get_absolute_url()).status_code == 404
        assert praise.pk not in seen_everywhere(client)[1]
    inbox, wall, export = seen_everywhere(login(cast.alice))
    assert praise.pk in inbox and praise.pk in export and praise.pk not in wall


def test_a_goals_page_shows_the_feedback_about_it_that_the_viewer_may_read(login, cast):
    from goals.tests.factories import make_goal

    goal = make_goal(cast.alice, title="Ship the importer")  # public
    give(cast.dave, cast.alice, text="Private praise on it", goal=goal)
    give(
        cast.bob,
        cast.alice,
        text="Praise for all on it",
        goal=goal,
        visibility=Visibility.ORGANISATION,
    )
    give(cast.dave, cast.alice, text="Constructive on it", goal=goal, kind=Kind.CONSTRUCTIVE)
    page = reverse("goals:goal", args=[goal.pk])
    html = login(cast.alice).get(page).text
    assert "Feedback about this goal" in html
    assert all(
        t in html for t in ("Private praise on it", "Praise for all on it", "Constructive on it")
    )
    for name in ("carol", "erin", "frank"):
        html = login(getattr(cast, name)).get(page).text
        assert "Praise for all on it" in html
        assert "Private praise on it" not in html and "Constructive on it" not in html
    html = login(cast.dave).get(page).text
    assert "Private praise on it" in html and "Constructive on it" in html
    assert f"{reverse('feedback:give')}?to={cast.alice.pk}&amp;goal={goal.pk}" in html
