"""API for goals: objectives, their key results and progress updates, as on the pages.

Every read goes through the goals rules (`access.rules.visible`, `get_visible_or_404`): a goal
the viewer may not see answers 404, as if it did not exist; a goal they may see but not change
answers 403 to writes. Who may write is decided before the body is read (`body_of`): whoever
may not know the goal exists gets 404, and whoever may not change it 403, whatever they send.
Writes are validated by the same forms as the pages (`goals.forms`,
`goals.progress_forms`) and the models' own rules; invalid input answers 422 with the errors
in the same shape as the schema's own errors: `{"detail": [{"loc": […], "msg": …}]}`.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from access.rules import can, visible
from access.viewer import viewer_of
from cadence.api_kit import (
    Id,
    Page,
    PersonRef,
    Strict,
    body_of,
    documents,
    invalid,
    loaded,
    signed_in,
    written,
)
from cadence.ids import parse_id
from cadence.refusals import Refused
from goals import periods, services
from goals.forms import (
    COMPANY,
    MAX_KEY_RESULTS,
    AdjustKeyResultForm,
    GoalForm,
    KeyResultForm,
    KeyResultFormSet,
)
from goals.models import (
    KeyResult,
    Kind,
    Objective,
    ProgressUpdate,
    Status,
    Visibility,
)
from goals.progress_forms import ProgressUpdateForm
from goals.queries import goals_to_load, in_scope_q
from people.models import Person, Team

router = Router(tags=["goals"])
T = TypeVar("T")


# --- Schemas ----------------------------------------------------------------------------------


class OwnerOut(Schema):
    kind: str  # "person", "team" or "company"
    id: int | None
    name: str


class KeyResultOut(Schema):
    id: int
    title: str
    type: str
    unit: str
    direction: str
    start_value: float | None
    target_value: float | None
    current_value: float | None
    done: bool
    weight: float
    position: int
    progress: float | None  # 0–1; null when undefined (the target is the start)
    updated_at: datetime


class GoalOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    owner: OwnerOut
    start_date: date
    end_date: date
    period: str = Field(alias="period_label")
    status: str
    visibility: str
    # The goal this one contributes to, when the viewer may see it; otherwise null, so that a
    # goal the viewer may not see does not show through (not even that it exists).
    parent_id: int | None
    progress: float | None  # 0–1: the weighted key results, or the manual figure; else null
    expected_progress: float
    manual_progress: float | None  # percent, for goals without key results
    final_score: float | None
    last_activity_at: datetime
    created_at: datetime
    key_results: list[KeyResultOut]
    can_edit: bool

    @staticmethod
    def resolve_owner(goal):
        ids = {"person": goal.owner_person_id, "team": goal.owner_team_id, "company": None}
        return {"kind": goal.owner_kind, "id": ids[goal.owner_kind], "name": goal.owner_label}

    @staticmethod
    def resolve_parent_id(goal, context):
        if goal.parent_id is None:
            return None
        if hasattr(goal, "shown_parent"):  # prefetched by `goal_queryset`
            return goal.shown_parent and goal.shown_parent.pk
        if hasattr(goal, "visible_parent_id"):  # annotated by `with_visible_parent`
            return goal.visible_parent_id
        viewer = viewer_of(context["request"])
        parent_visible = visible(viewer, Objective).filter(pk=goal.parent_id).exists()
        return goal.parent_id if parent_visible else None

    @staticmethod
    def resolve_can_edit(goal, context):
        return can(viewer_of(context["request"]), "change", goal)


class ProgressUpdateOut(Schema):
    id: int
    key_result_id: int | None
    value: float | None
    done: bool | None
    confidence: int | None
    comment: str
    author: PersonRef | None
    created_at: datetime


class KeyResultIn(Strict):
    title: str
    type: KeyResult.Type = KeyResult.Type.METRIC
    start_value: Decimal | None = None
    target_value: Decimal | None = None
    unit: str = ""
    direction: KeyResult.Direction | None = None  # by default from the start and the target
    weight: Decimal | None = None


class KeyResultCreateIn(KeyResultIn):
    reason: str = ""  # when given, the new key result is kept in the goal's history


class GoalIn(Strict):
    title: str
    description: str = ""
    kind: Kind = Kind.RESULT
    owner: str = Field("me", description='"me", "person:<id>", "team:<id>" or "company"')
    period: str = Field(
        periods.THIS_QUARTER,
        description='"this_quarter", "next_quarter" or "this_year"; ignored with dates',
    )
    start_date: date | None = None
    end_date: date | None = None
    visibility: Visibility = Visibility.PUBLIC
    parent_id: Id | None = None
    key_results: list[KeyResultIn] = []


class GoalPatch(Strict):
    title: str | None = None
    description: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    visibility: Visibility | None = None
    parent_id: Id | None = None
    status: Status | None = None
    reason: str = Field("", description="Why: needed when anything but the status changes")


class KeyResultPatch(Strict):
    title: str | None = None
    target_value: Decimal | None = None
    unit: str | None = None
    reason: str = Field("", description="Why the key result is adjusted: needed")


class ProgressIn(Strict):
    key_result_id: Id | None = None
    value: Decimal | None = Field(
        None, description="A measurable key result's value, or the goal's own % without any"
    )
    done: bool | None = Field(None, description="A milestone key result: done or not")
    confidence: int | None = Field(None, description="1–10")
    comment: str = ""
    status: Status | None = None


# --- Helpers ----------------------------------------------------------------------------------


def form_errors(form) -> list[tuple[tuple, str]]:
    """A Django form's errors as (location, message) pairs."""
    pairs = []
    for field, errors in form.errors.get_json_data().items():
        loc = () if field == "__all__" else (field,)
        pairs += [(loc, error["message"]) for error in errors]
    return pairs


