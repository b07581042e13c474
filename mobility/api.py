"""Internal mobility in the API (`cadence.api_kit`): my wish to move, read and written; the
openings, ranked by fit for me, one opening with my fit, posting and changing one (who may
post: HR, team leads); showing and withdrawing interest, and the interests in an opening the
caller may see. The same services (`mobility.services`), rules and reads (`mobility.queries`)
as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Answer

from access.rules import shown, visible
from access.viewer import Viewer, viewer_of
from cadence.api_kit import (
    Id,
    PersonRef,
    Strict,
    body_of,
    documents,
    loaded,
    signed_in,
    written,
)
from growth import queries as growth_queries
from mobility import queries, rules, services
from mobility.models import MAX_NOTE, Audience, Interest, Opening, OpeningStatus
from mobility.queries import Fit
from mobility.rules import CHANGE, WITHDRAW

router = Router(tags=["talent"])


class PreferenceOut(Schema):
    open_to_move: bool
    audience: Audience  # "hr": HR in scope; "hr_and_manager": and my current manager
    tracks: list[str]  # career tracks' keys
    roles: list[int]  # role ids
    teams: list[int]  # team ids
    note: str
    updated_at: datetime | None  # None: never saved


class PreferenceIn(Strict):
    open_to_move: bool
    audience: Audience = Audience.HR
    tracks: list[str] = Field(default_factory=list, max_length=50)
    roles: list[Id] = Field(default_factory=list, max_length=50)
    teams: list[Id] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=MAX_NOTE)


class FitOut(Schema):
    step: str | None  # the role profile's step ("engineering-3"); None: the framework has none
    met: int | None  # of the step's competencies my levels meet; None: no levels
    total: int | None
    stale: bool | None  # my evidence is over a year old
    plan_target: bool  # it is my development plan's target step
    matches: list[str]  # my interests it matches: "track", "role", "team"
    score: int


class OpeningOut(Schema):
    id: int
    title: str
    role: str
    role_id: int
    level: int
    team: str
    team_id: int
    description: str
    hiring_manager: PersonRef
    status: str
    opened_on: date
    closes_on: date | None
    fit: FitOut  # for me
    interested: bool  # I showed interest


class OpeningIn(Strict):
    title: str = Field(max_length=200)
    role_id: Id
    level: int = Field(ge=1, le=20)
    team_id: Id
    description: str = Field("", max_length=10000)
    hiring_manager_id: Id | None = Field(
        None, description="HR only; empty: the team's lead. A lead posting is its hiring manager."
    )
    closes_on: date | None = None


class OpeningPatch(Strict):
    title: str | None = Field(None, max_length=200)
    role_id: Id | None = None
    level: int | None = Field(None, ge=1, le=20)
    team_id: Id | None = None
    description: str | None = Field(None, max_length=10000)
    hiring_manager_id: Id | None = None
    closes_on: date | None = None
    status: OpeningStatus | None = None


class InterestIn(Strict):
    note: str = Field("", max_length=MAX_NOTE)


class InterestOut(Schema):
    id: int
    person: PersonRef
    opening_id: int
    note: str
    created_at: datetime


class Filters(Schema):
    team_id: Id | None = None
    role_id: Id | None = None
    level: int | None = Field(None, ge=1, le=20)


def _preference(viewer: Viewer) -> dict[str, Any]:
    mine = queries.my_preference(viewer)
    if mine is None:
        return {
            "open_to_move": False,
            "audience": Audience.HR,
            "tracks": [],
            "roles": [],
            "teams": [],
            "note": "",
            "updated_at": None,
        }
    return {
        "open_to_move": mine.open_to_move,
        "audience": mine.audience,
        "tracks": mine.tracks,
        "roles": mine.roles,
        "teams": mine.teams,
        "note": mine.note,
        "updated_at": mine.updated_at,
    }


@router.get(
    "/talent/mobility/preference",
    response=PreferenceOut,
    summary="My wish to move (open to a move)",
)
def get_my_mobility_preference(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    return _preference(viewer)


@router.put(
    "/talent/mobility/preference",
    response=PreferenceOut,
    summary="Write my wish to move",
    openapi_extra=documents(PreferenceIn),
)
def put_my_mobility_preference(request):
    """Whether I am open to a move, whom I let see it ("hr": HR whose scope covers me;
    "hr_and_manager": and my current manager) and what interests me."""
    viewer = viewer_of(request)
    signed_in(viewer)
    payload = body_of(request, PreferenceIn)
    written(services.save_preference, viewer, **payload.dict())
    return _preference(viewer)


def _fit(fit: Fit) -> dict[str, Any]:
    readiness = fit.readiness
    return {
        "step": fit.step.id if fit.step else None,
        "met": readiness.met if readiness else None,
        "total": readiness.total if readiness else None,
        "stale": readiness.stale if readiness else None,
        "plan_target": fit.target,
        "matches": fit.matches,
        "score": fit.score,
    }


def _opening(fit: Fit, mine: set[int]) -> dict[str, Any]:
    opening = fit.opening
    return {
        "id": opening.pk,
        "title": opening.title,
        "role": opening.role.name,
        "role_id": opening.role_id,
        "level": opening.level,
        "team": opening.team.name,
        "team_id": opening.team_id,
        "description": opening.description,
        "hiring_manager": opening.hiring_manager,
        "status": opening.status,
        "opened_on": opening.opened_on,
        "closes_on": opening.closes_on,
        "fit": _fit(fit),
        "interested": opening.pk in mine,
    }


def _mine(viewer: Viewer) -> set[int]:
    return set(queries.my_interests(viewer).values_list("opening_id", flat=True))


def _one(viewer: Viewer, opening: Opening) -> dict[str, Any]:
    fit = queries.fit_for_me(viewer, [opening], growth_queries.current(), timezone.localdate())[0]
    return _opening(fit, _mine(viewer))


@router.get(
    "/talent/openings",
    response=list[OpeningOut],
    summary="Open openings, the best fit for me first",
)
def list_openings(request, filters: Query[Filters]):
    """At most 200, ranked by fit for me: how many of the role profile's competencies my
    assessed levels meet, plus a boost when it is my plan's target step and one per interest
    of mine it matches (`fit.score`)."""
    viewer = viewer_of(request)
    signed_in(viewer)
    found = queries.openings(viewer)
    for name in ("team_id", "role_id", "level"):
        value = getattr(filters, name)
        if value is not None:
            found = found.filter(**{name: value})
    fits = queries.fit_for_me(viewer, found[:200], growth_queries.current(), timezone.localdate())
    mine = _mine(viewer)
    return [_opening(fit, mine) for fit in fits]


def _load(viewer: Viewer, opening_id: int, action: str = "view") -> Opening:
    return loaded(
        viewer,
        Opening,
        opening_id,
        action,
        queryset=queries.opening_with_all(),
        denied=gettext("Only HR covering its team and its hiring manager change an opening."),
    )


@router.get("/talent/openings/{id:opening_id}", response=OpeningOut, summary="An opening")
def get_opening(request, opening_id: Id):
    viewer = viewer_of(request)
    return _one(viewer, _load(viewer, opening_id))


@router.post(
    "/talent/openings",
    response={201: OpeningOut},
    summary="Post an opening (HR, team leads)",
    openapi_extra=documents(OpeningIn),
)
def create_opening(request):
    viewer = viewer_of(request)
    signed_in(viewer)
    payload = body_of(request, OpeningIn)
    opening = written(services.post_opening, viewer, **payload.dict())
    found = queries.opening_with_all().get(pk=opening.pk)
    return Answer(201, _one(viewer, found))


@router.patch(
    "/talent/openings/{id:opening_id}",
    response=OpeningOut,
    summary="Change or close an opening",
    openapi_extra=documents(OpeningPatch),
)
def update_opening(request, opening_id: Id):
    viewer = viewer_of(request)
    opening = _load(viewer, opening_id, CHANGE)
    payload = body_of(request, OpeningPatch)
    changes = payload.dict(exclude_unset=True)
    written(services.change_opening, viewer, opening, changes)
    return _one(viewer, queries.opening_with_all().get(pk=opening.pk))


@router.post(
    "/talent/openings/{id:opening_id}/interest",
    response={201: InterestOut},
    summary="Show my interest in an opening: HR and its hiring manager see it",
    openapi_extra=documents(InterestIn),
)
def express_interest(request, opening_id: Id):
    viewer = viewer_of(request)
    opening = _load(viewer, opening_id)
    payload = body_of(request, InterestIn)
    interest = written(services.express_interest, viewer, opening, payload.note)
    return Answer(201, _interest(interest))


def _interest(interest: Interest) -> dict[str, Any]:
    return {
        "id": interest.pk,
        "person": interest.person,
        "opening_id": interest.opening_id,
        "note": interest.note,
        "created_at": interest.created_at,
    }


@router.post(
    "/talent/openings/{id:opening_id}/interest/withdraw",
    response=OpeningOut,
    summary="Withdraw my interest in an opening",
)
def withdraw_interest(request, opening_id: Id):
    viewer = viewer_of(request)
    opening = _load(viewer, opening_id)
    interest = visible(viewer, Interest, WITHDRAW).filter(opening=opening).first()
    if interest is None:
        raise HttpError(404, gettext("You had not shown interest in this opening."))
    written(services.withdraw_interest, viewer, interest)
    return _one(viewer, queries.opening_with_all().get(pk=opening.pk))


@router.get(
    "/talent/openings/{id:opening_id}/interests",
    response=list[InterestOut],
    summary="The interests in an opening I may see",
)
def list_opening_interests(request, opening_id: Id):
    """HR sees those of the people their scope covers, the hiring manager all; everyone their
    own."""
    viewer = viewer_of(request)
    opening = _load(viewer, opening_id)
    interests = queries.interests_in(viewer, opening)
    if not rules.sees_interested_people(viewer, opening):
        interests = interests.filter(person=viewer.person)  # one's own, as on the page
    found = list(interests[:500])
    shown(viewer, found)
    return [_interest(interest) for interest in found]
