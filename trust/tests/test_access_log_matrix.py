"""Every page and endpoint that shows someone else's personal data that not everyone may see
writes exactly one access-log entry per kind and item it shows, and nothing else: walked over
the authorization matrix, every route as every role, with Alice's data of every kind in the
organisation (`access_log_world`) for the lists to show.

Two checks per request:

- the entries written are exactly those `LOGGED` expects for that route and role (none by
  default): per kind of whose data, one item entry or one list entry; never about the viewer,
  never public data, with the viewer, the channel and the path of the request;
- nothing was loaded that the log leaves out: every object of a catalogued kind that the
  request loaded (as Django built it from the database) and that is about someone else and not
  public has its kind and person among the entries, unless `NOT_SHOWN` says why the route
  loads it without showing it (a count, a form's choices, a check). A new page that loads
  someone's data without passing it to `access.rules.read` or `shown` fails here.
"""

import copy
import json

import pytest
from django.db.models.signals import post_init
from django.urls import reverse

from access import catalogue
from access.audiences import is_stand_in
from access.reads import logged_kinds
from cadence.tests.matrix import CAST, ROLES
from cadence.tests.test_authorization_matrix import MATRIX, sign_in
from people.models import Person
from trust.models import AccessLogEntry
from trust.tests.access_log_world import build_world

# Its cases count no queries: they keep the navigation's compiled SQL between them.
pytestmark = pytest.mark.shares_kept_sql

ITEM, LIST = "item", "list"
CHAIN_AND_HR = ("manager", "leader", "hr")  # Alice's manager Bob, Carol above him, Erin (HR)


def alices(*kinds: tuple[str, str]) -> set[tuple[str, str, str]]:
    return {(kind, "alice", shape) for kind, shape in kinds}


def each(roles, *kinds: tuple[str, str]) -> dict[str, set]:
    return {role: alices(*kinds) for role in roles}


EMPLOYMENT = ("people.employment", ITEM)
TEAM_GOAL = ("goals.team", ITEM)
RECORD = ("conversations.record", ITEM)
RECORDS = ("conversations.record", LIST)
GOALS_FOR_BOB = (("goals.private", LIST), ("goals.team", LIST))
ASSESSMENT = ("growth.assessments", ITEM)
MANAGER_RATINGS = ("growth.manager_ratings", LIST)
BOTH = (("growth.self_ratings", LIST), MANAGER_RATINGS)
AGREED_LEVELS = ("growth.agreed_levels", LIST)