def form_value(value):
    """As a bound form reads it: numbers stay Decimals (never re-read in the language's
    notation, where "1.250" may be a thousand), nothing is an empty string."""
    return "" if value is None else value


def clean_reason(reason: str, *, required: bool) -> str:
    """An adjustment's reason, read as the adjust page reads it (at most 300 characters)."""
    field = forms.CharField(
        max_length=300,
        required=required,
        error_messages={"required": gettext("Say why: it is kept in the goal's history.")},
    )
    try:
        return field.clean(reason)
    except DjangoValidationError as error:
        invalid([(("reason",), message) for message in error.messages])


def goal_queryset(viewer):
    """Visible goals with what GoalOut shows. Whether the viewer may see each goal's parent is
    one more query for the parents of the page's goals only (`shown_parent`, through the
    rules): asked as a correlated EXISTS in the list's own query, PostgreSQL hashed the whole
    set of visible goals once per request instead (56,000 rows at 10,000 people)."""
    parents = Prefetch(
        "parent", queryset=visible(viewer, Objective).only("pk"), to_attr="shown_parent"
    )
    return (
        visible(viewer, Objective)
        .select_related("owner_person", "owner_team__lead")
        .with_key_results()
        .prefetch_related(parents)
    )


def visible_goal(viewer, goal_id: int, action: str = "view") -> Objective:
    """The goal as `goals.queries.load_goal` reads it, or 404 for whoever may not know that it
    exists; 403 for whoever may see it but not `action` it."""
    denied = gettext("You may look at this goal but not change it.")
    queryset = goals_to_load(viewer)
    return loaded(viewer, Objective, goal_id, action, queryset=queryset, denied=denied)


def editable_goal(viewer, goal_id: int) -> Objective:
    return visible_goal(viewer, goal_id, "change")


def fresh(viewer, goal: Objective) -> Objective:
    """The goal re-read after a write, with what the response shows."""
    return goal_queryset(viewer).get(pk=goal.pk) if can(viewer, "view", goal) else goal


