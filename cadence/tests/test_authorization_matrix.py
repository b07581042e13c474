"""Every URL and API route, requested by every role, answers as the visibility policy says.

The table below has one entry per named route. `test_every_route_has_an_entry` walks the URL
configuration and fails when a route is added without one, so a new page or endpoint cannot
ship without its authorization decided and tested here.

Outcomes: OK (200), LOGIN (redirect to sign-in for pages, 401 for the API), DENIED (403),
HIDDEN (404: the viewer may not know it exists), REDIRECT (302, done or sent on), BAD (400:
allowed, but the empty request is invalid), INVALID (422: the API's answer to a body that is
missing or that the domain refuses), CREATED (201: an API write done). An API write whose entry
has a `body` sends it, valid, as JSON: the matrix then proves who may write; without one it
proves sign-in only.
"""

import copy

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import ApiToken
from accounts.tests import routes as account_routes
from cadence.tests.matrix import (
    API,
    BAD,
    CAST,
    CREATED,
    DENIED,
    HIDDEN,
    HR_ONLY,
    INVALID,
    LOGIN,
    OK,
    PAGE,
    PUBLIC,
    REDIRECT,
    ROLES,
    Route,
    address,
    module_routes,
    send,
)
from conftest import make_person
from conversations.tests import routes_api as conversation_api
from conversations.tests import routes_lists as conversation_lists
from conversations.tests import routes_pages as conversation_pages
from feedback.tests import routes_feedback as feedback_routes
from feedback.tests import routes_reports as report_routes
from feedback.tests import routes_requests as feedback_request_routes
from feedback.tests import routes_reviews as review_routes
from firstrun.tests import routes as firstrun_routes
from goals.models import GoalTemplate, KeyResult, Objective
from goals.tests.factories import make_goal
from growth.tests import routes as growth_routes
from growth.tests import routes_assessments as growth_assessment_routes
from guides.tests import routes as guide_routes
from insights.tests import routes as insights_routes
from mobility.tests import routes as mobility_routes
from notifications.tests import routes as notification_routes
from organisation import current
from organisation.tests import routes as organisation_routes
from people.models import Person, Team
from plans.tests import routes as plan_routes
from scim.tests import routes as scim_routes
from succession.tests import routes as succession_routes
from surveys.tests import routes as survey_routes
from talent.tests import routes as talent_routes
from talentreview.tests import routes as talentreview_routes
from trust.tests import routes as trust_routes
from webhooks.tests import routes as webhook_routes

# Its cases count no queries: they keep the navigation's compiled SQL between them.
pytestmark = pytest.mark.shares_kept_sql


@pytest.fixture
def cast(db, module_cast):
    """The cast is built once for this module (about a thousand cases); each case gets a copy
    of it and runs in a savepoint rolled back after it, so no case sees another's writes."""
    return copy.deepcopy(module_cast)


def alice_id(cast):
    return cast.alice.pk


def platform_id(cast):
    return cast.platform.pk


def alice_token_id(cast):
    return ApiToken.issue(cast.alice, "script")[0].pk


def alice_email_change_token(action):
    def make(cast):
        from accounts import email_change

        change = email_change.request_email_change(cast.alice, "alice@new.example", by=cast.erin)
        return email_change.token_for(change, action)

    return make


def new_person_invitation_token(cast):
    """Someone just added, invited by HR: the link works for whoever holds it. (It stops working
    once its person signs in, so it is not Alice's: she signs in for her own case.)"""
    from accounts import invitations

    nina = make_person("nina@example.com", "Nina New", team=cast.sales)
    return invitations.token_for(invitations.invite([nina], by=cast.erin)[0])


def alice_team_goal(cast):
    return make_goal(cast.alice, visibility="team").pk


def a_goal_template(cast):
    return GoalTemplate.objects.create(title="Grow the pipeline").pk


# Alice's goal shared with her team and management chain: dave (other team) and frank
# (administrator) may not know it exists; carol and HR see it but may not change it.
GOAL_VIEW = {"anonymous": LOGIN, "signed_in": OK, "peer": HIDDEN, "admin": HIDDEN}
GOAL_EDIT = {**GOAL_VIEW, "leader": DENIED, "hr": DENIED}
GOAL_WRITE = {**GOAL_EDIT, "signed_in": CREATED}  # an API write that makes something: 201

