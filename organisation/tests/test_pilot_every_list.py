"""During a pilot, someone outside it appears in no module's list, whoever looks.

Olly works in Sales, outside the pilot (Engineering), reports to Bob, inside it, and manages
Ian, inside it too. Before the pilot started he was in every module: his goals (one aligned to
Platform's), his conversations with Bob and with Ian (coming up, held, an action, a rhythm),
feedback and praise both ways, feedback requests he made and was asked, and 360 reviews (his
own, in three cycles, and Alice's, which he reviews).

Every list page and API list of a module is walked: each route of the authorization matrix
that belongs to a module (`module_routes`) and answers a GET, as each viewer may open it there:
Alice (an employee), Bob (a manager), Carol (a leader) and Hank (HR) inside the pilot, and Erin
(organisation-wide HR outside it, who runs the roll-out and still opens the modules); and Home,
whose list of what waits comes from every module. None shows Olly or anything of his.

A route with ids in its path is a list within something inside the pilot (a 360 cycle, a team's
rhythm, a calendar feed), walked with it, or one thing's own page (a goal, a conversation, a
feedback, a request, a 360 report), which shows that thing whole to whoever may see it, as a
goal outside keeps its page: each is named below, so that a new route must be placed. The
directory (people and teams, pages and API) shows everyone by design, and is no module's.
"""

import copy
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import HRRole
from cadence.tests import test_authorization_matrix as matrix
from cadence.tests.matrix import OK, module_routes
from conftest import make_person
from conversations.models import CalendarFeed, Kind, RhythmRule
from conversations.tests.factories import add_action, held, make_conversation
from feedback.models import AskStatus, CycleStatus, Nomination, RaterGroup, Visibility
from feedback.tests.factories import add_participant, give, invite, make_cycle, make_request
from goals.tests.factories import make_goal
from mobility.models import Interest, MobilityPreference, Opening
from organisation import current
from organisation.tests.factories import start_pilot
from people.models import Role

# Its cases count no queries: they keep the navigation's compiled SQL between them.
pytestmark = pytest.mark.shares_kept_sql

OUTSIDE = "Olly"  # his name, and in the title or text of everything of his
REPORTS_CARD = re.compile(r'<section class="card" aria-labelledby="reports-h">.*?</section>', re.S)

# Routes with ids that list things within something inside the pilot: how to address them
# (the viewer may open them where the matrix lets their role in).
LISTS_WITHIN = {
    "feedback:cycle": lambda world, viewer: {"cycle_id": world.reviewing.pk},
    "feedback:cycle_participants": lambda world, viewer: {"cycle_id": world.nominating.pk},
    "conversations:team_rhythm": lambda world, viewer: {"team_id": world.engineering.pk},
    "conversations:calendar_feed": lambda world, viewer: {"token": CalendarFeed.issue(viewer)[1]},
    "mobility:opening": lambda world, viewer: {"opening_id": world.opening.pk},
    "api:list_opening_interests": lambda world, viewer: {"opening_id": world.opening.pk},
    "talentreview:review": lambda world, viewer: {"review_id": talent_review_with_olly(world)},
    "api:list_placements": lambda world, viewer: {"review_id": talent_review_with_olly(world)},
}


def talent_review_with_olly(world) -> int:
    """A talent review of the whole organisation in draft, in which Bob placed Olly."""
    from talentreview.models import Placement, TalentReview

    review, _ = TalentReview.objects.get_or_create(name="Everyone", defaults={"led_by": world.erin})
    Placement.objects.get_or_create(
        review=review,
        person=world.olly,
        defaults={
            "performance": 2,
            "potential": 2,
            "rationale": "Olly sells",
            "placed_by": world.bob,
        },
    )
    return review.pk


