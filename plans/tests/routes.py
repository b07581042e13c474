"""Authorization-matrix entries for development plans: merged into
`cadence/tests/test_authorization_matrix.py`.

Alice's plan is hers and her manager Bob's: Carol (Bob's manager), Dave (a peer), Erin (HR)
and Frank (the administrator) may not know it exists; Erin sees only the coverage page. Only
Alice writes it; Bob coaches its actions and sets their status. Shared with Dave, Dave reads it
but may not take the share back.
"""

from cadence.tests.matrix import (
    API,
    CREATED,
    DENIED,
    HIDDEN,
    HR_ONLY,
    INVALID,
    LOGIN,
    OK,
    PAGE,
    REDIRECT,
    Route,
)


def alice_plan(cast):
    """Alice's plan, active (as a write through the services leaves it), with an action."""
    from django.utils import timezone

    from plans.models import Plan, PlanAction, PlanActivePeriod

    plan, _created = Plan.objects.get_or_create(person=cast.alice, defaults={"ambition": "Lead"})
    if not plan.actions.exists():
        PlanAction.objects.create(plan=plan, kind="course", title="Course", support="Time")
    PlanActivePeriod.objects.get_or_create(
        plan=plan, end=None, defaults={"start": timezone.localdate()}
    )
    return plan


def alice_plan_id(cast):
    return alice_plan(cast).pk


def alice_action_id(cast):
    return alice_plan(cast).actions.first().pk


def alice_share_with_dave_id(cast):
    from plans.models import PlanShare

    return PlanShare.objects.get_or_create(plan=alice_plan(cast), person=cast.dave)[0].pk


# Alice's plan: hers (her own is a redirect to "my plan") and her manager's.
THEIRS = {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK, "manager": OK}
OWNER_WRITES = {**THEIRS, "manager": DENIED}
MANAGER_COACHES = {**THEIRS, "employee": DENIED}
# Shared with Dave: he sees it, and may not take the share back.
SHARED = {**OWNER_WRITES, "peer": DENIED}
ACTION = {"action_id": alice_action_id}

ROUTES = {
    "plans:mine": Route(PAGE),
    "plans:plan": Route({**THEIRS, "employee": REDIRECT}, kwargs={"plan_id": alice_plan_id}),
    "plans:others": Route(PAGE),
    "plans:coverage": Route(HR_ONLY),
    # Empty forms: the page comes back with what to fill in.
    "plans:add_action": Route(PAGE, method="post"),
    "plans:add_goal": Route(PAGE, method="post"),
    "plans:share": Route(PAGE, method="post"),
    "plans:edit_action": Route(OWNER_WRITES, kwargs=ACTION),
    "plans:action_status": Route(THEIRS, method="post", kwargs=ACTION),
    # An empty comment is a comment taken back: done, back to the plan.
    "plans:coach_action": Route(
        {**MANAGER_COACHES, "manager": REDIRECT}, method="post", kwargs=ACTION
    ),
    "plans:revoke_share": Route(
        {**SHARED, "employee": REDIRECT},
        method="post",
        kwargs={"share_id": alice_share_with_dave_id},
    ),
    "api:get_my_plan": Route(API),
    "api:put_my_plan": Route(API, method="put", body={"ambition": "Grow"}),
    "api:get_plan": Route(THEIRS, kwargs={"plan_id": alice_plan_id}),
    "api:create_plan_action": Route(
        {"anonymous": LOGIN, "signed_in": CREATED},
        method="post",
        body={"kind": "reading", "title": "A book"},
    ),
    "api:update_plan_action": Route(
        THEIRS, method="patch", kwargs=ACTION, body={"status": "in_progress"}
    ),
    "api:coach_plan_action": Route(
        MANAGER_COACHES, method="post", kwargs=ACTION, body={"comment": "Good"}
    ),
    # One's own plan's learning goals, gap and readiness: everyone has theirs (maybe none).
    "api:list_plan_goals": Route(API),
    "api:create_plan_goal": Route(
        {"anonymous": LOGIN, "signed_in": CREATED},
        method="post",
        body={"title": "Read a book on facilitation"},
    ),
    "api:get_my_standing": Route(API),
    "api:plan_shares": Route(API),
    # Dave may not share his own plan with himself.
    "api:share_plan": Route(
        {"anonymous": LOGIN, "signed_in": CREATED, "peer": INVALID},
        method="post",
        body=lambda cast, kwargs: {"person_id": cast.dave.pk},
    ),
    "api:revoke_plan_share": Route(
        SHARED, method="post", kwargs={"share_id": alice_share_with_dave_id}
    ),
}