MATRIX = {
    "home": Route(PAGE),
    "healthz": Route(PUBLIC),
    "accounts:login": Route({"anonymous": OK, "signed_in": REDIRECT}),
    "accounts:logout": Route({"everyone": REDIRECT}, method="post"),
    # Demo sign-in exists only in demo mode (off in tests): it must not exist otherwise.
    "accounts:demo_login": Route({"everyone": HIDDEN}, method="post"),
    "accounts:profile": Route(PAGE),
    "accounts:create_token": Route({"anonymous": LOGIN, "signed_in": BAD}, method="post"),
    "accounts:revoke_token": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": REDIRECT},
        method="post",
        kwargs={"token_id": alice_token_id},
    ),
    "accounts:password_reset": Route(PUBLIC),
    "accounts:password_reset_done": Route(PUBLIC),
    "accounts:password_reset_confirm": Route(
        PUBLIC, kwargs={"uidb64": lambda cast: "MQ", "token": lambda cast: "bad-token"}
    ),
    "accounts:password_reset_complete": Route(PUBLIC),
    "accounts:password_change": Route(PAGE),
    # The links of an e-mail change work for whoever holds them (the new or old mailbox).
    "accounts:confirm_email": Route(PUBLIC, kwargs={"token": alice_email_change_token("confirm")}),
    "accounts:cancel_email": Route(PUBLIC, kwargs={"token": alice_email_change_token("cancel")}),
    # An invitation's link works for whoever holds it (the person's mailbox).
    "accounts:invitation": Route(PUBLIC, kwargs={"token": new_person_invitation_token}),
    "accounts:cancel_my_email_change": Route(
        {"anonymous": LOGIN, "signed_in": REDIRECT}, method="post"
    ),
    "people:directory": Route(PAGE),
    # The people picker's suggestions: anyone signed in, among the people they may see.
    "people:picker": Route(PAGE),
    "people:person_create": Route(HR_ONLY),
    "people:person": Route(PAGE, kwargs={"person_id": alice_id}),
    "people:person_edit": Route(HR_ONLY, kwargs={"person_id": alice_id}),
    "people:person_leave": Route(HR_ONLY, kwargs={"person_id": alice_id}),
    # HR who may manage the person, or an administrator, e-mails them an invitation.
    "people:person_invite": Route(
        {"anonymous": LOGIN, "signed_in": DENIED, "hr": REDIRECT, "admin": REDIRECT},
        method="post",
        kwargs={"person_id": alice_id},
    ),
    "people:teams": Route(PAGE),
    "people:team_create": Route(HR_ONLY),
    "people:team": Route(PAGE, kwargs={"team_id": platform_id}),
    "people:team_edit": Route(HR_ONLY, kwargs={"team_id": platform_id}),
    "people:import": Route(HR_ONLY),
    "people:import_template": Route(HR_ONLY),
    "goals:mine": Route(PAGE),
    "goals:team": Route(PAGE),
    "goals:company": Route(PAGE),
    "goals:tree": Route(PAGE),
    "goals:create": Route(PAGE),
    "goals:goal": Route(GOAL_VIEW, kwargs={"goal_id": alice_team_goal}),
    "goals:adjust": Route(GOAL_EDIT, kwargs={"goal_id": alice_team_goal}),
    "goals:update": Route(GOAL_EDIT, kwargs={"goal_id": alice_team_goal}),
    "goals:copy_forward": Route(GOAL_EDIT, kwargs={"goal_id": alice_team_goal}),
    "goals:templates": Route(PAGE),
    "goals:template_create": Route(HR_ONLY),
    "goals:template_edit": Route(HR_ONLY, kwargs={"template_id": a_goal_template}),
    "goals:settings": Route(HR_ONLY),
    # The API's description is not personal data; every operation in it needs sign-in.
    "api:openapi-json": Route(PUBLIC),
    "api:openapi-view": Route(PUBLIC),
    "api:api-root": Route({"everyone": HIDDEN}),
    "api:me": Route(API),
    "api:list_people": Route(API),
    "api:get_person": Route(API, kwargs={"person_id": alice_id}),
    "api:list_teams": Route(API),
    "api:get_team": Route(API, kwargs={"team_id": platform_id}),
    "api:list_goals": Route(API),
    # Anyone signed in writes their own goals.
    "api:create_goal": Route(
        {"anonymous": LOGIN, "signed_in": CREATED}, method="post", body={"title": "Learn Go"}
    ),
    "api:get_goal": Route(GOAL_VIEW, kwargs={"goal_id": alice_team_goal}),
    "api:update_goal": Route(
        GOAL_EDIT, method="patch", kwargs={"goal_id": alice_team_goal}, body={"status": "at_risk"}
    ),
    "api:list_key_results": Route(GOAL_VIEW, kwargs={"goal_id": alice_team_goal}),
    "api:create_key_result": Route(
        GOAL_WRITE,
        method="post",
        kwargs={"goal_id": alice_team_goal},
        body={"title": "Ship it", "start_value": 0, "target_value": 3},
    ),
    "api:update_key_result": Route(
        GOAL_EDIT,
        method="patch",
        body={"title": "Reach further", "reason": "The scope grew"},
        kwargs={
            "goal_id": alice_team_goal,
            # A key result of the goal just made (the goal's id is worked out first).
            "key_result_id": lambda cast: (
                KeyResult.objects.create(
                    objective=Objective.objects.latest("pk"),
                    title="Reach",
                    start_value=0,
                    target_value=10,
                ).pk
            ),
        },
    ),
    "api:list_progress_updates": Route(GOAL_VIEW, kwargs={"goal_id": alice_team_goal}),
    "api:create_progress_update": Route(
        GOAL_WRITE, method="post", kwargs={"goal_id": alice_team_goal}, body={"comment": "On it"}
    ),
}