def written_as(names: dict[str, str], service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`written`, for a write whose forms name a field otherwise than the API: `names` maps
    the form's name to the API's (`parent` -> `parent_id`). Key results keep theirs."""

    def renamed(*args: Any, **kwargs: Any) -> T:
        try:
            return service(*args, **kwargs)
        except Refused as refused:
            errors = [(names.get(field, field), message) for field, message in refused.errors]
            raise Refused(errors) from refused

    return written(renamed, *args, **kwargs)


# --- Objectives -------------------------------------------------------------------------------


@router.get("/goals", response=list[GoalOut], summary="Goals the signed-in person may see")
@paginate(Page)
def list_goals(
    request,
    owner: str | None = None,
    team: Id | None = None,
    start: date | None = None,
    end: date | None = None,
    status: Status | None = None,
    kind: Kind | None = None,
):
    """Newest first. `owner`: "me", a person's id or "company". `team`: goals of a team, the
    teams within it and their people. `start`/`end`: goals whose period overlaps these dates."""
    viewer = viewer_of(request)
    # Newest first, by id: the primary key's order needs no sort of every visible goal.
    goals = goal_queryset(viewer).filter(in_scope_q()).order_by("-pk")
    if owner == "me":
        goals = goals.filter(owner_person=viewer.person)
    elif owner == COMPANY:
        goals = goals.filter(owner_person__isnull=True, owner_team__isnull=True)
    elif owner is not None:
        if (person_id := parse_id(owner)) is None:
            message = gettext('Use "me", "company" or a person\'s id.')
            raise ValidationError([{"loc": ["query", "owner"], "msg": message}])
        goals = goals.filter(owner_person_id=person_id)
    if team is not None:
        goals = _of_team(goals, team)
    if start is not None:
        goals = goals.filter(end_date__gte=start)
    if end is not None:
        goals = goals.filter(start_date__lte=end)
    if status is not None:
        goals = goals.filter(status=status)
    if kind is not None:
        goals = goals.filter(kind=kind)
    return goals


# Up to this many teams and people, a team's goals are found through the owner indexes by id;
# a larger part of the organisation has goals among the newest anyway.
TEAM_IDS_LIMIT = 1000


def _of_team(goals: QuerySet[Objective], team: int) -> QuerySet[Objective]:
    """The goals of a team, the teams within it and their people. A small team's few goals
    are read by owner id (a condition on joined paths made PostgreSQL walk every goal, newest
    first, to find them); a large one's by path, as they come soon in the newest-first walk."""
    path = Team.objects.filter(pk=team).values_list("path", flat=True).first()
    if not path:
        return goals.none()
    teams = list(
        Team.objects.filter(path__startswith=path).values_list("pk", flat=True)[
            : TEAM_IDS_LIMIT + 1
        ]
    )
    members = list(
        Person.objects.filter(team__in=teams).values_list("pk", flat=True)[: TEAM_IDS_LIMIT + 1]
    )
    if len(teams) <= TEAM_IDS_LIMIT and len(members) <= TEAM_IDS_LIMIT:
        return goals.filter(Q(owner_team__in=teams) | Q(owner_person__in=members))
    return goals.filter(
        Q(owner_team__path__startswith=path) | Q(owner_person__team__path__startswith=path)
    )


@router.get("/goals/{id:goal_id}", response=GoalOut, summary="One goal")
def get_goal(request, goal_id: Id):
    return visible_goal(viewer_of(request), goal_id)


def key_result_data(results: list[KeyResultIn]) -> dict:
    """The key results as the goal page's formset reads them."""
    data = {
        "kr-TOTAL_FORMS": str(len(results)),
        "kr-INITIAL_FORMS": "0",
        "kr-MIN_NUM_FORMS": "0",
        "kr-MAX_NUM_FORMS": str(MAX_KEY_RESULTS),
    }
    for index, result in enumerate(results):
        for name, value in result.dict().items():
            data[f"kr-{index}-{name}"] = form_value(value)
    return data


@router.post(
    "/goals", response={201: GoalOut}, summary="Write a goal", openapi_extra=documents(GoalIn)
)
def create_goal(request):
    viewer = viewer_of(request)
    me = signed_in(viewer)
    payload = body_of(request, GoalIn)
    owner = f"person:{me.pk}" if payload.owner == "me" else payload.owner
    custom = payload.start_date is not None or payload.end_date is not None
    data = {
        "title": payload.title,
        "description": payload.description,
        "kind": payload.kind,
        "owner": owner,
        "period": periods.CUSTOM if custom else payload.period,
        "start_date": form_value(payload.start_date),
        "end_date": form_value(payload.end_date),
        "visibility": payload.visibility,
        "parent": form_value(payload.parent_id),
    }
    form = GoalForm(data, viewer=viewer)
    if owner not in form.owners:
        kind, _sep, number = owner.partition(":")
        if owner == COMPANY or (kind in ("person", "team") and number.isdigit()):
            raise HttpError(403, gettext("You may not write goals for this owner."))
        invalid([(("owner",), gettext('Use "me", "person:<id>", "team:<id>" or "company".'))])
    if len(payload.key_results) > MAX_KEY_RESULTS:
        message = gettext("At most %(count)s key results.") % {"count": MAX_KEY_RESULTS}
        invalid([(("key_results",), message)])
    formset = KeyResultFormSet(
        key_result_data(payload.key_results), instance=Objective(), prefix="kr"
    )
    goal = written_as({"parent": "parent_id"}, services.create_goal, viewer, form, formset)
    return Answer(201, fresh(viewer, goal))


ADJUSTED = ("title", "description", "start_date", "end_date", "visibility", "parent_id")


@router.patch(
    "/goals/{id:goal_id}",
    response=GoalOut,
    summary="Change or adjust a goal",
    openapi_extra=documents(GoalPatch),
)
def update_goal(request, goal_id: Id):
    """The status changes freely; any other change is an adjustment and needs a `reason`."""
    viewer = viewer_of(request)
    goal = editable_goal(viewer, goal_id)
    payload = body_of(request, GoalPatch)
    given = payload.dict(exclude_unset=True)
    current = {name: getattr(goal, name) for name in ADJUSTED}
    # Compared with what the viewer was shown: a parent they may not see reads as none, and
    # sending that back changes nothing.
    shown = {**current, "parent_id": goal.visible_parent_id}  # type: ignore[attr-defined]  # annotated by with_visible_parent()
    adjusting = {n: v for n, v in given.items() if n in ADJUSTED and v != shown[n]}
    with transaction.atomic():
        if adjusting:
            # `values`: the goal as the viewer was shown it, with their changes.
            values = {**shown, **adjusting}
            data = {n: form_value(v) for n, v in values.items() if n != "parent_id"}
            data.update(parent=form_value(values["parent_id"]), reason=payload.reason)
            form = services.adjust_form(viewer, goal, data)
            written_as({"parent": "parent_id"}, services.adjust_goal, viewer, goal, form)
        status = given.get("status")
        if status is not None:
            services.set_status(viewer, goal, status)
    return fresh(viewer, goal)


# --- Key results ------------------------------------------------------------------------------


@router.get("/goals/{id:goal_id}/key-results", response=list[KeyResultOut], summary="Key results")
def list_key_results(request, goal_id: Id):
    return list(visible_goal(viewer_of(request), goal_id).key_results.all())


@router.post(
    "/goals/{id:goal_id}/key-results",
    response={201: KeyResultOut},
    summary="Add a key result",
    openapi_extra=documents(KeyResultCreateIn),
)
def create_key_result(request, goal_id: Id):
    viewer = viewer_of(request)
    goal = editable_goal(viewer, goal_id)
    payload = body_of(request, KeyResultCreateIn)
    reason = clean_reason(payload.reason, required=False)
    values = payload.dict(exclude={"reason"})
    form = KeyResultForm({name: form_value(value) for name, value in values.items()})
    result = written(services.add_key_result, viewer, goal, form, reason)
    return Answer(201, result)


@router.patch(
    "/goals/{id:goal_id}/key-results/{id:key_result_id}",
    response=KeyResultOut,
    summary="Adjust a key result",
    openapi_extra=documents(KeyResultPatch),
)
def update_key_result(request, goal_id: Id, key_result_id: Id):
    """Its title, target or unit: an adjustment, with a `reason`."""
    viewer = viewer_of(request)
    goal = editable_goal(viewer, goal_id)
    result = next((kr for kr in goal.key_results.all() if kr.pk == key_result_id), None)
    if result is None:
        raise HttpError(404, gettext("Not found."))
    payload = body_of(request, KeyResultPatch)
    given = payload.dict(exclude_unset=True)
    if "target_value" in given and result.type == KeyResult.Type.MILESTONE:
        invalid([(("target_value",), gettext("A milestone has no target value."))])
    current = {"title": result.title, "target_value": result.target_value, "unit": result.unit}
    changed = {n: v for n, v in given.items() if n in current and v != current[n]}
    if not changed:
        return result
    data = {name: form_value(value) for name, value in {**current, **changed}.items()}
    form = AdjustKeyResultForm(data, instance=result)
    if not form.is_valid():
        invalid(form_errors(form))
    reason = clean_reason(payload.reason, required=True)
    written(services.adjust_key_result, viewer, goal, form, reason)
    return result


# --- Progress updates ---------------------------------------------------------------------


@router.get(
    "/goals/{id:goal_id}/updates",
    response=list[ProgressUpdateOut],
    summary="A goal's progress updates, newest first",
)
@paginate(Page)
def list_progress_updates(request, goal_id: Id, key_result_id: Id | None = None):
    goal = visible_goal(viewer_of(request), goal_id)
    updates = goal.updates.select_related("author").order_by("-created_at", "-pk")
    if key_result_id is not None:
        updates = updates.filter(key_result_id=key_result_id)
    return updates


@router.post(
    "/goals/{id:goal_id}/updates",
    response={201: list[ProgressUpdateOut]},
    summary="Check in on a goal",
    openapi_extra=documents(ProgressIn),
)
def create_progress_update(request, goal_id: Id):
    """One key result's new value (or a milestone done), or the goal's own % when it has no
    key results, with an optional confidence (1–10), comment and status. A check-in that
    changes nothing still counts: the goal is no longer stale. Answers the updates recorded."""
    viewer = viewer_of(request)
    goal = editable_goal(viewer, goal_id)
    payload = body_of(request, ProgressIn)
    results = list(goal.key_results.all())
    data = {
        "status": payload.status or goal.status,
        "confidence": form_value(payload.confidence),
        "comment": payload.comment,
    }
    for kr in results:  # every key result as it stands: only the one named changes
        data[f"kr_{kr.pk}"] = kr.done if kr.type == KeyResult.Type.MILESTONE else kr.current_value
    errors = []
    target = next((kr for kr in results if kr.pk == payload.key_result_id), None)
    if payload.key_result_id is not None and target is None:
        errors.append((("key_result_id",), gettext("This goal has no such key result.")))
    elif target is not None and target.type == KeyResult.Type.MILESTONE:
        if payload.value is not None or payload.done is None:
            errors.append((("done",), gettext("A milestone is done or not: give `done`.")))
        else:
            data[f"kr_{target.pk}"] = payload.done
    elif target is not None:
        if payload.done is not None or payload.value is None:
            errors.append((("value",), gettext("Give the key result's new value.")))
        else:
            data[f"kr_{target.pk}"] = payload.value
    elif payload.done is not None or (results and payload.value is not None):
        errors.append((("key_result_id",), gettext("Say which key result this is about.")))
    elif payload.value is not None:
        data["progress"] = payload.value
    if errors:
        invalid(errors)
    form = ProgressUpdateForm(data, goal=goal)
    names = dict.fromkeys(form.progress_field_names, "value")
    names.update({f"kr_{kr.pk}": "done" for kr in results if kr.type == "milestone"})
    recorded = written_as(names, services.check_in, viewer, goal, form)
    updates = ProgressUpdate.objects.filter(pk__in=[u.pk for u in recorded])
    return Answer(201, updates.select_related("author"))