# Everyone opens their own calendar feed (the matrix asks for one that does not exist).
FOR_EVERYONE = {"conversations:calendar_feed"}
# Routes with ids that are one thing's own page (or its form), not a list.
OWN_PAGES = {
    "api:get_conversation",
    "api:get_plan",
    "plans:edit_action",
    "plans:plan",
    # A key position's page (and its form), its candidates: inside the pilot only, as the
    # positions list is (succession.queries).
    "succession:position",
    "succession:edit_position",
    "api:get_key_position",
    "api:list_candidates",
    "api:get_feedback",
    "api:get_goal",
    "api:list_action_items",
    "api:list_agenda_items",
    "api:list_key_results",
    "api:list_notes",
    "api:list_progress_updates",
    "conversations:detail",
    "conversations:open_next",
    "conversations:pair_rhythm",
    "conversations:prepare",
    "conversations:reschedule",
    "conversations:skip",
    "conversations:template_edit",
    "feedback:answer",
    "feedback:approve",
    "feedback:ask_answer",
    "feedback:cycle_advance",
    "feedback:cycle_edit",
    "feedback:cycle_preview",
    "feedback:cycle_question_edit",
    "feedback:cycle_question_new",
    "feedback:cycle_questions",
    "feedback:detail",
    "feedback:edit",
    "feedback:nominate",
    "feedback:report",
    "feedback:request",
    "goals:adjust",
    "goals:copy_forward",
    "goals:goal",
    "goals:template_edit",
    "goals:update",
    "growth:export",  # one version of the organisation's framework, as a file
    "api:growth_assessment",
    "growth:assessment",
    "growth:competency_history",  # one person's levels of one competency
    "growth:round",  # one HR round, as counts (names no one)
    "talentreview:labels",  # a review's box labels (names no one)
    "talentreview:placement",
    "api:get_review",  # a review's name, scope and labels (names no one)
    "api:get_placement",
    "api:growth_round",  # the same, in the API
    "surveys:answer",  # one's own invitation
    # One survey's results and their CSV: groups of those asked, and during a pilot only
    # people inside it are asked (`surveys.rounds.audience`).
    "surveys:survey",
    "surveys:export",
    "api:get_results",
    "api:get_opening",  # an opening and the viewer's own fit
    "mobility:edit",
    "surveys:plan_new",  # a new plan for one team group of one round
    "surveys:plan",  # one team's action plan: its focus areas and actions
    "api:get_survey_plan",  # the same, in the API
    "api:list_survey_comments",  # one released group's comments of one round, as on its page
    # One chart's figures as a file: counts of groups of at least the smallest group, computed
    # over the pilot scope only (`insights.scopes`), as its page shows them.
    "insights:team_csv",
    "insights:organisation_csv",
    "insights:hr_csv",
}
# Routes without ids that are not lists of the module's: one's own feedback as a file (a copy of
# what one wrote and received, as My data is).
NOT_LISTS = {"feedback:export"}
# The lists a route shows by its query string, each walked.
VARIANTS = {
    "feedback:inbox": ["", "?tab=given", "?tab=shared"],
    "feedback:wall": ["", "?tab=team"],
    "api:list_feedback_requests": ["", "?role=requester", "?role=requestee"],
}
VIEWERS = {"alice": "employee", "bob": "manager", "carol": "leader", "hank": "hr", "erin": "hr"}


def list_routes():
    """(route name, its entry) for every GET route of a module that is a list."""
    for name, route, _module, _allowed in module_routes(matrix.MATRIX):
        if route.method != "get" or name in OWN_PAGES or name in NOT_LISTS:
            continue
        if route.kwargs and name not in LISTS_WITHIN:
            continue  # test_every_route_with_ids_is_placed says where
        yield name, route


def cases():
    for name, route in list_routes():
        for viewer, role in VIEWERS.items():
            if name not in FOR_EVERYONE and route.outcome(role) != OK:
                continue
            for query in VARIANTS.get(name, [""]):
                yield pytest.param(name, viewer, query, id=f"{name}{query}-{viewer}")
    for viewer in VIEWERS:
        yield pytest.param("home", viewer, "", id=f"home-{viewer}")


@pytest.fixture(scope="module")
def module_world(module_cast, django_db_blocker):
    """The cast, Hank (HR in Engineering) and Olly with something in every module, then the
    pilot: built once for the module, in its transaction (`module_cast`)."""
    with django_db_blocker.unblock():
        return build_world(module_cast)


@pytest.fixture
def world(db, module_world):
    current.forget()  # the pilot, as written in the database
    return copy.deepcopy(module_world)