# route -> role -> {(kind, whose, item or list)}: what each request writes to the log.
LOGGED: dict[str, dict[str, set[tuple[str, str, str]]]] = {
    # People: a person's employment details, for their management chain and HR.
    "people:person": each(CHAIN_AND_HR, EMPLOYMENT),
    "api:get_person": each(CHAIN_AND_HR, EMPLOYMENT),
    "people:person_edit": each(["hr"], EMPLOYMENT),
    # Goals: Alice's goal shared with her team and chain; Bob also sees her private goals.
    "goals:goal": each(CHAIN_AND_HR, TEAM_GOAL),
    "api:get_goal": each(CHAIN_AND_HR, TEAM_GOAL),
    "api:list_key_results": each(CHAIN_AND_HR, TEAM_GOAL),
    "api:list_progress_updates": each(CHAIN_AND_HR, TEAM_GOAL),
    "goals:adjust": each(["manager"], TEAM_GOAL),
    "goals:update": each(["manager"], TEAM_GOAL),
    "goals:copy_forward": each(["manager"], TEAM_GOAL),
    "api:update_goal": each(["manager"], TEAM_GOAL),
    "api:create_key_result": each(["manager"], TEAM_GOAL),
    "api:update_key_result": each(["manager"], TEAM_GOAL),
    "api:create_progress_update": each(["manager"], TEAM_GOAL),
    "goals:team": each(["manager"], *GOALS_FOR_BOB),
    "api:list_goals": {
        "manager": alices(*GOALS_FOR_BOB),
        **each(["leader", "hr"], ("goals.team", LIST)),
    },
    # Development plans: Alice's, read and coached by Bob, her manager.
    "plans:plan": each(["manager"], ("plans.plan", ITEM), ("plans.actions", LIST)),
    "api:get_plan": each(
        ["manager"], ("plans.plan", ITEM), ("plans.actions", LIST), ("plans.active_periods", LIST)
    ),
    "plans:action_status": each(["manager"], ("plans.actions", ITEM)),
    "api:update_plan_action": each(["manager"], ("plans.actions", ITEM)),
    "api:coach_plan_action": each(["manager"], ("plans.actions", ITEM)),
    # Conversations: Bob, her manager, holds them; the chain and HR see a pair's dates.
    "conversations:detail": each(
        ["manager"], RECORD, ("conversations.actions", LIST), ("goals.private", LIST)
    ),
    "conversations:skip": each(["manager"], RECORD),
    "conversations:reschedule": each(["manager"], RECORD),
    "conversations:index": each(["manager"], RECORDS),
    "conversations:pair_rhythm": each(CHAIN_AND_HR, RECORDS),
    "my_team": each(["manager"], RECORDS, ("feedback.reviews", LIST)),
    "home": each(
        ["manager"],
        RECORDS,
        ("feedback.requests", LIST),
        ("feedback.reviews", LIST),
        ("goals.private", LIST),
    ),
    "api:list_conversations": each(["manager"], RECORDS),
    "api:get_conversation": each(["manager"], RECORD),
    "api:sign_off_conversation": each(["manager"], RECORD),
    "api:list_agenda_items": each(["manager"], RECORD),
    "api:list_notes": each(["manager"], RECORD),
    "api:list_action_items": each(["manager"], RECORD, ("conversations.actions", LIST)),
    "api:create_agenda_item": each(["manager"], RECORD),
    "api:create_note": each(["manager"], RECORD),
    "api:create_action_item": each(["manager"], RECORD),
    "api:update_action_item": each(["manager"], ("conversations.actions", ITEM)),
    # Carol starts a one-on-one with Bob, who reports to her: his record.
    "api:create_conversation": {"leader": {("conversations.record", "bob", ITEM)}},
    # Feedback: what Alice shared with Bob (given by Carol); her requests asking Bob.
    "api:list_feedback": {
        "manager": {("feedback.shared", "alice", LIST), ("feedback.given", "carol", LIST)}
    },
    "api:list_feedback_requests": each(["manager"], ("feedback.requests", LIST)),
    "feedback:requests": each(["manager"], ("feedback.requests", LIST)),
    "feedback:request": each(["manager"], ("feedback.requests", ITEM)),
    "feedback:ask_answer": each(["manager"], ("feedback.requests", ITEM)),
    # 360: her manager follows it and, with HR, approves her reviewers and reads her report.
    "feedback:reviews": each(["manager"], ("feedback.reviews", LIST)),
    "feedback:approve": each(["manager", "hr"], ("feedback.reviews", ITEM)),
    "feedback:report": each(
        ["manager", "hr"], ("feedback.reviews", ITEM), ("feedback.review_reports", ITEM)
    ),
    # The audit log: HR and the administrator read what was changed about Alice (her level);
    # its CSV is streamed, so it records as an export.
    "audit:log": each(["hr", "admin"], ("trust.audit", LIST)),
    "audit:csv": each(["hr", "admin"], ("trust.audit", LIST)),
    "api:list_audit_entries": each(["hr", "admin"], ("trust.audit", LIST)),
    # HR opens the page to anonymise a leaver: whose profile only they and HR still see.
    "trust:erase_person": {"hr": {("people.profile", "leaver", ITEM)}},
    # Growth: Alice's assessment, for Bob and (its status) HR; each side's ratings Bob sees.
    "growth:assessment": each(["manager", "hr"], ASSESSMENT),
    "api:growth_assessment": each(["manager", "hr"], ASSESSMENT),
    "api:growth_assessment_rate": each(["manager"], ASSESSMENT, MANAGER_RATINGS),
    "api:growth_assessment_share": each(["manager"], ASSESSMENT, MANAGER_RATINGS),
    "api:growth_assessment_agree": each(["manager"], ASSESSMENT, *BOTH, AGREED_LEVELS),
    "api:growth_assessment_agreement": each(["manager"], ASSESSMENT, *BOTH, AGREED_LEVELS),
    "api:growth_assessment_close": each(["manager"], ASSESSMENT, *BOTH),
    # Succession: Alice named for Head of Platform, managed by Bob, Carol (its leads) and Erin.
    "succession:candidacy": each(CHAIN_AND_HR, ("succession.candidacy", ITEM)),
    "api:update_candidate": each(CHAIN_AND_HR, ("succession.candidacy", ITEM)),
    "api:remove_candidate": each(CHAIN_AND_HR, ("succession.candidacy", ITEM)),
    # Talent reviews: Alice's placement, for her chain and HR (the grid and its lists).
    "talentreview:review": each(CHAIN_AND_HR, ("talentreview.placements", LIST)),
    "talentreview:place": each(["manager", "leader"], ("talentreview.placements", LIST)),
    "talentreview:placement": each(CHAIN_AND_HR, ("talentreview.placements", ITEM)),
    "api:list_placements": each(CHAIN_AND_HR, ("talentreview.placements", LIST)),
    "api:get_placement": each(CHAIN_AND_HR, ("talentreview.placements", ITEM)),
    "api:update_placement": each(["manager"], ("talentreview.placements", ITEM)),
}

