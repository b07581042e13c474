"""Alice's data of every kind that others may see, for the access-log walk of the authorization
matrix (`test_access_log_matrix`): built once beside the matrix's cast, so that the lists of
every page and endpoint have something of hers to show (the matrix's own routes make the one
object each of them opens).

Kept apart from what the matrix's routes make: no open check-in (a route opens Alice's), no
feedback from Dave (a route reads his), no nominating 360 (a route nominates in one).
"""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from conversations.models import Kind as ConversationKind
from conversations.tests.factories import (
    add_action,
    add_agenda_item,
    add_note,
    add_private_note,
    held,
    make_conversation,
)
from feedback.models import Kind as FeedbackKind
from feedback.models import Visibility
from feedback.tests.factories import add_participant, close, give, make_cycle, make_request
from goals.tests.factories import make_goal
from trust import audit


def build_world(cast):
    alice, bob = cast.alice, cast.bob
    today = timezone.localdate()
    team_goal = make_goal(alice, visibility="team", title="World: the team's goal")
    private_goal = make_goal(alice, visibility="private", title="World: a private goal")
    public_goal = make_goal(alice, visibility="public", title="World: a public goal")
    # Out of date, so that it needs attention on Home, My team and the agenda.
    private_goal.last_activity_at = timezone.now() - timedelta(weeks=10)
    private_goal.save(update_fields=["last_activity_at"])

    review = make_conversation(alice, kind=ConversationKind.QUARTERLY, due=today + timedelta(3))
    talking_point = add_agenda_item(review, alice, "World: my workload")
    note = add_note(review, bob, "World: we agreed")
    action = add_action(review, alice, "World: write it up")
    bobs_thought = add_private_note(review, bob, "World: Bob's own thought")
    past = held(make_conversation(alice, due=today - timedelta(days=40)))

    team_praise = give(cast.carol, alice, "World: praise for the team", visibility=Visibility.TEAM)
    shared = give(cast.carol, alice, "World: shared", kind=FeedbackKind.CONSTRUCTIVE)
    shared.shared_with = bob
    shared.shared_with_manager_at = timezone.now()
    shared.save()
    public_praise = give(bob, alice, "World: praise", visibility=Visibility.ORGANISATION)
    request = make_request(alice, [bob], topic="World: my demo")

    promoted = audit.record(
        "person.changed", actor=cast.erin, subject=alice, target=alice, changes={"level": [1, 2]}
    )

    cycle = make_cycle("World 360")
    participant = add_participant(cycle, alice)
    close(cycle)
    return SimpleNamespace(
        team_goal=team_goal,
        private_goal=private_goal,
        public_goal=public_goal,
        review=review,
        talking_point=talking_point,
        note=note,
        action=action,
        bobs_thought=bobs_thought,
        past=past,
        team_praise=team_praise,
        shared=shared,
        public_praise=public_praise,
        request=request,
        participant=participant,
        promoted=promoted,
    )