for routes in (
    conversation_pages,
    conversation_lists,
    conversation_api,
    feedback_routes,
    feedback_request_routes,
    review_routes,
    report_routes,
    growth_routes,
    growth_assessment_routes,
    plan_routes,
    succession_routes,
    talent_routes,
    talentreview_routes,
    insights_routes,
    survey_routes,
    mobility_routes,
    notification_routes,
    trust_routes,
    organisation_routes,
    guide_routes,
    firstrun_routes,
    account_routes,
    webhook_routes,
    scim_routes,
):
    assert not set(routes.ROUTES) & set(MATRIX), "a route is listed twice"
    MATRIX.update(routes.ROUTES)

# Django's admin generates its own routes for each registered model; they all share the
# admin site's rule (staff only), checked below on the index and every model's change list.
ADMIN_NAMESPACE = "admin"
ADMIN = {"anonymous": REDIRECT, "signed_in": REDIRECT, "admin": OK}


def route_names(patterns=None, namespace=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from route_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_has_an_entry():
    names = [name for name in route_names() if not name.startswith(f"{ADMIN_NAMESPACE}:")]
    assert None not in names, "every route needs a name, so that it can be in the matrix"
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, f"add these routes to the authorization matrix: {missing}"
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"these matrix entries name no route: {stale}"


# Routes that answer 401 rather than sending to the sign-in page: the API, and SCIM's.
API_NAMESPACES = ("api:", "scim:")


def check(response, outcome, is_api):
    status = response.status_code
    if outcome == OK:
        assert status == 200, status
    elif outcome == LOGIN:
        if is_api:
            assert status == 401, status
        else:
            assert status == 302, status
            assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
    elif outcome == DENIED:
        assert status == 403, status
    elif outcome == HIDDEN:
        assert status == 404, status
    elif outcome == REDIRECT:
        assert status == 302, status
    elif outcome == BAD:
        assert status == 400, status
    elif outcome == INVALID:
        assert status == 422, status
    elif outcome == CREATED:
        assert status == 201, status
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(f"unknown outcome {outcome}")


def sign_in(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, CAST[role]))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_route_answers_each_role_as_the_policy_says(client, cast, name, role):
    route = MATRIX[name]
    url, kwargs = address(cast, name, route)
    sign_in(client, cast, role)
    response = send(client, cast, route, url, kwargs)
    check(response, route.outcome(role), is_api=name.startswith(API_NAMESPACES))


def _module_off_cases():
    """(route name, role, module) for every route of a module (`module_routes`): anonymous,
    and the first role that may use it (a switched-off module hides even from them)."""
    for name, _route, module, allowed in module_routes(MATRIX):
        for role in ["anonymous", *allowed[:1]]:
            yield pytest.param(name, role, module, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "role", "module"), list(_module_off_cases()))
def test_a_switched_off_module_hides_every_route(client, cast, name, role, module):
    """The "module off" column: with its module switched off, each route answers 404 to
    everyone, whatever it would answer when on."""
    route = MATRIX[name]
    url, kwargs = address(cast, name, route)
    row = current.row()
    row.modules_off = [module]
    row.save()
    sign_in(client, cast, role)
    response = send(client, cast, route, url, kwargs)
    check(response, HIDDEN, is_api=name.startswith("api:"))


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_site_is_for_administrators_only(client, cast, role):
    from django.contrib import admin

    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    sign_in(client, cast, role)
    for url in urls:
        response = client.get(url)
        check(response, Route(ADMIN).outcome(role), is_api=False)


BUILT: set[int] = set()  # the id of every cast built for this module's cases, as the cases see it


@pytest.mark.parametrize("turn", range(3))
def test_each_case_starts_from_the_cast_as_built_once(cast, module_cast, turn):
    BUILT.add(id(module_cast))
    assert len(BUILT) == 1, "the cast is built once for the module"
    assert cast is not module_cast and cast.alice is not module_cast.alice
    # Nothing an earlier case wrote, in the database or in its copy of the cast, is left.
    assert cast.alice.name == "Alice Employee"
    assert Person.objects.get(pk=cast.alice.pk).name == "Alice Employee"
    assert not Team.objects.filter(name="Left by a case").exists()
    assert Person.objects.count() == 6

    cast.alice.name = "Changed in memory"
    Person.objects.filter(pk=cast.alice.pk).update(name="Changed in the database")
    Team.objects.create(name="Left by a case")
    make_person("zoe@example.com", "Zoe Extra")