def build_world(cast):
    today = timezone.localdate()
    bob, alice = cast.bob, cast.alice
    hank = make_person("hank@example.com", "Hank HR", team=cast.engineering, job_title="HRBP")
    HRRole.objects.create(person=hank)
    olly = make_person(
        "olly@example.com", "Olly Outside", team=cast.sales, manager=bob, job_title="Sales"
    )

    platform_goal = make_goal(team=cast.platform, title="Platform: ship it")
    make_goal(
        olly, title="Olly's pipeline", visibility="public", parent=platform_goal, status="at_risk"
    )
    make_goal(olly, title="Olly's own growth", visibility="team")
    make_goal(team=cast.sales, title="Olly's team: close deals", visibility="public")

    make_conversation(olly, bob, title="Olly's check-in", due=today + timedelta(days=3))
    past = held(make_conversation(olly, bob, kind=Kind.ONE_ON_ONE, due=today - timedelta(days=20)))
    add_action(past, bob, text="Send Olly the deck")
    add_action(past, olly, text="Olly: read the deck")
    RhythmRule.objects.create(kind=Kind.CHECK_IN, employee=olly, interval_months=2)
    ian = make_person("ian@example.com", "Ian Inside", team=cast.platform, manager=olly)
    held(make_conversation(ian, olly, title="Ian and Olly", due=today - timedelta(days=30)))

    org = Visibility.ORGANISATION
    give(olly, alice, text="Olly's thanks for the demo", visibility=org)
    give(alice, olly, text="Praise for Olly's pitch", visibility=org)
    give(bob, olly, text="Olly, slow down in demos", kind="constructive")
    give(
        cast.dave,
        olly,
        text="For Olly: shared",
        shared_with=bob,
        shared_with_manager_at=timezone.now(),
    )
    make_request(olly, [alice, bob], topic="Olly's pitch")
    make_request(alice, [olly], topic="Alice asks Olly alone")
    mixed = make_request(alice, [bob, olly], topic="Alice's demo")
    mixed.asks.filter(requestee=olly).update(status=AskStatus.ANSWERED)

    reviewing = make_cycle("Spring 360", status=CycleStatus.REVIEWING)
    alices = add_participant(reviewing, alice)
    ollys = add_participant(reviewing, olly)
    invite(alices, olly)
    invite(ollys, olly, group=RaterGroup.SELF)
    invite(ollys, bob, group=RaterGroup.MANAGER)
    invite(ollys, alice)
    nominating = make_cycle("Autumn 360", status=CycleStatus.NOMINATING)
    alices = add_participant(nominating, alice)
    Nomination.objects.create(participant=alices, reviewer=olly, nominated_by=alice)
    add_participant(nominating, olly, nominations_submitted_at=timezone.now())
    closed = make_cycle("Winter 360", status=CycleStatus.CLOSED)
    add_participant(closed, olly)
    add_participant(closed, alice)

    opening = Opening.objects.create(
        title="Platform engineer",
        role=Role.objects.create(name="Platform engineer"),
        level=3,
        team=cast.platform,
        hiring_manager=bob,
    )
    Interest.objects.create(person=olly, opening=opening, note="Olly would like it")
    MobilityPreference.objects.create(person=olly, open_to_move=True, note="Olly wants to move")

    start_pilot(cast.engineering)
    return SimpleNamespace(
        **vars(cast),
        hank=hank,
        olly=olly,
        reviewing=reviewing,
        nominating=nominating,
        opening=opening,
    )


@pytest.mark.parametrize(("name", "viewer", "query"), list(cases()))
def test_no_list_shows_anyone_outside_the_pilot(client, world, name, viewer, query):
    person = getattr(world, viewer)
    client.force_login(person)
    make = LISTS_WITHIN.get(name)
    response = client.get(reverse(name, kwargs=make(world, person) if make else None) + query)
    assert response.status_code == 200
    assert OUTSIDE not in modules_part(name, response.content.decode())


def modules_part(name: str, body: str) -> str:
    """The page, without Home's card of one's reports: the reporting lines, as the directory
    shows them to everyone."""
    return REPORTS_CARD.sub("", body) if name == "home" else body


# Where each module's lists show Olly without the pilot (the walk's data is where it looks).
SHOWN_WITHOUT_THE_PILOT = [
    ("bob", "home"),
    ("alice", "goals:company"),
    ("alice", "api:list_goals"),
    ("bob", "conversations:index"),
    ("bob", "api:list_conversations"),
    ("erin", "conversations:adherence"),
    ("bob", "my_team"),
    ("alice", "feedback:inbox"),
    ("alice", "feedback:wall"),
    ("alice", "api:list_feedback"),
    ("alice", "feedback:requests"),
    ("bob", "api:list_feedback_requests"),
    ("bob", "feedback:reviews"),
    ("alice", "api:list_review_invitations"),
    ("hank", "feedback:cycle"),
    ("hank", "feedback:cycle_participants"),
    ("hank", "mobility:opening"),
    ("hank", "api:list_opening_interests"),
    ("bob", "talentreview:review"),
    ("erin", "api:list_placements"),
]


def test_without_the_pilot_the_lists_show_him(client, world):
    row = current.row()
    row.pilot = False
    row.save()
    hidden = []
    for viewer, name in SHOWN_WITHOUT_THE_PILOT:
        person = getattr(world, viewer)
        client.force_login(person)
        make = LISTS_WITHIN.get(name)
        response = client.get(reverse(name, kwargs=make(world, person) if make else None))
        if OUTSIDE not in modules_part(name, response.content.decode()):
            hidden.append((viewer, name))
    assert not hidden


def test_every_route_with_ids_is_placed():
    """A module's GET route with ids in its path is a list walked above or one thing's page."""
    unplaced = [
        name
        for name, route, _module, _allowed in module_routes(matrix.MATRIX)
        if route.method == "get" and route.kwargs
        if name not in LISTS_WITHIN and name not in OWN_PAGES
    ]
    assert not unplaced, f"place these routes in LISTS_WITHIN or OWN_PAGES: {unplaced}"


def test_the_walk_covers_every_module():
    walked = {name for name, _route in list_routes()}
    modules = {module for name, _r, module, _a in module_routes(matrix.MATRIX) if name in walked}
    assert {"goals", "conversations", "feedback", "reviews", "my_team"} <= modules
    assert {"api:list_goals", "api:list_conversations", "api:list_feedback"} <= walked