# Answers streamed after the request (a CSV download) record on their own, as an export.
STREAMED = {"audit:csv"}

# route -> kind -> why the route loads objects of the kind without showing them.
NOT_SHOWN: dict[str, dict[str, str]] = {
    "api:create_placement": {
        "talentreview.placements": "the placement the manager writes, answered back to them",
    },
    # An action is loaded with its plan, to ask who may change it: the plan is not shown; a
    # write to it keeps the plan's active period (`plans.activity`), not shown either.
    **{
        name: {
            "plans.plan": "the action's plan, loaded to ask who may change the action",
            "plans.active_periods": "the plan's open period, kept by the write",
        }
        for name in ("plans:action_status", "api:update_plan_action", "api:coach_plan_action")
    },
    "goals:create": {
        "goals.team": "the goals one may align with, offered by title in the form",
        "goals.private": "the goals one may align with, offered by title in the form",
    },
    "goals:adjust": {"goals.private": "the goals one may align with, offered in the form"},
    "growth:assessment": {
        "goals.team": "the person's goals one may attach as evidence, offered by title",
        "goals.private": "the person's goals one may attach as evidence, offered by title",
    },
    "my_team": {
        "goals.private": "counted: a report's goals needing attention",
        "feedback.requests": "counted: how often a report asked for feedback",
    },
    # A reviewer's page and answers: the person reviewed must not learn who is reviewing them.
    "feedback:answer": {"feedback.reviews": "a reviewer's own invitation (anonymity)"},
    "api:submit_review_answers": {"feedback.reviews": "a reviewer's own invitation (anonymity)"},
    # Writes that answer with what the viewer just wrote or did.
    "api:create_agenda_item": {"conversations.preparation": "the talking point just written"},
    "api:create_note": {"conversations.notes": "the note just written"},
    "api:create_action_item": {"conversations.actions": "the action item just written"},
    "api:update_action_item": {"conversations.record": "read by the rule; the item is shown"},
    "api:answer_feedback_ask": {"feedback.requests": "answered: the answer names only its id"},
    "api:decline_feedback_ask": {"feedback.requests": "declined: the answer is the ask"},
    # My data counts one's own items of each kind; the rules read what they hang on (Bob's
    # private notes on Alice's conversation load that conversation).
    "trust:my_data": {"conversations.record": "read by the rules of one's own items, counted"},
    "api:my_data": {"conversations.record": "read by the rules of one's own items, counted"},
}

SIGNED_IN = [role for role in ROLES if role != "anonymous"]
CATALOGUED = {kind.model for kind in catalogue.registered()}


@pytest.fixture(scope="module")
def world(module_cast, django_db_blocker):
    with django_db_blocker.unblock():
        return build_world(module_cast)


@pytest.fixture
def cast(db, module_cast, world):
    return copy.deepcopy(module_cast)


def test_the_tables_name_routes_of_the_matrix():
    assert not (set(LOGGED) | set(NOT_SHOWN)) - set(MATRIX)
    roles = {role for expected in LOGGED.values() for role in expected}
    assert roles <= set(SIGNED_IN)


def request(client, cast, name):
    """The matrix's request for the route (its objects made, its body sent) and the objects of
    catalogued kinds Django loaded while answering it."""
    route = MATRIX[name]
    kwargs = {key: make(cast) for key, make in route.kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    loaded = []

    def built(sender, instance, **kwargs):
        # Not `instance.pk`: My data's stand-ins for audiences (`access.audiences`) hold no id
        # unless their rule reads it, and refuse to be read what they do not hold.
        if sender in CATALOGUED and instance.__dict__.get(instance._meta.pk.attname) is not None:
            loaded.append(instance)

    AccessLogEntry.objects.all().delete()  # what the objects' making may have logged: nothing
    post_init.connect(built, weak=False)
    try:
        if route.body is None:
            response = getattr(client, route.method)(url)
        else:
            body = route.body(cast, kwargs) if callable(route.body) else route.body
            response = getattr(client, route.method)(
                url, json.dumps(body), content_type="application/json"
            )
    finally:
        post_init.disconnect(built)
    # A stand-in shows nothing: it is what a rule reads of an item, to ask who sees it.
    return url, response, [obj for obj in loaded if not is_stand_in(obj)]


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_route_logs_what_it_shows_of_others(client, cast, name, role):
    sign_in(client, cast, role)
    url, response, loaded = request(client, cast, name)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, as a browser does
    me = getattr(cast, CAST[role])
    # The cast by their names, anyone else a route made by their address ("leaver@…").
    names = {person.pk: person.email.split("@")[0] for person in Person.objects.all()}
    entries = list(AccessLogEntry.objects.all())
    written = {
        (e.kind, names.get(e.subject_id, e.subject_id), ITEM if e.item is not None else LIST)
        for e in entries
    }
    assert written == LOGGED.get(name, {}).get(role, set())
    assert len(written) == len(entries), "one entry per kind, person and item"
    channel = "api" if name.startswith("api:") else "export" if name in STREAMED else "page"
    for entry in entries:
        assert (entry.viewer_id, entry.channel, entry.path) == (me.pk, channel, url)
        assert entry.subject_id != me.pk
        assert catalogue.get(entry.kind).public is not True

    if not 200 <= response.status_code < 300:
        return
    logged = {(kind, subject) for kind, subject, _shape in written}
    allowed = NOT_SHOWN.get(name, {})
    unlogged = {
        (kind, names.get(subject, subject))
        for obj in loaded
        for kind, subject in logged_kinds(me.pk, obj)
        if kind not in allowed
    } - logged
    assert not unlogged, f"loaded but not in the access log: {sorted(unlogged)}"


GETS = sorted(
    (name, role)
    for name, expected in LOGGED.items()
    for role in expected
    if MATRIX[name].method == "get"
)


@pytest.mark.parametrize("name, role", GETS)
def test_logging_costs_one_query_per_request(client, cast, name, role, monkeypatch):
    """The same request with the access log and without: one query more (the insert), so
    that `read` and `shown` query nothing themselves."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from access import reads

    sign_in(client, cast, role)
    route = MATRIX[name]
    url = reverse(name, kwargs={key: make(cast) for key, make in route.kwargs.items()})
    assert client.get(url).status_code == 200  # warm: the session, cached settings

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
        return len(queries)

    logged = count()
    with monkeypatch.context() as patch:
        patch.setattr(reads, "note_read", lambda *args, **kwargs: None)
        patch.setattr(reads, "note_shown", lambda *args, **kwargs: None)
        unlogged = count()
    assert logged == unlogged + 1
